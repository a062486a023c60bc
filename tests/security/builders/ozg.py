"""OZG world: two services of "Mobilität & Reisen" (the catalogue is installation-wide, no canary); for each city a
network-visible status of 10173 and a city-only status of 10446 whose solution is a canary (audience CITY: the
city and the coordination see it on the city's OZG page, its CSV, the matrix and the API). Write routes act on
city A's 10173 (form, API), its Themenfeld table and its CSV import."""

import sqlalchemy as sa

from network.extensions import db
from network.ozg import services
from network.ozg.models import OzgService, OzgStatus
from tests import factories
from tests.security.world import CITY, FORM_DATA, builder

ENDPOINTS = ("ozg.", "ozg_net.", "ozg_api.")


@builder
def ozg_world(w):
    park, firms = factories.make_parking_services()
    for tag in ("a", "b"):
        lead = getattr(w, f"lead_{tag}")
        slug = lead.municipality.slug
        services.save_status(lead, lead.municipality, park, {"status": "planned", "solution": f"Parkportal {slug}"},
                             version=0)
        secret = w.new_canary()
        services.save_status(lead, lead.municipality, firms, {"status": "in_progress", "solution": f"Intern {secret}",
                                                              "visibility": "city"}, version=0)
        w.canary(secret, "ozg_status.solution (city only)", city=slug, audience=CITY)
        w.arg("slug", slug, city=slug, endpoints=ENDPOINTS)
    db.session.commit()
    w.objects.update({"ozg_park": park, "ozg_firms": firms})
    w.arg("slug", "gibt-es-nicht", endpoints=ENDPOINTS)
    for slug in ("readi", "nord", "gibt-es-nicht"):
        w.arg("network", slug, endpoints=("ozg_net.",))
    for value in (10173, 10446, 999999):
        w.arg("ozg_id", value, endpoints=ENDPOINTS)
    for value in ("mobilitaet-reisen", "gibt-es-nicht"):
        w.arg("tf", value, endpoints=ENDPOINTS)
    for endpoint in ("ozg.edit", "ozg.bulk", "ozg.import_csv", "ozg_api.put_status"):
        w.target("slug", w.city_a.slug, endpoint=endpoint)
    for endpoint in ("ozg.edit", "ozg_api.put_status"):
        w.target("ozg_id", 10173, endpoint=endpoint)
    w.target("tf", "mobilitaet-reisen", endpoint="ozg.bulk")


def _status(w, ozg_id):
    db.session.expire_all()
    return db.session.execute(sa.select(OzgStatus).join(OzgService).where(
        OzgStatus.municipality_id == w.city_a.id, OzgService.ozg_id == ozg_id)).scalar_one_or_none()


def _bulk(w):
    sid = w.ozg_park.id
    row = _status(w, 10173)
    return {"row": [str(sid)], f"s-{sid}-status": "in_progress", f"s-{sid}-maturity": "2",
            f"s-{sid}-solution": "Parkportal (Sammelpflege)", f"s-{sid}-provider": "", f"s-{sid}-go-live": "",
            f"s-{sid}-url": "", f"s-{sid}-version": str(row.version)}


FORM_DATA.update({
    "ozg.edit": lambda w: {"status": "in_progress", "maturity": "2", "solution": "Parkportal (Formular)",
                           "visibility": "network", "version": str(_status(w, 10173).version)},
    "ozg.bulk": _bulk,
    "ozg.import_csv": lambda w: {"action": "import",
                                 "content": "OZG-ID;Status;Lösung\n10173;in Planung;Parkportal (Import)\n"},
    "ozg_api.put_status": lambda w: {"status": "in_progress", "solution": "Parkportal (API)",
                                     "version": _status(w, 10173).version},
})


def mass_assignment_cases(Case) -> list:
    """The OZG rows of test_mass_assignment.MASS_ASSIGNMENT (the status column changes legitimately)."""
    changes = {("ozg_status", "status")}
    return [
        Case("ozg.edit", "lead_a", lambda w: _status(w, 10173).solution == "Parkportal (Formular)", changes=changes),
        Case("ozg.bulk", "staff_a", lambda w: _status(w, 10173).solution == "Parkportal (Sammelpflege)",
             changes=changes),
        Case("ozg.import_csv", "lead_a", lambda w: _status(w, 10173).solution == "Parkportal (Import)",
             changes=changes),
        Case("ozg_api.put_status", "lead_a", lambda w: _status(w, 10173).solution == "Parkportal (API)",
             method="PUT", expect_status=200, api=True, changes=changes),
    ]


# --- XSS (tests/security/test_xss.py collects xss_fields/xss_clean_up of every builder module) ------------------

_XSS_IDS = 900_000  # payload services get OZG-IDs from here on (far above the catalogue's)


def xss_fields(ctx, payloads) -> list[str]:
    """Payloads as the names, Lebenslagen and Themenfelder of extra catalogue services and as solution and provider
    of the payload city's (online, network-visible) statuses; returns the pages that show them."""
    from network.municipalities.models import Municipality
    city = db.session.execute(sa.select(Municipality).where(Municipality.slug == "xss")).scalar_one()
    stats = ctx["stats"]
    for i, p in enumerate(payloads):
        text = p.strip() or "leer"
        service = OzgService(ozg_id=_XSS_IDS + i, name=text[:300], lebenslage=text[:200], themenfeld=text[:120])
        db.session.add(service)
        db.session.flush()
        db.session.add(OzgStatus(municipality_id=city.id, service_id=service.id, status="online", maturity=2,
                                 solution=text[:300], provider=text[:200], is_efa=True,
                                 url="https://xss.example/", visibility="network"))
        stats["ozg_service.name/ozg_status.solution/provider"] += 1
    db.session.flush()
    return ["/ozg/xss/", "/n/readi/ozg/?online=1"] + [f"/n/readi/ozg/leistung/{_XSS_IDS + i}"
                                                      for i in range(0, len(payloads), 10)]


def xss_clean_up():
    """Remove the payload statuses and services."""
    from network.municipalities.models import Municipality
    cities = sa.select(Municipality.id).where(sa.or_(Municipality.slug == "xss", Municipality.slug.like("xss-%")))
    db.session.execute(sa.delete(OzgStatus).where(OzgStatus.municipality_id.in_(cities)))
    db.session.execute(sa.delete(OzgStatus).where(OzgStatus.service_id.in_(
        sa.select(OzgService.id).where(OzgService.ozg_id >= _XSS_IDS))))
    db.session.execute(sa.delete(OzgService).where(OzgService.ozg_id >= _XSS_IDS))
