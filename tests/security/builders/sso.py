"""Single sign-on world (issue #18): URL values for the city's provider settings and its login routes, valid data
for the settings form. Ettlingen has no provider (its login routes would call the provider's address; tests/sso/
run them against real providers); Bühl has a switched-off SAML IdP with pasted metadata carrying a canary: the
settings page shows what a lead entered, nothing of another city.
"""

import sqlalchemy as sa

from network.extensions import db
from tests.security.world import CITY_ADMIN, FORM_DATA, builder

ENDPOINTS = ("sso.",)


@builder
def sso(w):
    for slug in ("ettlingen", "buehl", "gibt-es-nicht"):
        w.arg("slug", slug, endpoints=ENDPOINTS)
    w.target("slug", "ettlingen", endpoint="sso.settings")
    # the installation's SAML signing pair is made once, at its first need (our SP metadata, public): an
    # installation has it long before any crawl, so the crawl's GETs meet it and write nothing
    from network.sso import saml
    saml.sp_credentials()
    # Bühl registered a SAML IdP (switched off: its login routes stay quiet) by pasting metadata that names a
    # canary: its settings are Bühl's lead's (and the platform administration's); nobody of Ettlingen, the
    # coordination or the public sees them (the SP metadata of either city carries nothing of the IdP)
    from network.sso import services
    from tests.idp.saml_idp import SamlIdp
    idp = SamlIdp()
    idp.organization = w.canary(w.new_canary(), "identity_provider.metadata", city="buehl", audience=CITY_ADMIN)
    services.save_provider(w.lead_b, w.city_b, {
        "kind": "saml", "metadata_xml": idp.metadata(), "groups_claim": "groups", "role_map": "", "enabled": False,
        "domains": "saml.buehl.example", "password_login_disabled": False, "version": ""})


FORM_DATA.update({
    "sso.settings": lambda w: {"kind": "oidc", "issuer": "https://login.ettlingen.de/realms/verwaltung",
                               "client_id": "staedtenetz", "client_secret": "geheim-der-stadt",
                               "scopes": "openid email profile", "metadata_url": "", "metadata_xml": "",
                               "groups_claim": "groups",
                               "role_map": "staedtenetz-leitung = lead", "domains": "ettlingen.de", "enabled": "y",
                               "version": ""},
    "sso.saml_acs": lambda w: {"SAMLResponse": "eA==", "RelayState": "x"},
})


def mass_assignment_cases(Case) -> list:
    """The sso rows of test_mass_assignment.MASS_ASSIGNMENT: the provider lands in the lead's city, nowhere else."""
    from network.sso.models import IdentityProvider

    def registered(w):
        db.session.expire_all()
        rows = db.session.execute(sa.select(IdentityProvider)).scalars().all()
        # Ettlingen's new provider, and Bühl's of the world untouched
        return sorted(r.municipality_id for r in rows) == sorted([w.city_a.id, w.city_b.id])

    # the ACS reads SAMLResponse and RelayState only; the account's fields come from the signed assertion (the
    # world has no SAML IdP: 404; tests/sso/test_saml_login.py posts real answers)
    return [Case("sso.settings", "lead_a", registered),
            Case("sso.saml_acs", "anonymous", lambda w: True, expect_status=404)]


def xss_fields(ctx, payloads) -> list[str]:
    """Payloads as a SAML IdP's settings of every payload city (entityID, metadata URL and document, group
    attribute, role map) and in the audit entries that echo them (registration summary, refusal detail); the
    network coordination reads them in the audit log. (The settings page itself is the city lead's: its echo of
    every payload is checked in-process, tests/sso/test_saml_settings.py.)"""
    from network.core import audit
    from network.municipalities.models import Municipality
    from network.sso.models import IdentityProvider
    coord, stats = ctx["coordinator"], ctx["stats"]
    cities = db.session.execute(sa.select(Municipality).where(Municipality.slug.like("xss-%"))
                                .order_by(Municipality.slug)).scalars().all()
    for city, p in zip(cities, payloads):
        text = p.strip() or "leer"
        db.session.add(IdentityProvider(municipality_id=city.id, kind="saml", enabled=False, issuer=text[:500],
                                        client_id="", metadata_url=text[:500], metadata_xml=text,
                                        groups_claim=text[:100], role_map={text[:200]: "lead"}))
        audit.record(coord, "sso.provider_created", obj=city, summary=f"Identitätsanbieter von {city.name}: {text}",
                     kind="saml", issuer=text[:500], domains=[])
        audit.record(None, "sso.refused", obj=city, municipality_id=city.id,
                     summary=f"Anmeldung über den Identitätsanbieter abgelehnt: {text[:40]}", reason="signature",
                     detail=text[:300], issuer=text[:500])
        stats["identity_provider.saml fields / sso audit"] += 1
    db.session.flush()
    return [f"/protokoll?aktion={action}&seite={n}" for action in ("sso.provider_created", "sso.refused")
            for n in range(1, len(payloads) // 50 + 2)]


def xss_clean_up():
    """Remove the payload cities' identity providers."""
    from network.municipalities.models import Municipality
    from network.sso.models import IdentityProvider
    cities = sa.select(Municipality.id).where(sa.or_(Municipality.slug == "xss", Municipality.slug.like("xss-%")))
    db.session.execute(sa.delete(IdentityProvider).where(IdentityProvider.municipality_id.in_(cities)))
