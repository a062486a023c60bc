"""The matrix page: cells as text and symbol, summary row, filter, CSV, constant query count."""

import csv
import re
import io
import re

from network.extensions import db
from network.topics.models import LeadClaim, Participation
from tests import factories
from tests.topics.conftest import give_lead, make_field, make_topic


def test_matrix_cells_summary_and_filter(login_as, topic, field, city_a, city_b, staff_a):
    other_field = make_field("Nachhaltigkeit und Mobilität", position=20)
    parking = make_topic(other_field, "Parkraummanagement")
    give_lead(topic, city_a)
    give_lead(parking, city_a)
    give_lead(parking, city_b, kind="colead")
    db.session.add(Participation(topic_id=topic.id, municipality_id=city_b.id, status="interested"))
    give_lead(make_topic(field, "Intranet"), city_b, status="pending")  # pending counts nowhere
    db.session.commit()
    c = login_as(staff_a)
    page = c.get("/n/readi/themen/matrix").get_data(as_text=True)
    assert '<th scope="col">Ettlingen</th>' in page and '<th scope="col">Bühl</th>' in page
    assert '<span aria-hidden="true">★</span> Federführung' in page
    assert '<span aria-hidden="true">☆</span> Co-Federführung' in page
    assert '<span aria-hidden="true">○</span> interessiert' in page
    assert 'scope="rowgroup"' in page and "Digitale Bürgerdienste" in page
    sums = page.split("Anzahl Federführungen</th>")[1].split("</tr>")[0]
    assert sums.count(">2<") == 1 and sums.count(">0<") == 1  # Bühl 0, Ettlingen 2 (alphabetical columns)
    assert "1 Thema ist ohne Federführung." in page
    filtered = c.get("/n/readi/themen/matrix?handlungsfeld=nachhaltigkeit-und-mobilitaet").get_data(as_text=True)
    assert "Parkraummanagement" in filtered and ">e-Akte<" not in filtered
    assert "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (CSP)


def test_matrix_csv_is_safe(login_as, field, city_a, staff_a):
    evil = make_topic(field, "=HYPERLINK(\"http://x\")")
    make_topic(field, "-1+2")
    give_lead(evil, city_a)
    db.session.commit()
    resp = login_as(staff_a).get("/n/readi/themen/matrix.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Handlungsfeld", "Thema", "Ettlingen"]
    names = [r[1] for r in rows[1:-1]]
    assert "'-1+2" in names and "'=HYPERLINK(\"http://x\")" in names
    assert all(not r[1].startswith(("=", "+", "-", "@")) for r in rows)
    assert ["", "Anzahl Federführungen", "1"] == rows[-1]
    assert ["Digitale Bürgerdienste", "'=HYPERLINK(\"http://x\")", "Federführung"] in rows


def _grow(field, n_topics, n_cities, cities, topics):
    while len(cities) < n_cities:
        cities.append(factories.make_city())
    while len(topics) < n_topics:
        topics.append(make_topic(field))
    for i, t in enumerate(topics):
        for j, c in enumerate(cities):
            exists = (t.id, c.id) in _grow.seen
            if exists:
                continue
            _grow.seen.add((t.id, c.id))
            if j == i % 9:
                db.session.add(LeadClaim(topic_id=t.id, municipality_id=c.id, kind="lead", status="confirmed"))
            elif j % 3 == 0:
                db.session.add(Participation(topic_id=t.id, municipality_id=c.id, status="participating"))
            elif j % 3 == 1:
                db.session.add(LeadClaim(topic_id=t.id, municipality_id=c.id, kind="colead", status="confirmed"))
    db.session.commit()


_grow.seen = set()


def test_matrix_query_count_is_constant(login_as, count_queries, field, city_a, staff_a):
    _grow.seen = set()
    cities, topics = [city_a], []
    c = login_as(staff_a)

    def measure():
        with count_queries() as statements:
            resp = c.get("/n/readi/themen/matrix")
        assert resp.status_code == 200
        return len(statements)

    _grow(field, 5, 9, cities, topics)
    small = measure()
    _grow(field, 50, 9, cities, topics)
    more_topics = measure()
    _grow(field, 50, 90, cities, topics)
    more_cities = measure()
    print(f"matrix queries: 5x9={small} 50x9={more_topics} 50x90={more_cities}")
    assert small == more_topics == more_cities
    assert small <= 10


def test_matrix_pages_cities_and_filters_by_name(login_as, count_queries, field, city_a, staff_a):
    """25 cities per page, page 2 shows what page 1 did not, the same statements at 3 and 60 cities, the name
    filter, long names abbreviated with the full name in <abbr title>, the CSV stays complete."""
    topic = make_topic(field, "e-Akte")
    db.session.commit()
    c = login_as(staff_a)

    def measure():
        with count_queries() as statements:
            resp = c.get("/n/readi/themen/matrix")
        assert resp.status_code == 200
        return len(statements), resp.get_data(as_text=True)

    cities = [city_a] + [factories.make_city(f"Matrixstadt {i:02d}") for i in range(2)]
    give_lead(topic, cities[2])  # Matrixstadt 01
    db.session.commit()
    small, _page = measure()
    cities += [factories.make_city(f"Matrixstadt {i:02d}") for i in range(2, 58)]
    long_city = factories.make_city("Sankt Leon-Rot am Rhein")
    give_lead(topic, cities[-1], kind="colead")
    db.session.commit()
    large, first = measure()
    print(f"matrix queries: 3 cities={small} 60 cities={large}")
    assert small == large <= 10
    heads = lambda html: re.findall(r'<th scope="col">(.*?)</th>', html)[1:]  # noqa: E731
    assert len(heads(first)) == 25 and "Kommunen 1–25 von 60" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'role="region" tabindex="0"' in first
    second = c.get("/n/readi/themen/matrix?seite=2").get_data(as_text=True)
    assert len(heads(second)) == 25 and not set(heads(first)) & set(heads(second))
    third = c.get("/n/readi/themen/matrix?seite=3").get_data(as_text=True)
    assert len(heads(third)) == 10 and 'rel="next"' not in third and 'rel="prev"' in third
    long_head = ('<abbr title="Sankt Leon-Rot am Rhein" aria-hidden="true">Sankt Leon-R…</abbr>'
                 '<span class="kern-sr-only">Sankt Leon-Rot am Rhein</span>')
    assert long_head in first + second + third
    # the name filter narrows the columns; the lead is shown in its city's column
    found = c.get("/n/readi/themen/matrix?kommune=leon").get_data(as_text=True)
    assert heads(found) == [long_head]
    assert "Kommunen 1–1 von 1" in found
    lead = c.get("/n/readi/themen/matrix?kommune=Matrixstadt+01").get_data(as_text=True)
    assert heads(lead) == ["Matrixstadt 01"]
    assert '<td class="kern-table__cell matrix__cell"><span aria-hidden="true">★</span> Federführung' in lead
    assert "0 Themen sind ohne Federführung." in lead  # counted over every member city, not the page
    none = c.get("/n/readi/themen/matrix?kommune=%25%25zz").get_data(as_text=True)
    assert "Keine Mitgliedskommune passt zu dieser Auswahl." in none
    odd = c.get("/n/readi/themen/matrix?seite=x&kommune=" + "a" * 500)
    assert odd.status_code == 200
    resp = c.get("/n/readi/themen/matrix.csv")
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert len(rows[0]) == 2 + 60 and "Sankt Leon-Rot am Rhein" in rows[0]
    assert rows[1][rows[0].index("Matrixstadt 01")] == "Federführung"
    assert rows[-1][rows[0].index("Matrixstadt 01")] == "1"
    assert long_city.name in rows[0]
