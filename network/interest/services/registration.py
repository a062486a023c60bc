"""Public registrations: double opt-in, a pending change of a confirmed one, the withdraw link."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User, hash_secret
from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.interest.models import REGISTRANT_KINDS, InterestRegistration
from network.interest.services._common import MAX_TEXT, NETWORK, city_by_slug, serializer, truthy
from network.interest.services.spam import check_not_a_bot
from network.topics.models import Topic


def _check_registration(c: Checker, data: dict) -> dict:
    out = {
        "name": c.text("name", data.get("name"), label=_("Ihren Namen"), max_len=120),
        "email": c.email("email", data.get("email")),
        "kind": c.choice("kind", data.get("kind"), REGISTRANT_KINDS, label=_("„Sie sind“")),
        "organisation": c.text("organisation", data.get("organisation"), label=_("Die Organisation"),
                               required=False, max_len=200),
        "message": c.text("message", data.get("message"), label=_("Die Nachricht"), required=False,
                          max_len=MAX_TEXT),
    }
    slug = (data.get("municipality") or "").strip()
    city = None
    if slug and slug != NETWORK:
        city = city_by_slug(slug[:80])
        if city is None or city.status != "member":
            c.add("municipality", _("Bitte wählen Sie eine Kommune aus der Liste oder das gesamte Netzwerk."))
    elif not slug:
        c.add("municipality", _("Bitte wählen Sie, an welche Kommune sich Ihr Interesse richtet, oder das "
                                "gesamte Netzwerk."))
    out["city"] = city
    raw = data.get("topics") or []
    if isinstance(raw, (str, int)):
        raw = [raw]
    ids = set()
    for value in raw if isinstance(raw, (list, tuple)) else [None]:
        try:
            ident = int(value)
        except (TypeError, ValueError):
            ident = -1
        ids.add(ident if 0 < ident < 2**31 else -1)
    topics = []
    if ids:
        topics = db.session.execute(sa.select(Topic).where(Topic.id.in_(ids), Topic.status == "active")
                                    .order_by(Topic.name)).scalars().all()
        if len(topics) != len(ids):
            c.add("topics", _("Bitte wählen Sie nur Themen aus der Liste."))
    if len(ids) > 50:
        c.add("topics", _("Bitte wählen Sie höchstens 50 Themen."))
    out["topics"] = topics
    if not truthy(data.get("consent")):
        c.add("consent", _("Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu; ohne Zustimmung können wir "
                           "Ihre Interessensbekundung nicht speichern."))
    return out


def withdraw_token(reg: InterestRegistration) -> str:
    """The signed withdraw link's token: valid as long as the registration exists."""
    return serializer("interest-withdraw").dumps([reg.id, reg.withdraw_nonce])


def register_interest(data: dict, *, language: str = "de", honeypot=None, started=None,
                      check_timing: bool = True, unknown_status: int = 422) -> InterestRegistration:
    """A public registration; a second one for the same address and city updates the first.

    Nothing is visible to the city before the address is confirmed with the emailed link (double opt-in).
    ``unknown_status`` answers a request whose only faults are cities or topics that do not exist (the API: 404).
    """
    require(None, "interest.register")
    c = Checker()
    if check_timing:
        check_not_a_bot(c, honeypot=honeypot, started=started)
        if c.errors:
            c.done()
    v = _check_registration(c, data)
    if c.errors and set(c.errors) <= {"municipality", "topics"}:
        raise ValidationFailed(c.errors, status=unknown_status)
    c.done()
    city = v["city"]
    language = language if language in ("de", "en") else "de"
    stmt = sa.select(InterestRegistration).where(InterestRegistration.email == v["email"])
    stmt = stmt.where(InterestRegistration.municipality_id == city.id if city else
                      InterestRegistration.municipality_id.is_(None))
    reg = db.session.execute(stmt).scalar_one_or_none()
    now = utcnow()
    fields = {k: v[k] for k in ("name", "kind", "organisation", "message")}
    update = reg is not None
    if reg is None:
        reg = InterestRegistration(email=v["email"], municipality_id=city.id if city else None,
                                   withdraw_nonce=secrets.token_hex(16), **fields)
        reg.topics = list(v["topics"])
        db.session.add(reg)
    elif reg.confirmed_at is None:
        for k, value in fields.items():
            setattr(reg, k, value)
        reg.topics = list(v["topics"])
    else:
        # a confirmed registration changes only when the owner of the address confirms the change
        reg.pending_data = dict(fields, topic_ids=[t.id for t in v["topics"]], language=language)
    if reg.confirmed_at is None:
        reg.language = language
        reg.consent_at = now
    plain = secrets.token_urlsafe(32)
    reg.token_hash = hash_secret(plain)
    reg.token_expires_at = now + timedelta(days=current_app.config["INTEREST_CONFIRM_DAYS"])
    try:
        db.session.flush()
    except IntegrityError:  # a second request for the same address won the race; the boundary rolls back
        raise Conflict({"email": _("Für diese Adresse ist gerade eine Interessensbekundung eingegangen. "
                                   "Bitte prüfen Sie Ihr Postfach.")})
    mail_language = language if reg.confirmed_at is not None else reg.language
    with force_locale(mail_language):
        subject = _("Bitte bestätigen Sie Ihre Interessensbekundung")
    queue_mail(reg.email, "interest/confirm", subject=subject, locale=mail_language,
               municipality_id=reg.municipality_id, reg=reg, city=city, name=fields["name"], update=update,
               link=url_for("interest.confirm", token=plain, _external=True),
               withdraw_link=url_for("interest.withdraw", token=withdraw_token(reg), _external=True),
               days=current_app.config["INTEREST_CONFIRM_DAYS"])
    audit.record(None, "interest.updated" if update else "interest.registered", obj=reg,
                 municipality_id=reg.municipality_id,
                 summary=f"Interessensbekundung #{reg.id} {'geändert' if update else 'eingegangen'} (noch unbestätigt)")
    db.session.flush()
    return reg


def _registration_for_token(plain: str) -> InterestRegistration:
    reg = db.session.execute(sa.select(InterestRegistration).where(
        InterestRegistration.token_hash == hash_secret(plain or ""))).scalar_one_or_none()
    if reg is None:
        raise ValidationFailed({"token": _("Dieser Bestätigungslink ist ungültig oder wurde bereits verwendet.")},
                               status=404)
    if reg.token_expires_at is None or reg.token_expires_at < utcnow():
        raise ValidationFailed({"token": _("Dieser Bestätigungslink ist abgelaufen. Bitte füllen Sie das Formular "
                                           "erneut aus.")}, status=410)
    return reg


def check_confirm_token(plain: str) -> InterestRegistration:
    """The registration behind a valid, unexpired confirmation link (GET shows it, POST confirms)."""
    return _registration_for_token(plain)


def confirm_registration(plain: str) -> InterestRegistration:
    """Double opt-in: the address is confirmed; a pending change of a confirmed registration takes effect."""
    reg = _registration_for_token(plain)
    if reg.pending_data:
        p = reg.pending_data
        for k in ("name", "kind", "organisation", "message", "language"):
            if k in p:
                setattr(reg, k, p[k])
        ids = p.get("topic_ids") or []
        reg.topics = db.session.execute(sa.select(Topic).where(Topic.id.in_(ids))).scalars().all() if ids else []
        reg.consent_at = utcnow()
    first = reg.confirmed_at is None
    reg.confirmed_at = reg.confirmed_at or utcnow()
    reg.contacted_at = None if reg.pending_data else reg.contacted_at
    reg.pending_data = None
    reg.token_hash = None
    reg.token_expires_at = None
    audit.record(None, "interest.confirmed", obj=reg, municipality_id=reg.municipality_id,
                 summary=f"Interessensbekundung #{reg.id} {'bestätigt' if first else 'Änderung bestätigt'}")
    if first:
        _tell_the_city(reg)
    db.session.flush()
    return reg


def _tell_the_city(reg: InterestRegistration) -> None:
    """One mail per lead of the addressed city (the coordination for the network): a new registration."""
    if reg.municipality_id is not None:
        people = db.session.execute(sa.select(User).where(
            User.municipality_id == reg.municipality_id, User.role == "lead", User.active.is_(True),
            User.password_hash.is_not(None))).scalars().all()
        slug = reg.municipality.slug
    else:
        from network.networks.services import coordinators_of
        people = [u for u in coordinators_of() if u.password_hash is not None]
        slug = NETWORK
    link = url_for("interest.registrations", kommune=slug, _external=True)
    for person in people:
        with force_locale(person.language):
            subject = _("Neue Interessensbekundung: %(name)s", name=reg.name)
        queue_mail(person.email, "interest/new_registration", subject=subject[:300], locale=person.language,
                   municipality_id=reg.municipality_id, person=person, reg=reg, link=link)


def registration_for_withdraw(token: str) -> InterestRegistration:
    """The registration behind a withdraw link, or 404 (also once it has been withdrawn)."""
    try:
        reg_id, nonce = serializer("interest-withdraw").loads(token or "")
    except (BadSignature, TypeError, ValueError):
        reg_id, nonce = None, None
    reg = db.session.get(InterestRegistration, reg_id) if isinstance(reg_id, int) else None
    if reg is None or not secrets.compare_digest(str(nonce), reg.withdraw_nonce):
        raise ValidationFailed({"token": _("Dieser Link ist ungültig, oder die Interessensbekundung wurde bereits "
                                           "gelöscht.")}, status=404)
    return reg


def withdraw_registration(token: str) -> None:
    """The registrant withdraws: every stored detail of the registration is deleted."""
    reg = registration_for_withdraw(token)
    audit.record(None, "interest.withdrawn", obj=reg, municipality_id=reg.municipality_id,
                 summary=f"Interessensbekundung #{reg.id} zurückgezogen und gelöscht")
    db.session.delete(reg)
    db.session.flush()
