"""Attachments: upload (checked by content), download, removal."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from network.core import files
from network.practices import services
from network.practices.forms import ActionForm, AttachmentForm
from network.practices.views import _submitted, bp
from network.practices.views.page import practice_action


@practice_action("/<int:practice_id>/anhaenge", "practice.write", AttachmentForm, form_key="attachment_form",
                 of_practice=True)
def upload(practice, form):
    """Attach a file (type checked by content)."""
    # the boundary commits the row only for an answer below 400; otherwise the file has no owner and goes
    files.delete_stored_after(services.add_attachment(current_user, practice, request.files.get("file")).storage_name,
                              success=False)
    return _("Der Anhang ist gespeichert.")


@bp.route("/<int:practice_id>/anhaenge/<int:attachment_id>")
def download(practice_id, attachment_id):
    """Download an attachment (always as a file, never shown inline)."""
    practice = services.get_practice_or_404(current_user, practice_id)
    att = services.get_attachment_or_404(practice, attachment_id)
    try:
        return files.send_stored(att.storage_name, att.original_name, att.content_type)
    except FileNotFoundError:
        abort(404)


@practice_action("/<int:practice_id>/anhaenge/<int:attachment_id>/loeschen", "practice.write", of_practice=True)
def delete_attachment(practice, attachment_id):
    """Remove an attachment."""
    att = services.get_attachment_or_404(practice, attachment_id)
    _submitted(ActionForm())
    # the boundary commits before the file goes; a failed commit answers 500 and the file stays with its row
    files.delete_stored_after(services.delete_attachment(current_user, practice, att), success=True)
    flash(_("Der Anhang ist entfernt."), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))
