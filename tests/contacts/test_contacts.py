"""Ansprechpersonen (issue #19, part 3): opt-in contact profiles, the directory (search, pages, fixed statements),
the panels of practices, topics, projects and OZG services, topic marks by the lead city, personal data."""

import sqlalchemy as sa

from network.contacts.models import (
    ContactNetwork,
    ContactProfile,
    ContactSubject,
    TopicContact,
)
from network.core.hooks import personal_data_sources
from network.extensions import db
from network.networks.models import Network
from network.ozg.models import OzgStatus
from tests import factories
from tests.conftest import row_count
from tests.inventory.conftest import make_project
from tests.practices.conftest import write
from tests.topics.conftest import give_lead, make_field, make_topic


def _readi():
    return db.session.execute(sa.select(Network).where(Network.slug == "readi")).scalar_one()


def _profile_form(**kw):
    data = {"function": "Digitallotse", "phone": "+49 7243 101-0", "languages": "Deutsch, Englisch",
            "tags": "Bewohnerparken, LoRaWAN"}
    data.update(kw)
    return data


def test_canary_unpublished_profile_shows_nowhere(app, sign_in, lead_a, lead_b, staff_a, coordinator, city_a):
    """Saved without a network: the directory, the profile page, a practice, a topic, a project and the OZG service
    page of the owner's city show it to nobody; published to re@di, they all do."""
    field = make_field("Digitale Verwaltung")
    topic = make_topic(field, "Parkraummanagement")
    give_lead(topic, city_a)
    park, _firms = factories.make_parking_services()
    db.session.add(OzgStatus(municipality_id=city_a.id, service_id=park.id, status="online",
                             url="https://e.example/", visibility="network"))
    project = make_project(city_a, field, title="Bewohnerparken", topic_id=topic.id)
    db.session.commit()
    practice = write(lead_a, topics=[topic], publish_as=lead_a)
    owner = sign_in(staff_a)
    canary = "Kanarienvogel Digitallotse"
    assert owner.post("/ansprechpersonen/mein-profil",
                      data=_profile_form(function=canary, ozg=["Mobilität & Reisen"])).status_code == 302
    profile = db.session.query(ContactProfile).one()
    pages = ["/ansprechpersonen/", "/ansprechpersonen/?q=bewohnerparken", f"/praxis/{practice.id}",
             f"/n/readi/themen/{topic.slug}", f"/vorhaben/projekt/{project.id}", "/n/readi/ozg/leistung/10173"]
    viewers = {"lead_b": sign_in(lead_b), "lead_a": sign_in(lead_a), "coordinator": sign_in(coordinator),
               "anonymous": app.test_client()}
    for who, client in viewers.items():
        for page in pages:
            html = client.get(page).get_data(as_text=True)
            assert canary not in html, (who, page)
        assert client.get(f"/ansprechpersonen/{profile.id}").status_code in (302, 404), who
    # published to re@di: members and the coordination of re@di see it everywhere, the public never
    assert owner.post("/ansprechpersonen/mein-profil",
                      data=_profile_form(function=canary, ozg=["Mobilität & Reisen"],
                                         networks=[str(_readi().id)])).status_code == 302
    for who in ("lead_b", "lead_a", "coordinator"):
        for page in pages:
            assert canary in viewers[who].get(page).get_data(as_text=True), (who, page)
    for page in pages:
        assert canary not in viewers["anonymous"].get(page).get_data(as_text=True)


def test_another_network_does_not_see_it(sign_in, staff_a, city_a, nord):
    """Published to re@di only: a city of "nord" alone never sees the profile."""
    other = factories.make_city("Nordstadt", network=nord)
    reader = factories.make_user(other, "lead", email="lead@nordstadt.test")
    db.session.commit()
    sign_in(staff_a).post("/ansprechpersonen/mein-profil", data=_profile_form(networks=[str(_readi().id)]))
    profile = db.session.query(ContactProfile).one()
    client = sign_in(reader)
    assert staff_a.name not in client.get("/ansprechpersonen/").get_data(as_text=True)
    assert client.get(f"/ansprechpersonen/{profile.id}").status_code == 404


def test_bad_input_german_messages_nothing_saved(client, login_as, staff_a, city_a, nord):
    login_as(staff_a)
    resp = client.post("/ansprechpersonen/mein-profil", data=_profile_form(function="", phone="ruf mich an",
                                                                            networks=[str(nord.id)]))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Bitte geben Sie die Funktion an." in html
    assert "Bitte geben Sie eine Telefonnummer aus Ziffern an" in html
    assert "Bitte wählen Sie nur Netzwerke, an denen Ihre Kommune teilnimmt." in html
    resp = client.post("/ansprechpersonen/mein-profil", data=_profile_form(ozg=["Gibt es nicht"]))
    assert resp.status_code == 422 and "Bitte wählen Sie nur Einträge aus der Liste." in resp.get_data(as_text=True)
    assert row_count(ContactProfile) == 0 and row_count(ContactSubject) == 0


def _people(n, city, network, start=0):
    for i in range(start, start + n):
        user = factories.make_user(city, "staff", email=f"person{i}@{city.slug}.test", name=f"Person {i:03d}")
        profile = ContactProfile(user_id=user.id, municipality_id=city.id, function="IT-Leitung" if i % 2 else
                                 "Datenschutz")
        profile.subjects = [ContactSubject(kind="tag", label=f"Thema {i}"), ContactSubject(kind="ozg",
                                                                                           label="Querschnitt")]
        profile.networks = [ContactNetwork(network_id=network.id)]
        db.session.add(profile)
    db.session.commit()


def test_directory_search_pages_and_constant_statements(sign_in, lead_b, city_a, count_queries):
    _people(3, city_a, _readi())
    client = sign_in(lead_b)
    client.get("/ansprechpersonen/")
    with count_queries() as few:
        html = client.get("/ansprechpersonen/").get_data(as_text=True)
    assert "Person 000" in html and "Person 002" in html
    _people(47, factories.make_city("Rastatt"), _readi(), start=3)
    with count_queries() as many:
        html = client.get("/ansprechpersonen/").get_data(as_text=True)
    assert len(many) == len(few), (len(few), len(many))
    assert "Person 019" in html and "Nächste Seite" in html  # 20 per page, by name
    page2 = client.get("/ansprechpersonen/?seite=2").get_data(as_text=True)
    assert "Person 020" in page2 and "Person 019" not in page2
    assert "Person 001" in client.get("/ansprechpersonen/?q=thema 1").get_data(as_text=True)
    by_function = client.get("/ansprechpersonen/?funktion=datenschutz&kommune=ettlingen").get_data(as_text=True)
    assert "Person 000" in by_function and "Person 001" not in by_function
    in_ettlingen = client.get("/ansprechpersonen/?kommune=Ettlingen").get_data(as_text=True)
    assert "Person 002" in in_ettlingen and "Person 010" not in in_ettlingen


def test_lead_marks_contacts_for_a_led_topic(sign_in, lead_a, lead_b, staff_a, city_a, city_b):
    field = make_field("Digitale Verwaltung")
    topic = make_topic(field, "e-Akte")
    give_lead(topic, city_a)
    db.session.commit()
    sign_in(staff_a).post("/ansprechpersonen/mein-profil",
                          data=_profile_form(function="Projektleitung e-Akte", networks=[str(_readi().id)]))
    profile = db.session.query(ContactProfile).one()
    assert sign_in(lead_b).get(f"/ansprechpersonen/thema/{topic.id}").status_code == 403  # not the lead city
    assert sign_in(staff_a).get(f"/ansprechpersonen/thema/{topic.id}").status_code == 403
    lead = sign_in(lead_a)
    assert "Projektleitung e-Akte" in lead.get(f"/ansprechpersonen/thema/{topic.id}").get_data(as_text=True)
    assert lead.post(f"/ansprechpersonen/thema/{topic.id}", data={"profiles": [str(profile.id)]}).status_code == 302
    assert row_count(TopicContact) == 1
    resp = lead.post(f"/ansprechpersonen/thema/{topic.id}", data={"profiles": ["99999"]})
    assert resp.status_code == 422 and "nur veröffentlichte Profile Ihrer Kommune" in resp.get_data(as_text=True)
    assert row_count(TopicContact) == 1
    assert "Projektleitung e-Akte" in sign_in(lead_b).get(f"/n/readi/themen/{topic.slug}").get_data(as_text=True)


def test_personal_data_export_and_account_deletion(sign_in, staff_a, city_a):
    factories.make_parking_services()
    db.session.commit()
    sign_in(staff_a).post("/ansprechpersonen/mein-profil", data=_profile_form(ozg=["Mobilität & Reisen"],
                                                                             networks=[str(_readi().id)]))
    source = next(s for s in personal_data_sources() if "contact_profile" in s["tables"])
    data = source["export"](staff_a)
    assert data["contact_profile"][0]["phone"] == "+49 7243 101-0"
    assert {"kind": "ozg", "ref_id": None, "label": "Mobilität & Reisen"} in data["contact_subject"]
    assert data["contact_network"] == [{"network_id": _readi().id}]
    source["erase"](staff_a)
    db.session.commit()
    assert row_count(ContactProfile) == 0 and row_count(ContactSubject) == 0 and row_count(ContactNetwork) == 0


def test_delete_own_profile_needs_confirmation(client, login_as, staff_a, city_a):
    login_as(staff_a)
    client.post("/ansprechpersonen/mein-profil", data=_profile_form())
    assert client.post("/ansprechpersonen/mein-profil/loeschen").status_code == 200
    assert row_count(ContactProfile) == 1
    assert client.post("/ansprechpersonen/mein-profil/loeschen", data={"confirm": "1"}).status_code == 302
    assert row_count(ContactProfile) == 0
