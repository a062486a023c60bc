"""Lists of practices for pages, panels and feeds, and following (used by the interest domain)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from network.core.markdown import render_markdown
from network.core.permissions import can
from network.extensions import db
from network.practices.models import (
    SECTIONS,
    Practice,
    PracticeQuestion,
    practice_topic,
)
from network.practices.services._common import VISIBLE_STATUSES
from network.practices.services.access import visible_clause

# --- lists for pages, panels and feeds ------------------------------------------------------------

def own_drafts(user, limit: int = 50) -> list[Practice]:
    """Drafts of the user's city (for staff and leads), newest change first."""
    city_id = getattr(user, "municipality_id", None)
    if city_id is None or not can(user, "practice.write"):
        return []
    return db.session.execute(
        sa.select(Practice).where(Practice.municipality_id == city_id, Practice.status == "draft")
        # the lists of drafts show no topics: not their selectin load
        .options(sa.orm.lazyload(Practice.topics)).order_by(Practice.updated_at.desc()).limit(limit)).scalars().all()


def recent_public(limit: int = 50) -> list[Practice]:
    """Newest public practices (Atom feed)."""
    return db.session.execute(
        sa.select(Practice).where(Practice.status == "published", Practice.visibility == "public")
        .order_by(Practice.published_at.desc(), Practice.id.desc()).limit(limit)).scalars().all()


def practices_on_topic(user, topic, limit: int = 10) -> list[Practice]:
    """Published practices on a topic that the user may see (topic page panel)."""
    return db.session.execute(
        sa.select(Practice).where(visible_clause(user), Practice.status.in_(VISIBLE_STATUSES),
                                  # the topic's practices through the index on practice_topic.topic_id (an
                                  # EXISTS per practice made SQLite scan all 100,000 practices: issue #17)
                                  Practice.id.in_(sa.select(practice_topic.c.practice_id)
                                                  .where(practice_topic.c.topic_id == topic.id)))
        # the panel shows no topics: not their selectin load
        .options(sa.orm.lazyload(Practice.topics))
        .order_by(Practice.published_at.desc()).limit(limit)).scalars().all()


def practices_of_city(user, city, limit: int = 10) -> list[Practice]:
    """Published practices of a city that the user may see (city page panel)."""
    return db.session.execute(
        sa.select(Practice).where(visible_clause(user), Practice.status.in_(VISIBLE_STATUSES),
                                  Practice.municipality_id == city.id)
        .options(sa.orm.lazyload(Practice.topics))  # the panel shows no topics
        .order_by(Practice.published_at.desc()).limit(limit)).scalars().all()


def open_questions_for_city(user, limit: int = 20) -> list[PracticeQuestion]:
    """Unanswered questions to the user's city (dashboard)."""
    city_id = getattr(user, "municipality_id", None)
    if city_id is None or not can(user, "practice.answer"):
        return []
    return db.session.execute(
        sa.select(PracticeQuestion).join(Practice, Practice.id == PracticeQuestion.practice_id)
        .where(Practice.municipality_id == city_id, PracticeQuestion.answered_at.is_(None))
        # the practice joined (its title), without the topics it does not show
        .options(sa.orm.contains_eager(PracticeQuestion.practice).lazyload(Practice.topics))
        .order_by(PracticeQuestion.created_at).limit(limit)).scalars().all()


def rendered_sections(practice: Practice) -> list[tuple[str, str, object]]:
    """(key, label, HTML) of every filled section, Markdown rendered safely."""
    return [(key, str(label), render_markdown(practice.section(key))) for key, label in SECTIONS.items()
            if practice.section(key)]


# --- following (used by the interest domain) ---------------------------------------------------

#: a select of practices offers at most this many (the newest, or those matching a search)
CHOICES_LIMIT = 50


def practice_choices(user, query: str = "", limit: int = CHOICES_LIMIT) -> list[tuple[int, str, str]]:
    """(id, title, city name) of published practices the user may see, newest first, optionally those whose title
    contains `query`: for linking a practice from another page (an agenda item) with a plain select. One query."""
    from network.municipalities.models import Municipality
    stmt = (sa.select(Practice.id, Practice.title, Municipality.name)
            .join(Municipality, Municipality.id == Practice.municipality_id)
            .where(Practice.status == "published", visible_clause(user)))
    query = (query or "").strip()[:80]
    if query:
        stmt = stmt.where(Practice.title.icontains(query, autoescape=True))
    return [tuple(r) for r in db.session.execute(
        stmt.order_by(Practice.published_at.desc(), Practice.id.desc()).limit(limit)).all()]


def linkable_practice(user, practice_id) -> str | None:
    """The title of a published practice the user may see (to link it from another page), else None."""
    return db.session.scalar(sa.select(Practice.title).where(Practice.id == practice_id, Practice.status == "published",
                                                             visible_clause(user)))


def follow_practice(user, practice_id):
    """(title, url) of a practice the user may see, for following; else None."""
    p = db.session.execute(sa.select(Practice).where(Practice.id == practice_id, visible_clause(user))
                           ).scalar_one_or_none()
    if p is None:
        return None
    return p.title, url_for("practices.detail", practice_id=p.id)
