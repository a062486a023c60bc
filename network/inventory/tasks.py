"""Scheduled jobs of the inventory (registered in setup.py); outside requests, each commits its own work."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from network.core.models import utcnow
from network.extensions import db
from network.inventory.models import ImportUpload

#: an unfinished CSV upload is forgotten after this long
UPLOAD_LIFETIME = timedelta(hours=24)


def purge_uploads() -> int:
    """Forget CSV uploads older than a day that were neither imported nor discarded (idempotent)."""
    cutoff = utcnow() - UPLOAD_LIFETIME
    n = db.session.execute(sa.delete(ImportUpload).where(ImportUpload.created_at < cutoff)).rowcount
    db.session.commit()
    return n or 0
