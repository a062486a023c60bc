"""Practices at the extension points: page panels, the weekly digest, following, personal data."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from network.core.hooks import (DigestItem, DigestSection, register_digest_section, register_panel,
                                register_personal_data, register_waiting)
from network.core.permissions import can
from network.extensions import db


def _list_panel(key: str, level: int, title, empty, list_of: str):
    """A page panel: the practices ``services.<list_of>(user, kw[key])`` gives for the page's topic or city."""
    def panel(user, **kw):
        from network.practices import services
        if kw.get(key) is None:
            return None
        items = getattr(services, list_of)(user, kw[key])
        return "practices/_panel_list.html", {"items": items, "title": str(title), "key": key, "level": level,
                                              "empty": str(empty)}
    return panel


#: the topic page: practices on this topic the user may see
topic_panel = _list_panel("topic", 3, _l("Praxisberichte zu diesem Thema"),
                          _l("Noch keine Praxisberichte zu diesem Thema."), "practices_on_topic")
#: the city page: the city's published practices the user may see
municipality_panel = _list_panel("city", 2, _l("Praxisberichte dieser Kommune"),
                                 _l("Noch keine veröffentlichten Praxisberichte."), "practices_of_city")


def dashboard_panel(user, **kw):
    """The dashboard: the city's drafts (the questions waiting for an answer are in the waiting list)."""
    from network.practices import services
    if getattr(user, "municipality_id", None) is None or not can(user, "practice.write"):
        return None
    return "practices/_panel_dashboard.html", {"drafts": services.own_drafts(user, 10)}


def waiting(user, known=None):
    """Questions to the city's practices that nobody has answered yet (one query, two with the practices)."""
    from flask import url_for
    from network.core.hooks import WaitingItem
    from network.practices import services
    if getattr(user, "municipality_id", None) is None:
        return []
    return [WaitingItem(_("Beantworten Sie die Frage von %(city)s zu „%(title)s“.", city=q.municipality.name,
                          title=q.practice.title),
                        url_for("practices.detail", practice_id=q.practice_id) + "#h-faq", kind="practice.question")
            for q in services.open_questions_for_city(user, 10)]


def digest_section(user, since, until, follows):
    """New practices in followed topics, visible to the user, published in (since, until]."""
    from network.practices import services
    from network.practices.models import Practice, practice_topic
    topic_ids = set((follows or {}).get("topic") or ())
    if not topic_ids:
        return None
    rows = db.session.execute(
        sa.select(Practice).where(services.visible_clause(user), Practice.status == "published",
                                  Practice.published_at > since, Practice.published_at <= until,
                                  Practice.id.in_(sa.select(practice_topic.c.practice_id)
                                                  .where(practice_topic.c.topic_id.in_(topic_ids))))
        .order_by(Practice.published_at).limit(50)).scalars().all()
    items = [DigestItem(title=p.title, url=url_for("practices.detail", practice_id=p.id, _external=True),
                        detail=p.municipality.name) for p in rows]
    return DigestSection(key="practices", title=_("Neue Praxisberichte in Ihren Themen"), items=items)


def export_personal_data(user) -> dict:
    """Rows of the practices domain that name the user."""
    from network.practices.models import (Practice, PracticeAttachment, PracticeQuestion, PracticeReuse,
                                          PracticeRevision)

    def rows(model, *conds, cols):
        out = []
        for obj in db.session.execute(sa.select(model).where(sa.or_(*conds))).scalars():
            out.append({c: (getattr(obj, c).isoformat() if hasattr(getattr(obj, c), "isoformat")
                            else getattr(obj, c)) for c in cols})
        return out

    return {
        "practice": rows(Practice, Practice.author_id == user.id, Practice.published_by_id == user.id,
                         cols=("id", "title", "status", "created_at")),
        "practice_revision": rows(PracticeRevision, PracticeRevision.author_id == user.id,
                                  cols=("id", "practice_id", "number", "created_at")),
        "practice_attachment": rows(PracticeAttachment, PracticeAttachment.uploaded_by_id == user.id,
                                    cols=("id", "practice_id", "original_name", "created_at")),
        "practice_reuse": rows(PracticeReuse, PracticeReuse.user_id == user.id,
                               cols=("id", "practice_id", "status", "note", "updated_at")),
        "practice_question": rows(PracticeQuestion, PracticeQuestion.asked_by_id == user.id,
                                  PracticeQuestion.answered_by_id == user.id,
                                  cols=("id", "practice_id", "question", "answer", "created_at")),
    }


def init_app(app):
    from network.core.audit import register_object_links, register_sentences
    from network.practices import audit_log
    register_sentences(app, audit_log.SENTENCES, ("Practice", "PracticeReuse", "PracticeQuestion"))
    register_object_links(app, "Practice", audit_log.practice_links)
    register_object_links(app, "PracticeReuse", audit_log.reuse_links)
    register_object_links(app, "PracticeQuestion", audit_log.question_links)
    register_panel(app, "topic", topic_panel, 20)
    register_panel(app, "municipality", municipality_panel, 20)
    register_panel(app, "dashboard", dashboard_panel, 20)
    register_waiting(app, waiting, 50)
    register_digest_section(app, digest_section, 20)
    # authored texts stay with the city when an account is deleted (the user row is anonymised)
    register_personal_data(app, ["practice", "practice_revision", "practice_attachment", "practice_reuse",
                                 "practice_question"], export_personal_data)
