"""Practices: list and search (also public), the practice page, write/edit with preview, revisions,
attachments, reuse, questions, the Atom feed."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core import files
from network.core.forms import apply_errors
from network.core.markdown import render_markdown
from network.core.permissions import can, require
from network.core.validation import ValidationFailed
from network.extensions import db
from network.practices import services
from network.practices.forms import (ActionForm, AnswerForm, AttachmentForm, PracticeForm, QuestionForm,
                                     ReuseForm)
from network.practices.models import SECTIONS

bp = Blueprint("practices", __name__, url_prefix="/praxis")


def _page() -> int:
    try:
        return max(1, min(int(request.args.get("seite", 1)), 10_000))
    except ValueError:
        return 1


def _filters() -> services.Filters:
    def arg(name):
        return request.args.get(name, "").strip()[:80]
    year = arg("jahr")
    return services.Filters(topic=arg("thema"), field=arg("handlungsfeld"), city=arg("kommune"),
                            year=int(year) if year.isdigit() and len(year) == 4 else None)


# --- list, search, feed -----------------------------------------------------------------------

@bp.route("/", endpoint="list")
def list_practices():
    """Published practices the visitor may see (newest first) and, for a city, its drafts."""
    result = services.search(current_user, "", _filters(), page=_page())
    return render_template("practices/list.html", r=result, drafts=services.own_drafts(current_user),
                           endpoint="practices.list")


@bp.route("/suche")
def search():
    """Full-text search with facets; the header's search box lands here."""
    q = request.args.get("q", "")[:300]
    result = services.search(current_user, q, _filters(), page=_page(), include_drafts=True)
    return render_template("practices/search.html", r=result, endpoint="practices.search")


@bp.route("/feed.atom")
def feed():
    """Atom feed of newly published public practices."""
    from feedgen.feed import FeedGenerator
    fg = FeedGenerator()
    fg.id(url_for("practices.feed", _external=True))
    fg.title(_("Praxisberichte – öffentlich"))
    fg.subtitle(_("Neu veröffentlichte öffentliche Praxisberichte des Städtenetzes"))
    fg.link(href=url_for("practices.list", _external=True), rel="alternate")
    fg.link(href=url_for("practices.feed", _external=True), rel="self")
    fg.language("de")
    items = services.recent_public()
    for p in reversed(items):
        entry = fg.add_entry()
        link = url_for("practices.detail", practice_id=p.id, _external=True)
        entry.id(link)
        entry.title(p.title)
        entry.link(href=link)
        entry.author({"name": p.municipality.name})
        entry.summary(p.summary or p.title)
        entry.published(p.published_at)
        entry.updated(p.updated_at)
    if not items:
        from network.core.models import utcnow
        fg.updated(utcnow())
    return Response(fg.atom_str(pretty=True), mimetype="application/atom+xml")


# --- writing ------------------------------------------------------------------------------------

def _form_choices(form: PracticeForm):
    form.field_id.choices = [("", _("keines"))] + [(str(f.id), f.name) for f in services.field_choices()]
    form.topic_ids.choices = [(str(t.id), t.name) for t in services.topic_choices()]
    projects = services.project_choices(current_user)
    if projects is not None:
        form.project_id.choices = [("", _("keines"))] + [(str(i), t) for i, t in projects]
    return projects is not None


def _form_data(form: PracticeForm, with_project: bool) -> dict:
    data = {"title": form.title.data, "summary": form.summary.data, "visibility": form.visibility.data,
            "field_id": form.field_id.data, "topic_ids": form.topic_ids.data or [], "tags": form.tags.data,
            "sections": {key: getattr(form, key).data or "" for key in SECTIONS}}
    if with_project:
        data["project_id"] = form.project_id.data
    return data


def _preview(form: PracticeForm):
    sections = [(str(label), render_markdown(getattr(form, key).data)) for key, label in SECTIONS.items()
                if (getattr(form, key).data or "").strip()]
    return {"title": form.title.data or "", "summary": form.summary.data or "", "sections": sections}


def _render_form(template, form, status=200, **ctx):
    return render_template(template, form=form, sections=list(SECTIONS), **ctx), status


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def new():
    """Start a practice (a draft of the own city), with a server-side preview."""
    require(current_user, "practice.write")
    form = PracticeForm()
    with_project = _form_choices(form)
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            return _render_form("practices/new.html", form, preview=_preview(form), with_project=with_project)
        try:
            practice = services.create_practice(current_user, _form_data(form, with_project))
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
            return _render_form("practices/new.html", form, exc.status, with_project=with_project)
        db.session.commit()
        flash(_("Der Entwurf %(title)s ist gespeichert.", title=practice.title), "success")
        return redirect(url_for("practices.detail", practice_id=practice.id))
    elif form.errors:
        return _render_form("practices/new.html", form, 422, with_project=with_project)
    return _render_form("practices/new.html", form, with_project=with_project)


@bp.route("/<int:practice_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(practice_id):
    """Edit a practice of the own city; every save is a revision; a stale version answers 409."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.write", practice)
    form = PracticeForm(obj=practice)
    with_project = _form_choices(form)
    if request.method == "GET":
        for key in SECTIONS:
            getattr(form, key).data = practice.section(key)
        form.field_id.data = str(practice.field_id or "")
        form.topic_ids.data = [str(t.id) for t in practice.topics]
        form.project_id.data = str(practice.project_id or "")
        form.version.data = str(practice.version)
    ctx = {"practice": practice, "with_project": with_project}
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            return _render_form("practices/edit.html", form, preview=_preview(form), **ctx)
        try:
            services.update_practice(current_user, practice, _form_data(form, with_project),
                                     version=form.version.data)
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
            if exc.status == 409:
                form.form_errors.append(exc.errors["version"])
                practice = services.get_practice_or_404(current_user, practice_id)
                ctx["practice"] = practice
                ctx["stale"] = True
                form.version.data = str(practice.version)
            return _render_form("practices/edit.html", form, exc.status, **ctx)
        db.session.commit()
        flash(_("Der Praxisbericht ist gespeichert (neue Version)."), "success")
        return redirect(url_for("practices.detail", practice_id=practice.id))
    elif form.errors:
        return _render_form("practices/edit.html", form, 422, **ctx)
    return _render_form("practices/edit.html", form, **ctx)


# --- the practice page ------------------------------------------------------------------------------

def _render_detail(practice, status=200, error=None, **forms):
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
        attachments=services.attachments(practice), reuses=services.reuses(practice), own_mark=mark,
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


def _act(practice, action, message, **forms):
    try:
        action()
    except ValidationFailed as exc:
        db.session.rollback()
        for value in forms.values():
            for form in (value.values() if isinstance(value, dict) else [value]):
                apply_errors(form, {k: v for k, v in exc.errors.items() if k in form._fields})
        practice = services.get_practice_or_404(current_user, practice.id)
        return _render_detail(practice, exc.status, error=next(iter(exc.errors.values())), **forms)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


@bp.route("/<int:practice_id>/veroeffentlichen", methods=["POST"])
@login_required
def publish(practice_id):
    """A lead of the city publishes the practice."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.publish", practice)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return _act(practice, lambda: services.publish_practice(current_user, practice, version=form.version.data),
                _("Der Praxisbericht ist veröffentlicht."))


@bp.route("/<int:practice_id>/archivieren", methods=["POST"])
@login_required
def archive(practice_id):
    """A lead of the city archives the practice."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.publish", practice)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return _act(practice, lambda: services.archive_practice(current_user, practice),
                _("Der Praxisbericht ist archiviert."))


# --- revisions --------------------------------------------------------------------------------------

@bp.route("/<int:practice_id>/versionen")
@login_required
def revisions(practice_id):
    """All revisions of a practice; two chosen ones side by side."""
    practice = services.get_practice_or_404(current_user, practice_id)
    revs = services.revisions(practice)
    diff, left, right = None, None, None
    a, b = request.args.get("a", ""), request.args.get("b", "")
    if a and b:
        if not (a.isdigit() and b.isdigit()):
            abort(404)
        left = services.get_revision_or_404(practice, int(a))
        right = services.get_revision_or_404(practice, int(b))
        diff = services.compare(left, right)
    elif len(revs) >= 2:
        left, right = revs[1], revs[0]
        diff = services.compare(left, right)
    return render_template("practices/revisions.html", practice=practice, revs=revs, diff=diff, left=left,
                           right=right, may_edit=services.may_edit(current_user, practice),
                           action_form=ActionForm(formdata=None, version=str(practice.version)))


@bp.route("/<int:practice_id>/versionen/<int:revision_id>/wiederherstellen", methods=["POST"])
@login_required
def restore(practice_id, revision_id):
    """Restore an old revision as a new one."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.write", practice)
    rev = services.get_revision_or_404(practice, revision_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.restore_revision(current_user, practice, rev, version=form.version.data)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(next(iter(exc.errors.values())), "danger")
        return redirect(url_for("practices.revisions", practice_id=practice_id)), exc.status
    db.session.commit()
    flash(_("Version %(n)s ist wiederhergestellt (als neue Version).", n=rev.number), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


# --- attachments ----------------------------------------------------------------------------------

@bp.route("/<int:practice_id>/anhaenge", methods=["POST"])
@login_required
def upload(practice_id):
    """Attach a file (type checked by content)."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.write", practice)
    form = AttachmentForm()
    if not form.validate_on_submit():
        abort(400)
    stored = []

    def action():
        att = services.add_attachment(current_user, practice, request.files.get("file"))
        stored.append(att.storage_name)

    try:
        return _act(practice, action, _("Der Anhang ist gespeichert."), attachment_form=form)
    except Exception:
        for name in stored:
            files.delete_stored(name)
        raise


@bp.route("/<int:practice_id>/anhaenge/<int:attachment_id>")
def download(practice_id, attachment_id):
    """Download an attachment (always as a file, never shown inline)."""
    practice = services.get_practice_or_404(current_user, practice_id)
    att = services.get_attachment_or_404(practice, attachment_id)
    try:
        return files.send_stored(att.storage_name, att.original_name, att.content_type)
    except FileNotFoundError:
        abort(404)


@bp.route("/<int:practice_id>/anhaenge/<int:attachment_id>/loeschen", methods=["POST"])
@login_required
def delete_attachment(practice_id, attachment_id):
    """Remove an attachment."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.write", practice)
    att = services.get_attachment_or_404(practice, attachment_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    name = services.delete_attachment(current_user, practice, att)
    db.session.commit()
    files.delete_stored(name)
    flash(_("Der Anhang ist entfernt."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


# --- reuse and questions --------------------------------------------------------------------------

@bp.route("/<int:practice_id>/nachnutzung", methods=["POST"])
@login_required
def reuse(practice_id):
    """The own city marks the practice: interested, adopting or adopted."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.reuse")
    form = ReuseForm(prefix="reuse")
    if not form.validate_on_submit():
        abort(400)
    return _act(practice, lambda: services.set_reuse(current_user, practice, form.status.data, form.note.data,
                                                     form.saved_days.data),
                _("Die Nachnutzung Ihrer Kommune ist gespeichert; die Autorenkommune wird informiert."),
                reuse_form=form)


@bp.route("/<int:practice_id>/fragen", methods=["POST"])
@login_required
def ask(practice_id):
    """Ask the authoring city a question (Amtshilfe)."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.ask")
    form = QuestionForm(prefix="q")
    if not form.validate_on_submit():
        abort(400)
    return _act(practice, lambda: services.ask_question(current_user, practice, form.question.data),
                _("Ihre Frage ist gestellt; die Autorenkommune wird informiert."), question_form=form)


@bp.route("/fragen/<int:question_id>/antwort", methods=["POST"])
@login_required
def answer(question_id):
    """The authoring city answers a question."""
    question = services.get_question_or_404(current_user, question_id)
    practice = question.practice
    require(current_user, "practice.answer", practice)
    form = AnswerForm(prefix=f"a{question.id}")
    if not form.validate_on_submit():
        abort(400)
    return _act(practice, lambda: services.answer_question(current_user, question, form.answer.data),
                _("Die Antwort ist gespeichert; die fragende Person wird informiert."),
                answer_forms={question.id: form})
