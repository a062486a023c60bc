"""CSV import of a city's existing project list: upload -> column mapping -> preview -> import all valid rows.

The uploaded file is kept server-side (table project_import, removed after import, on discard, or by the
daily cleanup job), never in the cookie. Accepted: UTF-8 (with or without BOM) or Windows-1252, ";" or ","
as separator (csv.Sniffer), a header row, at most INVENTORY_IMPORT_MAX_ROWS data rows.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from network.core import audit
from network.core.csvutil import CsvBroken, CsvTooLong, sniff_delimiter, table_rows
from network.core.current import current_network_slug
from network.core.permissions import require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.inventory import import_match, services
from network.inventory.models import STATUSES, ImportUpload
from network.municipalities.models import make_slug

#: (target, label, required) in the order of the mapping form
TARGETS = [
    ("id", _l("ID im Städtenetz (für erneuten Import)"), False),
    ("title", _l("Titel"), True),
    ("field", _l("Handlungsfeld"), True),
    ("status", _l("Status"), True),
    ("summary", _l("Zusammenfassung"), False),
    ("topic", _l("Thema"), False),
    ("priority", _l("Priorität"), False),
    ("start_month", _l("Beginn"), False),
    ("end_month", _l("Ende"), False),
    ("department", _l("Amt"), False),
    ("contact", _l("Ansprechperson"), False),
    ("budget_eur", _l("Budget (Euro)"), False),
    ("funding_source", _l("Finanzierung"), False),
    ("visibility", _l("Sichtbarkeit"), False),
    ("is_lighthouse", _l("Leuchtturmprojekt"), False),
]
LABELS = {t: label for t, label, _r in TARGETS}
#: project column -> label (the columns a re-import changed, in the preview)
COLUMN_LABELS = {{"field": "field_id", "topic": "topic_id"}.get(t, t): label for t, label, _r in TARGETS}

#: normalised column names that map to a target without the user choosing
ALIASES = {
    "id": {"id", "vorhabenid", "projektid", "projectid"},
    "title": {"titel", "title", "vorhaben", "projekt", "projektname", "name", "bezeichnung", "massnahme"},
    "field": {"handlungsfeld", "field", "fieldofaction", "bereich"},
    "status": {"status", "stand", "ampel", "umsetzungsstand"},
    "summary": {"zusammenfassung", "summary", "beschreibung", "kurzbeschreibung", "inhalt"},
    "topic": {"thema", "topic", "projektgruppe"},
    "priority": {"prioritaet", "priority", "prio"},
    "start_month": {"beginn", "start", "startmonat", "anfang", "geplanterbeginn"},
    "end_month": {"ende", "end", "endmonat", "abschluss", "geplantesende"},
    "department": {"amt", "department", "fachbereich", "zustaendigkeit", "organisationseinheit"},
    "contact": {"ansprechperson", "contact", "ansprechpartner", "ansprechpartnerin", "kontakt"},
    "budget_eur": {"budget", "budgeteuro", "kosten", "budgetschaetzung", "kostenschaetzung", "budgeteur"},
    "funding_source": {"finanzierung", "funding", "foerderung", "foerderprogramm", "fundingsource"},
    "visibility": {"sichtbarkeit", "visibility"},
    "is_lighthouse": {"leuchtturmprojekt", "leuchtturm", "lighthouse", "islighthouse"},
}

#: words cities use for the traffic light besides our labels
STATUS_ALIASES = {
    "rot": "idea", "geplant": "idea", "planung": "idea", "in planung": "idea", "offen": "idea",
    "gelb": "in_progress", "laufend": "in_progress", "in arbeit": "in_progress", "in bearbeitung": "in_progress",
    "umsetzung": "in_progress",
    "grün": "done", "gruen": "done", "erledigt": "done", "abgeschlossen": "done", "fertig": "done",
    "pausiert": "paused", "zurückgestellt": "paused", "ruht": "paused",
    "verworfen": "dropped", "abgebrochen": "dropped", "eingestellt": "dropped",
}


class ImportFailed(ValidationFailed):
    """The file as a whole cannot be read (encoding, empty, too many rows)."""

    def __init__(self, message: str):
        super().__init__({"file": message}, status=422)


def _norm(text: str) -> str:
    return make_slug(text or "").replace("-", "")


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text and encoding: UTF-8 (BOM or not) first, then Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise ImportFailed(_("Die Datei ist nicht als UTF-8 oder Windows-1252 gespeichert (sie sieht nach UTF-16 "
                             "oder einer Binärdatei aus). Bitte speichern Sie sie als „CSV (UTF-8)“ und laden Sie "
                             "sie erneut hoch."))
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise ImportFailed(_("Die Datei ist weder UTF-8 noch Windows-1252 kodiert. Bitte speichern Sie sie als "
                             "„CSV (UTF-8)“ und laden Sie sie erneut hoch.")) from None


def read_table(text: str, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(line number in the file, cells)]); empty lines are skipped."""
    max_rows = current_app.config["INVENTORY_IMPORT_MAX_ROWS"]
    try:
        header, rows = table_rows(text, delimiter, max_rows)
    except CsvTooLong:
        raise ImportFailed(_("Die Datei hat mehr als %(max)s Datenzeilen. Bitte teilen Sie sie in kleinere "
                             "Dateien auf.", max=f"{max_rows:,}".replace(",", "."))) from None
    except CsvBroken as exc:
        raise ImportFailed(_("Die Datei ist keine lesbare CSV-Datei (Zeile %(line)s: %(error)s).",
                             line=exc.line, error=exc.error)) from None
    if header is None:
        raise ImportFailed(_("Die Datei ist leer. Die erste Zeile muss die Spaltennamen enthalten."))
    if not rows:
        raise ImportFailed(_("Die Datei enthält nur die Kopfzeile und keine Vorhaben."))
    return header, rows


def store_upload(actor, filename: str, raw: bytes) -> ImportUpload:
    """Check the file and keep it on the server for the mapping step."""
    require(actor, "project.manage")
    city = actor.municipality
    require(actor, "project.manage", city)
    if not raw:
        raise ImportFailed(_("Bitte wählen Sie eine CSV-Datei aus."))
    if len(raw) > current_app.config["INVENTORY_IMPORT_MAX_BYTES"]:
        raise ImportFailed(_("Die Datei ist größer als %(mb)s MB.",
                             mb=current_app.config["INVENTORY_IMPORT_MAX_BYTES"] // (1024 * 1024)))
    text, encoding = decode(raw)
    delimiter = sniff_delimiter(text)
    read_table(text, delimiter)
    upload = ImportUpload(municipality_id=city.id, created_by_id=actor.id, token=secrets.token_urlsafe(24),
                          filename=(filename or "")[:200], content=text, encoding=encoding, delimiter=delimiter)
    db.session.add(upload)
    db.session.flush()
    return upload


def get_upload_or_404(actor, city, token: str) -> ImportUpload:
    """The actor's own upload for this city, else 404."""
    require(actor, "project.manage", city)
    upload = db.session.execute(sa.select(ImportUpload).where(
        ImportUpload.token == token, ImportUpload.municipality_id == city.id,
        ImportUpload.created_by_id == actor.id)).scalar_one_or_none()
    if upload is None:
        abort(404)
    return upload


def guess_mapping(header: list[str]) -> dict[str, int | None]:
    """target -> column index, by the column names (first match wins)."""
    out: dict[str, int | None] = {t: None for t, _l2, _r in TARGETS}
    for index, name in enumerate(header):
        key = _norm(name)
        for target, names in ALIASES.items():
            if out[target] is None and key in names:
                out[target] = index
                break
    return out


def check_mapping(header, mapping: dict) -> dict:
    """target -> column index; a missing required column or a column used twice is an error beside its select."""
    c = Checker()
    out: dict[str, int | None] = {}
    used: dict[int, str] = {}
    for target, label, required in TARGETS:
        raw = mapping.get(target)
        index = None
        if raw not in (None, ""):
            try:
                index = int(raw)
                if not 0 <= index < len(header):
                    raise ValueError
            except (TypeError, ValueError):
                c.add(target, _("Bitte wählen Sie eine Spalte aus der Liste."))
                continue
        if index is None and required:
            c.add(target, _("Pflichtspalte fehlt: Bitte ordnen Sie der Angabe „%(label)s“ eine Spalte zu.",
                            label=label))
        if index is not None:
            if index in used:
                c.add(target, _("Die Spalte „%(col)s“ ist schon „%(other)s“ zugeordnet.", col=header[index],
                                other=LABELS[used[index]]))
            used[index] = target
        out[target] = index
    c.done()
    return out


def mapping_or_errors(header, mapping: dict) -> tuple[dict | None, dict]:
    """(checked mapping, {}) or (None, messages per target): the mapping page shows both without writing."""
    try:
        return check_mapping(header, mapping), {}
    except ValidationFailed as exc:
        return None, exc.errors


def _lookup_tables(city_id: int):
    """Names and ids of the fields of action and topics the city's rows may name: those of the networks the city
    takes part in. A name (or slug) maps to every candidate: two networks may use the same name (`_pick`)."""
    fields = [f for _n, items in services.city_fields(city_id) for f in items]
    topics = services.active_topics(city_id)  # their networks are in the session already (city_fields loaded them)

    def index(items):
        by_name: dict[str, list] = {}
        for item in items:
            for key in {item.name.strip().lower(), item.slug, _norm(item.name)}:
                by_name.setdefault(key, []).append(item)
        return by_name
    return index(fields), index(topics), {f.id: f for f in fields}, {t.id: t for t in topics}


def _pick(by_name: dict, text: str, *, prefer_network_id=None):
    """(item or None, ambiguous networks or None) for a name of the CSV (issue #16).

    Only the networks of the importing city count (`_lookup_tables`); of several candidates the exact name wins,
    then the one of this request's network, then (for a topic) the one of the row's field's network. Still
    several: the caller names the networks in a row error; no candidate is taken at random."""
    if not text:
        return None, None
    candidates = by_name.get(text.lower()) or by_name.get(_norm(text)) or []
    exact = [c for c in candidates if c.name.strip().lower() == text.lower()]
    candidates = exact or candidates
    if len(candidates) <= 1:
        return (candidates[0] if candidates else None), None
    for narrowed in ([c for c in candidates if c.network.slug == current_network_slug()],
                     [c for c in candidates if prefer_network_id is not None and c.network_id == prefer_network_id]):
        if len(narrowed) == 1:
            return narrowed[0], None
    return None, sorted({c.network.name for c in candidates}, key=str.casefold)


#: the row errors for a name of the CSV that is in several of the city's networks, or in none
_NAME_ERRORS = {
    "field": (_l("Handlungsfeld „%(value)s“ gibt es in mehreren Netzwerken: %(networks)s – bitte "
                 "wechseln Sie oben in der Kopfzeile in das Netzwerk, zu dem das Vorhaben gehört, und "
                 "prüfen Sie die Vorschau erneut."),
              _l("Handlungsfeld „%(value)s“ ist unbekannt.")),
    "topic": (_l("Thema „%(value)s“ gibt es in mehreren Netzwerken: %(networks)s – bitte wechseln Sie "
                 "oben in der Kopfzeile in das Netzwerk, zu dem das Vorhaben gehört, und prüfen Sie "
                 "die Vorschau erneut."),
              _l("Thema „%(value)s“ ist unbekannt.")),
}


def _named(kind: str, by_name: dict, text: str, reasons: list, **kw):
    """The field or topic a row names (`_pick`); an ambiguous or unknown name adds its error to ``reasons``."""
    found, networks = _pick(by_name, text, **kw)
    ambiguous, unknown = _NAME_ERRORS[kind]
    if networks:
        reasons.append(str(ambiguous) % {"value": text, "networks": ", ".join(networks)})
    elif text and found is None:
        reasons.append(str(unknown) % {"value": text})
    return found


def _is_month(text: str) -> bool:
    try:
        services.parse_month(text)
    except ValueError:
        return False
    return True


def _status_key(value: str):
    text = (value or "").strip()
    low = text.lower()
    for key, label in STATUSES.items():
        if low in (key, str(label).lower()):
            return key
    return STATUS_ALIASES.get(low)


def validate_rows(upload: ImportUpload, mapping: dict, default_visibility: str) -> dict:
    """Every row checked with the project rules and matched to the city's projects: {"valid": [(line, values,
    match)], "invalid": [(line, [reasons])], "counts": {state: n}}; match says new, changed or unchanged."""
    header, rows = read_table(upload.content, upload.delimiter)
    fields_by_name, topics_by_name, fields_by_id, topics_by_id = _lookup_tables(upload.municipality_id)
    by_id, by_title = import_match.city_projects(upload.municipality_id)
    seen: dict[int, int] = {}  # project id -> line that matched it first
    counts = {state: 0 for state in import_match.STATES}
    valid, invalid = [], []
    for line, cells in rows:
        def cell(target):
            index = mapping.get(target)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        reasons = []
        data = {t: cell(t) for t, _l2, _r in TARGETS}
        raw_id = data.pop("id")
        row_visibility = data["visibility"]
        field_text = data.pop("field")
        fld = _named("field", fields_by_name, field_text, reasons)
        data["field_id"] = fld.id if fld else None
        topic_text = data.pop("topic")
        topic = _named("topic", topics_by_name, topic_text, reasons, prefer_network_id=fld.network_id if fld else None)
        data["topic_id"] = topic.id if topic else None
        status_text = data["status"]
        status = _status_key(status_text)
        if status_text and status is None:
            reasons.append(_("Status „%(value)s“ ist unbekannt (erlaubt: Idee, in Umsetzung, umgesetzt, pausiert, "
                             "verworfen; auch rot, gelb, grün).", value=status_text))
        data["status"] = status or status_text
        if not data["visibility"]:
            data["visibility"] = default_visibility
        c = Checker()
        values = services.check_project(c, data, fields_by_id=fields_by_id, topics_by_id=topics_by_id)
        for key, message in c.errors.items():
            if key == "status" and status_text and status is None:
                continue
            if key == "field_id" and field_text:
                continue
            if key == "topic_id" and topic_text:
                continue
            if key in ("start_month", "end_month") and data.get(key) and not _is_month(data[key]):
                reasons.append(_("%(label)s „%(value)s“ ist kein gültiger Monat (z. B. 03/2026 oder 2026-03).",
                                 label=LABELS[key], value=data[key]))
                continue
            label = LABELS.get({"field_id": "field", "topic_id": "topic"}.get(key, key), key)
            reasons.append(f"{label}: {message}")
        project = None
        if not reasons:
            project, error = import_match.match_row(raw_id, values, by_id, by_title)
            if error:
                reasons.append(error)
            elif project is not None and project.id in seen:
                reasons.append(_("Die Zeile betrifft dasselbe Vorhaben wie Zeile %(line)s.", line=seen[project.id]))
        if reasons:
            invalid.append((line, reasons))
            continue
        match = {"state": "new", "project": None, "changed": [], "values": values,
                 "city_id": upload.municipality_id}
        if project is not None:
            seen[project.id] = line
            changed = import_match.changed_columns(project, values,
                                                   import_match.applied_columns(mapping, row_visibility))
            match.update(project=project, changed=changed, state="changed" if changed else "unchanged")
        counts[match["state"]] += 1
        valid.append((line, values, match))
    return {"header": header, "valid": valid, "invalid": invalid, "rows": len(rows), "counts": counts}


def run_import(actor, upload: ImportUpload, mapping: dict, default_visibility: str) -> dict:
    """Create the new rows as released projects of the city and update the changed ones, in one transaction;
    unchanged rows stay as they are; then forget the file. Returns {"new", "changed", "unchanged"} counts."""
    require(actor, "project.manage", upload)
    result = validate_rows(upload, mapping, default_visibility)
    if not result["valid"]:
        raise ValidationFailed({"file": _("Die Datei enthält keine gültige Zeile; es wurde nichts importiert.")})
    counts = import_match.apply_rows(actor, [match for _line, _values, match in result["valid"]])
    audit.record(actor, "project.imported", municipality_id=upload.municipality_id,
                 summary=f"{counts['new']} Vorhaben aus {upload.filename or 'CSV'} importiert, "
                         f"{counts['changed']} geändert, {counts['unchanged']} unverändert",
                 skipped=len(result["invalid"]), **counts)
    db.session.delete(upload)
    db.session.flush()
    return counts


def discard(actor, upload: ImportUpload) -> None:
    """Forget the upload without importing anything."""
    require(actor, "project.manage", upload)
    db.session.delete(upload)
    db.session.flush()
