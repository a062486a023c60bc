"""No page lists every city: /kommunen/ is paged (50) with filters by name, Bundesland and Landkreis; the start
page and the dashboard show how many cities there are and a search. The same statements at 3 and 60 cities."""

import re

from network.extensions import db
from tests import factories


def _names(html):
    table = html.split("<tbody", 1)[1].split("</tbody>")[0] if "<tbody" in html else ""
    return re.findall(r'href="/kommunen/[^"]+">([^<]+)</a>', table)


def _grow(n):
    from network.municipalities.models import Municipality
    have = db.session.query(Municipality).count()
    for i in range(have, n):
        factories.make_city(f"Listenstadt {i:03d}", state="Bayern" if i % 2 else "Baden-Württemberg",
                            district="Landkreis Rastatt" if i % 3 == 0 else "Landkreis Karlsruhe")
    db.session.commit()


def test_city_list_paged_and_filtered_with_the_same_statements(client, count_queries, city_a):
    def measure():
        out = []
        for url in ("/kommunen/", "/kommunen/?seite=2&q=stadt&land=Bayern&kreis=rastatt", "/"):
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            out.append(len(statements))
        return out

    _grow(3)
    small = measure()
    _grow(120)
    large = measure()
    print(f"/kommunen/, filtered page 2, start page: 3 cities {small}, 120 cities {large}")
    assert small == large and max(large) <= 10
    first = client.get("/kommunen/").get_data(as_text=True)
    assert len(_names(first)) == 50 and "Kommunen 1–50 von 120" in first and 'rel="next"' in first
    second = client.get("/kommunen/?seite=2").get_data(as_text=True)
    assert len(_names(second)) == 50 and not set(_names(first)) & set(_names(second))
    last = client.get("/kommunen/?seite=3").get_data(as_text=True)
    assert len(_names(last)) == 20 and 'rel="next"' not in last
    bavaria = client.get("/kommunen/?land=Bayern&kreis=rastatt").get_data(as_text=True)
    names = _names(bavaria)
    assert names and all(int(n.split()[-1]) % 6 == 3 for n in names)  # odd and a multiple of 3
    assert '<option value="Bayern" selected>' in bavaria
    found = client.get("/kommunen/?q=ettl").get_data(as_text=True)
    assert _names(found) == ["Ettlingen"]
    none = client.get("/kommunen/?q=%25_zz&seite=abc")
    assert none.status_code == 200 and "Keine Kommune passt zu dieser Auswahl." in none.get_data(as_text=True)
    start = client.get("/").get_data(as_text=True)
    assert "Listenstadt" not in start and "120 Kommunen arbeiten im Städtenetz mit." in start


def test_dashboard_shows_no_city_list(sign_in, count_queries, city_a, lead_a):
    c = sign_in(lead_a)
    _grow(3)
    with count_queries() as small:
        page = c.get("/").get_data(as_text=True)
    _grow(60)
    with count_queries() as large:
        page = c.get("/").get_data(as_text=True)
    print(f"dashboard: 3 cities {len(small)}, 60 cities {len(large)}")
    assert len(small) == len(large)
    assert "Listenstadt" not in page and "60 Kommunen arbeiten im Städtenetz mit." in page
