"""Single sign-on world (issue #18): URL values for the city's provider settings and its login routes, valid data
for the settings form. No provider is registered in the world: its login routes would call the provider's address
(tests/sso/ run them against a real provider); the settings page shows what a lead typed, nothing of another city.
"""

import sqlalchemy as sa

from network.extensions import db
from tests.security.world import FORM_DATA, builder

ENDPOINTS = ("sso.",)


@builder
def sso(w):
    for slug in ("ettlingen", "buehl", "gibt-es-nicht"):
        w.arg("slug", slug, endpoints=ENDPOINTS)
    w.target("slug", "ettlingen", endpoint="sso.settings")


FORM_DATA.update({
    "sso.settings": lambda w: {"kind": "oidc", "issuer": "https://login.ettlingen.de/realms/verwaltung",
                               "client_id": "staedtenetz", "client_secret": "geheim-der-stadt",
                               "scopes": "openid email profile", "groups_claim": "groups",
                               "role_map": "staedtenetz-leitung = lead", "domains": "ettlingen.de", "enabled": "y",
                               "version": ""},
})


def mass_assignment_cases(Case) -> list:
    """The sso rows of test_mass_assignment.MASS_ASSIGNMENT: the provider lands in the lead's city, nowhere else."""
    from network.sso.models import IdentityProvider

    def registered(w):
        db.session.expire_all()
        rows = db.session.execute(sa.select(IdentityProvider)).scalars().all()
        return [r.municipality_id for r in rows] == [w.city_a.id]

    return [Case("sso.settings", "lead_a", registered)]
