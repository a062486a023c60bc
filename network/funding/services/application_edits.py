"""Applications, writing: start one, status and amounts, invite partners, answer an invitation."""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from network.core import audit
from network.core.boundary import Conflict, check_version
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.funding.models import APPLICATION_STATUSES, Application, ApplicationMember, FundingCall
from network.funding.services._common import MAX_TEXT, _city_leads, _link, _member_city
from network.funding.services.applications import _event, _fmt_amount, _require_lead_city, membership
from network.funding.services.parsing import parse_amount
from network.municipalities.models import Municipality


def _stale_message() -> str:
    return _("Der Antrag wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu.")


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
    if version is not None:
        check_version(app_, version, _stale_message())
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
    except StaleDataError:  # a concurrent save between our read and this flush
        db.session.rollback()
        raise Conflict({"version": _stale_message()})
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
