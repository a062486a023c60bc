"""The practice page, its publication (with the audience shown before) and archiving."""

import functools

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.forms import confirmation_page, confirmed, succeeded
from network.core.permissions import require
from network.networks.services import memberships_of_city
from network.practices import services
from network.practices.forms import (
    ActionForm,
    AnswerForm,
    AttachmentForm,
    QuestionForm,
    ReuseForm,
)
from network.practices.views import _submitted, bp


def _render_detail(practice, status=200, error=None, **forms):
    """The practice page with its forms (reuse, question, answers, attachment) and an error above them."""
    own = services.is_own(current_user, practice)
    mark = services.own_reuse(current_user, practice)
    reuse_form = forms.get("reuse_form") or ReuseForm(
        prefix="reuse", formdata=None, status=mark.status if mark else "interested",
        note=mark.note if mark else "", saved_days=str(mark.saved_days) if mark and mark.saved_days is not None else "")
    qs = services.questions(current_user, practice)
    answer_forms = forms.get("answer_forms") or {}
    for q in qs:
        answer_forms.setdefault(q.id, AnswerForm(prefix=f"a{q.id}", formdata=None, answer=q.answer))
    return render_template(
        "practices/detail.html", practice=practice, own=own, sections=services.rendered_sections(practice),
        attachments=services.attachments(practice), reuses=services.reuses(current_user, practice), own_mark=mark,
        questions=qs, reuse_form=reuse_form,
        question_form=forms.get("question_form") or QuestionForm(prefix="q", formdata=None),
        answer_forms=answer_forms, attachment_form=forms.get("attachment_form") or AttachmentForm(formdata=None),
        action_form=ActionForm(formdata=None, version=str(practice.version)),
        may_edit=services.may_edit(current_user, practice), error=error), status


@bp.route("/<int:practice_id>")
def detail(practice_id):
    """A practice: sections, topics, attachments, reusing cities, FAQ; public ones without login."""
    practice = services.get_practice_or_404(current_user, practice_id)
    return _render_detail(practice)


def _detail_on_invalid(practice_id, **forms):
    """A refused action shows the practice page again: the message above, field messages beside the form."""
    def page(exc):
        practice = services.get_practice_or_404(current_user, practice_id)
        return _render_detail(practice, exc.status, error=next(iter(exc.errors.values())), **forms)
    given = [f for value in forms.values() for f in (value.values() if isinstance(value, dict) else [value])]
    on_invalid(page, *given)


def practice_action(rule, permission, form_class=None, prefix="", form_key=None, *, of_practice=False):
    """Register a POST on one practice at ``rule`` (the endpoint is the function's name): the practice (404), the
    permission (403; ``of_practice``: on this practice), then ``act``. With ``form_class``: the posted form (broken:
    400; a refusal shows the practice page again with it as ``form_key``), then ``act(practice, form)`` calls the
    service and returns the success message (back to the practice page); without: ``act(practice, **ids)`` answers."""
    def register(act):
        @functools.wraps(act)
        @login_required
        def view(practice_id, **ids):
            practice = services.get_practice_or_404(current_user, practice_id)
            require(current_user, permission, *([practice] if of_practice else []))
            if form_class is None:
                return act(practice, **ids)
            form = _submitted(form_class(prefix=prefix))
            _detail_on_invalid(practice.id, **{form_key: form})
            return succeeded(act(practice, form), url_for("practices.detail", practice_id=practice.id))
        bp.add_url_rule(rule, act.__name__, view, methods=["POST"])
        return view
    return register


@bp.route("/<int:practice_id>/veroeffentlichen", methods=["GET", "POST"])
@login_required
def publish(practice_id):
    """A lead of the city publishes the practice, after a confirmation that names who will read it."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.publish", practice)
    if not confirmed():
        if request.method == "POST":
            _submitted(ActionForm())
        return _publish_confirmation(practice)
    form = _submitted(ActionForm())
    _detail_on_invalid(practice.id)
    services.publish_practice(current_user, practice, version=form.version.data)
    flash(_("Der Praxisbericht ist veröffentlicht."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


def _publish_confirmation(practice):
    """What publishing does: who reads the practice afterwards, and that followers are notified."""
    city = practice.municipality
    if practice.visibility == "public":
        audience = _("Nach der Veröffentlichung kann jede und jeder „%(title)s“ lesen, auch ohne Anmeldung "
                     "(Sichtbarkeit: öffentlich).", title=practice.title)
    else:
        names = ", ".join(m.network.name for m in memberships_of_city(city.id)) or "–"
        audience = _("Nach der Veröffentlichung lesen „%(title)s“ alle angemeldeten Mitglieder der Netzwerke, in "
                     "denen %(city)s mitarbeitet: %(networks)s (Sichtbarkeit: Netzwerk).", title=practice.title,
                     city=city.name, networks=names)
    lines = [audience, _("Wer %(city)s oder den Themen des Berichts folgt, wird benachrichtigt; diese Nachrichten "
                         "lassen sich nicht zurückholen.", city=city.name)]
    carried = None if request.method == "POST" else [("version", str(practice.version))]
    return confirmation_page(heading=_("Praxisbericht veröffentlichen?"), lines=lines,
                             action=url_for("practices.publish", practice_id=practice.id),
                             button=_("Ja, jetzt veröffentlichen"), carried=carried,
                             back=url_for("practices.detail", practice_id=practice.id))


@bp.route("/<int:practice_id>/archivieren", methods=["POST"])
@login_required
def archive(practice_id):
    """A lead of the city archives the practice."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.publish", practice)
    _submitted(ActionForm())
    _detail_on_invalid(practice.id)
    services.archive_practice(current_user, practice)
    flash(_("Der Praxisbericht ist archiviert."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))
