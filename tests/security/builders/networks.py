"""Networks world: a second network "nord" (Ettlingen takes part in both, its own coordinator), a city in no
network of the suite's coordinator (Karlsbad, to admit), and a second coordinator of readi (to remove).

Network names, regions and descriptions are public (the network's public page), so they carry no canaries.
The platform administration is not one of the suite's principals: creating a network answers 403 for all of
them (its mass-assignment row checks that nothing was created).
"""

import sqlalchemy as sa

from network.extensions import db
from network.networks.models import Network, NetworkMembership, NetworkRole
from tests import factories
from tests.security.world import FORM_DATA, builder

ENDPOINTS = ("networks.net.",)


@builder
def networks(w):
    readi = factories.make_network()
    nord = factories.make_network("nord", "Städtenetz Nord")
    factories.join_network(w.city_a, nord)
    rastatt = factories.make_city("Karlsbad", networks=[])
    second = factories.make_user(None, "lead", email="zweite-koordination@netz.example", name="Zweite Koordination",
                                 coordinator=readi)
    factories.make_user(None, "lead", email="koordination@nord.example", name="Nord", coordinator=nord)
    db.session.flush()
    w.objects.update(nw_rastatt=rastatt, nw_second=second, nw_readi=readi)
    for slug in ("readi", "nord", "gibt-es-nicht"):
        w.arg("network", slug, endpoints=ENDPOINTS)
        w.arg("slug", slug, endpoints=("networks_api.",))
    for slug in ("ettlingen", "buehl"):
        w.arg("city_slug", slug, endpoints=ENDPOINTS)
    w.arg("user_id", second.id, endpoints=("networks.net.remove_coordinator",))
    w.target("network", "readi")
    w.target("city_slug", "ettlingen")
    w.target("user_id", second.id, endpoint="networks.net.remove_coordinator")


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
