"""The practices list and search pages at scale: the count stops at COUNT_LIMIT ("über 1.000"), the facets show
their top values with "mehr", a query's hits are ranked among the newest COUNT_LIMIT + 1 matches (below the
limit: the API's hits), and the pages send the same statements at 25 and 60 practices in 25 and 60 cities."""

import re

import sqlalchemy as sa

from network.extensions import db
from network.practices.models import Practice
from network.practices import services
from tests import factories
from tests.practices.conftest import write


def _grow(cities, authors, n, topic):
    """n practices, each in its own city (published by the city's lead)."""
    while len(cities) < n:
        city = factories.make_city(f"Praxisstadt {len(cities):03d}")
        lead = factories.make_user(city, role="lead")
        db.session.commit()
        cities.append(city)
        authors.append(lead)
        p = services.create_practice(lead, {"title": f"Bericht {len(cities):03d}", "summary": "Parken digital",
                                            "visibility": "public", "topic_ids": [topic.id],
                                            "sections": {"solution": "Parken"}})
        services.publish_practice(lead, p)
    db.session.commit()


def _hits(html):
    return re.findall(r'id="hit-(\d+)"', html)


def _facet_links(html, key):
    block = html.split(f'id="facet-{key}"')[1].split("</ul>")[0]
    return re.findall(r"<li><a ", block)


def test_list_and_search_bounded_with_the_same_statements(client, count_queries, monkeypatch, topic, lead_a):
    cities, authors = [], []
    _grow(cities, authors, 25, topic)  # page 2 exists at both sizes (a page beyond the last costs one more)

    def measure():
        out = []
        for url in ("/praxis/", "/praxis/suche?q=parken", "/praxis/suche?q=parken&seite=2&mehr=city"):
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            out.append(len(statements))
        return out

    small = measure()
    _grow(cities, authors, 60, topic)
    large = measure()
    print(f"practices list/search/search p2: 25 practices {small}, 60 practices {large}")
    assert small == large and max(large) <= 10

    page = client.get("/praxis/suche?q=parken").get_data(as_text=True)
    assert "60 Praxisberichte gefunden" in page
    assert len(_facet_links(page, "city")) == services.FACET_TOP and "mehr<" in page
    opened = client.get("/praxis/suche?q=parken&mehr=city").get_data(as_text=True)
    assert len(_facet_links(opened, "city")) == 60 and "weniger<" in opened
    # page 2 shows what page 1 did not
    first, second = _hits(page), _hits(client.get("/praxis/suche?q=parken&seite=2").get_data(as_text=True))
    assert len(first) == 20 and len(second) == 20 and not set(first) & set(second)

    # above the limit: "über", no last page; a query's hits are ranked among the newest 26 matches (the sample
    # the count and the facets describe), so its pages end after them; the list pages on newest first
    monkeypatch.setattr(services, "COUNT_LIMIT", 25)
    capped = client.get("/praxis/suche?q=parken").get_data(as_text=True)
    assert "über 25 Praxisberichte gefunden" in capped and "60 Praxisberichte" not in capped
    assert "Reihenfolge beziehen sich auf die neuesten 25 Treffer" in capped and "Seite 1<" in capped and 'rel="next"' in capped
    newest = [str(p.id) for p in sorted(db.session.scalars(sa.select(Practice)), key=lambda p: (p.published_at, p.id),
                                        reverse=True)[:26]]
    second = _hits(client.get("/praxis/suche?q=parken&seite=2").get_data(as_text=True))
    assert len(_hits(capped)) == 20 and len(second) == 6 and sorted(_hits(capped) + second) == sorted(newest)
    beyond = client.get("/praxis/suche?q=parken&seite=9")
    assert beyond.status_code == 200 and "Keine Treffer" in beyond.get_data(as_text=True)
    third = client.get("/praxis/?seite=3").get_data(as_text=True)
    assert len(_hits(third)) == 20 and 'rel="next"' not in third and 'rel="prev"' in third
    listing = client.get("/praxis/").get_data(as_text=True)
    assert "über 25 Praxisberichte gefunden" in listing and len(_hits(listing)) == 20
    # the facets come from the newest 26 matches: at most 26 cities, cut to the top 10
    assert len(_facet_links(capped, "city")) == services.FACET_TOP
    assert client.get("/praxis/suche?q=parken&mehr=<x>").status_code == 200


def test_hits_are_those_of_the_full_count_below_the_limit(count_queries, topic, lead_a, staff_b):
    cities, authors = [], []
    _grow(cities, authors, 30, topic)
    write(lead_a, "Parken in Ettlingen", publish_as=lead_a)
    full = services.search(staff_b, "parken", per_page=50)
    below = services.search(staff_b, "parken", per_page=50, count_limit=100, facet_top=3)
    bounded = services.search(staff_b, "parken", per_page=50, count_limit=10, facet_top=3)
    assert {h.practice.id for h in full.hits} == {h.practice.id for h in below.hits} and not below.capped
    # the pages rank title hits first: the one practice with "Parken" in its title leads
    assert below.hits[0].practice.title == "Parken in Ettlingen"
    assert full.total == 31 and not full.capped and bounded.capped and bounded.total == 11
    newest = sorted(full.hits, key=lambda h: (h.practice.published_at, h.practice.id), reverse=True)[:11]
    assert {h.practice.id for h in bounded.hits} == {h.practice.id for h in newest}
    assert all(len(v) <= 3 for v in bounded.facets.values()) and bounded.more["city"]
    assert len(full.facets["city"]) == 31  # the API keeps every value


def test_the_pages_send_their_limit_and_word_in_the_statement_text(client, count_queries, topic, lead_a):
    """A prepared statement with LIMIT $1 or LIKE $1 gets a generic plan on PostgreSQL after a few runs, which sorts
    every visible match instead of stopping after the sample (90 → 930 ms at 100,000 practices, issue #17): the
    sample's limit, the list's page window and the word's pattern are written into the statement."""
    _grow([], [], 3, topic)
    with count_queries() as statements:
        assert client.get("/praxis/suche?q=parken").status_code == 200
    limit = services.fulltext.COUNT_LIMIT + 1
    sample = [s for s in statements if f"LIMIT {limit}" in s]
    assert len(sample) == 1 and "MATERIALIZED" in sample[0]
    if db.engine.dialect.name == "postgresql":
        assert re.search(r"LIKE '%+park%+'", sample[0])  # psycopg's pyformat doubles the % signs
    with count_queries() as statements:
        assert client.get("/praxis/").status_code == 200
    assert any(re.search(r"LIMIT 21 OFFSET 0\b", s) for s in statements)
