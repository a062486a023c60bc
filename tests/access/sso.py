"""Access-matrix rows of single sign-on (issue #18). The world has no identity provider: the login routes of a
city answer 404 for everyone (tests/sso/ walk them with a real provider; SAML:
tests/sso/test_saml_*.py). The settings are the city lead's and the
platform administration's; the network coordination has no say in a city's login (403)."""

from tests.access import Case, same

PUBLIC = {"sso.start", "sso.forward", "sso.callback", "sso.logged_out", "sso.saml_metadata", "sso.saml_acs",
          "sso.saml_slo"}

CITY_LEAD_ONLY = {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 403}

FORM = {"kind": "oidc", "issuer": "https://login.ettlingen.de/realms/verwaltung", "client_id": "staedtenetz",
        "client_secret": "geheim", "scopes": "openid email profile", "groups_claim": "groups",
        "role_map": "staedtenetz-leitung = lead", "domains": "ettlingen.de", "enabled": "y", "version": ""}

ROWS = [
    Case("sso.settings", "GET", lambda w: "/kommunen/ettlingen/anmeldung", CITY_LEAD_ONLY),
    Case("sso.settings", "GET", lambda w: "/kommunen/gibt-es-nicht/anmeldung", same(404, anonymous=302)),
    Case("sso.settings", "POST", lambda w: "/kommunen/ettlingen/anmeldung", dict(CITY_LEAD_ONLY, lead_a=302),
         data=lambda w: dict(FORM)),
    Case("sso.start", "GET", lambda w: "/anmelden/sso/ettlingen", same(404)),
    Case("sso.forward", "GET", lambda w: "/anmelden/sso/ettlingen/weiter", same(404)),
    Case("sso.callback", "GET", lambda w: "/anmelden/sso/ettlingen/rueckruf?code=x&state=y", same(404)),
    Case("sso.logged_out", "GET", lambda w: "/abgemeldet", same(302)),
    # SAML 2.0: our SP metadata is public for every city (its IT configures the IdP first); the ACS answers only
    # for a city with a SAML IdP; the return from the IdP's logout says "abgemeldet"
    Case("sso.saml_metadata", "GET", lambda w: "/anmelden/saml/ettlingen/metadata", same(200)),
    Case("sso.saml_metadata", "GET", lambda w: "/anmelden/saml/gibt-es-nicht/metadata", same(404)),
    Case("sso.saml_acs", "POST", lambda w: "/anmelden/saml/ettlingen/acs", same(404),
         data=lambda w: {"SAMLResponse": "eA==", "RelayState": "x"}),
    Case("sso.saml_slo", "GET", lambda w: "/anmelden/saml/ettlingen/slo", same(302)),
]
