"""No N+1: the inventory, roadmap and overview pages make the same number of queries for 10 and 1,000 projects."""

from datetime import date

import pytest
import sqlalchemy as sa

from network.extensions import db
from network.inventory.models import Project
from network.inventory.services.queries import CITY_PAGE_SIZE
from tests.topics.conftest import make_topic


def _fill(city, fields, topic, n, offset=0):
    rows = []
    for i in range(offset, offset + n):
        rows.append({"municipality_id": city.id, "field_id": fields[i % 2].id, "title": f"Vorhaben {i}",
                     "status": ("idea", "in_progress", "done", "paused", "dropped")[i % 5],
                     "priority": ("high", "medium", "low")[i % 3], "visibility": ("network", "public", "city")[i % 3],
                     "topic_id": topic.id if i % 2 else None, "start_month": date(2024 + i % 3, 1 + i % 12, 1),
                     "end_month": date(2027, 6, 1), "summary": "", "department": "Hauptamt", "contact": "",
                     "funding_source": "", "is_lighthouse": bool(i % 7 == 0), "is_draft": bool(i % 11 == 0),
                     "is_example": False, "version": 1})
    db.session.execute(sa.insert(Project), rows)
    db.session.commit()


@pytest.mark.parametrize("url", ["/vorhaben/ettlingen/", "/vorhaben/ettlingen/roadmap", "/vorhaben/",
                                 "/vorhaben/ettlingen/?status=done&jahr=2025"])
def test_same_query_count_for_10_and_1000(client, login_as, lead_b, city_a, fields, count_queries, url):
    topic = make_topic(fields[0], "Parkraum")
    db.session.commit()
    login_as(lead_b)
    _fill(city_a, fields, topic, 10)
    client.get(url)  # warm up
    with count_queries() as small:
        resp = client.get(url)
    assert resp.status_code == 200
    _fill(city_a, fields, topic, 990, offset=10)
    with count_queries() as large:
        resp = client.get(url)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    if url == "/vorhaben/ettlingen/roadmap":
        assert "Vorhaben 997" in html
    elif url == "/vorhaben/ettlingen/":  # CITY_PAGE_SIZE (25) a page
        import re
        shown = int(re.search(r"(\d+) Vorhaben werden angezeigt\.", html).group(1))
        assert shown > 500 and html.count('data-label="Priorität"') == CITY_PAGE_SIZE
        assert f"Diese Seite: 1–{CITY_PAGE_SIZE}." in html and 'rel="next"' in html
    if len(small) != len(large):
        import difflib
        print("\n".join(difflib.unified_diff([q[:160] for q in small], [q[:160] for q in large], lineterm="")))
    assert len(small) == len(large), (len(small), len(large))
    print(f"{url}: {len(large)} queries")


def test_city_inventory_pages_of_50(client, login_as, lead_a, city_a, fields, count_queries):
    """A city's inventory: 50 projects a page, page 2 shows what page 1 did not, filters kept in the links,
    the counts cover every project; the same statements at 3 and 60 projects."""
    import re
    topic = make_topic(fields[0], "Parkraum")
    db.session.commit()
    login_as(lead_a)

    def titles(html):
        return re.findall(r'href="/vorhaben/projekt/\d+">([^<]+)</a>', html)

    _fill(city_a, fields, topic, 3)
    with count_queries() as small:
        assert client.get("/vorhaben/ettlingen/").status_code == 200
    _fill(city_a, fields, topic, 57, offset=3)
    with count_queries() as large:
        first = client.get("/vorhaben/ettlingen/").get_data(as_text=True)
    print(f"city inventory statements: 3 projects {len(small)}, 60 projects {len(large)}")
    assert len(small) == len(large) <= 10
    size = CITY_PAGE_SIZE  # 25: a page shows what a person reads (issue #17)
    assert "60 Vorhaben werden angezeigt." in first and f"Diese Seite: 1–{size}." in first
    assert len(titles(first)) == size and 'rel="next" href="/vorhaben/ettlingen/?seite=2"' in first
    second = client.get("/vorhaben/ettlingen/?seite=2").get_data(as_text=True)
    assert len(titles(second)) == min(size, 60 - size) and not set(titles(first)) & set(titles(second))
    assert f"Diese Seite: {size + 1}–{min(2 * size, 60)}." in second and 'rel="prev"' in second
    filtered = client.get("/vorhaben/ettlingen/?prioritaet=high").get_data(as_text=True)
    assert "20 Vorhaben werden angezeigt." in filtered and 'rel="next"' not in filtered
    assert client.get("/vorhaben/ettlingen/?seite=abc").status_code == 200
    assert client.get("/vorhaben/ettlingen/?seite=99").status_code == 200
