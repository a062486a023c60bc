"""Practices: list and search (also public), the practice page, write/edit with preview, revisions,
attachments, reuse, questions, the Atom feed."""

from flask import (Blueprint, Response, abort, after_this_request, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core import files
from network.core.boundary import on_invalid
from network.core.forms import confirmation_page, confirmed
from network.core.markdown import render_markdown
from network.core.permissions import require
from network.networks.services import memberships_of_city
from network.practices import services
from network.practices.forms import (ActionForm, AnswerForm, AttachmentForm, PracticeForm, QuestionForm,
                                     ReuseForm)
from network.practices.models import SECTIONS

bp = Blueprint("practices", __name__, url_prefix="/praxis")


def _submitted(form):
    """The posted form, checked (CSRF included); a broken post answers 400."""
    if not form.validate_on_submit():
        abort(400)
    return form


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
                            year=int(year) if year.isdigit() and len(year) == 4 else None, network=arg("netzwerk"))


def _bounded() -> dict:
    """What a page counts: up to COUNT_LIMIT matches, the top FACET_TOP values per facet (?mehr=<facet>: more)."""
    return {"count_limit": services.COUNT_LIMIT, "facet_top": services.FACET_TOP,
            "expand": request.args.get("mehr", "")[:10]}


# --- list, search, feed -----------------------------------------------------------------------

@bp.route("/", endpoint="list")
def list_practices():
    """Published practices the visitor may see (newest first) and, for a city, its drafts."""
    result = services.search(current_user, "", _filters(), page=_page(), **_bounded())
    return render_template("practices/list.html", r=result, drafts=services.own_drafts(current_user),
                           endpoint="practices.list")


@bp.route("/suche")
def search():
    """Full-text search with facets; the header's search box lands here."""
    q = request.args.get("q", "")[:300]
    result = services.search(current_user, q, _filters(), page=_page(), include_drafts=True, **_bounded())
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

def _form_choices(form: PracticeForm, practice=None):
    """Fields of action and topics of the networks the city takes part in (fields grouped by network if more than
    one; a practice keeps its present ones), and the city's projects."""
    city_id = practice.municipality_id if practice is not None else current_user.municipality_id
    groups = services.field_groups(city_id, practice.field_id if practice is not None else None)
    if len(groups) > 1:
        form.field_id.choices = {None: [("", _("keines"))],
                                 **{name: [(str(f.id), f.name) for f in items] for name, items in groups}}
    else:
        form.field_id.choices = [("", _("keines"))] + [(str(f.id), f.name) for _n, items in groups for f in items]
    kept = [t.id for t in practice.topics] if practice is not None else []
    form.topic_ids.choices = [(str(t.id), t.name) for t in services.topic_choices(city_id, kept)]
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
    """The write or edit page with its form (and the preview, when asked for)."""
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
        on_invalid(lambda exc: _render_form("practices/new.html", form, exc.status, with_project=with_project), form)
        practice = services.create_practice(current_user, _form_data(form, with_project))
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
    with_project = _form_choices(form, practice)
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
        on_invalid(lambda exc: _edit_refused(exc, practice_id, form, ctx), form)
        services.update_practice(current_user, practice, _form_data(form, with_project), version=form.version.data)
        flash(_("Der Praxisbericht ist gespeichert (neue Version)."), "success")
        return redirect(url_for("practices.detail", practice_id=practice.id))
    elif form.errors:
        return _render_form("practices/edit.html", form, 422, **ctx)
    return _render_form("practices/edit.html", form, **ctx)


def _edit_refused(exc, practice_id, form, ctx):
    """The edit page again; after a stale save with the current version, so that saving again overwrites."""
    if exc.status == 409:
        form.form_errors.append(exc.errors["version"])
        ctx["practice"] = practice = services.get_practice_or_404(current_user, practice_id)
        ctx["stale"] = True
        form.version.data = str(practice.version)
    return _render_form("practices/edit.html", form, exc.status, **ctx)


# --- the practice page ------------------------------------------------------------------------------

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
    form = _submitted(ActionForm())
    on_invalid(lambda exc: _back_to_revisions(practice_id, exc))
    services.restore_revision(current_user, practice, rev, version=form.version.data)
    flash(_("Version %(n)s ist wiederhergestellt (als neue Version).", n=rev.number), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


def _back_to_revisions(practice_id, exc):
    """A refused restore (e.g. stale): back to the revisions with the message, keeping the error status."""
    flash(next(iter(exc.errors.values())), "danger")
    return redirect(url_for("practices.revisions", practice_id=practice_id)), exc.status


# --- attachments ----------------------------------------------------------------------------------

@bp.route("/<int:practice_id>/anhaenge", methods=["POST"])
@login_required
def upload(practice_id):
    """Attach a file (type checked by content)."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.write", practice)
    form = _submitted(AttachmentForm())
    _detail_on_invalid(practice.id, attachment_form=form)
    name = services.add_attachment(current_user, practice, request.files.get("file")).storage_name

    @after_this_request
    def keep_file_only_with_its_row(response):
        # the boundary committed the row only for an answer below 400; otherwise the file has no owner
        if response.status_code >= 400:
            files.delete_stored(name)
        return response

    flash(_("Der Anhang ist gespeichert."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


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
    _submitted(ActionForm())
    name = services.delete_attachment(current_user, practice, att)

    @after_this_request
    def delete_file_after_commit(response):
        # the boundary commits before this runs; a failed commit answers 500 and the file stays with its row
        if response.status_code < 400:
            files.delete_stored(name)
        return response

    flash(_("Der Anhang ist entfernt."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


# --- reuse and questions --------------------------------------------------------------------------

@bp.route("/<int:practice_id>/nachnutzung", methods=["POST"])
@login_required
def reuse(practice_id):
    """The own city marks the practice: interested, adopting or adopted."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.reuse")
    form = _submitted(ReuseForm(prefix="reuse"))
    _detail_on_invalid(practice.id, reuse_form=form)
    services.set_reuse(current_user, practice, form.status.data, form.note.data, form.saved_days.data)
    flash(_("Die Nachnutzung Ihrer Kommune ist gespeichert; die Autorenkommune wird informiert."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


@bp.route("/<int:practice_id>/fragen", methods=["POST"])
@login_required
def ask(practice_id):
    """Ask the authoring city a question (Amtshilfe)."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.ask")
    form = _submitted(QuestionForm(prefix="q"))
    _detail_on_invalid(practice.id, question_form=form)
    services.ask_question(current_user, practice, form.question.data)
    flash(_("Ihre Frage ist gestellt; die Autorenkommune wird informiert."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


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
