"""Wiring of the interest domain: jobs, panels, digest section, personal data, the event receiver."""

from flask_login import current_user

from network.core.hooks import (register_digest_section, register_panel, register_panel_column, register_personal_data,
                                register_waiting)
from network.core.permissions import can
from network.core.scheduler import register_job


def _follow_ctx(user, follow_type, follow_id, title):
    if not getattr(user, "is_authenticated", False) or not can(user, "follow.use"):
        return None
    return {"follow_type": follow_type, "follow_id": follow_id, "follow_title": title}


def topic_panel(user, topic=None, known=None, **_kw):
    """Follow button on the topic page (not for a city that left the topic's network: it reads history only).
    Whether the user follows the topic comes with the page's statement (panel column "interest.following")."""
    from network.networks.access import history_only
    if topic is None or topic.status != "active" or history_only():
        return None
    ctx = _follow_ctx(user, "topic", topic.id, topic.name)
    if ctx and (known or {}).get("interest.following") is not None:
        ctx["follow_following"] = bool(known["interest.following"])
    return ("interest/_follow_panel.html", ctx) if ctx else None


def topic_following_column(user, topic_id):
    """Panel column of the topic page: does the user follow the topic (EXISTS)?"""
    if not getattr(user, "is_authenticated", False) or not can(user, "follow.use"):
        return None
    import sqlalchemy as sa

    from network.interest.models import Follow
    return sa.exists().where(Follow.user_id == user.id, Follow.target_type == "topic", Follow.target_id == topic_id)


def municipality_panel(user, city=None, **_kw):
    """Follow button on the city page, and for its leads a link to the registrations."""
    if city is None or not getattr(user, "is_authenticated", False):
        return None
    ctx = _follow_ctx(user, "municipality", city.id, city.name) or {}
    ctx["registrations"] = can(user, "interest.view", city)
    ctx["city"] = city
    return "interest/_city_panel.html", ctx


def profile_panel(user, **_kw):
    """Links to the follow settings, the data export and account deletion."""
    if not getattr(user, "is_authenticated", False):
        return None
    return "interest/_profile_panel.html", {}


def footer_panel(user, **_kw):
    """Impressum and Datenschutz, on every page."""
    return "interest/_footer_panel.html", {}


def _may_see_registrations(user) -> bool:
    return can(user, "interest.view") and (can(user, "interest.view_all") or bool(user.municipality_id))


def dashboard_column(user, _row_id=None):
    """The dashboard's panel column "interest": (recent, open) registrations, read with the page's other counts."""
    if not _may_see_registrations(user):
        return None
    from network.interest.services.city_view import new_registrations_stmt
    return new_registrations_stmt(user)


def dashboard_panel(user, known=None, **_kw):
    """For leads and the coordination: new confirmed registrations (the dashboard's counts statement)."""
    if not _may_see_registrations(user):
        return None
    recent, open_ = _counts(user, known)
    return "interest/_dashboard_panel.html", {"recent": recent, "open": open_}


def _counts(user, known):
    if known and "interest.open" in known:
        return known["interest.recent"] or 0, known["interest.open"] or 0
    from network.interest.services import new_registrations_count
    return new_registrations_count(user)


def waiting(user, known=None):
    """Confirmed registrations nobody has contacted yet (the same statement as the panel's, read once)."""
    from flask import url_for
    from flask_babel import ngettext
    from network.core.hooks import WaitingItem
    if not _may_see_registrations(user):
        return []
    open_ = _counts(user, known)[1]
    if not open_:
        return []
    return [WaitingItem(ngettext("%(num)s Interessensbekundung wartet auf eine Kontaktaufnahme.",
                                 "%(num)s Interessensbekundungen warten auf eine Kontaktaufnahme.", open_),
                        url_for("interest.registrations"), kind="interest.open")]


#: the typed events followers hear about, with the preference key (models.EVENT_KINDS) each one is filed under
def follower_events():
    from network.funding.signals import funding_call_published
    from network.inventory.signals import report_published
    from network.meetings.signals import meeting_scheduled, minutes_published
    from network.practices.signals import practice_published
    from network.topics.signals import topic_lead_changed
    return {practice_published: "practice.published", topic_lead_changed: "topic.lead_changed",
            meeting_scheduled: "meeting.scheduled", minutes_published: "minutes.published",
            funding_call_published: "funding.call_published", report_published: "report.published"}


_RECEIVERS: dict = {}


def connect_follower_events() -> None:
    """Connect one receiver per event signal, once per process (create_app may run many times in tests)."""
    from network.interest.services import follower_receiver
    for signal, kind in follower_events().items():
        if signal not in _RECEIVERS:
            _RECEIVERS[signal] = follower_receiver(kind)
            signal.connect(_RECEIVERS[signal])


def init_app(app):
    from network.extensions import api
    from network.interest import privacy, services, tasks
    from network.interest.api import public_blp

    api.register_blueprint(public_blp)
    register_job(app, "interest-purge", tasks.purge_unconfirmed, seconds_config="INTEREST_JOB_SECONDS")
    register_job(app, "interest-digest", tasks.digest_job, seconds_config="INTEREST_JOB_SECONDS")
    register_panel(app, "topic", topic_panel, 10)
    register_panel_column(app, "topic", "interest.following", topic_following_column)
    register_panel(app, "municipality", municipality_panel, 10)
    register_panel(app, "profile", profile_panel, 10)
    register_panel(app, "footer", footer_panel, 10)
    register_panel(app, "dashboard", dashboard_panel, 20)
    register_panel_column(app, "dashboard", "interest", dashboard_column)
    from network.core.audit import register_object_links, register_sentences
    from network.interest import audit_log
    register_sentences(app, audit_log.REGISTRATION_SENTENCES, ("InterestRegistration",))
    register_sentences(app, audit_log.OTHER_SENTENCES)
    register_object_links(app, "InterestRegistration", audit_log.registration_links)
    register_waiting(app, waiting, 60)
    register_digest_section(app, services.lead_changes_section, 20)
    register_personal_data(app, list(privacy.INTEREST_TABLES), privacy.interest_export, privacy.interest_erase)
    connect_follower_events()
    app.jinja_env.globals["follow_state"] = lambda follow_type, follow_id: services.is_following(
        current_user, follow_type, follow_id)
