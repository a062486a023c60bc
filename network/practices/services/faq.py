"""Questions between cities (Amtshilfe): another city asks, the authoring city answers, answers show as FAQ."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from network.core import audit
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import can, require, roles_of
from network.core.validation import Checker
from network.extensions import db
from network.practices.models import Practice, PracticeQuestion
from network.practices.services._common import (MAX_QUESTION, authoring_contacts, id_or_404, practice_link,
                                                require_other_city_on_published)
from network.practices.services.access import get_practice_or_404



def questions(user, practice: Practice) -> list[PracticeQuestion]:
    """Answered questions (FAQ) for everyone who sees the practice; open ones for the two cities involved."""
    stmt = sa.select(PracticeQuestion).where(PracticeQuestion.practice_id == practice.id)
    own = getattr(user, "municipality_id", None)
    if not (can(user, "practice.view") and ("coordinator" in roles_of(user) or own == practice.municipality_id)):
        clauses = [PracticeQuestion.answered_at.is_not(None)]
        if own is not None and can(user, "practice.view"):
            clauses.append(PracticeQuestion.municipality_id == own)
        stmt = stmt.where(sa.or_(*clauses))
    return db.session.execute(stmt.order_by(PracticeQuestion.created_at, PracticeQuestion.id)).scalars().all()


def ask_question(actor, practice: Practice, text) -> PracticeQuestion:
    """Staff of another city ask the authoring city; its leads and the author are told."""
    require(actor, "practice.ask")
    c = Checker()
    city = require_other_city_on_published(actor, practice, "question")
    text = c.text("question", text if isinstance(text, str) or text is None else "", label=_("Ihre Frage"),
                  max_len=MAX_QUESTION, min_len=10)
    c.done()
    q = PracticeQuestion(practice_id=practice.id, municipality_id=city.id, asked_by_id=actor.id, question=text)
    db.session.add(q)
    db.session.flush()
    audit.record(actor, "practice.question_asked", obj=q, summary=f"Frage zu {practice.title}")
    for person in authoring_contacts(practice):
        queue_mail(person.email, "practices/question", subject=_("Neue Frage zu Ihrem Praxisbericht"),
                   locale=person.language, municipality_id=practice.municipality_id, person=person,
                   practice=practice, city=city, question=q, link=practice_link(practice))
    return q


def get_question_or_404(user, question_id) -> PracticeQuestion:
    """A question on a practice the user may see and whose question the user may read, or 404."""
    id_or_404(question_id)
    q = db.session.get(PracticeQuestion, question_id)
    if q is None:
        abort(404)
    practice = get_practice_or_404(user, q.practice_id)
    if q not in questions(user, practice):
        abort(404)
    return q


def answer_question(actor, question: PracticeQuestion, text) -> PracticeQuestion:
    """The authoring city answers; the asker is told; the answer then shows as FAQ."""
    practice = question.practice
    require(actor, "practice.answer", practice)
    c = Checker()
    text = c.text("answer", text if isinstance(text, str) or text is None else "", label=_("eine Antwort"),
                  max_len=MAX_QUESTION, min_len=2)
    c.done()
    first = question.answered_at is None
    question.answer, question.answered_by_id, question.answered_at = text, actor.id, utcnow()
    audit.record(actor, "practice.question_answered", obj=practice, summary=f"Frage zu {practice.title} beantwortet")
    db.session.flush()
    asker = question.asked_by
    if asker is not None and asker.active:
        queue_mail(asker.email, "practices/answer",
                   subject=_("Antwort auf Ihre Frage") if first else _("Geänderte Antwort auf Ihre Frage"),
                   locale=asker.language, municipality_id=question.municipality_id, person=asker,
                   practice=practice, question=question, link=practice_link(practice))
    return question
