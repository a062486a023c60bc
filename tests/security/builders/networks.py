"""Networks world: a second network "nord" (Ettlingen takes part in both, its own coordinator), a city in no
network of the suite's coordinator (Karlsbad, to admit), and a second coordinator of readi (to remove).

Network names, regions and descriptions are public (the network's public page), so they carry no canaries.
Nord's own objects do: a field of action and a topic (led by city A; audience NETWORK of "nord"), a body of
city A with a meeting (audience CITY of ettlingen in "nord"), written by nord's coordinator through the services
inside a request in /n/nord/. Only staff_a and lead_a take part in nord, so lead_b (Bühl, re@di only), re@di's
coordinator and the anonymous visitor must never see them (tests/security/world.py: canaries of a network).
No leak is declared (w.known_leak) any more: a network's topics and fields of action answer 404 to outsiders, the
inventory and the funding radar offer the current network's fields, and the audit log shows a coordinator the
events of their own network (audit_event.network_id).
The platform administration is not one of the suite's principals: creating a network answers 403 for all of
them (its mass-assignment row checks that nothing was created).
"""

import sqlalchemy as sa

from network.extensions import db
from network.networks.models import Network, NetworkMembership, NetworkRole
from tests import factories
from tests.security.world import CITY, FORM_DATA, NETWORK, builder

ENDPOINTS = ("networks.net.",)


@builder
def networks(w):
    readi = factories.make_network()
    nord = factories.make_network("nord", "Städtenetz Nord")
    factories.join_network(w.city_a, nord)
    rastatt = factories.make_city("Karlsbad", networks=[])
    second = factories.make_user(None, "lead", email="zweite-koordination@netz.example", name="Zweite Koordination",
                                 coordinator=readi)
    nord_coordinator = factories.make_user(None, "lead", email="koordination@nord.example", name="Nord",
                                           coordinator=nord)
    db.session.flush()
    w.objects.update(nw_rastatt=rastatt, nw_second=second, nw_readi=readi, nw_nord=nord)
    _nord_objects(w, nord_coordinator)
    for slug in ("readi", "nord", "gibt-es-nicht"):
        w.arg("network", slug, endpoints=ENDPOINTS)
        w.arg("slug", slug, endpoints=("networks_api.",))
    for slug in ("ettlingen", "buehl"):
        w.arg("city_slug", slug, endpoints=ENDPOINTS)
    w.arg("user_id", second.id, endpoints=("networks.net.remove_coordinator",))
    w.target("network", "readi")
    w.target("city_slug", "ettlingen")
    w.target("user_id", second.id, endpoint="networks.net.remove_coordinator")


#: the domains whose pages of nord the crawl visits (besides the networks pages)
NORD_ENDPOINTS = ("topics.", "topics_api.", "meetings.", "meetings_api.")


def _nord_objects(w, coordinator):
    """Nord's field of action, topic (lead: city A), body (city A) and meeting, each with a nord-only canary."""
    from datetime import date, timedelta

    from flask import current_app, g

    from network.core.current import set_request_network
    from network.meetings import services as meetings
    from network.topics import services as topics

    field_name, description, body_description, title = (w.new_canary() for _ in range(4))
    with current_app.test_request_context("/n/nord/"):
        set_request_network("nord")
        field = topics.create_field(coordinator, {"name": f"Handlungsfeld {field_name}", "description": "",
                                                  "position": 1})
        topic = topics.create_topic(coordinator, {"name": "Breitband Nord", "description": f"Glasfaser {description}",
                                                  "field_id": field.id})
        topics.decide_claim(coordinator, topic, topics.claim_lead(w.lead_a, topic), "confirm")
        body = meetings.create_body(coordinator, {"kind": "fachgruppe", "name": "Fachgruppe Nord",
                                                  "description": body_description, "city_ids": [w.city_a.id],
                                                  "person_ids": [w.lead_a.id]})
        meeting = meetings.create_meeting(coordinator, body, {
            "title": f"Treffen {title}", "description": "", "address": "Rathaus",
            "date": (date.today() + timedelta(days=25)).isoformat(), "start_time": "10:00", "end_time": "12:00",
            "host_id": str(w.city_a.id)})
    for key in ("network_slug", "network_row"):  # the request's network must not stay on the test's app context
        g.pop(key, None)
    db.session.flush()
    w.canary(field_name, "field_of_action.name", city=None, audience=NETWORK, network="nord")
    w.canary(description, "topic.description", city=None, audience=NETWORK, network="nord")
    w.canary(body_description, "body.description", city=w.city_a.slug, audience=CITY, network="nord")
    w.canary(title, "meeting.title", city=w.city_a.slug, audience=CITY, network="nord")
    w.objects.update(nord_field=field, nord_topic=topic, nord_body=body, nord_meeting=meeting)
    # open leaks found by these canaries (reported by the gate; it fails once one is gone: then remove it here)
    w.arg("network", "nord", endpoints=NORD_ENDPOINTS)
    w.arg("slug", topic.slug, endpoints=("topics.", "topics_api."))
    w.arg("field_id", field.id, endpoints=("topics.", "topics_api."))
    w.arg("body_id", body.id, endpoints=("meetings.", "meetings_api."))
    w.arg("meeting_id", meeting.id, endpoints=("meetings.", "meetings_api."))


FORM_DATA.update({
    "networks.new": lambda w: {"name": "Netz Süd", "coordinator_email": "sued@netz.example",
                               "coordinator_name": "Süd"},
    "networks.switch": lambda w: {"network": "readi", "next": "/"},
    "networks.net.join": lambda w: {"municipality": str(w.nw_rastatt.id), "status": "guest"},
    "networks.net.admit_new": lambda w: {"name": "Malsch", "kind": "gemeinde",
                                         "district": "Landkreis Karlsruhe", "website": "https://www.malsch.de",
                                         "lead_name": "Maria Malsch", "lead_email": "lead@malsch.example",
                                         "status": "member"},
    "networks.net.leave": lambda w: {"reason": "Beschluss des Gemeinderats"},
    "networks.net.settings": lambda w: {"name": "re@di – regional.digital", "region": "Neue Region",
                                        "digest_weekday": "2", "reminder_days": "7,1",
                                        "version": str(db.session.get(Network, w.nw_readi.id).version)},
    "networks.net.coordinators": lambda w: {"email": "dritte@netz.example", "name": "Dritte Koordination"},
    "networks.net.remove_coordinator": lambda w: {},
})


def _one(model, *where):
    db.session.expire_all()
    return db.session.execute(sa.select(model).where(*where)).scalars().first()


def mass_assignment_cases(Case) -> list:
    """The networks rows of test_mass_assignment.MASS_ASSIGNMENT."""
    readi = sa.select(Network.id).where(Network.slug == "readi").scalar_subquery()

    def status(w, city):
        row = _one(NetworkMembership, NetworkMembership.network_id == readi,
                   NetworkMembership.municipality_id == city.id)
        return row.status if row else None

    return [
        Case("networks.new", "coordinator", lambda w: _one(Network, Network.name == "Netz Süd") is None,
             expect_status=403),
        Case("networks.switch", "lead_a", lambda w: True),
        Case("networks.net.join", "coordinator", lambda w: status(w, w.nw_rastatt) == "guest",
             changes={("municipality", "status")}),
        Case("networks.net.admit_new", "coordinator", lambda w: _one(
            __import__("network.accounts.models", fromlist=["User"]).User,
            sa.text("email = 'lead@malsch.example'")) is not None, new_ok={("user", "role")}),
        Case("networks.net.leave", "coordinator", lambda w: status(w, w.city_a) == "left",
             changes={("network_membership", "status"), ("lead_claim", "status")}),
        Case("networks.net.settings", "coordinator", lambda w: _one(Network, Network.slug == "readi").region
             == "Neue Region"),
        Case("networks.net.coordinators", "coordinator", lambda w: _one(
            NetworkRole, NetworkRole.network_id == readi, NetworkRole.user_id != w.coordinator.id,
            NetworkRole.user_id != w.nw_second.id) is not None, new_ok={("user", "role")}),
        Case("networks.net.remove_coordinator", "coordinator", lambda w: _one(
            NetworkRole, NetworkRole.user_id == w.nw_second.id) is None),
    ]


#: the payload networks' slugs start with this (xss_clean_up removes them)
XSS_SLUG = "xss-netz-"
#: the invited coordinator of the payload networks (_clean_up of test_xss removes accounts @xss-test.example)
XSS_COORDINATOR = "netz-koordination@xss-test.example"
#: audit events up to this id were there before xss_fields ran (the platform administration's later ones go)
_xss_audit_mark = {"id": None, "actor_id": None}


def xss_fields(ctx, payloads):
    """Payloads in network names, regions and descriptions (one network each, created by the platform
    administration through the services); the suite's coordinator coordinates a sample of them. Returns the network
    list's pages and, for the sample, the network page and its settings page."""
    from network.accounts.services import find_user_by_email
    from network.core.models import AuditEvent
    from network.core.validation import ValidationFailed
    from network.demo import PLATFORM_ADMIN_EMAIL
    from network.networks import services

    coord, stats = ctx["coordinator"], ctx["stats"]
    admin = find_user_by_email(PLATFORM_ADMIN_EMAIL)
    if admin is None:
        return []
    _xss_audit_mark.update(id=db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0, actor_id=admin.id)
    created = []
    for i, p in enumerate(payloads):
        text = p.strip()
        data = {"slug": f"{XSS_SLUG}{i:03d}", "name": text, "region": text, "description": p}
        for _attempt in range(2):
            try:
                with db.session.begin_nested():
                    network = services.create_network(admin, data, coordinator_email=XSS_COORDINATOR,
                                                      coordinator_name="XSS-Netzkoordination")
            except ValidationFailed as e:
                # what validation refuses (too long, line breaks in a single-line field, a clash) gets a plain text
                data.update({k: f"XSS-Netz {i}" if k == "name" else "" for k in e.errors
                             if k in ("name", "region", "description")})
                continue
            for field in ("name", "region", "description"):
                if getattr(network, field) and getattr(network, field) != f"XSS-Netz {i}":
                    stats[f"network.{field}"] += 1
            created.append(network)
            break
        else:
            stats["skipped (too long)"] += 1
    sample = created[:: max(1, len(created) // 12)]
    for network in sample:
        services.name_coordinator(admin, network, email=coord.email)
    db.session.flush()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Network))
    pages = [f"/netzwerke/?seite={n}" for n in range(1, total // 50 + 2)]
    for network in sample:
        pages += [f"/n/{network.slug}/", f"/n/{network.slug}/verwaltung/einstellungen"]
    return pages


def xss_clean_up():
    """Remove the payload networks with their coordinator roles and the platform administration's audit events."""
    from network.core.models import AuditEvent
    ids = sa.select(Network.id).where(Network.slug.like(f"{XSS_SLUG}%"))
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.object_type == "Network", AuditEvent.object_id.in_(ids)))
    if _xss_audit_mark["id"] is not None:
        db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id > _xss_audit_mark["id"],
                                                       AuditEvent.actor_id == _xss_audit_mark["actor_id"]))
    for model in (NetworkRole, NetworkMembership):
        db.session.execute(sa.delete(model).where(model.network_id.in_(ids)))
    db.session.execute(sa.delete(Network).where(Network.id.in_(ids)))
    db.session.commit()
