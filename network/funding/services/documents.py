"""Documents of an application's workspace: list, upload (checked by content), delete."""

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from network.core import audit
from network.core.validation import ValidationFailed
from network.extensions import db
from network.funding.models import Application
from network.funding.services.applications import _event, _require_active_member

def documents(app_: Application):
    from network.funding.models import ApplicationDocument
    return db.session.execute(sa.select(ApplicationDocument).where(ApplicationDocument.application_id == app_.id)
                              .order_by(ApplicationDocument.created_at.desc(), ApplicationDocument.id.desc())
                              ).scalars().all()


def get_document_or_404(app_: Application, document_id):
    from network.funding.models import ApplicationDocument
    doc = db.session.get(ApplicationDocument, document_id)
    if doc is None or doc.application_id != app_.id:
        abort(404)
    return doc


def upload_document(actor, app_: Application, file_storage):
    """A member of an accepted city adds a file (type checked by content, size limit: network.core.files)."""
    from network.core.files import save_upload
    from network.funding.models import ApplicationDocument
    member = _require_active_member(actor, app_, "funding.contribute")
    saved = save_upload(file_storage)
    doc = ApplicationDocument(application_id=app_.id, municipality_id=member.municipality_id, uploaded_by_id=actor.id,
                              storage_name=saved.storage_name, original_name=saved.original_name,
                              content_type=saved.content_type, size=saved.size, sha256=saved.sha256)
    db.session.add(doc)
    _event(app_, "document", actor, saved.original_name)
    audit.record(actor, "funding.document_uploaded", obj=app_, summary=f"Dokument zu {app_.title} hochgeladen")
    db.session.flush()
    return doc


def delete_document(actor, app_: Application, doc) -> str:
    """A lead of the uploading city (or of the lead city) removes a file; returns the storage name to delete
    after the commit. Staff may upload, deleting is for leads."""
    member = _require_active_member(actor, app_, "funding.apply")
    if member.role != "lead" and doc.municipality_id != member.municipality_id:
        raise ValidationFailed({"document": _("Dieses Dokument hat eine andere Kommune hochgeladen.")}, status=403)
    name = doc.storage_name
    _event(app_, "document_deleted", actor, doc.original_name)
    audit.record(actor, "funding.document_deleted", obj=app_, summary=f"Dokument zu {app_.title} gelöscht")
    db.session.delete(doc)
    db.session.flush()
    return name
