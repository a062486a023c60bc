"""Interest: public registrations with double opt-in, following, notifications and the weekly digest."""

import secrets
import time
from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User, hash_secret
from network.core import audit
from network.core.hooks import DigestItem, DigestSection, digest_sections
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import can, require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.interest.models import (DEFAULT_MODE, DIGEST_KIND, EVENT_KINDS, KIND_TARGETS, MODES, REGISTRANT_KINDS,
                                     TARGET_TYPES, DigestLedger, Follow, InterestRegistration, NotificationPreference,
                                     registration_topic)
from network.municipalities.models import Municipality
from network.topics.models import LeadEvent, Topic

#: the value of the city field that addresses the whole network
NETWORK = "netzwerk"
MAX_TEXT = 2000
PAGE_SIZE = 50
BERLIN = ZoneInfo("Europe/Berlin")
#: LeadEvent actions after which a topic has a different lead (digest section)
LEAD_CHANGE_ACTIONS = ("confirmed", "withdrawn", "handover_accepted", "lost_on_leave")


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def absolute(path: str) -> str:
    """An absolute URL for a path of this site (also in scheduler jobs: needs SERVER_NAME there)."""
    if path.startswith(("http://", "https://")):
        return path
    return url_for("main.index", _external=True).rstrip("/") + path


def _truthy(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "y", "yes", "true", "on", "ja")


# --- spam protection ----------------------------------------------------------------------

def form_started_token(at: float | None = None) -> str:
    """A signed timestamp put into the form when it is shown (minimum fill time)."""
    return _serializer("interest-form").dumps({"t": int(at if at is not None else time.time())})


def check_not_a_bot(c: Checker, *, honeypot, started) -> None:
    """Honeypot field empty and the form not sent faster than INTEREST_MIN_FILL_SECONDS."""
    if (honeypot or "").strip():
        c.add("form", _("Ihre Anfrage wurde als automatisiert erkannt und nicht gespeichert. Bitte lassen Sie das "
                        "Feld „Bitte nicht ausfüllen“ leer."))
        return
    try:
        shown = int(_serializer("interest-form").loads(started or "")["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        c.add("form", _("Das Formular ist unvollständig übertragen worden. Bitte laden Sie die Seite neu und "
                        "versuchen Sie es erneut."))
        return
    if time.time() - shown < current_app.config["INTEREST_MIN_FILL_SECONDS"]:
        c.add("form", _("Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie das Formular "
                        "noch einmal ab."))


# --- choices --------------------------------------------------------------------------------

def member_city_choices():
    """Member cities by name: [(slug, name)]."""
    return db.session.execute(sa.select(Municipality.slug, Municipality.name)
                              .where(Municipality.status == "member").order_by(Municipality.name)).all()


def topic_choices():
    """Active topics by name: [(id, name)]."""
    return db.session.execute(sa.select(Topic.id, Topic.name).where(Topic.status == "active")
                              .order_by(Topic.name)).all()


def _city_by_slug(slug):
    return db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()


# --- registration ---------------------------------------------------------------------------

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
        city = _city_by_slug(slug[:80])
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
    if not _truthy(data.get("consent")):
        c.add("consent", _("Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu; ohne Zustimmung können wir "
                           "Ihre Interessensbekundung nicht speichern."))
    return out


def withdraw_token(reg: InterestRegistration) -> str:
    """The signed withdraw link's token: valid as long as the registration exists."""
    return _serializer("interest-withdraw").dumps([reg.id, reg.withdraw_nonce])


def _mail_registrant(reg, template, subject_fn, **ctx):
    with force_locale(reg.language):
        subject = subject_fn()
    queue_mail(reg.email, f"interest/{template}", subject=subject, locale=reg.language,
               municipality_id=reg.municipality_id, reg=reg, city=reg.municipality,
               withdraw_link=url_for("interest.withdraw", token=withdraw_token(reg), _external=True), **ctx)


def register_interest(data: dict, *, language: str = "de", honeypot=None, started=None,
                      check_timing: bool = True) -> InterestRegistration:
    """A public registration; a second one for the same address and city updates the first.

    Nothing is visible to the city before the address is confirmed with the emailed link (double opt-in).
    """
    require(None, "interest.register")
    c = Checker()
    if check_timing:
        check_not_a_bot(c, honeypot=honeypot, started=started)
        if c.errors:
            c.done()
    v = _check_registration(c, data)
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
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed({"email": _("Für diese Adresse ist gerade eine Interessensbekundung eingegangen. "
                                           "Bitte prüfen Sie Ihr Postfach.")}, status=409)
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
        people = db.session.execute(sa.select(User).where(User.is_coordinator.is_(True), User.active.is_(True),
                                                          User.password_hash.is_not(None))).scalars().all()
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
        reg_id, nonce = _serializer("interest-withdraw").loads(token or "")
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


def purge_unconfirmed(now=None) -> dict:
    """Scheduler: delete registrations never confirmed within the link's validity; drop expired changes."""
    now = now or utcnow()
    expired = InterestRegistration.token_expires_at < now
    ids = db.session.execute(sa.select(InterestRegistration.id).where(
        InterestRegistration.confirmed_at.is_(None), expired)).scalars().all()
    if ids:
        db.session.execute(sa.delete(InterestRegistration).where(InterestRegistration.id.in_(ids)))
        audit.record(None, "interest.purged", summary=f"{len(ids)} unbestätigte Interessensbekundung(en) gelöscht",
                     count=len(ids))
    dropped = db.session.execute(
        sa.update(InterestRegistration).where(InterestRegistration.confirmed_at.is_not(None), expired)
        .values(pending_data=None, token_hash=None, token_expires_at=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return {"deleted": len(ids), "changes_dropped": dropped or 0}


# --- the city's view ------------------------------------------------------------------------

def _scope_for(user, city_slug: str | None):
    """(where clause, city or None, label) of the registrations the user asked for and may see."""
    require(user, "interest.view")
    if city_slug == NETWORK:
        require(user, "interest.view_all")
        return InterestRegistration.municipality_id.is_(None), None
    if city_slug:
        city = _city_by_slug(city_slug[:80])
        if city is None:
            abort(404)
        require(user, "interest.view", city)
        return InterestRegistration.municipality_id == city.id, city
    if can(user, "interest.view_all"):
        return sa.true(), None
    city = user.municipality
    if city is None:
        abort(404)
    return InterestRegistration.municipality_id == city.id, city


def list_registrations(user, *, city_slug=None, topic_slug=None, page: int = 1, limit: int | None = PAGE_SIZE):
    """Confirmed registrations the user may see, newest first: (rows, has_next, city)."""
    where, city = _scope_for(user, city_slug)
    stmt = sa.select(InterestRegistration).where(where, InterestRegistration.confirmed_at.is_not(None))
    if topic_slug:
        stmt = stmt.where(InterestRegistration.id.in_(
            sa.select(registration_topic.c.registration_id).join(Topic, Topic.id == registration_topic.c.topic_id)
            .where(Topic.slug == topic_slug[:80])))
    stmt = stmt.order_by(InterestRegistration.confirmed_at.desc(), InterestRegistration.id.desc())
    if limit is None:
        return db.session.execute(stmt).scalars().all(), False, city
    rows = db.session.execute(stmt.limit(limit + 1).offset((max(page, 1) - 1) * limit)).scalars().all()
    return rows[:limit], len(rows) > limit, city


def get_registration_or_404(user, registration_id) -> InterestRegistration:
    """A confirmed registration the user may see; another city's (or the network's, for a lead) is 404."""
    require(user, "interest.view")
    reg = db.session.get(InterestRegistration, registration_id)
    if reg is None or reg.confirmed_at is None:
        abort(404)
    if reg.municipality_id is None and not can(user, "interest.view_all"):
        abort(404)
    require(user, "interest.view", reg)
    return reg


def set_contacted(actor, reg: InterestRegistration, contacted: bool) -> InterestRegistration:
    """Mark a registration as contacted (or not yet)."""
    require(actor, "interest.manage", reg)
    if reg.municipality_id is None:
        require(actor, "interest.view_all")
    reg.contacted_at = utcnow() if contacted else None
    reg.contacted_by_id = actor.id if contacted else None
    audit.record(actor, "interest.contacted" if contacted else "interest.uncontacted", obj=reg,
                 municipality_id=reg.municipality_id,
                 summary=f"Interessensbekundung #{reg.id} als {'kontaktiert' if contacted else 'offen'} markiert")
    db.session.flush()
    return reg


def new_registrations_count(user, days: int = 30) -> tuple[int, int]:
    """(confirmed in the last `days`, not yet contacted) for the dashboard; two cheap counts."""
    where, _city = _scope_for(user, None)
    base = sa.select(sa.func.count(InterestRegistration.id)).where(where, InterestRegistration.confirmed_at.is_not(None))
    recent = db.session.scalar(base.where(InterestRegistration.confirmed_at >= utcnow() - timedelta(days=days)))
    open_ = db.session.scalar(base.where(InterestRegistration.contacted_at.is_(None)))
    return recent or 0, open_ or 0


# --- following -----------------------------------------------------------------------------

def _parse_target(c: Checker, target_type, target_id) -> tuple[str, int]:
    target_type = (str(target_type or "")).strip()
    c.choice("type", target_type, TARGET_TYPES, label=_("die Art"))
    try:
        ident = int(target_id)
        if ident <= 0 or ident > 2**31:
            raise ValueError
    except (TypeError, ValueError):
        c.add("id", _("Bitte geben Sie an, was Sie folgen möchten."))
        ident = 0
    return target_type, ident


def resolve_targets(user, pairs) -> dict:
    """(type, id) -> (title, url) for the targets the user may see; one query per type (topics, cities)."""
    by_type = defaultdict(set)
    for t, i in pairs:
        by_type[t].add(i)
    out = {}
    if by_type.get("topic") and can(user, "topic.view"):
        for t in db.session.execute(sa.select(Topic).where(Topic.id.in_(by_type["topic"]),
                                                           Topic.status == "active")).scalars():
            out[("topic", t.id)] = (t.name, url_for("topics.detail", slug=t.slug))
    if by_type.get("municipality"):
        for m in db.session.execute(sa.select(Municipality).where(Municipality.id.in_(by_type["municipality"]),
                                                                  Municipality.status == "member")).scalars():
            out[("municipality", m.id)] = (m.name, url_for("municipalities.detail", slug=m.slug))
    from network.meetings.services import follow_body
    from network.practices.services import follow_practice
    for kind, fn in (("practice", follow_practice), ("body", follow_body)):
        for ident in by_type.get(kind, ()):
            resolved = fn(user, ident)
            if resolved:
                out[(kind, ident)] = resolved
    return out


def is_following(user, target_type: str, target_id) -> bool:
    """One query: does the user follow this?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.execute(sa.select(Follow.id).where(
        Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id)).first() is not None


def toggle_follow(actor, target_type, target_id) -> tuple[bool, str]:
    """Follow something the actor may see, or stop following it: (now following, title)."""
    require(actor, "follow.use")
    c = Checker()
    target_type, ident = _parse_target(c, target_type, target_id)
    c.done()
    resolved = resolve_targets(actor, [(target_type, ident)]).get((target_type, ident))
    existing = db.session.execute(sa.select(Follow).where(
        Follow.user_id == actor.id, Follow.target_type == target_type, Follow.target_id == ident)).scalar_one_or_none()
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False, resolved[0] if resolved else ""
    if resolved is None:
        abort(404)
    db.session.add(Follow(user_id=actor.id, target_type=target_type, target_id=ident))
    try:
        db.session.flush()
    except IntegrityError:  # a double click: the first request already followed
        db.session.rollback()
    return True, resolved[0]


def list_follows(user) -> list[dict]:
    """The user's follows with title and URL (those no longer visible are listed as unavailable)."""
    rows = db.session.execute(sa.select(Follow).where(Follow.user_id == user.id)
                              .order_by(Follow.target_type, Follow.created_at)).scalars().all()
    resolved = resolve_targets(user, [(f.target_type, f.target_id) for f in rows])
    out = []
    for f in rows:
        title, url = resolved.get((f.target_type, f.target_id), (None, None))
        out.append({"type": f.target_type, "id": f.target_id, "type_label": str(TARGET_TYPES[f.target_type]),
                    "title": title, "url": url, "available": title is not None})
    return out


def preferences(user) -> dict:
    """kind -> mode for every event kind, and DIGEST_KIND -> weekly|off."""
    stored = dict(db.session.execute(sa.select(NotificationPreference.kind, NotificationPreference.mode)
                                     .where(NotificationPreference.user_id == user.id)).all())
    out = {k: stored.get(k, DEFAULT_MODE) for k in EVENT_KINDS}
    out[DIGEST_KIND] = stored.get(DIGEST_KIND, "weekly")
    return out


def _store_preference(user, kind, mode):
    row = db.session.execute(sa.select(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind)).scalar_one_or_none()
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, mode=mode))
    else:
        row.mode = mode


def set_preferences(actor, modes: dict, digest=None) -> dict:
    """Store how the actor hears about each kind of event (immediately, weekly, off) and the digest switch."""
    require(actor, "follow.use")
    c = Checker()
    if not isinstance(modes, dict):
        c.add("preferences", _("Bitte geben Sie die Einstellungen als Zuordnung Ereignis → Art an."))
        modes = {}
    for kind, mode in modes.items():
        if kind not in EVENT_KINDS:
            c.add(f"preferences.{kind}"[:80], _("Diese Art von Ereignis gibt es nicht."))
        elif mode not in MODES:
            c.add(f"pref_{kind.replace('.', '_')}", _("Bitte wählen Sie sofort, wöchentlich oder aus."))
    c.done()
    for kind, mode in modes.items():
        _store_preference(actor, kind, mode)
    if digest is not None:
        _store_preference(actor, DIGEST_KIND, "weekly" if _truthy(digest) else "off")
    audit.record(actor, "follow.preferences_changed", obj=actor, municipality_id=actor.municipality_id,
                 summary="Benachrichtigungseinstellungen geändert")
    db.session.flush()
    return preferences(actor)


def replace_follows(actor, items) -> None:
    """API PUT: the actor's follows become exactly `items` ([{type, id}]); invisible targets are refused."""
    require(actor, "follow.use")
    c = Checker()
    wanted = set()
    if not isinstance(items, list):
        c.add("follows", _("Bitte geben Sie eine Liste von {type, id} an."))
        items = []
    for n, item in enumerate(items[:500]):
        if not isinstance(item, dict):
            c.add("follows", _("Bitte geben Sie eine Liste von {type, id} an."))
            continue
        sub = Checker()
        pair = _parse_target(sub, item.get("type"), item.get("id"))
        if sub.errors:
            c.add(f"follows.{n}", next(iter(sub.errors.values())))
        else:
            wanted.add(pair)
    if len(items) > 500:
        c.add("follows", _("Höchstens 500 Einträge."))
    c.done()
    resolved = resolve_targets(actor, wanted)
    missing = sorted(wanted - set(resolved))
    if missing:
        raise ValidationFailed({"follows": _("%(type)s %(id)s gibt es nicht, oder Sie können es nicht sehen.",
                                             type=str(TARGET_TYPES[missing[0][0]]), id=missing[0][1])}, status=404)
    current = {(f.target_type, f.target_id): f for f in db.session.execute(
        sa.select(Follow).where(Follow.user_id == actor.id)).scalars()}
    for pair, row in current.items():
        if pair not in wanted:
            db.session.delete(row)
    for pair in wanted - set(current):
        db.session.add(Follow(user_id=actor.id, target_type=pair[0], target_id=pair[1]))
    db.session.flush()


# --- unsubscribe links ------------------------------------------------------------------------

def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed, login-free link token: turn off `kind` (an event kind or the digest) for the user."""
    return _serializer("interest-unsubscribe").dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    try:
        user_id, kind = _serializer("interest-unsubscribe").loads(token or "")
    except (BadSignature, TypeError, ValueError):
        user_id, kind = None, None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or (kind != DIGEST_KIND and kind not in EVENT_KINDS):
        raise ValidationFailed({"token": _("Dieser Abmeldelink ist ungültig.")}, status=404)
    return user, kind


def unsubscribe(token: str) -> tuple[User, str]:
    """Turn the digest (or immediate mails of one kind) off without login."""
    user, kind = read_unsubscribe_token(token)
    _store_preference(user, kind, "off")
    audit.record(user, "follow.unsubscribed", obj=user, municipality_id=user.municipality_id,
                 summary=f"Benachrichtigung {kind} per Link abbestellt", kind=kind)
    db.session.flush()
    return user, kind


def kind_label(kind: str) -> str:
    return str(EVENT_KINDS.get(kind, _("Wöchentliche Zusammenfassung") if kind == DIGEST_KIND else kind))


# --- immediate notifications ---------------------------------------------------------------------

def _may_hear(user, audience) -> bool:
    """Whether the event's audience includes the user (unknown audiences: nobody)."""
    if not audience or audience in ("public", "network"):
        return True
    if user.is_coordinator:
        return True
    kind, _sep, ident = str(audience).partition(":")
    if kind == "city":
        return str(user.municipality_id) == ident
    if kind == "body":
        from network.meetings.services import follow_body
        try:
            return bool(follow_body(user, int(ident)))
        except ValueError:
            return False
    return False


def notify_followers(kind: str, targets, title: str, url: str, audience: str | None = None,
                     actor_id: int | None = None) -> int:
    """Queue one email per follower of any target who chose "immediately" for this kind of event."""
    if kind not in EVENT_KINDS:
        return 0
    pairs = [(t, int(i)) for t, i in (targets or []) if t in TARGET_TYPES and str(i).isdigit()]
    if not pairs:
        return 0
    follows = sa.or_(*[sa.and_(Follow.target_type == t, Follow.target_id == i) for t, i in pairs])
    users = db.session.execute(
        sa.select(User).where(User.active.is_(True), User.id.in_(sa.select(Follow.user_id).where(follows)),
                              User.id.in_(sa.select(NotificationPreference.user_id).where(
                                  NotificationPreference.kind == kind, NotificationPreference.mode == "immediately")))
        .order_by(User.id)).scalars().all()
    link = absolute(url or "/")
    sent = 0
    for user in users:
        if user.id == actor_id or not _may_hear(user, audience):
            continue
        with force_locale(user.language):
            subject = _("%(kind)s: %(title)s", kind=kind_label(kind), title=title)
        queue_mail(user.email, "interest/event", subject=subject[:300], locale=user.language, user=user,
                   kind=kind, title=title, link=link,
                   unsubscribe_link=url_for("interest.unsubscribe", token=unsubscribe_token(user.id, kind),
                                            _external=True),
                   settings_link=url_for("interest.settings", _external=True))
        sent += 1
    return sent


def follower_receiver(kind: str):
    """A receiver for one typed event signal that mails the followers who chose "immediately" for `kind`.

    `kind` is the key of the followers' preference (EVENT_KINDS), stored per user; setup.init_app connects
    one receiver per signal.
    """
    def receive(sender, *, targets, title, url, audience, actor_id, **_obj):
        notify_followers(kind, targets, title or "", url or "/", audience, actor_id)
    receive.__name__ = f"notify_followers_of_{kind.replace('.', '_')}"
    receive.__doc__ = f"Mail the followers who hear about {kind} immediately."
    return receive


# --- weekly digest -----------------------------------------------------------------------------

def iso_week(moment) -> str:
    year, week, _day = moment.astimezone(BERLIN).isocalendar()
    return f"{year}-W{week:02d}"


def weekly_follows(user, prefs: dict | None = None) -> dict:
    """type -> ids the user follows for the weekly digest (types of the kinds set to "weekly")."""
    prefs = prefs or preferences(user)
    types = {t for kind, mode in prefs.items() if mode == "weekly" and kind in KIND_TARGETS
             for t in KIND_TARGETS[kind]}
    out = {t: set() for t in TARGET_TYPES}
    for t, i in db.session.execute(sa.select(Follow.target_type, Follow.target_id)
                                   .where(Follow.user_id == user.id)).all():
        if t in types:
            out[t].add(i)
    return out


def lead_changes_section(user, since, until, follows) -> DigestSection | None:
    """Own digest section: new leads and ended leads of followed topics (topics' LeadEvent history)."""
    topic_ids = follows.get("topic") or set()
    if not topic_ids or not can(user, "topic.view") or preferences(user)["topic.lead_changed"] != "weekly":
        return None
    rows = db.session.execute(
        sa.select(LeadEvent, Topic).join(Topic, Topic.id == LeadEvent.topic_id)
        .where(LeadEvent.topic_id.in_(topic_ids), Topic.status == "active",
               LeadEvent.action.in_(LEAD_CHANGE_ACTIONS), LeadEvent.created_at >= since, LeadEvent.created_at < until)
        .order_by(LeadEvent.created_at)).all()
    items = [DigestItem(title=topic.name, url=absolute(url_for("topics.detail", slug=topic.slug)),
                        detail=f"{ev.label}: {ev.municipality.name}" if ev.municipality else ev.label)
             for ev, topic in rows]
    return DigestSection(key="lead_changes", title=_("Federführung in Themen, denen Sie folgen"), items=items)


def _digest_due(now) -> bool:
    local = now.astimezone(BERLIN)
    return (local.weekday(), local.hour) >= (current_app.config["INTEREST_DIGEST_WEEKDAY"],
                                             current_app.config["INTEREST_DIGEST_HOUR"])


def build_digest(user, since, until) -> list[DigestSection]:
    """The digest's sections for a user (inside the user's language)."""
    with force_locale(user.language):
        return digest_sections(user, since, until, weekly_follows(user))


def send_weekly_digests(now=None, *, force: bool = False) -> dict:
    """Scheduler: each active member gets at most one digest per ISO week; an empty one is not sent.

    The ledger row (unique per user and week) is written in the same transaction as the outbox mail, so a
    second scheduler or a rerun after a crash sends nothing twice.
    """
    now = now or utcnow()
    stats = {"sent": 0, "empty": 0, "skipped": 0}
    if not force and not _digest_due(now):
        return stats
    week = iso_week(now)
    done = sa.select(DigestLedger.user_id).where(DigestLedger.week == week)
    off = sa.select(NotificationPreference.user_id).where(NotificationPreference.kind == DIGEST_KIND,
                                                          NotificationPreference.mode == "off")
    ids = db.session.execute(sa.select(User.id).where(
        User.active.is_(True), User.password_hash.is_not(None), User.id.not_in(done), User.id.not_in(off))
        .order_by(User.id)).scalars().all()
    last = dict(db.session.execute(sa.select(DigestLedger.user_id, sa.func.max(DigestLedger.until))
                                   .where(DigestLedger.user_id.in_(ids)).group_by(DigestLedger.user_id)).all()) if ids else {}
    db.session.rollback()
    for user_id in ids:
        user = db.session.get(User, user_id)
        since = last.get(user_id) or now - timedelta(days=7)
        if since.tzinfo is None:  # SQLite's max() bypasses the column type
            from datetime import timezone
            since = since.replace(tzinfo=timezone.utc)
        sections = build_digest(user, since, now)
        count = sum(len(s.items) for s in sections)
        try:
            db.session.add(DigestLedger(user_id=user.id, week=week, since=since, until=now, items=count))
            db.session.flush()
            if count:
                with force_locale(user.language):
                    subject = _("Ihre Wochenübersicht aus dem Städtenetz (%(week)s)", week=week)
                queue_mail(user.email, "interest/digest", subject=subject, locale=user.language,
                           key=f"digest:{user.id}:{week}", municipality_id=user.municipality_id, user=user,
                           sections=sections, since=since, until=now,
                           unsubscribe_link=url_for("interest.unsubscribe",
                                                    token=unsubscribe_token(user.id, DIGEST_KIND), _external=True),
                           settings_link=url_for("interest.settings", _external=True))
            db.session.commit()
        except IntegrityError:  # another scheduler wrote this week's row first
            db.session.rollback()
            stats["skipped"] += 1
            continue
        stats["sent" if count else "empty"] += 1
    return stats


def digest_job() -> dict:
    """Scheduler entry: the weekly digest when it is due."""
    return send_weekly_digests()

