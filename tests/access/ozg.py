"""Access-matrix rows of the OZG pages. The catalogue holds two services of "Mobilität & Reisen"; city A has a
network-visible status of 10173. A city's OZG page and CSV are public pages that show each visitor what scope()
lets through; writing is for the city's lead and staff (another city 404, the coordination 403); the network
matrix and a service's page need a login."""

from network.extensions import db
from network.ozg.models import OzgStatus
from tests import factories
from tests.access import Case, logged_in, same

PUBLIC = {"ozg.city", "ozg.export_csv"}

#: the city's lead and staff write; another city's lead 404, the coordination 403
OWN_CITY = {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 403}


def build(w):
    park, _firms = factories.make_parking_services()
    status = OzgStatus(municipality_id=w["city_a"].id, service_id=park.id, status="planned", visibility="network")
    db.session.add(status)
    return {"ozg_park": park, "ozg_status_a": status}


ROWS = [
    Case("ozg.city", "GET", lambda w: "/ozg/ettlingen/", same(200)),
    Case("ozg.export_csv", "GET", lambda w: "/ozg/ettlingen/export.csv", same(200)),
    Case("ozg.edit", "GET", lambda w: "/ozg/ettlingen/leistung/10173", OWN_CITY),
    # an empty form: the service refuses the missing status (422) after the access check
    Case("ozg.edit", "POST", lambda w: "/ozg/ettlingen/leistung/10173", {**OWN_CITY, "staff_a": 422, "lead_a": 422}),
    Case("ozg.edit", "POST", lambda w: "/ozg/ettlingen/leistung/10173", {**OWN_CITY, "staff_a": 302, "lead_a": 409},
         data=lambda w: {"status": "in_progress", "maturity": "1", "visibility": "network", "version": "1"}),
    Case("ozg.bulk", "GET", lambda w: "/ozg/ettlingen/themenfeld/mobilitaet-reisen", OWN_CITY),
    # no rows posted: nothing to save, back to the table
    Case("ozg.bulk", "POST", lambda w: "/ozg/ettlingen/themenfeld/mobilitaet-reisen",
         {**OWN_CITY, "staff_a": 302, "lead_a": 302}),
    Case("ozg.import_csv", "GET", lambda w: "/ozg/ettlingen/import", OWN_CITY),
    Case("ozg.import_csv", "POST", lambda w: "/ozg/ettlingen/import", {**OWN_CITY, "staff_a": 422, "lead_a": 422}),
    Case("ozg_net.matrix", "GET", lambda w: "/n/readi/ozg/", logged_in()),
    Case("ozg_net.matrix_csv", "GET", lambda w: "/n/readi/ozg/matrix.csv", logged_in()),
    Case("ozg_net.service", "GET", lambda w: "/n/readi/ozg/leistung/10173", logged_in()),
    Case("ozg_api.list_services", "GET", lambda w: "/api/v1/ozg/services", logged_in(200, anon=401)),
    Case("ozg_api.get_status", "GET", lambda w: "/api/v1/municipalities/ettlingen/ozg/10173",
         logged_in(200, anon=401)),
    # the matrix sends form data, so the JSON body lacks status and version: 422 before the access check
    Case("ozg_api.put_status", "PUT", lambda w: "/api/v1/municipalities/ettlingen/ozg/10173",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
]
