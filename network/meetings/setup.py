"""Wiring of the meetings domain: reminder job, panels, calendar source, digest, provider, personal data."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from network.accounts.signals import credentials_revoked
from network.core.hooks import (DigestItem, DigestSection, register_calendar_source,
                                register_digest_section, register_panel, register_waiting, register_personal_data)
from network.core.models import utcnow
from network.core.permissions import can
from network.core.scheduler import register_job
from network.core.templating import format_day, format_span
from network.extensions import db


def init_app(app) -> None:
    """Register everything the meetings domain offers to other pages and the scheduler."""
    from network.meetings import services
    from network.meetings.tasks import send_reminders

    from network.core.audit import register_object_links, register_sentences
    from network.core.current import legacy_redirects
    from network.meetings import audit_log
    from network.meetings.views import personal_bp

    register_sentences(app, audit_log.SENTENCES, ("Meeting", "Body"))
    register_object_links(app, "Meeting", audit_log.meeting_links)
    register_object_links(app, "Body", audit_log.body_links)

    app.register_blueprint(personal_bp)
    # the addresses of the single-network era lead to the same page in the default network
    legacy_redirects(app, "/treffen", "meetings_legacy")
    legacy_redirects(app, "/meetings", "meetings_ics_legacy")
    credentials_revoked.connect(end_calendar_feed)

    @app.template_global()
    def may_organise_meetings() -> bool:
        """Whether the user may schedule a meeting in this request's network (the subnavigation's link): the
        permission alone is not enough, a lead needs a project group of a topic their city leads there."""
        from flask import g
        from flask_login import current_user
        if "may_organise_meetings" not in g:
            g.may_organise_meetings = bool(services.organisable_bodies(current_user))
        return g.may_organise_meetings

    from network.topics.signals import topic_lead_changed
    topic_lead_changed.connect(add_lead_city_to_project_groups)
    register_job(app, "meeting-reminders", send_reminders, seconds_config="MEETING_REMINDER_SECONDS", seconds=300)
    register_calendar_source(app, services.calendar_source)
    register_panel(app, "dashboard", dashboard_panel, 30)
    register_waiting(app, waiting, 30)
    register_panel(app, "topic", topic_panel, 40)
    register_panel(app, "profile", profile_panel, 40)
    register_digest_section(app, digest_section, 30)
    register_personal_data(app, ["rsvp", "poll_vote", "calendar_feed", "body_person", "meeting", "agenda_item"],
                           export_personal_data,
                           erase_personal_data)


def _dashboard_data(user) -> dict:
    """The dashboard's meetings, read once per request for the panel and the waiting list (three queries)."""
    from flask import g
    from network.meetings import services
    if "dashboard_meetings" not in g:
        data = services.dashboard_meetings(user)
        data["actions"] = services.open_actions_of_city(user, limit=10)
        g.dashboard_meetings = data
    return g.dashboard_meetings


def dashboard_panel(user, **_kw):
    """The user's next meetings across all their networks (each named); whether the user has answered."""
    if not can(user, "meeting.view"):
        return None
    return "meetings/_panel_dashboard.html", {"meetings": _dashboard_data(user)["upcoming"][:5]}


def waiting(user, known=None):
    """Date polls the user has not voted in, invitations not answered, the city's open action items."""
    from flask import url_for
    from network.core.hooks import WaitingItem
    from network.meetings.ical import BERLIN
    if not can(user, "meeting.view"):
        return []
    data, out = _dashboard_data(user), []
    for m, voted in data["polls"]:
        if not voted:
            out.append(WaitingItem(_("Stimmen Sie über den Termin von „%(title)s“ ab.", title=m.title),
                                   url_for("meetings.poll", meeting_id=m.id, network=m.body.network.slug),
                                   detail=m.body.network.name, kind="meeting.poll"))
    for m, answered in data["upcoming"]:
        if not answered:
            out.append(WaitingItem(_("Sagen Sie zu oder ab: „%(title)s“ am %(when)s.", title=m.title,
                                     when=format_span(m.starts_at, m.ends_at)),
                                   url_for("meetings.detail", meeting_id=m.id, network=m.body.network.slug) + "#rsvp-status",
                                   due=m.starts_at.astimezone(BERLIN).date() if m.starts_at else None,
                                   detail=m.body.network.name,
                                   kind="meeting.rsvp"))
    for a in data["actions"]:
        net = a.meeting.body.network
        out.append(WaitingItem(_("Aufgabe Ihrer Kommune: %(text)s (aus „%(meeting)s“)", text=a.text,
                                 meeting=a.meeting.title),
                               url_for("meetings.detail", meeting_id=a.meeting_id, network=net.slug),
                               due=a.due_date, detail=net.name, kind="meeting.action",
                               button={"url": url_for("meetings.action_status", item_id=a.id, network=net.slug),
                                       "label": _("als erledigt markieren"), "fields": {"status": "done", "next": "/"},
                                       "sr": a.text[:60]}))
    return out


def topic_panel(user, topic, **_kw):
    """The topic's project group and its next meeting (members only see the meeting)."""
    from network.meetings import services
    from network.meetings.models import Body, Meeting
    if not can(user, "meeting.view"):
        return None
    # the bodies, which of them the user is a member of and each one's next meeting, in one statement
    mine = services.member_body_clause(user)
    next_id = (sa.select(Meeting.id).where(Meeting.body_id == Body.id, Meeting.status == "scheduled",
                                           Meeting.ends_at >= utcnow())
               .order_by(Meeting.starts_at, Meeting.id).limit(1).correlate(Body).scalar_subquery())
    rows = db.session.execute(sa.select(Body, mine.label("mine"), Meeting).select_from(Body)
                              .outerjoin(Meeting, sa.and_(Meeting.id == next_id, mine))
                              .where(Body.topic_id == topic.id).order_by(Body.name)).all()
    if not rows:
        return None
    bodies = [body for body, _mine, _next in rows]
    visible = {body.id for body, mine, _next in rows if mine}
    nxt = {body.id: meeting for body, mine, meeting in rows if mine and meeting is not None}
    return "meetings/_panel_topic.html", {"bodies": bodies, "visible": visible, "next": nxt}


def profile_panel(user):
    """The calendar subscription: its address once, right after it was made; later since when, renew or end."""
    from flask import session, url_for

    from network.meetings import services
    from network.meetings.views.calendar import NEW_FEED_KEY
    if not can(user, "meeting.calendar"):
        return None
    feed = services.feed_of(user)
    secret = session.pop(NEW_FEED_KEY, None)
    new_url = url_for("my_meetings.feed", secret=secret, _external=True) if feed and secret else None
    return "meetings/_panel_profile.html", {"feed": feed, "new_url": new_url}


def end_calendar_feed(sender, user, reason) -> None:
    """Receiver of accounts' credentials_revoked: a reset, change or deactivation ends the calendar feed."""
    from network.meetings import services
    services.revoke_calendar_feed(user)


def add_lead_city_to_project_groups(sender, topic, municipality, **_payload) -> None:
    """Receiver of topics' topic_lead_changed: the new lead city is a member city of the topic's project groups."""
    if municipality is None:
        return
    from network.meetings import services
    services.add_lead_city(topic, municipality)


def digest_section(user, since, until, follows):
    """Upcoming meetings of the user's bodies in the next 14 days and the own city's open action items."""
    from network.meetings import services
    if not can(user, "meeting.view"):
        return None
    items = []
    for m in services.upcoming_meetings(user, limit=20, until=utcnow() + timedelta(days=14), everywhere=True):
        when = format_span(m.starts_at, m.ends_at) + (f" – {m.host.name}" if m.host else "")
        when += f" ({m.body.network.name})"
        items.append(DigestItem(title=m.title, url=services.meeting_url(m, external=True),
                                detail=when))
    for a in services.open_actions_of_city(user):
        detail = _("Aufgabe aus %(title)s", title=a.meeting.title)
        if a.due_date:
            detail += " – " + _("fällig am %(date)s", date=format_day(a.due_date))
        url = services.meeting_url(a.meeting, external=True)
        items.append(DigestItem(title=a.text[:120], url=url, detail=detail))
    return DigestSection(key="meetings", title=_("Treffen und Aufgaben"), items=items)


def export_personal_data(user) -> dict:
    """The user's meetings data; of the calendar feed only when it was made (never its secret or hash)."""
    from network.meetings.models import AgendaItem, BodyPerson, CalendarFeed, Meeting, PollVote, Rsvp

    def rows(model, cols, column=None):
        column = column if column is not None else model.user_id
        return [{c: (getattr(r, c).isoformat() if hasattr(getattr(r, c), "isoformat") else getattr(r, c))
                 for c in cols} for r in db.session.execute(sa.select(model).where(column == user.id)).scalars()]
    return {
        # what the user organised or proposed stays with the network after deletion (authored content)
        "meeting": rows(Meeting, ["id", "title", "starts_at", "created_at"], Meeting.created_by_id),
        "agenda_item": rows(AgendaItem, ["id", "meeting_id", "title", "status"], AgendaItem.proposed_by_id),
        "rsvp": rows(Rsvp, ["meeting_id", "response", "note", "updated_at"]),
        "poll_vote": rows(PollVote, ["slot_id", "answer", "updated_at"]),
        "calendar_feed": [{"created_at": f["created_at"]} for f in rows(CalendarFeed, ["created_at"])],
        "body_person": rows(BodyPerson, ["body_id"]),
    }


def erase_personal_data(user) -> None:
    """Remove the user's answers, votes, feed and memberships (what they organised stays with the network)."""
    from network.meetings.models import BodyPerson, CalendarFeed, PollVote, Rsvp
    for model in (Rsvp, PollVote, CalendarFeed, BodyPerson):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
