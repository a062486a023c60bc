"""Calls, writing: record and edit a call (with its deadlines), "heute geprüft", the own city's interest."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from network.core import audit
from network.core.boundary import Conflict, check_version
from network.core.models import utcnow
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db
from network.funding.models import FUNDERS, FundingCall, FundingDeadline, FundingInterest, berlin_today
from network.funding.services._common import MAX_DEADLINES, MAX_TEXT, _bool, _ids, _member_city, _path
from network.funding.services.parsing import parse_amount, parse_date, parse_rate
from network.funding.services.radar import own_interest
from network.funding.signals import funding_call_published
from network.topics.models import FieldOfAction, Topic

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
    network_id = _network_of_form() if field_ids or topic_ids else None
    fields = db.session.execute(sa.select(FieldOfAction).where(
        FieldOfAction.id.in_(field_ids), FieldOfAction.network_id == network_id)).scalars().all() if field_ids else []
    if len(fields) != len(set(field_ids)):
        c.add("field_ids", _("Bitte wählen Sie nur vorhandene Handlungsfelder."))
    topics = db.session.execute(sa.select(Topic).where(Topic.id.in_(topic_ids), Topic.status == "active",
                                                       Topic.network_id == network_id)).scalars().all() if topic_ids else []
    if len(topics) != len(set(topic_ids)):
        c.add("topic_ids", _("Bitte wählen Sie nur vorhandene Themen."))
    out["fields"], out["topics"] = fields, topics
    return out


def _network_of_form() -> int:
    from network.funding.services.radar import _network_id
    return _network_id()


def _apply_call(call: FundingCall, values: dict) -> None:
    deadlines = values.pop("deadlines")
    # the form offers the tags of the network the user works in; the call's tags of other networks stay
    for key in ("fields", "topics"):
        if key in values and call.id is not None:
            network_id = _network_of_form()
            values[key] = [x for x in getattr(call, key) if x.network_id != network_id] + list(values[key])
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


def update_call(actor, call: FundingCall, data: dict, *, version) -> FundingCall:
    """Edit a call (any city lead or the coordination: calls are shared network knowledge); 409 when stale."""
    require(actor, "funding.record")
    message = _("Der Förderaufruf wurde inzwischen von jemand anderem geändert. Bitte prüfen Sie die aktuelle "
                "Fassung; Ihre Eingaben stehen noch im Formular.")
    check_version(call, version, message)
    merged = {**call_values(call), **{k: v for k, v in data.items() if k in CALL_KEYS}}
    c = Checker()
    values = _check_call(c, merged)
    c.done()
    _apply_call(call, values)
    call.updated_at = utcnow()  # bumps the version even when only deadlines changed
    audit.record(actor, "funding.call_updated", obj=call, summary=f"Förderaufruf {call.title} geändert")
    try:
        db.session.flush()
    except StaleDataError:  # a concurrent save between our read and this flush
        db.session.rollback()
        raise Conflict({"version": message})
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
