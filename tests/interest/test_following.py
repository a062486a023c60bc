"""Following: the toggle, the settings page, immediate notifications through the typed event signals, the API."""

import sqlalchemy as sa

from network.practices.signals import practice_published
from network.extensions import db
from network.interest import services
from network.interest.models import Follow, NotificationPreference
from network.topics import services as topics_services
from tests.conftest import row_count
from tests.interest.conftest import mails_to


def _follows(user):
    db.session.expire_all()
    return sorted((f.target_type, f.target_id) for f in db.session.execute(
        sa.select(Follow).where(Follow.user_id == user.id)).scalars())


def test_follow_button_on_topic_and_city_pages_toggles(client, city_a, staff_a, topics, login_as):
    topic = topics[0]
    login_as(staff_a)
    html = client.get(f"/n/readi/themen/{topic.slug}").get_data(as_text=True)
    assert 'action="/folgen"' in html and "Folgen" in html and f"– {topic.name}" in html
    resp = client.post("/folgen", data={"type": "topic", "id": str(topic.id), "next": f"/n/readi/themen/{topic.slug}"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/n/readi/themen/{topic.slug}")
    assert _follows(staff_a) == [("topic", topic.id)]
    html = client.get(f"/n/readi/themen/{topic.slug}").get_data(as_text=True)
    assert "Nicht mehr folgen" in html
    client.post("/folgen", data={"type": "municipality", "id": str(city_a.id), "next": "https://boese.example/"})
    assert ("municipality", city_a.id) in _follows(staff_a)
    assert "Nicht mehr folgen" in client.get("/kommunen/ettlingen").get_data(as_text=True)
    settings = client.get("/profil/benachrichtigungen").get_data(as_text=True)
    assert topic.name in settings and "Ettlingen" in settings
    client.post("/folgen", data={"type": "topic", "id": str(topic.id)})
    assert _follows(staff_a) == [("municipality", city_a.id)]


def test_follow_refuses_bad_and_invisible_targets(client, city_a, staff_a, lead_b, topics, login_as):
    from tests.topics.conftest import make_field, make_topic
    proposal = make_topic(make_field("Anderes"), "Geheimer Vorschlag", status="proposed",
                          proposed_by_municipality_id=lead_b.municipality_id)
    db.session.commit()
    login_as(staff_a)
    assert client.post("/folgen", data={"type": "topic", "id": str(proposal.id)}).status_code == 404
    assert client.post("/folgen", data={"type": "topic", "id": "999999"}).status_code == 404
    resp = client.post("/folgen", data={"type": "rakete", "id": "1"})
    assert resp.status_code == 422 and "gültigen Wert" in resp.get_data(as_text=True)
    assert client.post("/folgen", data={"type": "topic", "id": "abc"}).status_code == 422
    # practices and bodies come from other domains: without their provider nothing can be followed
    assert client.post("/folgen", data={"type": "practice", "id": "1"}).status_code == 404
    assert row_count(Follow) == 0
    assert client.get("/folgen").status_code == 405


def test_practice_and_body_resolve_through_their_domains(monkeypatch, client, staff_a, login_as):
    # the practices domain decides what may be followed (network.practices.services.follow_practice)
    monkeypatch.setattr("network.practices.services.follow_practice",
                        lambda user, ident: ("Praxis X", "/praxis/1") if ident == 1 else None)
    login_as(staff_a)
    assert client.post("/folgen", data={"type": "practice", "id": "1"}).status_code == 302
    assert client.post("/folgen", data={"type": "practice", "id": "2"}).status_code == 404
    assert "Praxis X" in client.get("/profil/benachrichtigungen").get_data(as_text=True)


def test_preferences_are_saved_and_bad_values_refused(client, staff_a, login_as):
    login_as(staff_a)
    assert services.preferences(staff_a)["topic.lead_changed"] == "weekly"
    data = {"pref_topic_lead_changed": "immediately", "pref_practice_published": "off",
            "pref_meeting_scheduled": "weekly", "pref_minutes_published": "weekly",
            "pref_funding_call_published": "weekly", "digest": "y"}
    assert client.post("/profil/benachrichtigungen", data=data).status_code == 302
    prefs = services.preferences(staff_a)
    assert prefs["topic.lead_changed"] == "immediately" and prefs["practice.published"] == "off"
    assert prefs["digest"] == "weekly"
    resp = client.post("/profil/benachrichtigungen", data=dict(data, pref_topic_lead_changed="stündlich"))
    assert resp.status_code == 422 and "sofort, wöchentlich oder aus" in resp.get_data(as_text=True)
    assert services.preferences(staff_a)["topic.lead_changed"] == "immediately"
    data.pop("digest")
    client.post("/profil/benachrichtigungen", data=data)
    assert services.preferences(staff_a)["digest"] == "off"


def _immediately(user, kind="topic.lead_changed"):
    db.session.add(NotificationPreference(user_id=user.id, kind=kind, mode="immediately"))


def test_lead_change_notifies_immediate_followers_once(app, city_a, city_b, staff_a, lead_a, lead_b, staff_b,
                                                       coordinator, topics):
    topic = topics[0]
    for user in (staff_a, lead_a, staff_b, coordinator):
        db.session.add(Follow(user_id=user.id, target_type="topic", target_id=topic.id))
    for user in (staff_a, lead_a, coordinator):
        _immediately(user)
    # staff_b follows with the default (weekly): no immediate mail
    db.session.commit()
    claim = topics_services.claim_lead(lead_a, topic)
    db.session.commit()
    assert mails_to(staff_a.email) == []  # only a request, not a change yet
    topics_services.decide_claim(coordinator, topic, claim, "confirm")
    db.session.commit()
    [mail] = [m for m in mails_to(staff_a.email) if "Federführung bei Ettlingen" in m.subject]
    assert "/themen/e-akte" in mail.body_text and "/benachrichtigungen/abbestellen/" in mail.body_text
    assert [m for m in mails_to(lead_a.email) if "Neue Federführung eines Themas" in m.subject]
    assert not [m for m in mails_to(coordinator.email) if "Neue Federführung eines Themas" in m.subject]  # actor
    assert not [m for m in mails_to(staff_b.email) if "Neue Federführung eines Themas" in m.subject]


def test_event_audience_and_unknown_kinds(app, city_a, city_b, staff_a, staff_b):
    for user in (staff_a, staff_b):
        db.session.add(Follow(user_id=user.id, target_type="municipality", target_id=city_a.id))
        _immediately(user, "practice.published")
    db.session.commit()
    practice_published.send(practice=None, targets=[("municipality", city_a.id)],
                            title="Nur für Ettlingen", url="/praxis/1", audience=f"city:{city_a.id}", actor_id=None)
    practice_published.send(practice=None, targets=[("municipality", city_a.id)],
                            title="Geheim", url="/", audience="body:1", actor_id=None)  # no such body: nobody
    db.session.commit()
    assert [m.subject for m in mails_to(staff_a.email)] == ["Neuer Praxisbericht: Nur für Ettlingen"]
    assert mails_to(staff_b.email) == []


def test_receiver_is_connected_once(app):
    from network import create_app
    from network.interest.setup import follower_events
    create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]})  # a second app
    for signal, kind in follower_events().items():
        receivers = [r for r in signal.receivers.values()
                     if getattr(r, "__name__", "").startswith("notify_followers_of_")]
        assert len(receivers) == 1, kind


def test_unsubscribe_link_from_an_event_mail(client, city_a, staff_a, topics):
    topic = topics[0]
    db.session.add(Follow(user_id=staff_a.id, target_type="topic", target_id=topic.id))
    _immediately(staff_a)
    db.session.commit()
    services.notify_followers("topic.lead_changed", [("topic", topic.id)], "Titel", "/themen/e-akte", "network")
    db.session.commit()
    from tests.interest.conftest import link_in
    link = link_in(mails_to(staff_a.email)[0], "/benachrichtigungen/abbestellen/")
    page = client.get(link)
    assert page.status_code == 200 and "Neue Federführung eines Themas" in page.get_data(as_text=True)
    assert services.preferences(staff_a)["topic.lead_changed"] == "immediately"
    assert client.post(link).status_code == 200
    assert services.preferences(staff_a)["topic.lead_changed"] == "off"
    assert client.get("/benachrichtigungen/abbestellen/falsch").status_code == 404


def test_settings_query_count_does_not_grow(client, staff_a, login_as, count_queries):
    from tests.topics.conftest import make_field, make_topic
    login_as(staff_a)
    field = make_field("Viele")

    def fill(n, start):
        for i in range(start, start + n):
            t = make_topic(field, f"Thema {i:04d}")
            db.session.add(Follow(user_id=staff_a.id, target_type="topic", target_id=t.id))
        db.session.commit()
    fill(10, 0)
    with count_queries() as small:
        assert client.get("/profil/benachrichtigungen").status_code == 200
    fill(1000, 10)
    with count_queries() as big:
        html = client.get("/profil/benachrichtigungen").get_data(as_text=True)
    assert "Thema 1009" in html
    assert len(small) == len(big), (len(small), len(big))


def test_api_follows_get_and_put(client, city_a, staff_a, topics):
    from network.accounts.services import create_api_token
    _t, plain = create_api_token(staff_a, "t")
    db.session.commit()
    h = {"Authorization": f"Bearer {plain}"}
    body = client.get("/api/v1/me/follows", headers=h).get_json()
    assert body == {"follows": [], "digest": True, "preferences": {k: "weekly" for k in body["preferences"]}}
    resp = client.put("/api/v1/me/follows", headers=h, json={
        "follows": [{"type": "topic", "id": topics[0].id}, {"type": "municipality", "id": city_a.id}],
        "preferences": {"practice.published": "immediately"}, "digest": False})
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert {(f["type"], f["id"]) for f in body["follows"]} == {("topic", topics[0].id), ("municipality", city_a.id)}
    assert body["preferences"]["practice.published"] == "immediately" and body["digest"] is False
    bad = client.put("/api/v1/me/follows", headers=h, json={"follows": [{"type": "topic", "id": 999999}]})
    assert bad.status_code == 404 and bad.get_json()["error"]["code"] == "not_found"
    bad = client.put("/api/v1/me/follows", headers=h, json={"follows": [{"type": "rakete", "id": 1}]})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid"
    bad = client.put("/api/v1/me/follows", headers=h, json={"preferences": {"practice.published": "nie"}})
    assert bad.status_code == 422
    assert len(_follows(staff_a)) == 2  # nothing half-written
    resp = client.put("/api/v1/me/follows", headers=h, json={"follows": []})
    assert resp.get_json()["follows"] == [] and _follows(staff_a) == []
