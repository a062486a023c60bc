"""Re-importing a list: each valid CSV row is matched to an existing project of the city.

By the id column when the row has one (an id of another city or an unknown id makes the row an error row,
so another city's project is never touched), else by title (case-insensitive, trimmed). The preview marks
every row "neu", "geändert" or "unverändert"; applying creates the new, updates the changed (version bumped,
audited) and leaves the unchanged alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from network.core import audit
from network.extensions import db
from network.inventory.models import Project

STATES = {"new": _l("neu"), "changed": _l("geändert"), "unchanged": _l("unverändert")}

#: import target -> project column it sets
_COLUMN = {"field": "field_id", "topic": "topic_id"}


def title_key(title: str | None) -> str:
    """Titles match regardless of case and surrounding blanks."""
    return (title or "").strip().casefold()


def city_projects(city_id: int) -> tuple[dict, dict]:
    """({id: project}, {title key: project}) of the city; with equal titles the oldest project matches."""
    projects = db.session.execute(
        sa.select(Project).where(Project.municipality_id == city_id).order_by(Project.id)
    ).unique().scalars().all()
    by_title: dict[str, Project] = {}
    for p in projects:
        by_title.setdefault(title_key(p.title), p)
    return {p.id: p for p in projects}, by_title


def applied_columns(mapping: dict, row_visibility: str) -> list[str]:
    """The columns a row may change on an existing project: only the mapped ones (an unmapped column keeps the
    project's value); visibility only when the row names one (not the import's default)."""
    out = []
    for target, index in mapping.items():
        if index is None or target == "id":
            continue
        if target == "visibility" and not row_visibility:
            continue
        out.append(_COLUMN.get(target, target))
    return out


def match_row(raw_id: str, values: dict, by_id: dict, by_title: dict) -> tuple[Project | None, str | None]:
    """(existing project or None, error message or None) for one valid row."""
    if raw_id:
        try:
            project = by_id.get(int(raw_id))
        except ValueError:
            return None, _("Die ID „%(value)s“ ist keine Zahl.", value=raw_id)
        if project is None:  # unknown, or another city's: the same answer, nothing about other cities
            return None, _("Ein Vorhaben mit der ID „%(value)s“ gibt es im Bestand Ihrer Kommune nicht.",
                           value=raw_id)
        return project, None
    return by_title.get(title_key(values["title"])), None


def changed_columns(project: Project, values: dict, columns: list[str]) -> list[str]:
    """The columns whose imported value differs from the project's."""
    return [k for k in columns if k in values and getattr(project, k) != values[k]]


def apply_rows(actor, rows: list[dict]) -> dict:
    """Create the new rows, update the changed ones (each audited, its version bumped), skip the unchanged."""
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for row in rows:
        counts[row["state"]] += 1
        if row["state"] == "new":
            db.session.add(Project(municipality_id=row["city_id"], created_by_id=actor.id, updated_by_id=actor.id,
                                   is_draft=False, **row["values"]))
        elif row["state"] == "changed":
            project = row["project"]
            for key in row["changed"]:
                setattr(project, key, row["values"][key])
            project.updated_by_id = actor.id
            audit.record(actor, "project.updated", obj=project, summary=f"Vorhaben {project.title} per CSV-Import "
                                                                        f"geändert", fields=row["changed"])
    db.session.flush()
    return counts
