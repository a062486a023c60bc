"""Funding calls are the installation's; the fields of action and topics they are tagged with are each network's
(issue #16): the radar and the call form offer those of the network the user works in, and editing a call in one
network keeps its tags of another."""

import sqlalchemy as sa

from network.extensions import db
from network.funding.models import FundingCall
from tests import factories
from tests.funding.conftest import make_call
from tests.topics.conftest import make_field, make_topic


def test_radar_and_form_offer_the_current_networks_fields_and_keep_the_others_on_edit(
        client, login_as, call, field, topic, city_a, lead_a, nord, coordinator_nord):
    field_b = make_field("Nordfeld Infrastruktur", network_id=nord.id)
    topic_b = make_topic(field_b, "Nordthema Breitband")
    factories.join_network(city_a, nord)
    db.session.commit()
    login_as(lead_a)
    radar = client.get("/foerderung/").get_data(as_text=True)
    assert "Digitale Bürgerdienste" in radar and "Nordfeld Infrastruktur" not in radar
    client.post("/netzwerk-wechseln", data={"network": "nord", "next": "/"})
    form = client.get(f"/foerderung/{call.id}/bearbeiten").get_data(as_text=True)
    assert "Nordfeld Infrastruktur" in form and "Digitale Bürgerdienste" not in form
    # a field of re@di posted from nord's form is refused
    base = {"title": "Digitale Zukunft", "funder": "land", "checked_on": "20.11.2026",
            "deadlines-0-label": "Antrag", "deadlines-0-due_on": "31.12.2026"}
    resp = client.post(f"/foerderung/{call.id}/bearbeiten",
                       data={**base, "version": str(call.version), "field_ids": [str(field.id)]})
    assert resp.status_code == 422 and "Bitte wählen Sie nur vorhandene Handlungsfelder." in resp.get_data(as_text=True)
    resp = client.post(f"/foerderung/{call.id}/bearbeiten", data={
        **base, "version": str(call.version), "field_ids": [str(field_b.id)], "topic_ids": [str(topic_b.id)]})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    db.session.expire_all()
    saved = db.session.get(FundingCall, call.id)
    assert sorted(f.name for f in saved.fields) == ["Digitale Bürgerdienste", "Nordfeld Infrastruktur"]
    assert sorted(t.name for t in saved.topics) == ["Nordthema Breitband", "e-Akte"]
