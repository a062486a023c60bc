"""Revisions of a practice: the list, restoring an old state, comparing two states line by line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from network.core.permissions import require
from network.extensions import db
from network.practices.models import SECTIONS, Practice, PracticeRevision
from network.practices.services._common import part_or_404
from network.practices.services.writing import update_practice

# --- revisions ------------------------------------------------------------------------------

def revisions(practice: Practice) -> list[PracticeRevision]:
    """Every revision of the practice, newest first."""
    return db.session.execute(
        sa.select(PracticeRevision).where(PracticeRevision.practice_id == practice.id)
        .order_by(PracticeRevision.number.desc())).scalars().all()


def get_revision_or_404(practice: Practice, revision_id) -> PracticeRevision:
    """A revision of this practice, or 404."""
    return part_or_404(PracticeRevision, practice, revision_id)


def restore_revision(actor, practice: Practice, revision: PracticeRevision, *, version) -> Practice:
    """Bring back an old state as a new revision (nothing is lost)."""
    require(actor, "practice.write", practice)
    data = {"title": revision.title, "summary": revision.summary, "sections": dict(revision.sections or {}),
            "visibility": practice.visibility, "field_id": practice.field_id, "tags": practice.tags,
            "topic_ids": [t.id for t in practice.topics]}
    if practice.project_id is not None:
        data["project_id"] = practice.project_id
    return update_practice(actor, practice, data, version=version,
                           note=_("Wiederhergestellt aus Version %(n)s", n=revision.number))


@dataclass
class DiffRow:
    kind: str  # equal, replace, delete, insert
    left: str
    right: str


@dataclass
class FieldDiff:
    label: str
    rows: list[DiffRow] = field(default_factory=list)
    changed: bool = False


def compare(a: PracticeRevision, b: PracticeRevision) -> list[FieldDiff]:
    """Line-by-line differences of every text between revisions a (left) and b (right)."""
    fields = [(_("Titel"), a.title, b.title), (_("Kurzbeschreibung"), a.summary, b.summary)]
    for key, label in SECTIONS.items():
        fields.append((str(label), (a.sections or {}).get(key, ""), (b.sections or {}).get(key, "")))
    out = []
    for label, left, right in fields:
        lines_a, lines_b = (left or "").splitlines(), (right or "").splitlines()
        diff = FieldDiff(label=label, changed=lines_a != lines_b)
        matcher = difflib.SequenceMatcher(a=lines_a, b=lines_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                diff.rows.extend(DiffRow("equal", x, x) for x in lines_a[i1:i2])
            elif tag == "replace":
                la, lb = lines_a[i1:i2], lines_b[j1:j2]
                for k in range(max(len(la), len(lb))):
                    l_text = la[k] if k < len(la) else None
                    r_text = lb[k] if k < len(lb) else None
                    kind = "replace" if l_text is not None and r_text is not None else (
                        "delete" if r_text is None else "insert")
                    diff.rows.append(DiffRow(kind, l_text or "", r_text or ""))
            elif tag == "delete":
                diff.rows.extend(DiffRow("delete", x, "") for x in lines_a[i1:i2])
            elif tag == "insert":
                diff.rows.extend(DiffRow("insert", "", x) for x in lines_b[j1:j2])
        out.append(diff)
    return out
