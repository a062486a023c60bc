"""Networks pages: list, public page (bounded, equal queries), creation by the platform administration, the
coordination's members/settings/coordinators pages, and the header's switcher."""

import re
from datetime import timedelta

import sqlalchemy as sa

from network.core.models import utcnow
from network.extensions import db
from network.networks import services
from network.networks.models import Network, NetworkMembership, NetworkRole
from tests import factories
from tests.conftest import login


def _many_networks(n, start=0):
    for i in range(start, start + n):
        network = factories.make_network(f"netz-{i:02d}", f"Netz {i:02d}")
        city = factories.make_city(f"Stadt {i:02d}", network=network)
        factories.join_network(city, factories.make_network())
    db.session.commit()


def test_list_and_start_page_show_networks(client, nord, city_a):
    page = client.get("/netzwerke/").get_data(as_text=True)
    assert "Städtenetz Nord" in page and "Nordbaden" in page and 'href="/n/nord/"' in page
    start = client.get("/").get_data(as_text=True)
    assert "Städtenetz Nord" in start and 'href="/n/readi/"' in start


def test_list_pages_by_50(client):
    _many_networks(55)
    first = client.get("/netzwerke/").get_data(as_text=True)
    assert "Netz 48" in first and "Netz 54" not in first and "seite=2" in first
    assert "Netz 54" in client.get("/netzwerke/?seite=2").get_data(as_text=True)
    assert client.get("/netzwerke/?seite=abc").status_code == 200


def test_list_and_page_queries_do_not_grow(client, count_queries, city_a):
    _many_networks(1)
    with count_queries() as few:
        assert client.get("/netzwerke/").status_code == 200
    with count_queries() as few_page:
        assert client.get("/n/readi/").status_code == 200
    with count_queries() as few_start:
        assert client.get("/").status_code == 200
    _many_networks(20, start=1)
    with count_queries() as many:
        assert client.get("/netzwerke/").status_code == 200
    with count_queries() as many_page:
        assert client.get("/n/readi/").status_code == 200
    with count_queries() as many_start:
        assert client.get("/").status_code == 200
    assert len(few) == len(many)
    assert len(few_page) == len(many_page)
    assert len(few_start) == len(many_start)


def _topic(network, name, city, kind="lead"):
    from network.topics.models import FieldOfAction, LeadClaim, Topic
    from network.municipalities.models import make_slug
    field = db.session.execute(sa.select(FieldOfAction).where(FieldOfAction.network_id == network.id)).scalars().first()
    if field is None:
        field = FieldOfAction(network_id=network.id, slug="feld", name="Feld")
        db.session.add(field)
        db.session.flush()
    topic = Topic(network_id=network.id, slug=make_slug(name), name=name, field_id=field.id, status="active")
    db.session.add(topic)
    db.session.flush()
    db.session.add(LeadClaim(topic_id=topic.id, municipality_id=city.id, kind=kind, status="confirmed"))
    db.session.flush()
    return topic


def test_public_page_shows_members_guests_leads_practices_and_next_meeting(client, nord, city_a, city_b):
    from network.meetings.models import Body, Meeting
    from network.practices.models import Practice
    factories.join_network(city_b, nord, status="guest")
    factories.join_network(city_a, nord)
    gone = factories.make_city("Rastatt", networks=[])
    factories.join_network(gone, nord, status="left")
    _topic(nord, "E-Rechnung", city_a)
    _topic(factories.make_network(), "Nicht von hier", city_b)
    db.session.add(Practice(municipality_id=city_a.id, title="Öffentlicher Bericht", status="published",
                            visibility="public", published_at=utcnow()))
    db.session.add(Practice(municipality_id=city_a.id, title="Interner Bericht", status="published",
                            visibility="network", published_at=utcnow()))
    body = Body(network_id=nord.id, kind="fachgruppe", name="Fachgruppe Nord")
    db.session.add(body)
    db.session.flush()
    db.session.add(Meeting(body_id=body.id, title="3. Treffen Nord", status="scheduled",
                           starts_at=utcnow() + timedelta(days=10), host_municipality_id=city_a.id))
    db.session.commit()
    page = client.get("/n/nord/").get_data(as_text=True)
    main = page.split('id="main"')[1]
    assert "Städtenetz Nord" in page and "Nordbaden" in main
    assert "Bühl</a> (Gast)" in main and "Ettlingen</a>" in main and "Rastatt" not in main
    assert "2 Kommunen nehmen teil." in main
    assert "E-Rechnung" in main and "Nicht von hier" not in main
    assert "Öffentlicher Bericht" in main and "Interner Bericht" not in main
    # meetings belong to their body's cities: the public page tells only when and which kind of body meets
    assert "Nächstes Treffen" in main and "(Fachgruppe)" in main
    assert "3. Treffen Nord" not in main and "Fachgruppe Nord" not in main
    assert client.get("/n/gibt-es-nicht/").status_code == 404


def test_public_page_lists_are_bounded(client, nord):
    from network.networks import reading
    from network.practices.models import Practice
    for i in range(reading.PRACTICES_SHOWN + 3):
        city = factories.make_city(f"Ort {i:03d}", network=nord)
        db.session.add(Practice(municipality_id=city.id, title=f"Bericht {i:03d}", status="published",
                                visibility="public", published_at=utcnow() - timedelta(days=i)))
    db.session.commit()
    main = client.get("/n/nord/").get_data(as_text=True).split('id="main"')[1]
    assert main.count("Bericht 0") == reading.PRACTICES_SHOWN and "Bericht 012" not in main
    assert len(reading.public_members(nord, limit=5)) == 5


def test_platform_admin_creates_network_end_to_end(client, admin, outbox, lead_a):
    login(client, lead_a)
    assert client.get("/verwaltung/netzwerke/neu").status_code == 403
    client.post("/abmelden")
    login(client, admin)
    assert client.get("/verwaltung/netzwerke/neu").status_code == 200
    bad = client.post("/verwaltung/netzwerke/neu", data={"name": "", "coordinator_email": "x"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Bitte geben Sie den Namen an" in text or "Namen" in text
    resp = client.post("/verwaltung/netzwerke/neu", data={
        "name": "Städtenetz Süd", "region": "Südbaden", "is_open": "y",
        "coordinator_email": "sued@test.example", "coordinator_name": "Sina Süd"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/n/staedtenetz-sued/")
    network = services.network_by_slug("staedtenetz-sued")
    assert network.region == "Südbaden"
    from network.core.outbox import deliver_outbox
    deliver_outbox()
    mail = [m for m in outbox if m.to == ["sued@test.example"]]
    assert mail and "Städtenetz Süd" in mail[0].subject
    link = re.search(r"https?://\S+/einladung/\S+", mail[0].body).group(0)
    # the invited coordinator sets a password and then coordinates the new network only
    other = client.application.test_client()
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = other.get("/" + path)
    assert page.status_code == 200


def test_coordination_admits_existing_city_as_guest_and_records_leaving(client, nord, coordinator_nord, city_a,
                                                                       lead_a):
    login(client, coordinator_nord)
    page = client.get("/n/nord/verwaltung/mitglieder?q=ettl").get_data(as_text=True)
    assert "Ettlingen" in page
    resp = client.post("/n/nord/verwaltung/mitglieder/aufnehmen", data={"municipality": city_a.id,
                                                                        "status": "guest"})
    assert resp.status_code == 302
    assert services.membership(nord.id, city_a.id).status == "guest"
    again = client.post("/n/nord/verwaltung/mitglieder/aufnehmen", data={"municipality": city_a.id,
                                                                         "status": "guest"})
    assert again.status_code == 409 and "bereits Gast" in again.get_data(as_text=True)
    assert client.post("/n/nord/verwaltung/mitglieder/aufnehmen",
                       data={"municipality": "999999"}).status_code == 404
    empty = client.post("/n/nord/verwaltung/mitglieder/ettlingen/austritt", data={"reason": ""})
    assert empty.status_code == 422 and "Begründung" in empty.get_data(as_text=True)
    assert client.post("/n/nord/verwaltung/mitglieder/ettlingen/austritt",
                       data={"reason": "Ratsbeschluss"}).status_code == 302
    db.session.expire_all()
    assert services.membership(nord.id, city_a.id).status == "left"
    # still a member of readi: its accounts keep working
    assert db.session.get(type(city_a), city_a.id).status == "member"
    assert "ausgetreten" in client.get("/n/nord/verwaltung/mitglieder").get_data(as_text=True)


def test_coordination_admits_a_new_city(client, nord, coordinator_nord, outbox):
    login(client, coordinator_nord)
    resp = client.post("/n/nord/verwaltung/mitglieder/neu", data={
        "name": "Erkelenz", "kind": "stadt", "district": "Kreis Heinsberg", "website": "https://www.erkelenz.de",
        "lead_name": "Erika Erkelenz", "lead_email": "lead@erkelenz.test", "status": "guest"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    from network.municipalities.models import Municipality
    city = db.session.execute(sa.select(Municipality).where(Municipality.slug == "erkelenz")).scalar_one()
    assert services.membership(nord.id, city.id).status == "guest"
    assert services.membership(factories.make_network().id, city.id) is None
    bad = client.post("/n/nord/verwaltung/mitglieder/neu", data={"name": "", "lead_email": "x"})
    assert bad.status_code == 422


def test_settings_and_coordinators(client, nord, coordinator_nord):
    login(client, coordinator_nord)
    assert client.get("/n/nord/verwaltung/einstellungen").status_code == 200
    bad = client.post("/n/nord/verwaltung/einstellungen", data={
        "name": "Städtenetz Nord", "digest_weekday": "0", "reminder_days": "99", "version": nord.version})
    assert bad.status_code == 422 and "zwischen 1 und 60" in bad.get_data(as_text=True)
    ok = client.post("/n/nord/verwaltung/einstellungen", data={
        "name": "Städtenetz Nord", "region": "Nordbaden und Pfalz", "digest_weekday": "3", "reminder_days": "3",
        "version": nord.version})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(Network, nord.id).region == "Nordbaden und Pfalz"
    stale = client.post("/n/nord/verwaltung/einstellungen", data={
        "name": "Städtenetz Nord", "digest_weekday": "3", "reminder_days": "3", "version": "1"})
    assert stale.status_code == 409
    last = client.post(f"/n/nord/verwaltung/koordination/{coordinator_nord.id}/entfernen", follow_redirects=True)
    assert "mindestens eine Koordination" in last.get_data(as_text=True)
    assert client.post("/n/nord/verwaltung/koordination", data={"email": "kein"}).status_code == 422
    assert client.post("/n/nord/verwaltung/koordination", data={"email": "zweite@test.example",
                                                                "name": "Zweite"}).status_code == 302
    roles = db.session.execute(sa.select(NetworkRole).where(NetworkRole.network_id == nord.id)).scalars().all()
    assert len(roles) == 2


def test_coordinator_of_another_network_gets_404_others_403(client, nord, coordinator, lead_a, admin):
    login(client, coordinator)  # coordinates readi, not nord
    for path in ("/n/nord/verwaltung/mitglieder", "/n/nord/verwaltung/einstellungen",
                 "/n/nord/verwaltung/koordination"):
        assert client.get(path).status_code == 404, path
    assert client.get("/n/readi/verwaltung/mitglieder").status_code == 200
    client.post("/abmelden")
    login(client, lead_a)
    assert client.get("/n/nord/verwaltung/mitglieder").status_code == 403
    client.post("/abmelden")
    login(client, admin)
    assert client.get("/n/nord/verwaltung/einstellungen").status_code == 200
    assert client.get("/n/nord/verwaltung/mitglieder").status_code == 403


def test_switcher(client, nord, city_a, city_b, lead_a, lead_b):
    factories.join_network(city_a, nord)
    db.session.commit()
    login(client, lead_a)
    page = client.get("/profil").get_data(as_text=True)
    assert 'action="/netzwerk-wechseln"' in page and "Städtenetz Nord" in page
    resp = client.post("/netzwerk-wechseln", data={"network": "nord", "next": "/profil"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/profil"
    with client.session_transaction() as sess:
        assert sess["network"] == "nord"
    header = client.get("/profil").get_data(as_text=True).split('id="main"')[0]
    assert '<option value="nord" selected>' in header
    # a page of the previous network leads to the same page in the chosen one; foreign targets are not followed
    back = client.post("/netzwerk-wechseln", data={"network": "readi", "next": "/n/nord/"})
    assert back.headers["Location"] == "/n/readi/"
    evil = client.post("/netzwerk-wechseln", data={"network": "readi", "next": "https://evil.example/"})
    assert evil.headers["Location"] == "/"
    assert client.post("/netzwerk-wechseln", data={"network": "gibt-es-nicht"}).status_code == 404
    client.post("/abmelden")
    login(client, lead_b)  # Bühl is in readi only: no switcher, and nord is refused
    assert 'action="/netzwerk-wechseln"' not in client.get("/profil").get_data(as_text=True)
    refused = client.post("/netzwerk-wechseln", data={"network": "nord", "next": "/profil"})
    assert refused.status_code == 422 and "nimmt nicht am Netzwerk Städtenetz Nord teil" in refused.get_data(as_text=True)
    with client.session_transaction() as sess:
        assert "network" not in sess


def test_coordinator_of_another_network_starts_in_it(client, nord, coordinator_nord):
    """A coordinator without a city starts in the network they coordinate, not in the installation's default."""
    login(client, coordinator_nord)
    with client.session_transaction() as sess:
        assert sess["network"] == "nord"
    header = client.get("/").get_data(as_text=True).split('id="main"')[0]
    assert "Netzwerk verwalten" in header and 'href="/n/nord/verwaltung/mitglieder"' in header
    assert 'action="/netzwerk-wechseln"' not in header  # one network, and it is the current one
    assert client.post("/netzwerk-wechseln", data={"network": "readi", "next": "/"}).status_code == 422


def test_login_starts_in_the_users_own_network(client, nord, city_a, city_b, lead_a, lead_b):
    """Login opens the city's network: the default one when the city takes part in it (a choice made in an
    earlier session does not survive the new session), else the city's first network; logout forgets it."""
    stadt = factories.make_city("Nordstadt", networks=[nord])
    lead_nord = factories.make_user(stadt, "lead", email="lead@nordstadt.example")
    factories.join_network(city_a, nord)
    db.session.commit()
    login(client, lead_nord)
    with client.session_transaction() as sess:
        assert sess["network"] == "nord"
    header = client.get("/").get_data(as_text=True).split('id="main"')[0]
    assert "Städtenetz Nord" in header and "regional.digital" not in header
    client.post("/abmelden")
    login(client, lead_a)  # Ettlingen is in both: it starts in the default network
    with client.session_transaction() as sess:
        assert "network" not in sess
    client.post("/netzwerk-wechseln", data={"network": "nord", "next": "/"})
    client.post("/abmelden")
    login(client, lead_a)
    with client.session_transaction() as sess:
        assert "network" not in sess


def test_switcher_refuses_network_the_city_left(client, nord, city_a, lead_a):
    factories.join_network(city_a, nord, status="left")
    db.session.commit()
    login(client, lead_a)
    assert client.post("/netzwerk-wechseln", data={"network": "nord"}).status_code == 422


def test_header_costs_no_query_for_visitors_and_one_for_members(client, count_queries, nord, city_a, lead_a):
    from flask import g
    from network.networks.reading import header_network
    from flask_login import AnonymousUserMixin
    with count_queries() as statements:
        assert header_network(AnonymousUserMixin(), "Städtenetz").name == "Städtenetz"
    assert statements == []
    g.pop("header_network", None)
    factories.join_network(city_a, nord)
    db.session.commit()
    db.session.refresh(lead_a)
    with count_queries() as statements:
        result = header_network(lead_a, "Städtenetz")
    assert len(statements) == 1 and result.can_switch and result.name == "re@di – regional.digital"
    assert result.choices == [("readi", "re@di – regional.digital"), ("nord", "Städtenetz Nord")]


def _form_fields(html: str) -> list[str]:
    form = html.split('<form method="post" novalidate', 1)[1].split("</form>", 1)[0]
    return [n for n in re.findall(r"<(?:input|select|textarea)[^>]*\bname=\"([^\"]+)\"", form) if n != "csrf_token"]


def test_both_admission_pages_share_one_form(app, client, nord, coordinator_nord, coordinator):
    """The installation's admission and a network's show the same fields (the network's adds member/guest) and
    keep the user's input next to the German messages."""
    other = app.test_client()
    login(other, coordinator)
    installation = other.get("/kommunen/neu").get_data(as_text=True)
    login(client, coordinator_nord)
    network = client.get("/n/nord/verwaltung/mitglieder/neu").get_data(as_text=True)
    shared = ["name", "kind", "district", "website", "population", "lead_name", "lead_email"]
    assert _form_fields(installation) == shared
    assert _form_fields(network) == shared[:5] + ["status"] + shared[5:]
    for html in (installation, network):
        assert "Stammdaten" in html and "Erste Leitung einladen" in html and "Aufnehmen und einladen" in html
    assert "Gäste lesen mit" in network and "Gäste lesen mit" not in installation
    data = {"name": "Malsch", "kind": "gemeinde", "lead_name": "Maria Malsch", "lead_email": "keine-adresse",
            "status": "guest"}
    for c, url in ((other, "/kommunen/neu"), (client, "/n/nord/verwaltung/mitglieder/neu")):
        bad = c.post(url, data=data)
        html = bad.get_data(as_text=True)
        assert bad.status_code == 422 and 'value="Malsch"' in html and 'value="keine-adresse"' in html
        assert "gültige E-Mail-Adresse" in html.split('id="lead_email"')[0].rsplit("<fieldset", 1)[1]
    assert '<option selected value="guest">' in html
    from network.municipalities.models import Municipality
    assert db.session.execute(sa.select(Municipality.id).where(Municipality.slug == "malsch")).first() is None
