"""SAML 2.0 for a city's identity provider (issue #18): pysaml2 speaks the protocol, this module wires it.

pysaml2 builds and signs the AuthnRequest (HTTP-Redirect), verifies the Response at our ACS (the assertion's
signature against the certificate of the IdP's metadata, Destination, Audience, NotOnOrAfter, InResponseTo) and
builds the LogoutRequest. This module adds what pysaml2 leaves to its caller: a single use of every assertion
(``saml_assertion``), the binding of the answer to a request we sent (a signed RelayState: the ACS is a cross-site
POST, which a SameSite=Lax session cookie does not accompany), and the hand-over of the verified attributes to the
rules of trust shared with OpenID Connect (services.login_with_claims).
"""

from __future__ import annotations

import calendar
import hashlib
import secrets
import time
from collections import OrderedDict
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml, xmldsig
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.time_util import str_to_time
from sqlalchemy.exc import IntegrityError

from network.core.models import utcnow
from network.extensions import db
from network.sso.models import IdentityProvider, SamlAssertion
from network.sso.saml_keys import _key_files, generate_keypair, sp_credentials, xmlsec_binary  # noqa: F401
from network.sso.services import IdpUnavailable, SsoRefused

#: seconds an AuthnRequest may take at the IdP before its answer is refused
REQUEST_SECONDS = 15 * 60
#: attribute names read for the email, the name and its parts (Keycloak, ADFS claim URIs, eduPerson/LDAP)
EMAIL_ATTRS = ("mail", "email", "emailAddress", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
               "urn:oid:0.9.2342.19200300.100.1.3", "urn:oid:1.2.840.113549.1.9.1")
NAME_ATTRS = ("displayName", "name", "cn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name")
GIVEN_ATTRS = ("givenName", "firstName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname")
FAMILY_ATTRS = ("sn", "surname", "lastName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname")


# --- our service provider: addresses, key, metadata ----------------------------------------------


def metadata_url(city) -> str:
    """Our SP's entityID and the address of its metadata (one per city: each city's IdP trusts its own SP)."""
    return url_for("sso.saml_metadata", slug=city.slug, _external=True)


def acs_url(city) -> str:
    return url_for("sso.saml_acs", slug=city.slug, _external=True)


def slo_url(city) -> str:
    return url_for("sso.saml_slo", slug=city.slug, _external=True)


def sp_config(city, idp_metadata_xml: str | None = None) -> SPConfig:
    """pysaml2's configuration of our SP for this city (with the IdP's metadata when given)."""
    key_file, cert_file = _key_files()
    conf = {
        "entityid": metadata_url(city),
        "xmlsec_binary": xmlsec_binary(),
        "key_file": key_file, "cert_file": cert_file,
        "allow_unknown_attributes": True,
        "accepted_time_diff": current_app.config["SAML_CLOCK_SKEW_SECONDS"],
        "signing_algorithm": xmldsig.SIG_RSA_SHA256, "digest_algorithm": xmldsig.DIGEST_SHA256,
        "service": {"sp": {
            "name": f"Städtenetz – {city.name}",
            "endpoints": {"assertion_consumer_service": [(acs_url(city), BINDING_HTTP_POST)],
                          "single_logout_service": [(slo_url(city), BINDING_HTTP_REDIRECT)]},
            "allow_unsolicited": False,
            "authn_requests_signed": True, "logout_requests_signed": True,
            "want_assertions_signed": True, "want_response_signed": False,
            "name_id_format": [saml.NAMEID_FORMAT_PERSISTENT],
            "name_id_format_allow_create": True,
        }},
    }
    if idp_metadata_xml:
        conf["metadata"] = {"inline": [idp_metadata_xml]}
    config = SPConfig()
    config.load(conf)
    return config


def sp_metadata(city) -> str:
    """Our SP's metadata for this city (signing certificate, ACS, SLO): what the IdP's administrators import."""
    return create_metadata_string(None, config=sp_config(city), valid=24 * 365, sign=False)


# --- the IdP's metadata --------------------------------------------------------------------------

#: provider id -> (metadata XML read from its URL, time read), per process
_metadata_cache: dict[int, tuple[str, float]] = {}


def forget_metadata(provider_id) -> None:
    _metadata_cache.pop(provider_id, None)


def fetch_metadata(url: str) -> str:
    import requests
    try:
        response = requests.get(url, timeout=current_app.config["SSO_HTTP_TIMEOUT"], allow_redirects=False)
    except requests.RequestException as exc:
        raise IdpUnavailable(str(exc)) from exc
    if response.status_code != 200:
        raise IdpUnavailable(f"metadata: HTTP {response.status_code}")
    if len(response.content) > current_app.config["SAML_METADATA_MAX_BYTES"]:
        raise IdpUnavailable("metadata too large")
    return response.text


def idp_descriptor(xml: str) -> dict:
    """The IdP of a metadata document: entityID, SSO (HTTP-Redirect) and SLO addresses, signing certificates.
    Raises ValueError (its text German) when the document is not the metadata of one usable IdP."""
    from saml2.attribute_converter import ac_factory
    from saml2.mdstore import MetadataStore
    md = MetadataStore(ac_factory(), None)
    try:
        md.load("inline", xml)
    except Exception as exc:  # pysaml2 raises many kinds of parse errors
        raise ValueError(_("Die Metadaten sind kein gültiges SAML-2.0-Dokument.")) from exc
    idps = [eid for eid, entity in md.items() if "idpsso_descriptor" in entity]
    if len(idps) != 1:
        raise ValueError(_("Die Metadaten müssen genau einen Identitätsanbieter (IDPSSODescriptor) beschreiben."))
    entity_id = idps[0]
    from saml2.s_utils import UnsupportedBinding
    try:
        sso = md.single_sign_on_service(entity_id, BINDING_HTTP_REDIRECT)
    except UnsupportedBinding:
        sso = None
    if not sso:
        raise ValueError(_("Der Identitätsanbieter bietet keine Anmeldung über HTTP-Redirect an."))
    if not md.certs(entity_id, "idpsso", "signing"):
        raise ValueError(_("Die Metadaten enthalten kein Zertifikat, mit dem der Identitätsanbieter signiert."))
    try:
        slo = md.single_logout_service(entity_id, BINDING_HTTP_REDIRECT, "idpsso")
    except UnsupportedBinding:
        slo = None
    return {"entity_id": entity_id, "sso": sso[0]["location"], "slo": slo[0]["location"] if slo else None}


def current_metadata(provider: IdentityProvider, *, strict: bool) -> str:
    """The IdP's metadata: read again from its URL every SSO_METADATA_SECONDS; when that fails, strict raises
    IdpUnavailable (the login start: the IdP is down), else the copy stored with the settings serves."""
    if not provider.metadata_url:
        return provider.metadata_xml
    cached = _metadata_cache.get(provider.id)
    if cached and time.time() - cached[1] < current_app.config["SSO_METADATA_SECONDS"]:
        return cached[0]
    try:
        xml = fetch_metadata(provider.metadata_url)
        idp_descriptor(xml)
    except (IdpUnavailable, ValueError) as exc:
        if strict:
            raise IdpUnavailable(str(exc)) from exc
        return provider.metadata_xml
    _metadata_cache[provider.id] = (xml, time.time())
    return xml


#: (city, our addresses, key, IdP metadata) -> (pysaml2 client, IdP descriptor), per process: building one loads
#: (and checks) the RSA key twice, about half a second
_clients: OrderedDict = OrderedDict()


def _client(provider: IdentityProvider, *, strict: bool) -> tuple[Saml2Client, dict]:
    xml = current_metadata(provider, strict=strict)
    city = provider.municipality
    key = (city.slug, metadata_url(city), sp_credentials()[1], hashlib.sha256(xml.encode()).hexdigest())
    if key in _clients:
        _clients.move_to_end(key)
        return _clients[key]
    descriptor = idp_descriptor(xml)  # ValueError before pysaml2's configuration chokes on it
    entry = Saml2Client(config=sp_config(city, xml)), descriptor
    _clients[key] = entry
    while len(_clients) > 32:
        _clients.popitem(last=False)
    return entry


# --- login ---------------------------------------------------------------------------------------


def _relay_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staedtenetz-saml-relay")


def begin_login(provider: IdentityProvider, next_url: str = "") -> str:
    """The address of the IdP's login with our signed AuthnRequest; the RelayState names the request (signed by
    us, valid REQUEST_SECONDS) so that the ACS accepts only the answer to it."""
    try:
        client, idp = _client(provider, strict=True)
    except ValueError as exc:  # the stored (pasted) metadata no longer parses
        raise IdpUnavailable(str(exc)) from exc
    request_id = "id-" + secrets.token_hex(20)
    relay = _relay_serializer().dumps({"r": request_id, "c": provider.municipality_id, "n": next_url[:500]})
    _, info = client.prepare_for_authenticate(entityid=idp["entity_id"], relay_state=relay,
                                              binding=BINDING_HTTP_REDIRECT, sign=True, sigalg=xmldsig.SIG_RSA_SHA256,
                                              message_id=request_id)
    return dict(info["headers"])["Location"]


def _refused(code: str, detail: str, message: str | None = None, status: int = 400):
    return SsoRefused(code, message or _("Die Antwort des Identitätsanbieters ist ungültig oder abgelaufen. Bitte "
                                         "starten Sie die Anmeldung erneut."), status, detail[:300])


def _classify(exc: Exception) -> str:
    text = f"{exc.__class__.__name__} {exc}".lower()
    for code, words in (("audience", ("audience",)), ("expired", ("lifetime", "too old", "expired", "toearly")),
                        ("signature", ("signature", "signed", "sign")), ("destination", ("destin", "recipient")),
                        ("unsolicited", ("unsolicited",)), ("conditions", ("condition",))):
        if any(w in text for w in words):
            return code
    return "saml_response"


def _first(ava: dict, names) -> str:
    for name in names:
        values = ava.get(name)
        if values:
            return str(values[0] if isinstance(values, (list, tuple)) else values)
    return ""


def claims_of(provider: IdentityProvider, response) -> dict:
    """The verified assertion as the claims the shared rules of trust read (sub, email, name, groups)."""
    ava = response.ava or {}
    name_id = response.name_id
    email = _first(ava, EMAIL_ATTRS)
    if not email and name_id is not None and name_id.format == saml.NAMEID_FORMAT_EMAILADDRESS:
        email = name_id.text or ""
    transient = name_id is None or name_id.format == saml.NAMEID_FORMAT_TRANSIENT
    subject = email.strip().lower() if transient else (name_id.text or "").strip()
    given, family = _first(ava, GIVEN_ATTRS), _first(ava, FAMILY_ATTRS)
    name = _first(ava, NAME_ATTRS) or " ".join(p for p in (given, family) if p)
    return {"sub": subject, "email": email, "name": name,
            provider.groups_claim: list(ava.get(provider.groups_claim) or [])}


def _remember(key: str, expires_at) -> None:
    """Store a consumed assertion (or answered request); SsoRefused when it was consumed before."""
    now = utcnow()
    db.session.execute(sa.delete(SamlAssertion).where(SamlAssertion.expires_at < now))
    if db.session.execute(sa.select(SamlAssertion.id).where(SamlAssertion.key == key)).first():
        raise _refused("replay", key, _("Diese Anmeldung wurde bereits verwendet. Bitte starten Sie die Anmeldung "
                                        "erneut."))
    try:
        with db.session.begin_nested():
            db.session.add(SamlAssertion(key=key[:300], expires_at=expires_at))
    except IntegrityError as exc:  # the same assertion at the same moment in another request
        raise _refused("replay", key, _("Diese Anmeldung wurde bereits verwendet. Bitte starten Sie die Anmeldung "
                                        "erneut.")) from exc


def _expiry(response):
    """When the assertion expires (NotOnOrAfter of its conditions or subject confirmation), plus the clock skew."""
    from datetime import datetime, timezone
    stamps = []
    assertion = response.assertion
    if assertion is not None and assertion.conditions is not None and assertion.conditions.not_on_or_after:
        stamps.append(assertion.conditions.not_on_or_after)
    for confirmation in getattr(getattr(assertion, "subject", None), "subject_confirmation", None) or []:
        data = confirmation.subject_confirmation_data
        if data is not None and data.not_on_or_after:
            stamps.append(data.not_on_or_after)
    skew = timedelta(seconds=current_app.config["SAML_CLOCK_SKEW_SECONDS"])
    times = [datetime.fromtimestamp(calendar.timegm(str_to_time(s)), timezone.utc) for s in stamps]
    return (max(times) if times else utcnow() + timedelta(days=1)) + skew


def finish_login(provider: IdentityProvider, saml_response: str, relay_state: str):
    """Verify the IdP's answer at our ACS, consume it once, and find or create the account. Returns (user, state
    for the session, next address); raises SsoRefused."""
    from network.sso.services import login_with_claims
    if not saml_response or len(saml_response) > 2 * 1024 * 1024:
        raise _refused("saml_response", "no SAMLResponse")
    try:
        relay = _relay_serializer().loads(relay_state or "", max_age=REQUEST_SECONDS)
    except BadSignature as exc:
        raise _refused("relay_state", "bad or expired RelayState", _(
            "Die Anmeldung konnte keiner hier begonnenen Anmeldung zugeordnet werden oder hat zu lange gedauert. "
            "Bitte starten Sie die Anmeldung erneut.")) from exc
    if not isinstance(relay, dict) or relay.get("c") != provider.municipality_id or not relay.get("r"):
        raise _refused("relay_state", "RelayState of another city")
    try:
        client, idp = _client(provider, strict=False)
    except ValueError as exc:
        raise IdpUnavailable(str(exc)) from exc
    try:
        response = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST,
                                                       outstanding={relay["r"]: acs_url(provider.municipality)})
    except Exception as exc:  # pysaml2 raises a zoo of exceptions: each one is a refusal
        raise _refused(_classify(exc), f"{exc.__class__.__name__}: {exc}") from exc
    if response is None or response.assertion is None:
        raise _refused("saml_response", "no assertion")
    try:  # pysaml2 keeps what it learnt about the person in the (cached) client: we keep nothing there
        client.users.remove_person(response.name_id)
    except (KeyError, AttributeError, TypeError):
        pass
    if response.issuer() != idp["entity_id"]:
        raise _refused("issuer", f"issuer {response.issuer()!r}")
    expires = _expiry(response)
    _remember("r:" + relay["r"], expires)
    _remember("a:" + str(response.assertion.id), expires)
    user = login_with_claims(provider, claims_of(provider, response))
    info = response.session_info()
    name_id = response.name_id
    state = {"city": provider.municipality_id, "saml": {
        "name_id": name_id.to_string().decode() if name_id is not None else "",
        "session_index": info.get("session_index") or ""}}
    if len(state["saml"]["name_id"]) > 1500:
        state["saml"]["name_id"] = ""
    return user, state, relay.get("n") or ""


# --- logout --------------------------------------------------------------------------------------


def logout_url(provider: IdentityProvider, state: dict) -> str | None:
    """The IdP's SLO address with our signed LogoutRequest (HTTP-Redirect), or None when its metadata names
    none (then only our session ends)."""
    name_id_xml = state.get("name_id") if isinstance(state, dict) else None
    if not name_id_xml:
        return None
    try:
        client, idp = _client(provider, strict=False)
    except (ValueError, IdpUnavailable):
        return None
    if not idp["slo"]:
        return None
    name_id = saml.name_id_from_string(name_id_xml)
    _, request = client.create_logout_request(idp["slo"], idp["entity_id"], name_id=name_id,
                                              session_indexes=[state["session_index"]] if state.get("session_index")
                                              else None, sign=False)
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(request), idp["slo"], relay_state="", sign=True,
                                sigalg=xmldsig.SIG_RSA_SHA256)
    return dict(info["headers"])["Location"]
