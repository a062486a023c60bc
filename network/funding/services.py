"""Funding: calls and their deadlines, the radar, interest marks, joint applications, reminders."""

import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from babel.numbers import NumberFormatError, parse_decimal
from flask import abort, current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from network.accounts.models import User
from network.core import audit
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import can, require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.funding.signals import funding_call_published
from network.funding.models import (APPLICATION_STATUSES, FUNDERS, Application, ApplicationEvent,
                                    ApplicationMember, ApplicationNote, ChecklistItem, FundingCall, FundingDeadline,
                                    FundingInterest, FundingReminder, berlin_today, call_field, call_topic)
from network.municipalities.models import Municipality
from network.topics.models import FieldOfAction, Topic

MAX_DEADLINES = 5
MAX_TEXT = 5000
#: 999.999.999.999,99 fits Numeric(14, 2)
MAX_AMOUNT = Decimal("999999999999.99")
PAGE_SIZE = 50
#: application states in which deadlines still matter (reminders, calendar)
ACTIVE_APPLICATION = ("idea", "preparing")
#: member rows that see an application's inside (a declined city no longer does)
SEEING = ("invited", "accepted")


# --- parsing --------------------------------------------------------------------------------

_PLAIN_DECIMAL = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_amount(c: Checker, field: str, value, *, label: str, upper: Decimal = MAX_AMOUNT) -> Decimal | None:
    """A non-negative euro amount: German input ("1.234,56", "1234,56", "1.234 €"), a plain decimal
    ("1234.56") or a JSON number. Empty -> None. Violations go to `field` in German."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        c.add(field, _("%(label)s muss eine Zahl sein, z. B. 1.234,56.", label=label))
        return None
    try:
        if isinstance(value, (int, float, Decimal)):
            amount = Decimal(str(value))
        else:
            text = str(value).replace("\u00a0", " ").replace("€", "").replace("EUR", "").replace("%", "").strip()
            text = text.replace(" ", "")
            negative = text.startswith("-")
            if negative:
                text = text[1:]
            if _PLAIN_DECIMAL.match(text) and text.count(".") == 1 and len(text.split(".")[1]) != 3:
                amount = Decimal(text)
            else:
                amount = Decimal(parse_decimal(text, locale="de", strict=True))
            if negative:
                amount = -amount
    except (InvalidOperation, NumberFormatError, ValueError):
        c.add(field, _("%(label)s muss eine Zahl sein, z. B. 1.234,56.", label=label))
        return None
    if not amount.is_finite():
        c.add(field, _("%(label)s muss eine Zahl sein, z. B. 1.234,56.", label=label))
        return None
    if amount < 0:
        c.add(field, _("%(label)s darf nicht negativ sein.", label=label))
        return None
    if amount != amount.quantize(Decimal("0.01")):
        c.add(field, _("%(label)s hat höchstens zwei Nachkommastellen.", label=label))
        return None
    if amount > upper:
        c.add(field, _("%(label)s ist zu groß.", label=label))
        return None
    return amount.quantize(Decimal("0.01"))


def parse_rate(c: Checker, field: str, value) -> Decimal | None:
    """The funding rate in percent, 0–100."""
    before = dict(c.errors)
    rate = parse_amount(c, field, value, label=_("Der Fördersatz"), upper=Decimal("1e15"))
    if rate is not None and rate > 100:
        c.add(field, _("Der Fördersatz muss zwischen 0 und 100 Prozent liegen."))
        return None
    if field in c.errors and field not in before and value is not None and str(value).strip().startswith("-"):
        c.errors[field] = _("Der Fördersatz muss zwischen 0 und 100 Prozent liegen.")
    return rate


def parse_date(c: Checker, field: str, value, *, label: str, required: bool = False) -> date | None:
    """A calendar day: ISO (2026-03-31) or German (31.03.2026); empty -> None."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = value
    else:
        text = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))
        if not text:
            if required:
                c.add(field, _("%(label)s fehlt.", label=label))
            return None
        parsed = None
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                parsed = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if parsed is None:
            c.add(field, _("%(label)s muss ein Datum sein (TT.MM.JJJJ).", label=label))
            return None
    if not date(1990, 1, 1) <= parsed <= date(2100, 12, 31):
        c.add(field, _("%(label)s muss zwischen 1990 und 2100 liegen.", label=label))
        return None
    return parsed


def _ids(values) -> list[int]:
    out = []
    for v in values or []:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            out.append(-1)
    return out


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "y", "yes", "on", "ja")
    return bool(value)


def _link(endpoint: str, **kw) -> str:
    """An absolute URL, or "" where none can be built (no request and no SERVER_NAME)."""
    try:
        return url_for(endpoint, _external=True, **kw)
    except RuntimeError:
        return ""


def _path(endpoint: str, **kw) -> str:
    try:
        return url_for(endpoint, **kw)
    except RuntimeError:
        return ""


def _member_city(actor) -> Municipality:
    city = getattr(actor, "municipality", None)
    if city is None or city.status != "member":
        raise ValidationFailed({"city": _("Sie handeln für keine Mitgliedskommune; das ist nur für die eigene "
                                          "Kommune möglich.")}, status=403)
    return city


def _city_leads(city_ids) -> list[User]:
    if not city_ids:
        return []
    return db.session.execute(
        sa.select(User).where(User.municipality_id.in_(list(city_ids)), User.role == "lead",
                              User.active.is_(True)).order_by(User.id)
    ).scalars().all()


# --- calls: reading -------------------------------------------------------------------------

def fields_of_action():
    return db.session.execute(sa.select(FieldOfAction).order_by(FieldOfAction.position, FieldOfAction.name)
                              ).scalars().all()


def active_topics():
    return db.session.execute(sa.select(Topic).where(Topic.status == "active").order_by(Topic.name)).scalars().all()


def get_call_or_404(user, call_id) -> FundingCall:
    """A funding call (network data: every member may see it)."""
    require(user, "funding.view")
    call = db.session.get(FundingCall, call_id)
    if call is None:
        abort(404)
    return call


def _next_due(today: date):
    return (sa.select(sa.func.min(FundingDeadline.due_on))
            .where(FundingDeadline.call_id == FundingCall.id, FundingDeadline.due_on >= today)
            .correlate(FundingCall).scalar_subquery())


def _has_deadline():
    return sa.exists(sa.select(FundingDeadline.id).where(FundingDeadline.call_id == FundingCall.id)
                     .correlate(FundingCall))


def _resolve(model, value):
    """A field of action or topic by slug or id (query arguments of the radar and the API)."""
    if value in (None, ""):
        return None
    value = str(value).strip()[:80]
    cond = model.slug == value
    if value.isdigit():
        cond = sa.or_(cond, model.id == int(value))
    return db.session.execute(sa.select(model).where(cond)).scalars().first()


def calls_query(*, status: str | None = None, funder: str | None = None, field=None, topic=None,
                now: datetime | None = None):
    """select() of calls filtered by status (open, announced, closed, current = open or announced, all),
    funder, field of action and topic, ordered by the nearest deadline (calls without one last)."""
    today = berlin_today(now)
    next_due = _next_due(today)
    stmt = sa.select(FundingCall)
    not_closed = sa.or_(next_due.is_not(None), ~_has_deadline())
    announced = sa.and_(FundingCall.opens_on.is_not(None), FundingCall.opens_on > today)
    if status in (None, "", "current"):
        stmt = stmt.where(not_closed)
    elif status == "open":
        stmt = stmt.where(not_closed, ~announced)
    elif status == "announced":
        stmt = stmt.where(not_closed, announced)
    elif status == "closed":
        stmt = stmt.where(~not_closed)
    if funder:
        stmt = stmt.where(FundingCall.funder == funder)
    if field is not None:
        stmt = stmt.where(FundingCall.id.in_(sa.select(call_field.c.call_id).where(call_field.c.field_id == field.id)))
    if topic is not None:
        stmt = stmt.where(FundingCall.id.in_(sa.select(call_topic.c.call_id).where(call_topic.c.topic_id == topic.id)))
    if status == "closed":
        last_due = (sa.select(sa.func.max(FundingDeadline.due_on)).where(FundingDeadline.call_id == FundingCall.id)
                    .correlate(FundingCall).scalar_subquery())
        return stmt.order_by(last_due.desc(), FundingCall.title, FundingCall.id)
    return stmt.order_by(sa.case((next_due.is_(None), 1), else_=0), next_due, FundingCall.title, FundingCall.id)


STATUS_FILTERS = ("current", "open", "announced", "closed", "all")


def radar(user, *, status="current", funder=None, field=None, topic=None, page: int = 1,
          now: datetime | None = None) -> dict:
    """One page of the radar with who is interested and the own city's applications, in fixed queries."""
    require(user, "funding.view")
    status = status if status in STATUS_FILTERS else "current"
    funder = funder if funder in FUNDERS else None
    field_obj = _resolve(FieldOfAction, field)
    topic_obj = _resolve(Topic, topic)
    stmt = calls_query(status=status, funder=funder, field=field_obj, topic=topic_obj, now=now)
    page = max(1, min(int(page or 1), 10_000))
    calls = db.session.execute(stmt.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).scalars().all()
    has_next = len(calls) > PAGE_SIZE
    calls = calls[:PAGE_SIZE]
    interests = interests_by_call([c.id for c in calls])
    own = own_applications_by_call(user, [c.id for c in calls])
    return {"calls": calls, "interests": interests, "own_applications": own, "has_next": has_next, "page": page,
            "status": status, "funder": funder, "field": field_obj, "topic": topic_obj}


def interests_by_call(call_ids) -> dict[int, list[FundingInterest]]:
    """Interest marks of member cities per call (one query)."""
    out = defaultdict(list)
    if not call_ids:
        return out
    rows = db.session.execute(
        sa.select(FundingInterest).join(Municipality, Municipality.id == FundingInterest.municipality_id)
        .where(FundingInterest.call_id.in_(call_ids), Municipality.status == "member").order_by(Municipality.name)
    ).scalars().all()
    for row in rows:
        out[row.call_id].append(row)
    return out


def own_applications_by_call(user, call_ids) -> dict[int, list[Application]]:
    """Applications on these calls that the user's city takes part in (one query)."""
    out = defaultdict(list)
    city_id = getattr(user, "municipality_id", None)
    if not call_ids or city_id is None:
        return out
    rows = db.session.execute(
        sa.select(Application).join(ApplicationMember, ApplicationMember.application_id == Application.id)
        .where(Application.call_id.in_(call_ids), ApplicationMember.municipality_id == city_id,
               ApplicationMember.status.in_(SEEING)).order_by(Application.id)
    ).scalars().unique().all()
    for row in rows:
        out[row.call_id].append(row)
    return out


def matching_projects(user, call: FundingCall) -> list[dict]:
    """"Passt zu Ihren Vorhaben": the inventory's matching projects of the viewer's own city (when there)."""
    from network.inventory.services import matching_projects as inventory_matches
    city_id = getattr(user, "municipality_id", None)
    if city_id is None or not (call.fields or call.topics):
        return []
    return list(inventory_matches(user, city_id, [f.id for f in call.fields], [t.id for t in call.topics]) or [])


def own_interest(user, call) -> FundingInterest | None:
    city_id = getattr(user, "municipality_id", None)
    if city_id is None:
        return None
    return db.session.execute(sa.select(FundingInterest).where(
        FundingInterest.call_id == call.id, FundingInterest.municipality_id == city_id)).scalar_one_or_none()


# --- calls: writing -------------------------------------------------------------------------

CALL_KEYS = ("title", "funder", "funder_name", "url", "summary", "eligibility", "joint_allowed", "rate",
             "min_amount", "max_amount", "opens_on", "source", "checked_on", "field_ids", "topic_ids", "deadlines")


def call_values(call: FundingCall) -> dict:
    """The call's current values in the shape create/update take (PATCH merges into this)."""
    return {
        "title": call.title, "funder": call.funder, "funder_name": call.funder_name, "url": call.url,
        "summary": call.summary, "eligibility": call.eligibility, "joint_allowed": call.joint_allowed,
        "rate": call.rate, "min_amount": call.min_amount, "max_amount": call.max_amount,
        "opens_on": call.opens_on, "source": call.source, "checked_on": call.checked_on,
        "field_ids": [f.id for f in call.fields], "topic_ids": [t.id for t in call.topics],
        "deadlines": [{"label": d.label, "due_on": d.due_on} for d in call.deadlines],
    }


def _check_call(c: Checker, data: dict) -> dict:
    out = {
        "title": c.text("title", data.get("title"), label=_("den Namen des Programms"), max_len=200),
        "funder": c.choice("funder", data.get("funder"), FUNDERS, label=_("Fördergeber")),
        "funder_name": c.text("funder_name", data.get("funder_name"), label=_("Der Name des Fördergebers"),
                              required=False, max_len=200),
        "url": c.url("url", data.get("url"), label=_("Der Link")),
        "summary": c.text("summary", data.get("summary"), label=_("Die Zusammenfassung"), required=False,
                          max_len=MAX_TEXT),
        "eligibility": c.text("eligibility", data.get("eligibility"), label=_("Wer antragsberechtigt ist"),
                              required=False, max_len=MAX_TEXT),
        "joint_allowed": _bool(data.get("joint_allowed")),
        "source": c.text("source", data.get("source"), label=_("Die Quelle"), required=False, max_len=300),
        "rate": parse_rate(c, "rate", data.get("rate")),
        "min_amount": parse_amount(c, "min_amount", data.get("min_amount"), label=_("Der Mindestbetrag")),
        "max_amount": parse_amount(c, "max_amount", data.get("max_amount"), label=_("Der Höchstbetrag")),
        "opens_on": parse_date(c, "opens_on", data.get("opens_on"), label=_("Das Öffnungsdatum")),
        "checked_on": parse_date(c, "checked_on", data.get("checked_on"), label=_("Das Prüfdatum")),
    }
    if out["min_amount"] is not None and out["max_amount"] is not None and out["min_amount"] > out["max_amount"]:
        c.add("min_amount", _("Der Mindestbetrag darf nicht größer als der Höchstbetrag sein."))
    if out["checked_on"] is not None and out["checked_on"] > berlin_today():
        c.add("checked_on", _("Das Prüfdatum darf nicht in der Zukunft liegen."))
    raw = data.get("deadlines") or []
    if not isinstance(raw, (list, tuple)):
        c.add("deadlines", _("Die Fristen müssen eine Liste sein."))
        raw = []
    deadlines = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            c.add(f"deadline_date_{i}", _("Das Datum der Frist muss ein Datum sein (TT.MM.JJJJ)."))
            continue
        label = c.text(f"deadline_label_{i}", item.get("label"), label=_("Die Bezeichnung der Frist"),
                       required=False, max_len=120)
        if not label and not item.get("due_on"):
            continue  # an empty row of the form
        due = parse_date(c, f"deadline_date_{i}", item.get("due_on"), label=_("Das Datum der Frist"), required=True)
        if due is not None and out["opens_on"] is not None and due <= out["opens_on"]:
            c.add(f"deadline_date_{i}", _("Die Frist muss nach dem Öffnungsdatum liegen."))
        if due is not None:
            deadlines.append({"label": label or _("Frist"), "due_on": due})
    if len(deadlines) > MAX_DEADLINES:
        c.add("deadlines", _("Höchstens %(n)s Fristen je Förderaufruf.", n=MAX_DEADLINES))
    dates = [d["due_on"] for d in deadlines]
    if len(set(dates)) != len(dates):
        c.add("deadlines", _("Zwei Fristen haben dasselbe Datum."))
    out["deadlines"] = sorted(deadlines, key=lambda d: d["due_on"])
    field_ids, topic_ids = _ids(data.get("field_ids")), _ids(data.get("topic_ids"))
    fields = db.session.execute(sa.select(FieldOfAction).where(FieldOfAction.id.in_(field_ids))).scalars().all() \
        if field_ids else []
    if len(fields) != len(set(field_ids)):
        c.add("field_ids", _("Bitte wählen Sie nur vorhandene Handlungsfelder."))
    topics = db.session.execute(sa.select(Topic).where(Topic.id.in_(topic_ids), Topic.status == "active")
                                ).scalars().all() if topic_ids else []
    if len(topics) != len(set(topic_ids)):
        c.add("topic_ids", _("Bitte wählen Sie nur vorhandene Themen."))
    out["fields"], out["topics"] = fields, topics
    return out


def _apply_call(call: FundingCall, values: dict) -> None:
    deadlines = values.pop("deadlines")
    for key, value in values.items():
        setattr(call, key, value)
    existing = {d.due_on: d for d in call.deadlines}
    keep = []
    for d in deadlines:
        row = existing.pop(d["due_on"], None) or FundingDeadline(due_on=d["due_on"])
        row.label = d["label"]
        keep.append(row)
    call.deadlines = keep


def create_call(actor, data: dict, *, is_example: bool = False) -> FundingCall:
    """Record a funding call (coordination and city leads); tells the network (funding.call_published)."""
    require(actor, "funding.record")
    c = Checker()
    values = _check_call(c, data)
    c.done()
    call = FundingCall(created_by_id=getattr(actor, "id", None), is_example=is_example)
    _apply_call(call, values)
    db.session.add(call)
    db.session.flush()
    audit.record(actor, "funding.call_created", obj=call, summary=f"Förderaufruf {call.title} erfasst")
    funding_call_published.send(call=call, targets=[("topic", t.id) for t in call.topics], title=call.title,
                                url=_path("funding.detail", call_id=call.id), audience="network",
                                actor_id=getattr(actor, "id", None))
    db.session.flush()
    return call


def _stale(message):
    return ValidationFailed({"version": message}, status=409)


def update_call(actor, call: FundingCall, data: dict, *, version) -> FundingCall:
    """Edit a call (any city lead or the coordination: calls are shared network knowledge); 409 when stale."""
    require(actor, "funding.record")
    message = _("Der Förderaufruf wurde inzwischen von jemand anderem geändert. Bitte prüfen Sie die aktuelle "
                "Fassung; Ihre Eingaben stehen noch im Formular.")
    if str(version) != str(call.version):
        raise _stale(message)
    merged = {**call_values(call), **{k: v for k, v in data.items() if k in CALL_KEYS}}
    c = Checker()
    values = _check_call(c, merged)
    c.done()
    _apply_call(call, values)
    call.updated_at = utcnow()  # bumps the version even when only deadlines changed
    audit.record(actor, "funding.call_updated", obj=call, summary=f"Förderaufruf {call.title} geändert")
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise _stale(message)
    return call


def mark_checked(actor, call: FundingCall) -> FundingCall:
    """"Heute geprüft": the recording person confirmed the call's data with the funder today (Berlin day)."""
    require(actor, "funding.record")
    call.checked_on = berlin_today()
    call.updated_at = utcnow()
    audit.record(actor, "funding.call_checked", obj=call, summary=f"Förderaufruf {call.title} geprüft")
    db.session.flush()
    return call


def set_interest(actor, call: FundingCall, interested: bool, note: str = "") -> FundingInterest | None:
    """Mark or unmark "wir prüfen eine Bewerbung" for the actor's city."""
    require(actor, "funding.apply")
    city = _member_city(actor)
    c = Checker()
    note = c.text("note", note, label=_("Die Anmerkung"), required=False, max_len=500)
    existing = own_interest(actor, call)
    if interested and existing is None and call.status() == "closed":
        c.add("interest", _("Dieser Förderaufruf ist geschlossen."))
    c.done()
    if not interested:
        if existing is not None:
            db.session.delete(existing)
            audit.record(actor, "funding.interest_removed", obj=call, municipality_id=city.id,
                         summary=f"{city.name} prüft {call.title} nicht mehr")
            db.session.flush()
        return None
    if existing is not None:
        existing.note = note
        db.session.flush()
        return existing
    interest = FundingInterest(call_id=call.id, municipality_id=city.id, marked_by_id=actor.id, note=note)
    db.session.add(interest)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # a colleague marked it at the same moment
        return own_interest(actor, call)
    audit.record(actor, "funding.interest_marked", obj=call, municipality_id=city.id,
                 summary=f"{city.name} prüft eine Bewerbung für {call.title}")
    db.session.flush()
    return interest


# --- applications: reading ------------------------------------------------------------------

def get_application_or_404(user, application_id) -> Application:
    """An application the user may see: its cities (lead, invited or accepted partners) and the coordination."""
    require(user, "funding.view")
    app_ = db.session.get(Application, application_id)
    if app_ is None or not may_see_application(user, app_):
        abort(404)
    return app_


def may_see_application(user, app_: Application) -> bool:
    if can(user, "funding.manage"):
        return True
    city_id = getattr(user, "municipality_id", None)
    return city_id is not None and any(m.municipality_id == city_id and m.status in SEEING for m in app_.members)


def membership(user, app_: Application) -> ApplicationMember | None:
    city_id = getattr(user, "municipality_id", None)
    return next((m for m in app_.members if m.municipality_id == city_id), None) if city_id else None


def applications_for(user) -> list[Application]:
    """Applications the user's city takes part in (or all, for the coordination)."""
    require(user, "funding.view")
    stmt = sa.select(Application).order_by(Application.updated_at.desc(), Application.id.desc())
    if not can(user, "funding.manage"):
        city_id = getattr(user, "municipality_id", None)
        if city_id is None:
            return []
        stmt = stmt.where(Application.id.in_(sa.select(ApplicationMember.application_id).where(
            ApplicationMember.municipality_id == city_id, ApplicationMember.status.in_(SEEING))))
    return db.session.execute(stmt).scalars().all()


def application_workspace(app_: Application) -> dict:
    """Checklist, notes and timeline of an application."""
    items = db.session.execute(sa.select(ChecklistItem).where(ChecklistItem.application_id == app_.id)
                               .order_by(ChecklistItem.done, sa.case((ChecklistItem.due_on.is_(None), 1), else_=0),
                                         ChecklistItem.due_on, ChecklistItem.id)).scalars().all()
    notes = db.session.execute(sa.select(ApplicationNote).where(ApplicationNote.application_id == app_.id)
                               .order_by(ApplicationNote.created_at.desc(), ApplicationNote.id.desc())).scalars().all()
    events = db.session.execute(sa.select(ApplicationEvent).where(ApplicationEvent.application_id == app_.id)
                                .order_by(ApplicationEvent.created_at.desc(), ApplicationEvent.id.desc())
                                ).scalars().all()
    return {"checklist": items, "notes": notes, "events": events}


def invitable_cities(app_: Application):
    """Member cities that are not (or no longer: declined) in the application."""
    taken = {m.municipality_id for m in app_.members if m.status != "declined"}
    cities = db.session.execute(sa.select(Municipality).where(Municipality.status == "member")
                                .order_by(Municipality.name)).scalars().all()
    return [c for c in cities if c.id not in taken]


def pending_invitations(user) -> list[ApplicationMember]:
    """Invitations of the user's city that a lead still has to answer."""
    city_id = getattr(user, "municipality_id", None)
    if city_id is None or not can(user, "funding.apply"):
        return []
    return db.session.execute(
        sa.select(ApplicationMember).where(ApplicationMember.municipality_id == city_id,
                                           ApplicationMember.status == "invited")
        .options(sa.orm.joinedload(ApplicationMember.application)).order_by(ApplicationMember.created_at)
    ).scalars().all()


# --- applications: writing ------------------------------------------------------------------

def _event(app_, action, actor, detail="", city_id=None):
    db.session.add(ApplicationEvent(application_id=app_.id, action=action, actor_id=getattr(actor, "id", None),
                                    municipality_id=city_id if city_id is not None else getattr(actor, "municipality_id", None),
                                    detail=detail[:500]))


def _require_lead_city(actor, app_: Application) -> None:
    """Only a lead of the lead applicant city: partners (and the coordination) get 403."""
    require(actor, "funding.apply")
    if getattr(actor, "municipality_id", None) != app_.municipality_id:
        raise ValidationFailed({"status": _("Nur die Leitung der antragstellenden Kommune kann das ändern.")},
                               status=403)


def _require_active_member(actor, app_: Application, permission="funding.apply") -> ApplicationMember:
    require(actor, permission)
    member = membership(actor, app_)
    if member is None or member.status != "accepted":
        raise ValidationFailed({"member": _("Das geht erst, wenn Ihre Kommune beim Antrag dabei ist.")}, status=403)
    return member


def _fmt_amount(value) -> str:
    return "–" if value is None else f"{value:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def create_application(actor, call: FundingCall, data: dict, *, is_example: bool = False) -> Application:
    """Start a (joint) application for a call; the actor's city is the lead applicant."""
    require(actor, "funding.apply")
    city = _member_city(actor)
    c = Checker()
    title = c.text("title", data.get("title") or call.title, label=_("den Titel"), max_len=200)
    description = c.text("description", data.get("description"), label=_("Die Beschreibung"), required=False,
                         max_len=MAX_TEXT)
    requested = parse_amount(c, "requested_amount", data.get("requested_amount"), label=_("Der beantragte Betrag"))
    if call.status() == "closed":
        c.add("call", _("Dieser Förderaufruf ist geschlossen; ein neuer Antrag ist nicht mehr möglich."))
    c.done()
    app_ = Application(call_id=call.id, municipality_id=city.id, title=title, description=description,
                       requested_amount=requested, status="idea", created_by_id=actor.id, is_example=is_example)
    app_.members.append(ApplicationMember(municipality_id=city.id, role="lead", status="accepted",
                                          invited_by_id=actor.id, answered_at=utcnow()))
    db.session.add(app_)
    db.session.flush()
    _event(app_, "created", actor, title)
    audit.record(actor, "funding.application_created", obj=app_, summary=f"Antrag {title} zu {call.title} angelegt")
    db.session.flush()
    return app_


def update_application(actor, app_: Application, data: dict, *, version=None) -> Application:
    """Lead city: title, description, status, requested and granted amounts; a stale version answers 409."""
    _require_lead_city(actor, app_)
    if version is not None and str(version) != str(app_.version):
        raise _stale(_("Der Antrag wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu."))
    c = Checker()
    changes = []
    if "title" in data:
        title = c.text("title", data.get("title"), label=_("den Titel"), max_len=200)
    else:
        title = app_.title
    description = c.text("description", data.get("description"), label=_("Die Beschreibung"), required=False,
                         max_len=MAX_TEXT) if "description" in data else app_.description
    status = c.choice("status", data.get("status"), APPLICATION_STATUSES, label=_("Status")) \
        if "status" in data else app_.status
    requested = parse_amount(c, "requested_amount", data.get("requested_amount"),
                             label=_("Der beantragte Betrag")) if "requested_amount" in data else app_.requested_amount
    granted = parse_amount(c, "granted_amount", data.get("granted_amount"),
                           label=_("Der bewilligte Betrag")) if "granted_amount" in data else app_.granted_amount
    if granted is not None and status != "granted" and "granted_amount" not in c.errors:
        c.add("granted_amount", _("Einen bewilligten Betrag gibt es nur beim Status „bewilligt“."))
    c.done()
    if status != app_.status:
        changes.append(("status", f"{APPLICATION_STATUSES[app_.status]} → {APPLICATION_STATUSES[status]}"))
    if requested != app_.requested_amount or granted != app_.granted_amount:
        changes.append(("amounts", f"{_('beantragt')}: {_fmt_amount(requested)}, {_('bewilligt')}: "
                                   f"{_fmt_amount(granted)}"))
    app_.title, app_.description, app_.status = title, description, status
    app_.requested_amount, app_.granted_amount = requested, granted
    app_.updated_at = utcnow()
    for action, detail in changes:
        _event(app_, action, actor, detail)
    audit.record(actor, "funding.application_updated", obj=app_, summary=f"Antrag {app_.title} geändert",
                 status=status)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise _stale(_("Der Antrag wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu."))
    return app_


def invite_partner(actor, app_: Application, city_id) -> ApplicationMember:
    """Lead city: invite a member city as partner; its leads get an email."""
    _require_lead_city(actor, app_)
    c = Checker()
    city = None
    try:
        city = db.session.get(Municipality, int(city_id))
    except (TypeError, ValueError):
        pass
    if city is None or city.status != "member":
        c.add("municipality_id", _("Bitte wählen Sie eine Mitgliedskommune."))
    elif not app_.call.joint_allowed:
        c.add("municipality_id", _("Dieser Förderaufruf lässt keine Verbundanträge zu."))
    elif app_.status not in ("idea", "preparing"):
        c.add("municipality_id", _("Partner können nur eingeladen werden, solange der Antrag in Vorbereitung ist."))
    c.done()
    member = next((m for m in app_.members if m.municipality_id == city.id), None)
    if member is not None and member.status != "declined":
        raise ValidationFailed({"municipality_id": _("%(city)s ist bereits eingeladen oder dabei.", city=city.name)},
                               status=409)
    if member is None:
        member = ApplicationMember(municipality_id=city.id, role="partner")
        app_.members.append(member)
    member.status, member.invited_by_id, member.answered_at = "invited", actor.id, None
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise ValidationFailed({"municipality_id": _("%(city)s ist bereits eingeladen oder dabei.", city=city.name)},
                               status=409)
    _event(app_, "invited", actor, city.name)
    audit.record(actor, "funding.partner_invited", obj=app_, summary=f"{city.name} zu Antrag {app_.title} eingeladen")
    link = _link("funding.application", application_id=app_.id)
    for user in _city_leads([city.id]):
        with force_locale(user.language):
            subject = _("Einladung zum Verbundantrag: %(title)s", title=app_.title)
        queue_mail(user.email, "funding/invitation", subject=subject, locale=user.language, municipality_id=city.id,
                   person=user, application=app_, lead_city=app_.municipality, actor=actor, link=link)
    db.session.flush()
    return member


def answer_invitation(actor, app_: Application, decision) -> ApplicationMember:
    """A lead of an invited city accepts or declines."""
    require(actor, "funding.apply")
    member = membership(actor, app_)
    if member is None or member.status != "invited":
        raise ValidationFailed({"decision": _("Ihre Kommune hat keine offene Einladung zu diesem Antrag.")},
                               status=409)
    c = Checker()
    decision = c.choice("decision", decision, ("accept", "decline"), label=_("die Antwort"))
    c.done()
    member.status = "accepted" if decision == "accept" else "declined"
    member.answered_at = utcnow()
    _event(app_, "accepted" if decision == "accept" else "declined", actor, member.municipality.name)
    audit.record(actor, f"funding.invitation_{member.status}", obj=app_, municipality_id=member.municipality_id,
                 summary=f"{member.municipality.name}: Einladung zu {app_.title} {member.status_label}")
    link = _link("funding.application", application_id=app_.id)
    for user in _city_leads([app_.municipality_id]):
        with force_locale(user.language):
            subject = (_("%(city)s ist beim Antrag %(title)s dabei", city=member.municipality.name, title=app_.title)
                       if decision == "accept" else
                       _("%(city)s lehnt die Einladung zum Antrag %(title)s ab", city=member.municipality.name,
                         title=app_.title))
        queue_mail(user.email, "funding/answer", subject=subject, locale=user.language,
                   municipality_id=app_.municipality_id, person=user, application=app_, member=member,
                   accepted=decision == "accept", link=link)
    db.session.flush()
    return member


def set_share(actor, app_: Application, amount, note="") -> ApplicationMember:
    """A member city (lead or accepted partner) sets its own share; only its own."""
    member = _require_active_member(actor, app_)
    c = Checker()
    share = parse_amount(c, "share_amount", amount, label=_("Der Eigenanteil"))
    note = c.text("share_note", note, label=_("Die Beschreibung des Beitrags"), required=False, max_len=1000)
    c.done()
    member.share_amount, member.share_note = share, note
    _event(app_, "share", actor, f"{member.municipality.name}: {_fmt_amount(share)}")
    audit.record(actor, "funding.share_set", obj=app_, municipality_id=member.municipality_id,
                 summary=f"{member.municipality.name}: Eigenanteil an {app_.title} geändert")
    db.session.flush()
    return member


def add_checklist_item(actor, app_: Application, data: dict) -> ChecklistItem:
    """A member city's lead adds a task; partners only for themselves, the lead city for any member."""
    member = _require_active_member(actor, app_)
    c = Checker()
    title = c.text("title", data.get("title"), label=_("die Aufgabe"), max_len=200)
    due = parse_date(c, "due_on", data.get("due_on"), label=_("Das Fälligkeitsdatum"))
    responsible = member.municipality_id
    raw = data.get("municipality_id")
    if raw not in (None, ""):
        ok = {m.municipality_id for m in app_.members if m.status == "accepted"}
        try:
            responsible = int(raw)
        except (TypeError, ValueError):
            responsible = -1
        if responsible not in ok:
            c.add("municipality_id", _("Bitte wählen Sie eine Kommune, die beim Antrag dabei ist."))
        elif member.role != "lead" and responsible != member.municipality_id:
            c.add("municipality_id", _("Partnerkommunen legen Aufgaben nur für sich selbst an."))
    c.done()
    item = ChecklistItem(application_id=app_.id, title=title, due_on=due, municipality_id=responsible,
                         created_by_id=actor.id)
    db.session.add(item)
    db.session.flush()
    _event(app_, "item_added", actor, title)
    audit.record(actor, "funding.item_added", obj=app_, summary=f"Aufgabe {title} zu {app_.title}")
    db.session.flush()
    return item


def get_item_or_404(app_: Application, item_id) -> ChecklistItem:
    item = db.session.get(ChecklistItem, item_id)
    if item is None or item.application_id != app_.id:
        abort(404)
    return item


def set_item_done(actor, app_: Application, item: ChecklistItem, done: bool) -> ChecklistItem:
    """Tick or untick a task: the responsible city's members, and the lead city for every task."""
    member = _require_active_member(actor, app_, "funding.contribute")
    if member.role != "lead" and item.municipality_id != member.municipality_id:
        raise ValidationFailed({"item": _("Diese Aufgabe gehört einer anderen Kommune.")}, status=403)
    done = _bool(done)
    if item.done != done:
        item.done = done
        item.done_at = utcnow() if done else None
        item.done_by_id = actor.id if done else None
        _event(app_, "item_done" if done else "item_reopened", actor, item.title)
        audit.record(actor, "funding.item_done" if done else "funding.item_reopened", obj=app_,
                     summary=f"Aufgabe {item.title} {'erledigt' if done else 'wieder offen'}")
        db.session.flush()
    return item


def add_note(actor, app_: Application, body) -> ApplicationNote:
    """A member of an accepted city writes a note in the workspace."""
    member = _require_active_member(actor, app_, "funding.contribute")
    c = Checker()
    body = c.text("body", body, label=_("einen Text"), max_len=MAX_TEXT)
    c.done()
    note = ApplicationNote(application_id=app_.id, author_id=actor.id, municipality_id=member.municipality_id,
                           body=body)
    db.session.add(note)
    _event(app_, "note", actor, body[:80])
    db.session.flush()
    return note


# --- documents ------------------------------------------------------------------------------

def documents(app_: Application):
    from network.funding.models import ApplicationDocument
    return db.session.execute(sa.select(ApplicationDocument).where(ApplicationDocument.application_id == app_.id)
                              .order_by(ApplicationDocument.created_at.desc(), ApplicationDocument.id.desc())
                              ).scalars().all()


def get_document_or_404(app_: Application, document_id):
    from network.funding.models import ApplicationDocument
    doc = db.session.get(ApplicationDocument, document_id)
    if doc is None or doc.application_id != app_.id:
        abort(404)
    return doc


def upload_document(actor, app_: Application, file_storage):
    """A member of an accepted city adds a file (type checked by content, size limit: network.core.files)."""
    from network.core.files import save_upload
    from network.funding.models import ApplicationDocument
    member = _require_active_member(actor, app_, "funding.contribute")
    saved = save_upload(file_storage)
    doc = ApplicationDocument(application_id=app_.id, municipality_id=member.municipality_id, uploaded_by_id=actor.id,
                              storage_name=saved.storage_name, original_name=saved.original_name,
                              content_type=saved.content_type, size=saved.size, sha256=saved.sha256)
    db.session.add(doc)
    _event(app_, "document", actor, saved.original_name)
    audit.record(actor, "funding.document_uploaded", obj=app_, summary=f"Dokument zu {app_.title} hochgeladen")
    db.session.flush()
    return doc


def delete_document(actor, app_: Application, doc) -> str:
    """A lead of the uploading city (or of the lead city) removes a file; returns the storage name to delete
    after the commit. Staff may upload, deleting is for leads."""
    member = _require_active_member(actor, app_, "funding.apply")
    if member.role != "lead" and doc.municipality_id != member.municipality_id:
        raise ValidationFailed({"document": _("Dieses Dokument hat eine andere Kommune hochgeladen.")}, status=403)
    name = doc.storage_name
    _event(app_, "document_deleted", actor, doc.original_name)
    audit.record(actor, "funding.document_deleted", obj=app_, summary=f"Dokument zu {app_.title} gelöscht")
    db.session.delete(doc)
    db.session.flush()
    return name


# --- reminders ------------------------------------------------------------------------------

def _reminder_days() -> list[int]:
    days = current_app.config.get("FUNDING_REMINDER_DAYS") or (30, 14, 3)
    return sorted({int(d) for d in days if int(d) >= 0})


def _claim_and_queue(key: str, user: User, template: str, subject: str, city_id, **ctx) -> bool:
    """Ledger row and outbox mail in one transaction; a second scheduler hits the unique key and sends nothing."""
    db.session.add(FundingReminder(key=key, user_id=user.id))
    queue_mail(user.email, template, subject=subject, locale=user.language, municipality_id=city_id, person=user,
               **ctx)
    try:
        db.session.commit()
        return True
    except (IntegrityError, OperationalError):
        db.session.rollback()
        return False


def _deadline_recipients(call_ids) -> dict[int, set[int]]:
    """call id -> city ids to remind: cities that marked interest, members of active applications."""
    out = defaultdict(set)
    if not call_ids:
        return out
    for call_id, city_id in db.session.execute(
            sa.select(FundingInterest.call_id, FundingInterest.municipality_id)
            .where(FundingInterest.call_id.in_(call_ids))).all():
        out[call_id].add(city_id)
    for call_id, city_id in db.session.execute(
            sa.select(Application.call_id, ApplicationMember.municipality_id)
            .join(ApplicationMember, ApplicationMember.application_id == Application.id)
            .where(Application.call_id.in_(call_ids), Application.status.in_(ACTIVE_APPLICATION),
                   ApplicationMember.status == "accepted")).all():
        out[call_id].add(city_id)
    return out


def send_reminders(now: datetime | None = None) -> dict:
    """Run the reminder job (the scheduler and the CLI call it without a request: German by default)."""
    with force_locale("de"):
        return _send_reminders(now)


def _send_reminders(now: datetime | None = None) -> dict:
    """Deadline reminders (FUNDING_REMINDER_DAYS before each deadline) and due checklist items, each once.

    A deadline `d` days away is reminded under the smallest configured threshold >= d, so a job that
    did not run for a day (or a call recorded late) still sends the reminder, and each threshold once."""
    today = berlin_today(now)
    days = _reminder_days()
    stats = {"sent": 0, "skipped": 0}
    if days:
        deadlines = db.session.execute(
            sa.select(FundingDeadline).where(FundingDeadline.due_on >= today,
                                             FundingDeadline.due_on <= today + timedelta(days=max(days)))
            .options(sa.orm.joinedload(FundingDeadline.call)).order_by(FundingDeadline.due_on)
        ).scalars().all()
        recipients = _deadline_recipients({d.call_id for d in deadlines})
        city_ids = set().union(*recipients.values()) if recipients else set()
        member_cities = set(db.session.execute(sa.select(Municipality.id).where(
            Municipality.id.in_(city_ids), Municipality.status == "member")).scalars()) if city_ids else set()
        leads = defaultdict(list)
        for user in _city_leads(member_cities):
            leads[user.municipality_id].append(user)
        sent_keys = set(db.session.execute(sa.select(FundingReminder.key).where(
            FundingReminder.key.like("deadline:%"))).scalars())
        jobs = []
        for d in deadlines:
            left = (d.due_on - today).days
            threshold = min(t for t in days if t >= left) if any(t >= left for t in days) else None
            if threshold is None:
                continue
            for city_id in sorted(recipients.get(d.call_id, ())):
                for user in leads.get(city_id, []):
                    key = f"deadline:{d.id}:{threshold}:user:{user.id}"
                    if key not in sent_keys:
                        jobs.append((key, user, d, left, city_id))
        db.session.rollback()
        for key, user, d, left, city_id in jobs:
            user, d = db.session.merge(user, load=False), db.session.merge(d, load=False)
            with force_locale(user.language):
                subject = _("Förderfrist in %(n)s Tagen: %(title)s", n=left, title=d.call.title) if left != 1 else \
                    _("Förderfrist morgen: %(title)s", title=d.call.title)
                if left == 0:
                    subject = _("Förderfrist heute: %(title)s", title=d.call.title)
            ok = _claim_and_queue(key, user, "funding/reminder", subject, city_id, call=d.call, deadline=d,
                                  days_left=left, link=_link("funding.detail", call_id=d.call_id))
            stats["sent" if ok else "skipped"] += 1
    # checklist items that fall due (today, or in the last week if the job did not run)
    items = db.session.execute(
        sa.select(ChecklistItem, Application).join(Application, Application.id == ChecklistItem.application_id)
        .where(ChecklistItem.done.is_(False), ChecklistItem.due_on <= today,
               ChecklistItem.due_on >= today - timedelta(days=7),
               Application.status.in_(ACTIVE_APPLICATION + ("submitted",)))
    ).all()
    if items:
        leads = defaultdict(list)
        for user in _city_leads({(i.municipality_id or a.municipality_id) for i, a in items}):
            leads[user.municipality_id].append(user)
        sent_keys = set(db.session.execute(sa.select(FundingReminder.key).where(
            FundingReminder.key.like("item:%"))).scalars())
        jobs = []
        for item, app_ in items:
            city_id = item.municipality_id or app_.municipality_id
            for user in leads.get(city_id, []):
                key = f"item:{item.id}:{item.due_on.isoformat()}:user:{user.id}"
                if key not in sent_keys:
                    jobs.append((key, user, item, app_, city_id))
        db.session.rollback()
        for key, user, item, app_, city_id in jobs:
            user, item, app_ = (db.session.merge(o, load=False) for o in (user, item, app_))
            with force_locale(user.language):
                subject = _("Aufgabe fällig: %(item)s (%(title)s)", item=item.title, title=app_.title)
            ok = _claim_and_queue(key, user, "funding/item_due", subject, city_id, item=item, application=app_,
                                  link=_link("funding.application", application_id=app_.id))
            stats["sent" if ok else "skipped"] += 1
    db.session.rollback()
    return stats


# --- what other pages show (panels, calendar, digest) ---------------------------------------

def relevant_call_ids_stmt(city_id):
    """Calls the city is interested in or applies to (lead or accepted partner of an active application)."""
    interest = sa.select(FundingInterest.call_id).where(FundingInterest.municipality_id == city_id)
    applying = (sa.select(Application.call_id).join(ApplicationMember, ApplicationMember.application_id == Application.id)
                .where(ApplicationMember.municipality_id == city_id, ApplicationMember.status == "accepted",
                       Application.status.in_(ACTIVE_APPLICATION + ("submitted",))))
    return sa.union(interest, applying)


def upcoming_deadlines(city_id, *, until: date | None = None, limit: int | None = None,
                       now: datetime | None = None) -> list[FundingDeadline]:
    """Deadlines from today on of the calls relevant to the city."""
    today = berlin_today(now)
    stmt = (sa.select(FundingDeadline).where(FundingDeadline.call_id.in_(relevant_call_ids_stmt(city_id)),
                                             FundingDeadline.due_on >= today)
            .options(sa.orm.joinedload(FundingDeadline.call)).order_by(FundingDeadline.due_on, FundingDeadline.id))
    if until is not None:
        stmt = stmt.where(FundingDeadline.due_on <= until)
    if limit:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt).scalars().all()


def open_calls_on_topic(topic, limit=5, now: datetime | None = None) -> list[FundingCall]:
    return db.session.execute(calls_query(status="current", topic=topic, now=now).limit(limit)).scalars().all()
