"""Funding's hooks: the reminder job, dashboard and topic panels, calendar source, digest section, personal data."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from network.core.hooks import (CalendarEntry, DigestItem, DigestSection, register_calendar_source,
                                register_digest_section, register_panel, register_personal_data,
                                register_waiting)
from network.core.permissions import can
from network.core.scheduler import register_job
from network.core.templating import format_day
from network.extensions import db


def init_app(app) -> None:
    """Called by create_app."""
    from network.funding.tasks import send_reminders
    register_job(app, "funding_reminders", send_reminders, seconds_config="FUNDING_REMINDER_SECONDS", seconds=3600)
    register_panel(app, "dashboard", dashboard_panel, order=40)
    register_waiting(app, waiting, order=40)
    register_panel(app, "topic", topic_panel, order=60)
    register_panel(app, "municipality", municipality_panel, order=60)
    register_calendar_source(app, calendar_entries)
    register_digest_section(app, digest_section, order=60)
    register_personal_data(app, PERSONAL_TABLES, export_personal_data, erase_personal_data)
    from network.core.audit import register_object_links, register_sentences
    from network.funding import audit_log
    register_sentences(app, audit_log.CALL_SENTENCES, ("FundingCall",))
    register_sentences(app, audit_log.APPLICATION_SENTENCES, ("Application",))
    register_object_links(app, "FundingCall", audit_log.call_links)
    register_object_links(app, "Application", audit_log.application_links)


def _url(endpoint, **kw):
    from network.funding.services._common import _link
    return _link(endpoint, **kw)


def dashboard_panel(user, **_kw):
    """Next deadlines of the city's interests and applications."""
    if not getattr(user, "municipality_id", None) or not can(user, "funding.view"):
        return None
    from network.funding.models import berlin_today
    from network.funding.services import upcoming_deadlines
    return "funding/_panel_dashboard.html", {
        "deadlines": upcoming_deadlines(user.municipality_id, limit=5), "today": berlin_today()}


def waiting(user, known=None):
    """Invitations to a joint application that the city's lead still has to answer (one query)."""
    from flask import url_for
    from network.core.hooks import WaitingItem
    from network.funding.services import pending_invitations
    if not getattr(user, "municipality_id", None) or not can(user, "funding.view"):
        return []
    return [WaitingItem(_("Einladung zum Verbundantrag „%(title)s“ von %(city)s beantworten",
                          title=m.application.title, city=m.application.municipality.name),
                        url_for("funding.application", application_id=m.application_id), kind="funding.invitation")
            for m in pending_invitations(user)[:10]]


def topic_panel(user, topic=None, **_kw):
    """Open calls on this topic."""
    if topic is None or not can(user, "funding.view"):
        return None
    from network.funding.services import open_calls_on_topic
    calls = open_calls_on_topic(topic)
    return ("funding/_panel_topic.html", {"calls": calls}) if calls else None


def municipality_panel(user, city=None):
    """On a city's page, for members: the calls the city is considering (interest marks are network-visible)."""
    if city is None or not can(user, "funding.view"):
        return None
    from network.funding.models import FundingCall, FundingInterest
    from network.funding.services import calls_query
    marked = sa.select(FundingInterest.call_id).where(FundingInterest.municipality_id == city.id)
    calls = db.session.execute(calls_query(status="current").where(FundingCall.id.in_(marked)).limit(10)
                               ).scalars().all()
    return ("funding/_panel_municipality.html", {"calls": calls, "city": city}) if calls else None


def calendar_entries(user) -> list[CalendarEntry]:
    """All-day entries: deadlines of calls the user's city is interested in or applies to, and the due
    dates of its applications' open checklist items."""
    city_id = getattr(user, "municipality_id", None)
    if not city_id or not can(user, "funding.view"):
        return []
    from network.funding.models import Application, ApplicationMember, ChecklistItem, berlin_today
    from network.funding.services import upcoming_deadlines
    out = []
    for d in upcoming_deadlines(city_id):
        out.append(CalendarEntry(
            uid=f"funding-deadline-{d.id}@staedtenetz", summary=_("Förderfrist: %(call)s – %(label)s",
                                                                   call=d.call.title, label=d.label),
            start=d.due_on, end=d.due_on + timedelta(days=1), url=_url("funding.detail", call_id=d.call_id),
            description=_("Die Frist gilt bis 23:59 Uhr deutscher Zeit.")))
    items = db.session.execute(
        sa.select(ChecklistItem, Application).join(Application, Application.id == ChecklistItem.application_id)
        .where(ChecklistItem.done.is_(False), ChecklistItem.due_on >= berlin_today() - timedelta(days=30),
               Application.id.in_(sa.select(ApplicationMember.application_id).where(
                   ApplicationMember.municipality_id == city_id, ApplicationMember.status == "accepted")))
    ).all()
    for item, app_ in items:
        out.append(CalendarEntry(
            uid=f"funding-item-{item.id}@staedtenetz", summary=_("Aufgabe fällig: %(item)s (%(title)s)",
                                                               item=item.title, title=app_.title),
            start=item.due_on, end=item.due_on + timedelta(days=1),
            url=_url("funding.application", application_id=app_.id)))
    return out


def digest_section(user, since, until, follows):
    """Funding deadlines in the next 30 days that concern the user's city."""
    city_id = getattr(user, "municipality_id", None)
    if not city_id or not can(user, "funding.view"):
        return None
    from network.funding.models import berlin_today
    from network.funding.services import upcoming_deadlines
    today = berlin_today(until)
    deadlines = upcoming_deadlines(city_id, until=today + timedelta(days=30), now=until)
    return DigestSection(key="funding", title=_("Förderfristen in den nächsten 30 Tagen"), items=[
        DigestItem(title=d.call.title, url=_url("funding.detail", call_id=d.call_id),
                   detail=f"{d.label}: {format_day(d.due_on)}") for d in deadlines])


PERSONAL_TABLES = ["funding_call", "funding_interest", "funding_application", "funding_application_member",
                   "funding_checklist_item", "funding_application_note", "funding_application_event",
                   "funding_reminder", "funding_application_document"]


def export_personal_data(user) -> dict:
    """Rows of the funding tables that name the user."""
    from network.funding import models as m
    pick = {
        "funding_call": (m.FundingCall, [m.FundingCall.created_by_id], ("id", "title", "created_at")),
        "funding_interest": (m.FundingInterest, [m.FundingInterest.marked_by_id], ("id", "call_id", "note", "created_at")),
        "funding_application": (m.Application, [m.Application.created_by_id], ("id", "title", "created_at")),
        "funding_application_member": (m.ApplicationMember, [m.ApplicationMember.invited_by_id],
                                       ("id", "application_id", "municipality_id", "created_at")),
        "funding_checklist_item": (m.ChecklistItem, [m.ChecklistItem.done_by_id, m.ChecklistItem.created_by_id],
                                   ("id", "application_id", "title", "done", "created_at")),
        "funding_application_note": (m.ApplicationNote, [m.ApplicationNote.author_id],
                                     ("id", "application_id", "body", "created_at")),
        "funding_application_event": (m.ApplicationEvent, [m.ApplicationEvent.actor_id],
                                      ("id", "application_id", "action", "detail", "created_at")),
        "funding_reminder": (m.FundingReminder, [m.FundingReminder.user_id], ("id", "key", "created_at")),
        "funding_application_document": (m.ApplicationDocument, [m.ApplicationDocument.uploaded_by_id],
                                         ("id", "application_id", "original_name", "size", "created_at")),
    }
    out = {}
    for table, (model, cols, keys) in pick.items():
        rows = db.session.execute(sa.select(model).where(sa.or_(*[c == user.id for c in cols]))).scalars().all()
        out[table] = [{k: (v.isoformat() if hasattr(v, "isoformat") else v)
                       for k in keys for v in [getattr(r, k)]} for r in rows]
    return out


def erase_personal_data(user) -> None:
    """The reminder ledger is purely personal; authored content stays with the city."""
    from network.funding.models import FundingReminder
    db.session.execute(sa.delete(FundingReminder).where(FundingReminder.user_id == user.id))
