"""The identity provider form of a city's settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField, TextAreaField

from network.sso.models import KINDS


class ProviderForm(FlaskForm):
    kind = SelectField(_l("Verfahren"), choices=list(KINDS.items()), default="oidc", validate_choice=False,
                       description=_l("OpenID Connect: Issuer, Client-ID, Client-Secret und Scopes ausfüllen. "
                                      "SAML 2.0: die Metadaten des Identitätsanbieters angeben."))
    issuer = StringField(_l("Issuer-URL"), description=_l(
        "Die Adresse des Identitätsanbieters, z. B. https://login.ettlingen.de/realms/verwaltung (Keycloak) oder "
        "https://adfs.ettlingen.de/adfs (ADFS). Die Konfiguration wird unter "
        "/.well-known/openid-configuration gelesen."))
    client_id = StringField(_l("Client-ID"))
    client_secret = PasswordField(_l("Client-Secret"), description=_l(
        "Wird verschlüsselt gespeichert und nicht wieder angezeigt. Leer lassen, um das gespeicherte zu behalten."),
        render_kw={"autocomplete": "new-password"})
    scopes = StringField(_l("Scopes"), default="openid email profile",
                         description=_l("Durch Leerzeichen getrennt; „openid“ ist Pflicht."))
    metadata_url = StringField(_l("SAML: Adresse der Metadaten des Identitätsanbieters"), description=_l(
        "Nur für SAML 2.0, z. B. https://adfs.ettlingen.de/FederationMetadata/2007-06/FederationMetadata.xml (ADFS) "
        "oder https://login.ettlingen.de/realms/verwaltung/protocol/saml/descriptor (Keycloak). Die Metadaten werden "
        "beim Speichern gelesen und regelmäßig erneuert."))
    metadata_xml = TextAreaField(_l("SAML: Metadaten des Identitätsanbieters (XML)"), description=_l(
        "Nur für SAML 2.0 und nur, wenn es keine Adresse gibt: das XML-Dokument der Metadaten einfügen."))
    groups_claim = StringField(_l("Claim mit den Gruppen"), default="groups",
                               description=_l("Keycloak: „groups“; ADFS: „group“ oder „roles“. SAML: der Name "
                                                "des Attributs, z. B. http://schemas.xmlsoap.org/claims/Group (ADFS)."))
    role_map = TextAreaField(_l("Gruppen und Rollen"), description=_l(
        "Eine Zeile je Gruppe: „Gruppe = lead“ (Leitung) oder „Gruppe = staff“ (Mitarbeitende). Gilt für Konten, "
        "die bei der ersten Anmeldung angelegt werden; ohne passende Gruppe: Mitarbeitende."))
    domains = TextAreaField(_l("E-Mail-Domains der Verwaltung"), description=_l(
        "Eine je Zeile, z. B. ettlingen.de. Adressen dieser Domains werden auf der Anmeldeseite zu Ihrem "
        "Identitätsanbieter geleitet; nur für sie wird die E-Mail-Adresse des Anbieters angenommen."))
    enabled = BooleanField(_l("Anmeldung über den Identitätsanbieter eingeschaltet"), default=True)
    password_login_disabled = BooleanField(_l("Anmeldung mit Passwort für diese Domains abschalten"), description=_l(
        "Erst einschalten, wenn die Anmeldung über den Identitätsanbieter funktioniert. Dann werden auch keine "
        "Mails zum Zurücksetzen des Passworts an diese Adressen gesendet."))
    version = HiddenField()
