"""Access-matrix rows of the networks domain. The world adds network "nord" (Ettlingen = city A is a member,
its own coordinator) and "Rastatt", a city of the installation in no network of the matrix's coordinator.
The matrix's coordinator coordinates readi only: under /n/nord/ it answers 404."""

from tests import factories
from tests.access import Case, coordinator_only, same

PUBLIC = {"networks.list", "networks.net.page"}

READI = "/n/readi/verwaltung"
NORD = "/n/nord/verwaltung"
#: the matrix's coordinator acting on another network: 404; the others have no coordination anywhere: 403
OTHER_NETWORK = {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 403, "coordinator": 404}


def build(w):
    nord = factories.make_network("nord", "Städtenetz Nord")
    factories.join_network(w["city_a"], nord)
    rastatt = factories.make_city("Rastatt", networks=[])
    factories.make_user(None, "lead", email="nord@test.example", coordinator=nord)
    return {"nord": nord, "rastatt": rastatt}


ROWS = [
    Case("networks.list", "GET", lambda w: "/netzwerke/", same(200)),
    Case("networks.net.page", "GET", lambda w: "/n/nord/", same(200)),
    Case("networks.net.page", "GET", lambda w: "/n/gibt-es-nicht/", same(404)),
    Case("networks.new", "GET", lambda w: "/verwaltung/netzwerke/neu", coordinator_only(403)),
    Case("networks.new", "POST", lambda w: "/verwaltung/netzwerke/neu", coordinator_only(403),
         data=lambda w: {"name": "Netz X", "coordinator_email": "x@test.example", "coordinator_name": "X"}),
    # Ettlingen is in nord, Bühl is not; the coordinator has no city and does not coordinate nord
    Case("networks.switch", "POST", lambda w: "/netzwerk-wechseln",
         {"anonymous": 302, "staff_a": 302, "lead_a": 302, "lead_b": 422, "coordinator": 422},
         data=lambda w: {"network": "nord", "next": "/"}),
    Case("networks.switch", "POST", lambda w: "/netzwerk-wechseln", same(302),
         data=lambda w: {"network": "readi", "next": "/"}),
    Case("networks.net.members", "GET", lambda w: f"{READI}/mitglieder", coordinator_only()),
    Case("networks.net.members", "GET", lambda w: f"{NORD}/mitglieder", OTHER_NETWORK),
    Case("networks.net.join", "POST", lambda w: f"{READI}/mitglieder/aufnehmen", coordinator_only(302),
         data=lambda w: {"municipality": str(w["rastatt"].id), "status": "guest"}),
    Case("networks.net.join", "POST", lambda w: f"{NORD}/mitglieder/aufnehmen", OTHER_NETWORK,
         data=lambda w: {"municipality": str(w["rastatt"].id), "status": "guest"}),
    Case("networks.net.admit_new", "GET", lambda w: f"{READI}/mitglieder/neu", coordinator_only()),
    Case("networks.net.admit_new", "GET", lambda w: f"{NORD}/mitglieder/neu", OTHER_NETWORK),
    Case("networks.net.leave", "POST", lambda w: f"{READI}/mitglieder/buehl/austritt", coordinator_only(302),
         data=lambda w: {"reason": "Beschluss des Gemeinderats"}),
    Case("networks.net.leave", "POST", lambda w: f"{NORD}/mitglieder/ettlingen/austritt", OTHER_NETWORK,
         data=lambda w: {"reason": "Beschluss des Gemeinderats"}),
    Case("networks.net.settings", "GET", lambda w: f"{READI}/einstellungen", coordinator_only()),
    Case("networks.net.settings", "GET", lambda w: f"{NORD}/einstellungen", OTHER_NETWORK),
    Case("networks.net.coordinators", "GET", lambda w: f"{READI}/koordination", coordinator_only()),
    Case("networks.net.coordinators", "GET", lambda w: f"{NORD}/koordination", OTHER_NETWORK),
    # the only coordinator of readi cannot remove itself: the refusal is a notice on the list (302)
    Case("networks.net.remove_coordinator", "POST",
         lambda w: f"{READI}/koordination/{w['coordinator'].id}/entfernen", coordinator_only(302)),
    Case("networks.net.remove_coordinator", "POST",
         lambda w: f"{NORD}/koordination/{w['coordinator'].id}/entfernen", OTHER_NETWORK),
    # API
    Case("networks_api.list_networks", "GET", lambda w: "/api/v1/networks", same(200, anonymous=401)),
    Case("networks_api.get_network", "GET", lambda w: "/api/v1/networks/nord", same(200, anonymous=401)),
    Case("networks_api.get_network", "GET", lambda w: "/api/v1/networks/gibt-es-nicht", same(404, anonymous=401)),
]
