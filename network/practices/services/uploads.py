"""Files attached to a practice (checked by content, stored under generated names)."""

from __future__ import annotations

import sqlalchemy as sa

from network.core import audit, files
from network.core.permissions import require
from network.extensions import db
from network.practices.models import Practice, PracticeAttachment
from network.practices.services._common import part_or_404

# --- attachments ----------------------------------------------------------------------------

def attachments(practice: Practice) -> list[PracticeAttachment]:
    """The practice's attachments in upload order."""
    return db.session.execute(sa.select(PracticeAttachment).where(PracticeAttachment.practice_id == practice.id)
                              .order_by(PracticeAttachment.created_at, PracticeAttachment.id)).scalars().all()


def add_attachment(actor, practice: Practice, file_storage) -> PracticeAttachment:
    """Check the file by content and store it under a generated name."""
    require(actor, "practice.write", practice)
    saved = files.save_upload(file_storage)
    att = PracticeAttachment(practice_id=practice.id, storage_name=saved.storage_name,
                             original_name=saved.original_name, content_type=saved.content_type, size=saved.size,
                             sha256=saved.sha256, uploaded_by_id=actor.id)
    db.session.add(att)
    audit.record(actor, "practice.attachment_added", obj=practice,
                 summary=f"Anhang {saved.original_name} zu {practice.title} hinzugefügt")
    db.session.flush()
    return att


def get_attachment_or_404(practice: Practice, attachment_id) -> PracticeAttachment:
    """An attachment of this practice, or 404."""
    return part_or_404(PracticeAttachment, practice, attachment_id)


def delete_attachment(actor, practice: Practice, att: PracticeAttachment) -> str:
    """Remove the row; the caller deletes the stored file after the commit (returns its name)."""
    require(actor, "practice.write", practice)
    name = att.storage_name
    db.session.delete(att)
    audit.record(actor, "practice.attachment_deleted", obj=practice,
                 summary=f"Anhang {att.original_name} von {practice.title} entfernt")
    db.session.flush()
    return name
