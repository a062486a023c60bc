"""Attachments: upload (checked by content), download, removal."""

from flask import abort, after_this_request, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core import files
from network.core.permissions import require
from network.practices import services
from network.practices.forms import ActionForm, AttachmentForm
from network.practices.views import _submitted, bp
from network.practices.views.page import _detail_on_invalid


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
