"""What another city does with a practice: mark its reuse, ask a question; the answer."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.permissions import require
from network.practices import services
from network.practices.forms import AnswerForm, QuestionForm, ReuseForm
from network.practices.views import _submitted, bp
from network.practices.views.page import _detail_on_invalid, practice_action


@practice_action("/<int:practice_id>/nachnutzung", "practice.reuse", ReuseForm, "reuse", "reuse_form")
def reuse(practice, form):
    """The own city marks the practice: interested, adopting or adopted."""
    services.set_reuse(current_user, practice, form.status.data, form.note.data, form.saved_days.data)
    return _("Die Nachnutzung Ihrer Kommune ist gespeichert; die Autorenkommune wird informiert.")


@practice_action("/<int:practice_id>/fragen", "practice.ask", QuestionForm, "q", "question_form")
def ask(practice, form):
    """Ask the authoring city a question (Amtshilfe)."""
    services.ask_question(current_user, practice, form.question.data)
    return _("Ihre Frage ist gestellt; die Autorenkommune wird informiert.")


@bp.route("/fragen/<int:question_id>/antwort", methods=["POST"])
@login_required
def answer(question_id):
    """The authoring city answers a question."""
    question = services.get_question_or_404(current_user, question_id)
    practice = question.practice
    require(current_user, "practice.answer", practice)
    form = _submitted(AnswerForm(prefix=f"a{question.id}"))
    _detail_on_invalid(practice.id, answer_forms={question.id: form})
    services.answer_question(current_user, question, form.answer.data)
    flash(_("Die Antwort ist gespeichert; die fragende Person wird informiert."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))
