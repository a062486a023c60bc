"""No N+1: the inventory, roadmap and overview pages make the same number of queries for 10 and 1,000 projects."""

from datetime import date

import pytest
import sqlalchemy as sa

from network.extensions import db
from network.inventory.models import Project
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
    assert "Vorhaben 997" in resp.get_data(as_text=True) or url in ("/vorhaben/", "/vorhaben/ettlingen/?status=done&jahr=2025")
    assert len(small) == len(large), (len(small), len(large))
    print(f"{url}: {len(large)} queries")
