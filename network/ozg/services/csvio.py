"""A city's OZG statuses as CSV: the export and the import with its preview and row errors (the rules are the ones
of statuses.check_values)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from network.core import audit
from network.core.csvutil import CsvUnreadable, decode_csv, read_csv_rows
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.ozg.models import STATUSES, VISIBILITY_LABELS, OzgService
from network.ozg.services.statuses import (
    MAX_IMPORT_ROWS,
    _apply,
    _checked,
    _current,
    _own_rows,
    format_date_de,
    require_edit,
    visible_statuses,
)


def csv_header() -> list[str]:
    return [_("OZG-ID"), _("Leistung"), _("Themenfeld"), _("Lebenslage"), _("Status"), _("Reifegrad"), _("Lösung"),
            _("EfA-Nachnutzung"), _("Land oder Anbieter"), _("Online seit"), _("Link"), _("Sichtbarkeit")]


def export_rows(user, city) -> list[list]:
    """The city's statuses the user may see as CSV rows (header first); core.csvutil guards the cells."""
    rows = sorted(visible_statuses(user, city).values(), key=lambda r: (r.service.themenfeld, r.service.ozg_id))
    out = [csv_header()]
    for r in rows:
        out.append([r.service.ozg_id, r.service.name, r.service.themenfeld, r.service.lebenslage, r.status_label,
                    r.maturity, r.solution, _("ja") if r.is_efa else _("nein"), r.provider, format_date_de(r.go_live),
                    r.url, r.visibility_label])
    return out


def _label_lookup(labels: dict) -> dict:
    out = {}
    for key, label in labels.items():
        out[str(label).lower()] = key
        out[key.lower()] = key
    return out


@dataclass
class ImportLine:
    line: int
    ozg_id: str
    name: str
    state: str  # "new", "changed", "unchanged", "invalid"
    errors: dict = field(default_factory=dict)
    values: dict | None = None
    service: OzgService | None = None


_COLUMN_KEYS = {"ozg-id": "ozg_id", "ozg_id": "ozg_id", "status": "status", "reifegrad": "maturity",
                "lösung": "solution", "loesung": "solution", "efa-nachnutzung": "is_efa", "efa": "is_efa",
                "land oder anbieter": "provider", "anbieter": "provider", "online seit": "go_live",
                "go-live": "go_live", "link": "url", "sichtbarkeit": "visibility",
                # the English headers of an export made in English
                "ozg id": "ozg_id", "maturity level": "maturity", "solution": "solution", "efa reuse": "is_efa",
                "land or vendor": "provider", "online since": "go_live", "visibility": "visibility"}


def preview_import(actor, city, raw: bytes | str) -> dict:
    """Read an uploaded CSV (the export's columns; OZG-ID and Status required): every row as new / changed /
    unchanged, or invalid with its German messages. Nothing is written."""
    require_edit(actor, city)
    try:
        text = raw if isinstance(raw, str) else decode_csv(raw)
        header, rows = read_csv_rows(text, MAX_IMPORT_ROWS)
    except CsvUnreadable as exc:
        raise ValidationFailed({"file": str(exc)}) from None
    columns = {}
    for i, name in enumerate(header):
        key = _COLUMN_KEYS.get(name.strip().lower())
        if key and key not in columns:
            columns[key] = i
    missing = [label for key, label in (("ozg_id", _("OZG-ID")), ("status", _("Status"))) if key not in columns]
    if missing:
        raise ValidationFailed({"file": _("Der Datei fehlen die Spalten %(cols)s. Laden Sie am besten zuerst den "
                                          "CSV-Export herunter und ändern Sie ihn.", cols=", ".join(missing))})
    statuses = _label_lookup(STATUSES)
    visibilities = _label_lookup(VISIBILITY_LABELS)
    ids = set()
    for _line, cells in rows:
        cell = cells[columns["ozg_id"]].strip() if columns["ozg_id"] < len(cells) else ""
        if cell.isdigit() and len(cell) < 10:
            ids.add(int(cell))
    services = {s.ozg_id: s for s in db.session.execute(sa.select(OzgService).where(
        OzgService.ozg_id.in_(ids or {0}))).scalars()}
    existing = _own_rows(actor, city, [s.id for s in services.values()])
    seen: dict[int, int] = {}
    lines = []
    for line, cells in rows:
        cell = lambda key: (cells[columns[key]] if key in columns and columns[key] < len(cells) else None)  # noqa
        raw_id = (cell("ozg_id") or "").strip()
        item = ImportLine(line, raw_id, "", "invalid")
        lines.append(item)
        if not raw_id:
            item.errors["ozg_id"] = _("Die OZG-ID fehlt.")
            continue
        if not raw_id.isdigit() or int(raw_id) not in services:
            item.errors["ozg_id"] = _("Die OZG-ID „%(id)s“ gibt es im Katalog nicht.", id=raw_id[:20])
            continue
        service = services[int(raw_id)]
        item.service, item.name = service, service.name
        if service.id in seen:
            item.errors["ozg_id"] = _("Die Leistung steht schon in Zeile %(line)s.", line=seen[service.id])
            continue
        seen[service.id] = line
        row = existing.get(service.id)
        data = _current(row)
        status_text = (cell("status") or "").strip().lower()
        data["status"] = statuses.get(status_text, status_text or "?")
        for key in ("maturity", "solution", "is_efa", "provider", "go_live", "url"):
            if cell(key) is not None:
                data[key] = cell(key).strip()
        if cell("visibility") is not None and cell("visibility").strip():
            vis = cell("visibility").strip().lower()
            data["visibility"] = visibilities.get(vis, vis)
        chk = Checker()
        values = _checked(chk, actor, city, data)
        if chk.errors:
            item.errors = chk.errors
            continue
        item.values = values
        item.state = "unchanged" if values == _current(row) else ("new" if row is None else "changed")
    counts = Counter(i.state for i in lines)
    return {"lines": lines, "counts": counts, "text": text}


def run_import(actor, city, text: str) -> Counter:
    """Import the valid rows of a previewed CSV (checked again) in one transaction; invalid rows are skipped.
    Returns counts per state."""
    preview = preview_import(actor, city, text)
    valid = [i for i in preview["lines"] if i.state != "invalid"]
    if not valid:
        raise ValidationFailed({"file": _("Die Datei enthält keine gültige Zeile; es wurde nichts importiert.")})
    rows = _own_rows(actor, city, [i.service.id for i in valid])
    changed = 0
    for item in valid:
        _row, did = _apply(actor, city, item.service, rows.get(item.service.id), item.values)
        changed += did
    db.session.flush()
    counts = preview["counts"]
    audit.record(actor, "ozg.imported", municipality_id=city.id,
                 summary=f"OZG-Stände aus CSV: {counts['new']} neu, {counts['changed']} geändert, "
                         f"{counts['unchanged']} unverändert, {counts['invalid']} übersprungen",
                 **{k: counts[k] for k in ("new", "changed", "unchanged", "invalid")})
    return counts
