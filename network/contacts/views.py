"""Contact pages: the directory of Ansprechpersonen (search, pages), one profile, one's own profile (edit, delete),
and a lead city's contact persons for a topic it leads."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.contacts import services
from network.contacts.forms import ActionForm, MarkForm, ProfileForm
from network.contacts.models import FUNCTIONS
from network.core.boundary import on_invalid
from network.core.forms import apply_errors, confirmation_page, confirmed
from network.core.permissions import require

bp = Blueprint("contacts", __name__, url_prefix="/ansprechpersonen")


def _submitted(form):
    """The posted form, checked (CSRF included); a broken post answers 400."""
    if not form.validate_on_submit():
        abort(400)
    return form


@bp.route("/")
@login_required
def directory():
    """Search the contact persons the user may see: by name or subject, city, function; 20 per page."""
    require(current_user, "contacts.view")
    filters = services.DirectoryFilters.from_args(request.args)
    return render_template("contacts/directory.html", d=services.directory(current_user, filters), filters=filters,
                           functions=FUNCTIONS)


@bp.route("/<int:profile_id>")
@login_required
def detail(profile_id):
    """One contact profile (visible to the members of the networks its owner chose)."""
    profile = services.profile_or_404(current_user, profile_id)
    return render_template("contacts/detail.html", p=profile)


def _form_page(form, offered, status=200):
    form.topic.choices = [(str(k), v) for k, v in offered["topic"]]
    form.field.choices = [(str(k), v) for k, v in offered["field"]]
    form.city_field.choices = [(str(k), v) for k, v in offered["city_field"]]
    form.ozg.choices = [(k, v) for k, v in offered["ozg"]]
    form.networks.choices = [(str(k), v) for k, v in offered["networks"]]
    return render_template("contacts/edit.html", form=form, profile=services.own_profile(current_user)), status


@bp.route("/mein-profil", methods=["GET", "POST"])
@login_required
def edit():
    """Keep one's own contact profile; it stays invisible until networks are chosen."""
    require(current_user, "contacts.own")
    offered = services.choices(current_user)
    if request.method == "GET":
        form = ProfileForm(formdata=None)
        row = services.own_profile(current_user)
        if row is not None:
            form.function.data, form.phone.data, form.languages.data = row.function, row.phone, row.languages
            for kind in ("topic", "field", "city_field"):
                getattr(form, kind).data = [str(s.ref_id) for s in row.subjects if s.kind == kind]
            form.ozg.data = [s.label for s in row.subjects if s.kind == "ozg"]
            form.tags.data = ", ".join(s.label for s in row.subjects if s.kind == "tag")
            form.networks.data = [str(n.network_id) for n in row.networks]
        return _form_page(form, offered)
    form = _submitted(ProfileForm())

    def invalid(exc):
        apply_errors(form, exc.errors)
        return _form_page(form, offered, exc.status)

    on_invalid(invalid)
    row = services.save_profile(current_user, {k: getattr(form, k).data for k in (
        "function", "phone", "languages", "topic", "field", "city_field", "ozg", "tags", "networks")})
    flash(_("Ihr Kontaktprofil wurde gespeichert.") if row.networks else
          _("Ihr Kontaktprofil wurde gespeichert. Es ist für niemanden sichtbar, solange Sie kein Netzwerk "
            "auswählen."), "success")
    return redirect(url_for("contacts.edit"))


@bp.route("/mein-profil/loeschen", methods=["POST"])
@login_required
def delete():
    """Delete one's own contact profile (after the confirmation step)."""
    require(current_user, "contacts.own")
    _submitted(ActionForm())
    if not confirmed():
        return confirmation_page(heading=_("Kontaktprofil löschen?"),
                                 lines=[_("Ihr Kontaktprofil verschwindet aus dem Verzeichnis und von allen Seiten.")],
                                 action=url_for("contacts.delete"), button=_("Ja, löschen"),
                                 back=url_for("contacts.edit"))
    services.delete_profile(current_user)
    flash(_("Ihr Kontaktprofil wurde gelöscht."), "success")
    return redirect(url_for("contacts.edit"))


@bp.route("/thema/<int:topic_id>", methods=["GET", "POST"])
@login_required
def topic(topic_id):
    """A lead of a city leading the topic names the city's contact persons for it."""
    require(current_user, "contacts.mark")
    item = services.topic_or_404(current_user, topic_id)
    services.require_topic_lead(current_user, item)
    form = MarkForm() if request.method == "POST" else MarkForm(formdata=None)
    rows = services.city_profiles(current_user, item)
    form.profiles.choices = [(str(p.id), f"{p.user.name} ({p.function})") for p, _m in rows]
    if request.method == "GET":
        form.profiles.data = [str(p.id) for p, marked in rows if marked]
        return render_template("contacts/topic.html", form=form, topic=item, rows=rows)
    _submitted(form)
    on_invalid(lambda exc: (apply_errors(form, exc.errors),
                            render_template("contacts/topic.html", form=form, topic=item, rows=rows))[1])
    count = services.mark_topic_contacts(current_user, item, form.profiles.data)
    flash(_("Ansprechpersonen für %(topic)s gespeichert: %(n)s.", topic=item.name, n=count), "success")
    return redirect(url_for("contacts.topic", topic_id=item.id))

