"""Audit sentences of networks (admission, leaving, coordination), funding (calls, applications, invitations) and
registrations of interest: German sentences with links, never the raw codes (#21, item 12 follow-up)."""

import re

from network.core import audit
from network.extensions import db
from tests.funding.conftest import make_call
from tests.topics.conftest import make_field


def _log(client) -> str:
    resp = client.get("/protokoll")
    assert resp.status_code == 200
    return resp.get_data(as_text=True).split("<tbody", 1)[1].split("</tbody>", 1)[0]


def _no_codes(rows: str):
    """The sentence column has no raw codes (the small "(kind)" after it is the filter's aid, kept on purpose)."""
    text = re.sub(r'<span class="[^"]*audit-kind">[^<]*</span>', " ", rows)
    text = re.sub(r"<[^>]+>", " ", text)
    for code in ("network.", "funding.", "interest.", "follow.", "city_joined", "invitation_"):
        assert code not in text, code


def test_network_admission_leaving_and_coordination(sign_in, coordinator, city_b):
    from network.networks import services as nets
    from network.networks.models import Network
    target = db.session.execute(db.select(Network)).scalars().first()
    nets.join(coordinator, target, city_b, status="guest")
    nets.leave(coordinator, target, city_b, reason="Haushaltssperre")
    nets.join(coordinator, target, city_b)
    db.session.commit()
    rows = _log(sign_in(coordinator))
    net = f'<a class="kern-link" href="/n/{target.slug}/">{target.name}</a>'
    city = f'<a class="kern-link" href="/kommunen/{city_b.slug}">{city_b.name}</a>'
    assert f"Koordination hat {city} als Gast in {net} aufgenommen." in rows
    assert f"Koordination hat den Austritt von {city} aus {net} eingetragen." in rows
    assert f"Koordination hat {city} wieder als Mitglied in {net} aufgenommen." in rows
    _no_codes(rows)


def test_coordinator_named_and_removed(sign_in, coordinator, lead_a):
    from network.networks.models import Network
    readi = db.session.execute(db.select(Network)).scalars().first()
    audit.record(coordinator, "network.coordinator_named", obj=readi, summary="x koordiniert", user_id=lead_a.id)
    audit.record(coordinator, "network.coordinator_removed", obj=readi, summary="x nicht mehr", user_id=lead_a.id)
    audit.record(coordinator, "network.updated", obj=readi, summary="geändert")
    db.session.commit()
    rows = _log(sign_in(coordinator))
    net = f'<a class="kern-link" href="/n/{readi.slug}/">{readi.name}</a>'
    assert f"Koordination hat Lea Leitung zur Koordination von {net} ernannt." in rows
    assert f"Koordination hat Lea Leitung aus der Koordination von {net} entfernt." in rows
    assert f"Koordination hat die Einstellungen von {net} geändert." in rows
    _no_codes(rows)


def test_funding_calls_applications_and_invitations(sign_in, lead_a, lead_b, city_a, city_b, staff_b):
    from network.funding import services as funding
    call = make_call(fields=[make_field("Verwaltung")])
    db.session.commit()
    app_ = funding.create_application(lead_a, call, {"title": "Bürgerportal gemeinsam"})
    funding.invite_partner(lead_a, app_, city_b.id)
    db.session.commit()
    funding.answer_invitation(lead_b, app_, "accept")
    audit.record(lead_a, "funding.call_checked", obj=call, municipality_id=city_a.id, summary="geprüft")
    db.session.commit()
    rows = _log(sign_in(lead_a))
    link = f'<a class="kern-link" href="/foerderung/antraege/{app_.id}">Bürgerportal gemeinsam</a>'
    assert f"Lea Leitung hat den Antrag {link} angelegt." in rows
    assert f"Lea Leitung hat eine Partnerkommune zum Verbundantrag {link} eingeladen." in rows
    assert (f'Lea Leitung hat den Förderaufruf <a class="kern-link" href="/foerderung/{call.id}">{call.title}</a> '
            f'als geprüft markiert.') in rows
    _no_codes(rows)
    rows_b = _log(sign_in(lead_b))
    assert f"hat für {city_b.name} die Einladung zum Verbundantrag {link} angenommen." in rows_b
    _no_codes(rows_b)


def test_registrations_of_interest_are_named_by_number(sign_in, lead_a, city_a, lead_b):
    from network.interest.models import InterestRegistration
    reg = InterestRegistration(municipality_id=city_a.id, name="Erika Muster", email="erika@example.org",
                               kind="citizen", message="",
                               withdraw_nonce="n")
    db.session.add(reg)
    db.session.flush()
    audit.record(None, "interest.registered", obj=reg, summary=f"Interessensbekundung #{reg.id} eingegangen")
    audit.record(None, "interest.confirmed", obj=reg, summary="bestätigt")
    audit.record(lead_a, "interest.contacted", obj=reg, summary="kontaktiert")
    db.session.commit()
    rows = _log(sign_in(lead_a))
    named = f'<a class="kern-link" href="/interessensbekundungen/">Interessensbekundung Nr. {reg.id}</a>'
    assert f"{named} ist eingegangen (noch nicht bestätigt)." in rows
    assert f"{named} wurde bestätigt." in rows
    assert f"Lea Leitung hat {named} als kontaktiert markiert." in rows
    assert "Erika" not in rows and "erika@" not in rows
    _no_codes(rows)
