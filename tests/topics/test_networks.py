"""Topics belong to a network (#16): addresses under /n/<network>/themen, reads filtered by the network, only
members of the topic's network act, a city leaving one network keeps its claims in the other, the API per
network, query counts independent of the number of networks."""

import pytest
import sqlalchemy as sa

from network.core.current import set_request_network
from network.core.models import OutboxMessage
from network.extensions import db
from network.networks.services import leave
from network.topics.models import LeadClaim, Participation, Topic
from tests import factories
from tests.topics.conftest import claims_of, give_lead, make_field, make_topic


@pytest.fixture
def topic_b(nord):
    field = make_field("Infrastruktur", network_id=nord.id)
    t = make_topic(field, "Breitband", description="Glasfaser für alle")
    db.session.commit()
    return t


def _auth(user):
    from network.accounts.services import create_api_token
    _t, plain = create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def _mails_to(address):
    db.session.expire_all()
    return db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)).scalars().all()


# --- addresses ------------------------------------------------------------------------------------------------

def test_topic_of_another_network_is_404(sign_in, topic, topic_b, lead_a, city_a, nord, coordinator_nord, admin):
    """Topics are the inner pages of a network: its cities' accounts and its coordination read them; the platform
    administration manages networks (their public page and settings) but does not read inside them."""
    c = sign_in(lead_a)
    assert c.get("/n/readi/themen/breitband").status_code == 404
    # a network Ettlingen does not take part in: its inner pages answer 404 (its public page /n/nord/ stays open)
    for path in ("/n/nord/themen/", "/n/nord/themen/breitband", "/n/nord/themen/matrix", "/n/nord/themen/e-akte"):
        assert c.get(path).status_code == 404, path
    assert c.get("/n/nord/").status_code == 200
    factories.join_network(city_a, nord, status="guest")
    db.session.commit()
    assert c.get("/n/nord/themen/e-akte").status_code == 404
    resp = c.get("/n/nord/themen/breitband")
    assert resp.status_code == 200 and "Glasfaser für alle" in resp.get_data(as_text=True)
    assert c.get("/n/gibt-es-nicht/themen/").status_code == 404
    assert sign_in(coordinator_nord).get("/n/nord/themen/breitband").status_code == 200
    assert sign_in(admin).get("/n/nord/themen/breitband").status_code == 404


def test_lists_show_only_the_networks_topics(sign_in, topic, topic_b, lead_a, city_a, nord):
    factories.join_network(city_a, nord)
    db.session.commit()
    c = sign_in(lead_a)
    readi = c.get("/n/readi/themen/").get_data(as_text=True)
    nord_page = c.get("/n/nord/themen/").get_data(as_text=True)
    assert "e-Akte" in readi and "Breitband" not in readi
    assert "Breitband" in nord_page and "e-Akte" not in nord_page
    # the links on B's list point into B
    assert 'href="/n/nord/themen/breitband"' in nord_page


def test_legacy_address_redirects_with_query_string(client, lead_a, sign_in):
    c = sign_in(lead_a)
    resp = c.get("/themen/matrix?handlungsfeld=digitale-buergerdienste&x=%C3%BC")
    assert resp.status_code == 301
    assert resp.headers["Location"].endswith("/n/readi/themen/matrix?handlungsfeld=digitale-buergerdienste&x=%C3%BC")
    resp = c.post("/themen/e-akte/federfuehrung", data={})
    assert resp.status_code == 308 and resp.headers["Location"].endswith("/n/readi/themen/e-akte/federfuehrung")
    assert client.get("/themen").headers["Location"].endswith("/n/readi/themen/")


# --- who may act ------------------------------------------------------------------------------------------------

def test_guest_city_cannot_claim_or_join(sign_in, topic_b, nord, city_a, lead_a):
    factories.join_network(city_a, nord, status="guest")
    db.session.commit()
    c = sign_in(lead_a)
    resp = c.post("/n/nord/themen/breitband/federfuehrung", data={})
    assert resp.status_code == 403
    assert "ist nicht Mitglied im Netzwerk Städtenetz Nord" in resp.get_data(as_text=True)
    resp = c.post("/n/nord/themen/breitband/teilnahme", data={"part-status": "interested"})
    assert resp.status_code == 403
    assert claims_of(topic_b) == [] and db.session.scalar(sa.select(sa.func.count(Participation.id))) == 0
    # the API answers the same in the error envelope
    resp = c.application.test_client().post("/api/v1/networks/nord/topics/breitband/claims", json={},
                                            headers=_auth(lead_a))
    assert resp.status_code == 403
    assert "nicht Mitglied im Netzwerk Städtenetz Nord" in resp.get_json()["error"]["message"]


def test_city_outside_the_network_cannot_claim(sign_in, client, topic_b, lead_a):
    resp = sign_in(lead_a).post("/n/nord/themen/breitband/federfuehrung", data={})
    assert resp.status_code == 404 and claims_of(topic_b) == []
    resp = client.post("/api/v1/networks/nord/topics/breitband/claims", json={"kind": "lead"}, headers=_auth(lead_a))
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found" and claims_of(topic_b) == []


def test_coordinator_of_a_cannot_decide_a_claim_in_b(sign_in, client, topic_b, nord, city_b, lead_b,
                                                     coordinator, coordinator_nord):
    factories.join_network(city_b, nord)
    db.session.commit()
    assert sign_in(lead_b).post("/n/nord/themen/breitband/federfuehrung", data={}).status_code == 302
    (claim,) = claims_of(topic_b)
    c = sign_in(coordinator)
    resp = c.post(f"/n/nord/themen/breitband/antraege/{claim.id}/entscheidung",
                  data={f"d{claim.id}-decision": "confirm"})
    assert resp.status_code == 404
    # nor under its own network's address
    resp = c.post(f"/n/readi/themen/breitband/antraege/{claim.id}/entscheidung",
                  data={f"d{claim.id}-decision": "confirm"})
    assert resp.status_code == 404
    resp = client.post(f"/api/v1/networks/nord/topics/breitband/claims/{claim.id}/decision",
                       json={"decision": "confirm"}, headers=_auth(coordinator))
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"
    assert claims_of(topic_b)[0].status == "pending"
    # B's coordinator decides, and the claim mail went to B's coordination only
    assert [m.subject for m in _mails_to(coordinator_nord.email)] == [
        "[Städtenetz Nord] Federführung beantragt: Breitband"]
    assert _mails_to(coordinator.email) == []
    resp = sign_in(coordinator_nord).post(f"/n/nord/themen/breitband/antraege/{claim.id}/entscheidung",
                                  data={f"d{claim.id}-decision": "confirm"})
    assert resp.status_code == 302 and claims_of(topic_b)[0].status == "confirmed"


def test_handover_only_to_members_of_the_topics_network(sign_in, topic_b, nord, city_a, city_b, lead_b):
    factories.join_network(city_b, nord)
    give_lead(topic_b, city_b)
    db.session.commit()
    c = sign_in(lead_b)
    # city A is a member of re@di only
    resp = c.post("/n/nord/themen/breitband/federfuehrung/uebergeben", data={"handover-target": str(city_a.id)})
    assert resp.status_code == 422
    assert "Mitgliedskommune des Netzwerks Städtenetz Nord" in resp.get_data(as_text=True)
    # the choices offer B's members only
    page = c.get("/n/nord/themen/breitband").get_data(as_text=True)
    assert f'<option value="{city_a.id}">Ettlingen</option>' not in page
    factories.join_network(city_a, nord)
    db.session.commit()
    page = c.get("/n/nord/themen/breitband").get_data(as_text=True)
    assert f'<option value="{city_a.id}">Ettlingen</option>' in page
    resp = c.post("/n/nord/themen/breitband/federfuehrung/uebergeben", data={"handover-target": str(city_a.id)})
    assert resp.status_code == 302


def test_auto_confirm_is_the_networks_setting(sign_in, topic, topic_b, nord, city_a, lead_a):
    factories.join_network(city_a, nord)
    nord.auto_confirm_claims = True
    db.session.commit()
    c = sign_in(lead_a)
    assert c.post("/n/nord/themen/breitband/federfuehrung", data={}).status_code == 302
    assert c.post("/n/readi/themen/e-akte/federfuehrung", data={}).status_code == 302
    assert claims_of(topic_b)[0].status == "confirmed"
    assert claims_of(topic)[0].status == "pending"


# --- creating ---------------------------------------------------------------------------------------------------

def test_created_topics_and_fields_belong_to_the_network(sign_in, nord, coordinator_nord, field):
    c = sign_in(coordinator_nord)
    assert c.post("/n/nord/themen/handlungsfelder/", data={"name": "Digitale Bürgerdienste",
                                                                "position": "1"}).status_code == 302
    (field_b,) = [f for f in db.session.execute(sa.select(type(field))).scalars() if f.network_id == nord.id]
    # a field of another network is refused; the same topic name as in re@di is fine in B
    resp = c.post("/n/nord/themen/neu", data={"name": "e-Akte", "field_id": str(field.id)})
    assert resp.status_code == 422 and "Bitte wählen Sie ein Handlungsfeld." in resp.get_data(as_text=True)
    make_topic(field, "e-Akte")
    db.session.commit()
    assert c.post("/n/nord/themen/neu", data={"name": "e-Akte", "field_id": str(field_b.id)}).status_code == 302
    db.session.expire_all()
    rows = db.session.execute(sa.select(Topic.network_id).where(Topic.slug == "e-akte")).scalars().all()
    assert sorted(rows) == sorted([nord.id, field.network_id])
    # the coordinator of B has no rights in re@di: its inner pages do not exist for them
    assert c.get("/n/readi/themen/neu").status_code == 404
    assert c.get(f"/n/nord/themen/handlungsfelder/{field.id}/bearbeiten").status_code == 404


def test_proposal_goes_to_the_network_it_was_made_in(sign_in, nord, city_a, lead_a, coordinator):
    factories.join_network(city_a, nord)
    field_b = make_field("Infrastruktur", network_id=nord.id)
    db.session.commit()
    c = sign_in(lead_a)
    resp = c.post("/n/nord/themen/vorschlagen", data={"name": "Funknetz", "field_id": str(field_b.id)})
    assert resp.status_code == 302
    topic = db.session.execute(sa.select(Topic).where(Topic.slug == "funknetz")).scalar_one()
    assert topic.network_id == nord.id and topic.status == "proposed"
    assert "Funknetz" in c.get("/n/nord/themen/vorschlaege").get_data(as_text=True)
    assert "Funknetz" not in c.get("/n/readi/themen/vorschlaege").get_data(as_text=True)
    assert "Funknetz" not in sign_in(coordinator).get("/n/readi/themen/vorschlaege").get_data(as_text=True)


# --- the matrix and leaving -------------------------------------------------------------------------------------

def test_city_in_both_networks_sees_both_matrices_with_their_own_members(sign_in, topic, topic_b, nord, city_a,
                                                                          city_b, lead_a):
    both = city_a
    factories.join_network(both, nord)
    only_b = factories.make_city("Bruchsal", network=nord)
    give_lead(topic, city_b)
    give_lead(topic_b, only_b)
    db.session.commit()
    c = sign_in(lead_a)
    readi = c.get("/n/readi/themen/matrix").get_data(as_text=True)
    nord_page = c.get("/n/nord/themen/matrix").get_data(as_text=True)
    assert "Ettlingen" in readi and "Bühl" in readi and "Bruchsal" not in readi
    assert "e-Akte" in readi and "Breitband" not in readi
    assert "Ettlingen" in nord_page and "Bruchsal" in nord_page and "Bühl" not in nord_page
    assert "Breitband" in nord_page and "e-Akte" not in nord_page
    csv = c.get("/n/nord/themen/matrix.csv").get_data(as_text=True)
    assert "Bruchsal" in csv and "Bühl" not in csv


def test_guest_is_no_matrix_column(sign_in, topic_b, nord, city_a, city_b, lead_b):
    factories.join_network(city_a, nord, status="guest")
    factories.join_network(city_b, nord)
    db.session.commit()
    page = sign_in(lead_b).get("/n/nord/themen/matrix").get_data(as_text=True)
    assert "Bühl" in page and "Ettlingen" not in page


def test_city_leaving_b_keeps_its_claims_in_a(app, sign_in, topic, topic_b, nord, coordinator_nord, city_a,
                                              coordinator):
    factories.join_network(city_a, nord)
    give_lead(topic, city_a)
    give_lead(topic_b, city_a)
    db.session.add(Participation(topic_id=topic_b.id, municipality_id=city_a.id, status="participating"))
    db.session.commit()
    with app.test_request_context("/n/nord/"):
        set_request_network("nord")  # B's coordinator acts in B
        leave(coordinator_nord, nord, city_a, reason="Beschluss des Gemeinderats")
    db.session.commit()
    assert [c.status for c in claims_of(topic)] == ["confirmed"]
    assert [c.status for c in claims_of(topic_b)] == ["ended"]
    c = sign_in(coordinator)
    assert "Ettlingen" in c.get("/n/readi/themen/").get_data(as_text=True)
    page = c.get("/n/readi/themen/e-akte").get_data(as_text=True)
    assert "ohne Federführung" not in page
    lead_b = factories.make_user(factories.make_city("Bruchsal", network=nord), "lead")
    db.session.commit()
    page_b = sign_in(lead_b).get("/n/nord/themen/breitband").get_data(as_text=True)
    assert "ohne Federführung" in page_b
    # its history in B stays visible
    assert "Federführung durch Austritt beendet" in page_b


# --- API --------------------------------------------------------------------------------------------------------

def test_api_per_network(client, topic, topic_b, nord, city_a, staff_a):
    h = _auth(staff_a)
    # a network Ettlingen does not take part in answers 404, like an unknown one
    for path in ("/api/v1/networks/nord/topics", "/api/v1/networks/nord/fields-of-action",
                 "/api/v1/networks/nord/topics/breitband"):
        resp = client.get(path, headers=h)
        assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found", path
    factories.join_network(city_a, nord)
    db.session.commit()
    assert [t["slug"] for t in client.get("/api/v1/networks/nord/topics", headers=h).get_json()] == ["breitband"]
    assert [t["slug"] for t in client.get("/api/v1/networks/readi/topics", headers=h).get_json()] == ["e-akte"]
    assert [t["slug"] for t in client.get("/api/v1/topics", headers=h).get_json()] == ["e-akte"]
    assert [f["slug"] for f in client.get("/api/v1/networks/nord/fields-of-action",
                                          headers=h).get_json()] == ["infrastruktur"]
    assert client.get("/api/v1/networks/nord/topics/breitband", headers=h).get_json()["name"] == "Breitband"
    resp = client.get("/api/v1/topics/breitband", headers=h)
    assert resp.status_code == 404
    resp = client.get("/api/v1/networks/gibt-es-nicht/fields-of-action", headers=h)
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_openapi_marks_the_old_routes_deprecated(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert paths["/api/v1/topics"]["get"]["deprecated"] is True
    assert paths["/api/v1/topics/{slug}/participation"]["delete"]["deprecated"] is True
    assert "deprecated" not in paths["/api/v1/networks/{network}/topics"]["get"]
    assert "deprecated" not in paths["/api/v1/networks/{network}/fields-of-action"]["get"]


# --- query counts -----------------------------------------------------------------------------------------------

def test_matrix_and_list_query_counts_do_not_depend_on_the_number_of_networks(sign_in, count_queries, field,
                                                                               city_a, city_b, staff_a):
    for i, name in enumerate(["Erstes", "Zweites"]):
        give_lead(make_topic(field, f"Thema {name}"), (city_a, city_b)[i])
    db.session.commit()
    c = sign_in(staff_a)
    h = _auth(staff_a)

    def measure():
        out = []
        for url in ("/n/readi/themen/matrix", "/n/readi/themen/", "/api/v1/networks/readi/topics"):
            with count_queries() as statements:
                resp = c.get(url, headers=h if url.startswith("/api/") else {})
            assert resp.status_code == 200
            out.append(len(statements))
        return out

    measure()  # warm up (the token's first use records it)
    one = measure()
    for n in range(4):  # four more networks, each with its own field, topics, members and claims
        net = factories.make_network(f"netz-{n}", f"Netz {n}")
        f = make_field(f"Feld {n}", network_id=net.id)
        cities = [factories.make_city(f"Stadt {n}-{k}", network=net) for k in range(3)]
        factories.join_network(city_a, net)
        for k in range(3):
            give_lead(make_topic(f, f"Thema {n}-{k}"), cities[k])
    db.session.commit()
    five = measure()
    print(f"queries (matrix, list, api) with 1 network: {one}, with 5: {five}")
    assert one == five
    # the matrix shows re@di's members only
    page = c.get("/n/readi/themen/matrix").get_data(as_text=True)
    assert "Stadt 0-0" not in page and "Thema 0-0" not in page
