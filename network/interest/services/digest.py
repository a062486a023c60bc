"""The weekly digest's content: the weekly follows, the own section on lead changes, all sections of a user."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from network.core.hooks import DigestItem, DigestSection, digest_sections
from network.core.permissions import can
from network.extensions import db
from network.interest.models import KIND_TARGETS, TARGET_TYPES, Follow
from network.interest.services._common import BERLIN, absolute
from network.interest.services.following import preferences
from network.topics.models import LeadEvent, Topic

#: LeadEvent actions after which a topic has a different lead (digest section)
LEAD_CHANGE_ACTIONS = ("confirmed", "withdrawn", "handover_accepted", "lost_on_leave")


def iso_week(moment) -> str:
    """The ISO week of a moment in Berlin, e.g. 2026-W48 (one digest per member and week)."""
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
        .options(joinedload(Topic.network))
        .where(LeadEvent.topic_id.in_(topic_ids), Topic.status == "active",
               LeadEvent.action.in_(LEAD_CHANGE_ACTIONS), LeadEvent.created_at >= since, LeadEvent.created_at < until)
        .order_by(LeadEvent.created_at)).all()
    # a topic lives in its network (/n/<network>/themen/…): the link names it, whichever network the user chose
    items = [DigestItem(title=topic.name, url=absolute(url_for("topics.detail", slug=topic.slug,
                                                               network=topic.network.slug)),
                        detail=f"{ev.label}: {ev.municipality.name}" if ev.municipality else ev.label)
             for ev, topic in rows]
    return DigestSection(key="lead_changes", title=_("Federführung in Themen, denen Sie folgen"), items=items)


def build_digest(user, since, until) -> list[DigestSection]:
    """The digest's sections for a user (inside the user's language)."""
    with force_locale(user.language):
        return digest_sections(user, since, until, weekly_follows(user))
