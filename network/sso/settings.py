"""The settings of a city's identity provider: OpenID Connect (issuer, client) or SAML 2.0 (the IdP's metadata),
the email domains the city claims, the group -> role map (issue #18)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from network.accounts.models import ROLES
from network.core import audit
from network.core.boundary import check_version
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db
from network.sso import crypto
from network.sso.models import KINDS, IdentityProvider, SsoDomain
from network.sso.services import _CONTROL, _DOMAIN, IdpUnavailable, _forget_metadata, provider_of

def _parse_domains(c: Checker, text: str) -> list[str]:
    out = []
    for raw in re.split(r"[\s,;]+", text or ""):
        domain = raw.strip().lower().lstrip("@").rstrip(".")
        if not domain:
            continue
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            pass
        if not _DOMAIN.match(domain):
            c.add("domains", _("„%(domain)s“ ist keine gültige E-Mail-Domain (z. B. ettlingen.de).", domain=raw[:80]))
            return out
        if domain not in out:
            out.append(domain)
    if len(out) > 20:
        c.add("domains", _("Bitte nennen Sie höchstens 20 Domains."))
    return out


def _parse_role_map(c: Checker, text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        group, sep, role = line.rpartition("=")
        group, role = group.strip(), role.strip().lower()
        if not sep or not group or role not in ROLES or len(group) > 200:
            c.add("role_map", _("Zeile %(n)s: Bitte schreiben Sie „Gruppe = lead“ oder „Gruppe = staff“.", n=number))
            return out
        out[group] = role
    if len(out) > 50:
        c.add("role_map", _("Bitte nennen Sie höchstens 50 Gruppen."))
    return out


def _check_issuer(c: Checker, value: str) -> str:
    value = (value or "").strip().rstrip("/")
    allow_http = current_app.config.get("SSO_ALLOW_HTTP")
    if not value:
        c.add("issuer", _("Bitte geben Sie die Adresse des Identitätsanbieters (Issuer) an."))
    elif len(value) > 500 or not re.match(r"^https://[^\s/$.?#][^\s]*$" if not allow_http
                                          else r"^https?://[^\s/$.?#][^\s]*$", value):
        c.add("issuer", _("Der Issuer muss eine Webadresse sein, die mit https:// beginnt."))
    return value


def _check_url(c: Checker, field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    allow_http = current_app.config.get("SSO_ALLOW_HTTP")
    if value and (len(value) > 500 or not re.match(r"^https://[^\s/$.?#][^\s]*$" if not allow_http
                                                   else r"^https?://[^\s/$.?#][^\s]*$", value)):
        c.add(field, message)
    return value


def _check_saml(c: Checker, data: dict) -> tuple[str, str, str]:
    """The IdP's metadata, read from its URL (now: an unreachable URL is said at once) or pasted: returns the
    IdP's entityID, the URL and the metadata."""
    from network.sso import saml
    url = _check_url(c, "metadata_url", data.get("metadata_url"),
                     _("Die Adresse der Metadaten muss eine Webadresse sein, die mit https:// beginnt."))
    xml = (data.get("metadata_xml") or "").strip()
    if "metadata_url" in c.errors:
        return "", url, ""
    if not url and not xml:
        c.add("metadata_url", _("Bitte geben Sie die Adresse der Metadaten Ihres Identitätsanbieters an oder fügen "
                                "Sie die Metadaten unten ein."))
        return "", url, ""
    field = "metadata_url" if url else "metadata_xml"
    if url:
        try:
            xml = saml.fetch_metadata(url)
        except IdpUnavailable:
            c.add("metadata_url", _("Die Metadaten unter dieser Adresse sind nicht erreichbar. Bitte prüfen Sie die "
                                    "Adresse oder versuchen Sie es später erneut; Sie können die Metadaten auch "
                                    "unten einfügen."))
            return "", url, ""
    if len(xml) > current_app.config["SAML_METADATA_MAX_BYTES"]:
        c.add(field, _("Die Metadaten dürfen höchstens 1 MB groß sein."))
        return "", url, ""
    try:
        idp = saml.idp_descriptor(xml)
    except ValueError as exc:
        c.add(field, str(exc))
        return "", url, ""
    if len(idp["entity_id"]) > 500:
        c.add(field, _("Die Kennung (entityID) des Identitätsanbieters ist länger als 500 Zeichen."))
    return idp["entity_id"], url, xml


def save_provider(actor, city, data: dict) -> IdentityProvider:
    """Register or change the city's identity provider and the email domains it claims (lead or platform admin)."""
    require(actor, "sso.manage", city)
    provider = provider_of(city)
    if provider is not None:
        check_version(provider, data.get("version"))
    c = Checker()
    kind = c.choice("kind", data.get("kind") or "oidc", KINDS, label=_("das Verfahren"))
    metadata_url = metadata_xml = secret = client_id = ""
    scopes = "openid email profile"
    if kind == "saml":
        issuer, metadata_url, metadata_xml = _check_saml(c, data)
    else:
        issuer = _check_issuer(c, data.get("issuer"))
        client_id = c.text("client_id", data.get("client_id"), label=_("die Client-ID"), max_len=255,
                           multiline=False)
        secret = (data.get("client_secret") or "").strip()
        if len(secret) > 500:
            c.add("client_secret", _("Das Client-Secret darf höchstens 500 Zeichen lang sein."))
        elif _CONTROL.search(secret):
            c.add("client_secret", _("Das Client-Secret enthält ungültige Zeichen."))
        elif not secret and (provider is None or not provider.client_secret_encrypted or provider.kind != "oidc"):
            c.add("client_secret", _("Bitte geben Sie das Client-Secret an."))
        scopes = " ".join(c.text("scopes", data.get("scopes") or "openid email profile", label=_("die Scopes"),
                                 max_len=300, multiline=False).split())
        if "scopes" not in c.errors and "openid" not in scopes.split():
            c.add("scopes", _("Die Scopes müssen „openid“ enthalten."))
    groups_claim = c.text("groups_claim", data.get("groups_claim") or "groups", label=_("den Gruppen-Claim"),
                          max_len=100, multiline=False)
    role_map = _parse_role_map(c, data.get("role_map"))
    domains = _parse_domains(c, data.get("domains"))
    if "domains" not in c.errors and not domains:
        c.add("domains", _("Bitte nennen Sie mindestens eine E-Mail-Domain Ihrer Verwaltung."))
    if "domains" not in c.errors:
        taken = db.session.execute(
            sa.select(SsoDomain.domain).where(SsoDomain.domain.in_(domains),
                                              SsoDomain.provider_id != getattr(provider, "id", 0))
        ).scalars().first()
        if taken:
            c.add("domains", _("Die Domain %(domain)s gehört bereits einer anderen Kommune. Wenden Sie sich an die "
                               "Plattformverwaltung, wenn das ein Irrtum ist.", domain=taken))
    c.done()
    created = provider is None
    if created:
        provider = IdentityProvider(municipality_id=city.id)
        db.session.add(provider)
    provider.kind, provider.issuer, provider.client_id = kind, issuer, client_id
    if secret:
        provider.client_secret_encrypted = crypto.encrypt(secret)
    elif kind == "saml":
        provider.client_secret_encrypted = ""
    provider.metadata_url, provider.metadata_xml = metadata_url, metadata_xml
    provider.scopes, provider.groups_claim, provider.role_map = scopes, groups_claim, role_map
    provider.enabled = bool(data.get("enabled"))
    provider.password_login_disabled = bool(data.get("password_login_disabled"))
    keep = {d.domain: d for d in provider.domains}
    provider.domains = [keep.get(d) or SsoDomain(domain=d) for d in domains]
    db.session.flush()
    audit.record(actor, "sso.provider_created" if created else "sso.provider_updated", obj=city,
                 summary=f"Identitätsanbieter von {city.name}: {issuer} ({', '.join(domains)})",
                 kind=kind, issuer=issuer, metadata_url=metadata_url or None, domains=domains,
                 enabled=provider.enabled,
                 password_login_disabled=provider.password_login_disabled, secret_changed=bool(secret))
    _forget_metadata(issuer)
    from network.sso import saml
    saml.forget_metadata(provider.id)
    return provider
