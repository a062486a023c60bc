"""Meetings in several networks (issue #16): bodies and meetings belong to one network; pages and API answer
only for the network in the address; the user's own lists (my meetings, calendar feed, mails) name the network;
the old addresses redirect; coordinators act only in their network."""

import contextlib

import pytest
import sqlalchemy as sa
from flask import g

from network.accounts.services import create_api_token
from network.core.current import set_request_network
from network.core.models import OutboxMessage
from network.extensions import db
from network.meetings import services
from tests import factories
from tests.meetings.conftest import future, meeting_data, new_feed_url

README = "re@di – regional.digital"


@pytest.fixture
def in_network(app):
    """Run services as a request under /n/<slug>/ would (bodies are created in the request's network)."""
    @contextlib.contextmanager
    def _in(slug):
        ctx = app.test_request_context(f"/n/{slug}/")
        ctx.push()
        set_request_network(slug)
        try:
            yield
        finally:
            g.pop("network_slug", None)
            g.pop("network_row", None)
            ctx.pop()
    return _in


@pytest.fixture
def body_b(in_network, nord, coordinator_nord, city_a, lead_a):
    """A body of network B whose member city is A (A takes part in both networks)."""
    factories.join_network(city_a, nord)
    db.session.commit()
    with in_network("nord"):
        body = services.create_body(coordinator_nord, {"kind": "plenum", "name": "Plenum B", "city_ids": [city_a.id],
                                              "person_ids": []})
    db.session.commit()
    return body


@pytest.fixture
def meeting_b(in_network, body_b, coordinator_nord):
    with in_network("nord"):
        m = services.create_meeting(coordinator_nord, body_b, meeting_data(future(10), number="1", title="B-Treffen"))
    db.session.commit()
    return m


def test_body_and_meeting_belong_to_the_request_network(body_b, meeting_b, nord):
    assert body_b.network_id == nord.id and meeting_b.body.network.slug == "nord"


def test_meeting_of_another_network_is_404(as_user, lead_a, meeting, meeting_b, body_b, fachgruppe):
    c = as_user(lead_a)
    for url in [f"/n/readi/treffen/{meeting_b.id}", f"/n/readi/treffen/{meeting_b.id}/tagesordnung",
                f"/n/readi/treffen/{meeting_b.id}/umfrage", f"/n/readi/meetings/{meeting_b.id}.ics",
                f"/n/readi/treffen/gremien/{body_b.id}", f"/n/nord/treffen/{meeting.id}",
                f"/n/nord/treffen/gremien/{fachgruppe.id}", "/n/unbekannt/treffen/"]:
        assert c.get(url).status_code == 404, url
    assert c.post(f"/n/readi/treffen/{meeting_b.id}/zusage", data={"response": "yes"}).status_code == 404
    # in its own network the member city's lead sees it
    assert c.get(f"/n/nord/treffen/{meeting_b.id}").status_code == 200
    assert c.get(f"/n/nord/treffen/gremien/{body_b.id}").status_code == 200
    # the lists of a network show only its meetings and bodies
    readi = c.get("/n/readi/treffen/").get_data(as_text=True)
    assert "34. Fachgruppentreffen" in readi and "B-Treffen" not in readi
    nord_page = c.get("/n/nord/treffen/").get_data(as_text=True)
    assert "B-Treffen" in nord_page and "34. Fachgruppentreffen" not in nord_page
    assert "Plenum B" not in c.get("/n/readi/treffen/gremien/").get_data(as_text=True)


def test_coordinator_of_a_cannot_edit_a_body_of_b(as_user, coordinator, coordinator_nord, body_b, fachgruppe):
    c = as_user(coordinator)
    # in A's network B's body does not exist; network B's inner pages do not exist for the coordinator of A
    # (404 before any look-up, like the topics; tests/test_access_network_axis.py)
    for prefix, code in (("/n/readi", 404), ("/n/nord", 404)):
        url = f"{prefix}/treffen/gremien/{body_b.id}/bearbeiten"
        assert c.get(url).status_code == code, url
        assert c.post(url, data={"kind": "plenum", "name": "Übernommen"}).status_code == code, url
    assert c.get("/n/nord/treffen/gremien/").status_code == 404
    db.session.expire_all()
    assert body_b.name == "Plenum B"
    # B's coordinator edits it under /n/nord/, but has no rights on re@di's bodies
    b = as_user(coordinator_nord)
    assert b.get(f"/n/nord/treffen/gremien/{body_b.id}/bearbeiten").status_code == 200
    assert b.get(f"/n/readi/treffen/gremien/{fachgruppe.id}/bearbeiten").status_code == 404
    assert b.get(f"/n/nord/treffen/gremien/{fachgruppe.id}/bearbeiten").status_code == 404


def test_new_body_in_b_takes_only_b_cities_and_may_reuse_a_name(as_user, coordinator_nord, body_b, city_a, city_b,
                                                                fachgruppe, nord):
    c = as_user(coordinator_nord)
    data = {"kind": "fachgruppe", "name": "Fachgruppe", "description": "", "city_ids": [str(city_b.id)]}
    resp = c.post("/n/nord/treffen/gremien/neu", data=data)
    assert resp.status_code == 422
    assert "Bitte wählen Sie nur Kommunen aus der Liste." in resp.get_data(as_text=True)
    # the form offers only B's cities
    page = c.get("/n/nord/treffen/gremien/neu").get_data(as_text=True)
    assert "Ettlingen" in page and "Bühl" not in page
    # "Fachgruppe" exists in re@di; names are unique per network only
    resp = c.post("/n/nord/treffen/gremien/neu", data={**data, "city_ids": [str(city_a.id)]})
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/n/nord/treffen/gremien/")
    from network.meetings.models import Body
    new = db.session.execute(sa.select(Body).where(Body.name == "Fachgruppe", Body.network_id == nord.id)).scalar()
    assert new is not None and new.id != fachgruppe.id


def test_guest_city_is_invited(in_network, coordinator_nord, nord, city_b, lead_b):
    """A guest city of the network takes part in meetings: its lead is invited."""
    factories.join_network(city_b, nord, status="guest")
    db.session.commit()
    with in_network("nord"):
        body = services.create_body(coordinator_nord, {"kind": "plenum", "name": "Mit Gast", "city_ids": [city_b.id],
                                              "person_ids": []})
        services.create_meeting(coordinator_nord, body, meeting_data(future(9), number="1", title="Gasttreffen"))
    db.session.commit()
    subjects = db.session.execute(sa.select(OutboxMessage.subject).where(
        OutboxMessage.recipient == lead_b.email)).scalars().all()
    assert subjects == ["Städtenetz Nord – Einladung: Gasttreffen"]


def test_feed_of_a_user_in_both_networks_names_them(as_user, client, lead_a, meeting, meeting_b):
    c = as_user(lead_a)
    url = new_feed_url(c)
    text = client.get(url).get_data(as_text=True).replace("\r\n ", "")
    assert f"SUMMARY:{README} – 34. Fachgruppentreffen" in text
    assert "SUMMARY:Städtenetz Nord – B-Treffen" in text
    assert f"/n/nord/treffen/{meeting_b.id}" in text and f"/n/readi/treffen/{meeting.id}" in text
    # the single meeting's .ics names its network as the calendar's name
    ics = c.get(f"/n/nord/meetings/{meeting_b.id}.ics").get_data(as_text=True)
    assert "X-WR-CALNAME:Städtenetz Nord" in ics


def test_my_meetings_lists_every_network_marked(as_user, lead_a, meeting, meeting_b, lead_b):
    html = as_user(lead_a).get("/meine-treffen/").get_data(as_text=True)
    assert "34. Fachgruppentreffen" in html and "B-Treffen" in html
    assert README in html and "Städtenetz Nord" in html
    assert f'href="/n/nord/treffen/{meeting_b.id}"' in html and f'href="/n/readi/treffen/{meeting.id}"' in html
    # lead B's city is not in network B: only re@di's meeting
    other = as_user(lead_b).get("/meine-treffen/").get_data(as_text=True)
    assert "34. Fachgruppentreffen" in other and "B-Treffen" not in other


def test_invitation_mail_names_the_network(meeting_b, lead_a):
    msg = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == lead_a.email)).scalar()
    assert msg.subject == "Städtenetz Nord – Einladung: B-Treffen"
    assert "Städtenetz: Städtenetz Nord" in msg.body_text and f"/n/nord/treffen/{meeting_b.id}" in msg.body_text


@pytest.mark.parametrize("method,code", [("GET", 301), ("POST", 308)])
def test_old_addresses_redirect_to_the_default_network(client, meeting, method, code):
    resp = client.open(f"/treffen/{meeting.id}/umfrage?x=1", method=method)
    assert resp.status_code == code and resp.headers["Location"] == f"/n/readi/treffen/{meeting.id}/umfrage?x=1"
    resp = client.open(f"/meetings/{meeting.id}.ics", method=method)
    assert resp.status_code == code and resp.headers["Location"] == f"/n/readi/meetings/{meeting.id}.ics"
    resp = client.open("/treffen/", method=method)
    assert resp.status_code == code and resp.headers["Location"] == "/n/readi/treffen/"


def test_meetings_list_queries_do_not_grow_with_networks(as_user, count_queries, in_network, coordinator, lead_a,
                                                         city_a, meeting):
    def counts():
        c = as_user(lead_a)
        out = []
        for url in ("/n/readi/treffen/", "/meine-treffen/", "/n/readi/treffen/gremien/"):
            with count_queries() as q:
                assert c.get(url).status_code == 200
            out.append(len(q))
        return out
    one = counts()
    for i in range(4):
        net = factories.make_network(f"netz{i}", f"Netz {i}")
        factories.join_network(city_a, net)
        coord = factories.make_user(None, "lead", coordinator=net)
        db.session.commit()
        with in_network(net.slug):
            body = services.create_body(coord, {"kind": "plenum", "name": f"Plenum {i}", "city_ids": [city_a.id],
                                                "person_ids": []})
            services.create_meeting(coord, body, meeting_data(future(5 + i), number="1", title=f"Treffen {i}"))
        db.session.commit()
    five = counts()
    assert one == five, (one, five)
    assert "Treffen 3" in as_user(lead_a).get("/meine-treffen/").get_data(as_text=True)
    print(f"query counts (network list, my meetings, bodies) with 1 and 5 networks: {one} / {five}")


# --- API ---------------------------------------------------------------------------------------------------------

@pytest.fixture
def token(app):
    def _for(user):
        _t, plain = create_api_token(user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}
    return _for


def test_api_is_scoped_by_network(client, token, lead_a, meeting, meeting_b, body_b):
    h = token(lead_a)
    titles = [m["title"] for m in client.get("/api/v1/networks/nord/meetings", headers=h).get_json()]
    assert titles == ["B-Treffen"]
    assert [b["name"] for b in client.get("/api/v1/networks/nord/bodies", headers=h).get_json()] == ["Plenum B"]
    assert client.get(f"/api/v1/networks/nord/meetings/{meeting_b.id}", headers=h).status_code == 200
    for url in (f"/api/v1/networks/readi/meetings/{meeting_b.id}", f"/api/v1/meetings/{meeting_b.id}",
                f"/api/v1/networks/nord/meetings/{meeting.id}"):
        resp = client.get(url, headers=h)
        assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found", url
    # the old addresses answer for the default network
    assert [m["title"] for m in client.get("/api/v1/meetings", headers=h).get_json()] == ["34. Fachgruppentreffen"]
    assert client.get(f"/api/v1/meetings/{meeting.id}", headers=h).status_code == 200


def test_api_unknown_network_is_404_envelope(client, token, lead_a):
    h = token(lead_a)
    for url in ("/api/v1/networks/unbekannt/bodies", "/api/v1/networks/unbekannt/meetings/1"):
        resp = client.get(url, headers=h)
        assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found", url
    assert client.get("/api/v1/networks/unbekannt/bodies").status_code == 401  # no token: 401 first


def test_api_old_routes_are_deprecated_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert paths["/api/v1/meetings/{meeting_id}"]["get"].get("deprecated") is True
    assert paths["/api/v1/bodies"]["get"].get("deprecated") is True
    assert not paths["/api/v1/networks/{network}/meetings/{meeting_id}"]["get"].get("deprecated")
    assert not paths["/api/v1/networks/{network}/bodies"]["get"].get("deprecated")

