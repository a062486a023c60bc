"""The matrix page: cells as text and symbol, summary row, filter, CSV, constant query count."""

import csv
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
