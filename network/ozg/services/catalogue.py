"""The OZG catalogue: loading leistungen.csv and leika.csv idempotently, reading services and Themenfelder.

The catalogue is installation-wide reference data (no tenant): it is read without core.tenancy.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort

from network.extensions import db
from network.municipalities.models import make_slug
from network.ozg.models import LeikaService, OzgService

#: the catalogue shipped with the application (network/ozg/data/, see its README)
DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")
SERVICE_COLUMNS = ("ozg_id", "leistung", "lebenslage", "themenfeld")
LEIKA_COLUMNS = ("leika_schluessel", "leistung", "ozg_id", "leika_typ")
#: how the catalogue marks a LeiKa row without a key
NOT_IN_LEIKA = "nicht im LeiKa"
_LEIKA_KEY = re.compile(r"^\d{14}$")
_LIMITS = {"name": 300, "lebenslage": 200, "themenfeld": 120, "leika_name": 400, "leika_type": 20}


class CatalogueUnreadable(Exception):
    """A file is missing or has not the expected columns (German message); nothing was written."""


@dataclass
class ImportResult:
    """What an import did: counts per table and the refused rows ("leika.csv, Zeile 7: …")."""

    services: dict = field(default_factory=lambda: {"new": 0, "changed": 0, "unchanged": 0})
    leika: dict = field(default_factory=lambda: {"new": 0, "changed": 0, "unchanged": 0})
    errors: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.services["new"] or self.services["changed"] or self.leika["new"] or self.leika["changed"])


def _read(path: str, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    name = os.path.basename(path)
    if not os.path.isfile(path):
        raise CatalogueUnreadable(f"Die Datei {name} fehlt in {os.path.dirname(path) or '.'}.")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogueUnreadable(f"{name}: Es fehlen die Spalten {', '.join(missing)} "
                                      f"(erwartet: {', '.join(columns)}).")
        try:
            return [(reader.line_num, {k: (row.get(k) or "").strip() for k in columns}) for row in reader]
        except csv.Error as exc:
            raise CatalogueUnreadable(f"{name}: kein gültiges CSV in Zeile {reader.line_num} ({exc}).") from None
        except UnicodeDecodeError:
            raise CatalogueUnreadable(f"{name}: Die Datei ist nicht UTF-8-kodiert.") from None


def _too_long(values: dict, limits: dict[str, tuple[str, int]]) -> str | None:
    for key, (label, limit) in limits.items():
        if len(values[key]) > limit:
            return f"{label} ist länger als {limit} Zeichen."
    return None


def _check_services(rows) -> tuple[dict[int, dict], list[str]]:
    """{ozg_id: values} of the valid rows of leistungen.csv and the German messages of the others."""
    good: dict[int, dict] = {}
    first_line: dict[int, int] = {}
    errors = []
    for line, row in rows:
        where = f"leistungen.csv, Zeile {line}"
        raw_id = row["ozg_id"]
        if not raw_id:
            errors.append(f"{where}: Die OZG-ID fehlt.")
            continue
        if not raw_id.isdigit() or not 0 < int(raw_id) < 2**31:
            errors.append(f"{where}: Die OZG-ID „{raw_id}“ ist keine positive ganze Zahl.")
            continue
        ozg_id = int(raw_id)
        missing = [label for key, label in (("leistung", "der Name der Leistung"), ("lebenslage", "die Lebenslage"),
                                            ("themenfeld", "das Themenfeld")) if not row[key]]
        if missing:
            errors.append(f"{where}: Es fehlt {' und '.join(missing)}.")
            continue
        values = {"name": row["leistung"], "lebenslage": row["lebenslage"], "themenfeld": row["themenfeld"]}
        problem = _too_long(values, {"name": ("Der Name", _LIMITS["name"]),
                                     "lebenslage": ("Die Lebenslage", _LIMITS["lebenslage"]),
                                     "themenfeld": ("Das Themenfeld", _LIMITS["themenfeld"])})
        if problem:
            errors.append(f"{where}: {problem}")
            continue
        if ozg_id in good:
            errors.append(f"{where}: Die OZG-ID {ozg_id} steht schon in Zeile {first_line[ozg_id]}; "
                          f"die Zeile wurde übersprungen.")
            continue
        good[ozg_id] = values
        first_line[ozg_id] = line
    return good, errors


def _leika_natural_key(key: str | None, ozg_id: int, name: str) -> tuple:
    """A LeiKa row is identified by its key; rows "nicht im LeiKa" by their OZG service and name."""
    return ("key", key) if key else ("name", ozg_id, name)


def _check_leika(rows, known_ids: set[int]) -> tuple[dict[tuple, dict], list[str]]:
    good: dict[tuple, dict] = {}
    first_line: dict[tuple, int] = {}
    errors = []
    for line, row in rows:
        where = f"leika.csv, Zeile {line}"
        raw_id, raw_key, name = row["ozg_id"], row["leika_schluessel"], row["leistung"]
        if not raw_id:
            errors.append(f"{where}: Die OZG-ID fehlt.")
            continue
        if not raw_id.isdigit() or int(raw_id) not in known_ids:
            errors.append(f"{where}: Die OZG-ID „{raw_id}“ gibt es im Katalog (leistungen.csv) nicht.")
            continue
        if not name:
            errors.append(f"{where}: Der Name der LeiKa-Leistung fehlt.")
            continue
        if not raw_key:
            errors.append(f"{where}: Der LeiKa-Schlüssel fehlt (für Leistungen ohne Schlüssel: „{NOT_IN_LEIKA}“).")
            continue
        if raw_key != NOT_IN_LEIKA and not _LEIKA_KEY.match(raw_key):
            errors.append(f"{where}: Der LeiKa-Schlüssel „{raw_key}“ hat nicht 14 Ziffern.")
            continue
        if len(name) > _LIMITS["leika_name"] or len(row["leika_typ"]) > _LIMITS["leika_type"]:
            errors.append(f"{where}: Name oder LeiKa-Typ ist zu lang.")
            continue
        key = None if raw_key == NOT_IN_LEIKA else raw_key
        natural = _leika_natural_key(key, int(raw_id), name)
        if natural in good:
            errors.append(f"{where}: Diese LeiKa-Leistung steht schon in Zeile {first_line[natural]}; "
                          f"die Zeile wurde übersprungen.")
            continue
        good[natural] = {"ozg_id": int(raw_id), "leika_key": key, "name": name, "leika_type": row["leika_typ"]}
        first_line[natural] = line
    return good, errors


def _upsert(items, current: dict, add, counts: dict, done: int, every: int, total: int, progress) -> int:
    """Each (natural key, wanted values) of `items`: a row not in `current` is added (`add(key, values)`), a
    differing one updated in place, an equal one left; each counted in `counts` (new / changed / unchanged).
    `progress(done, total)` every `every` rows; returns the rows done so far."""
    for key, values in items:
        row = current.get(key)
        if row is None:
            add(key, values)
            counts["new"] += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
        done += 1
        if progress and done % every == 0:
            progress(done, total)
    return done


def import_catalogue(directory: str | None = None, progress=None) -> ImportResult:
    """Load or update the catalogue from leistungen.csv and leika.csv in `directory` (default: the shipped data).

    Upsert by natural key (OZG-ID; LeiKa key, or service and name for rows without one): a second run with
    the same files changes nothing. Invalid rows are skipped and reported; rows no longer in the files stay
    (cities' statuses refer to them). `progress(done, total)` is called as rows are processed. Flushes; the
    caller (CLI) commits.
    """
    directory = directory or DATA_DIR
    service_rows = _read(os.path.join(directory, "leistungen.csv"), SERVICE_COLUMNS)
    leika_rows = _read(os.path.join(directory, "leika.csv"), LEIKA_COLUMNS)
    total = len(service_rows) + len(leika_rows)
    result = ImportResult()
    services, errors = _check_services(service_rows)
    result.errors.extend(errors)

    existing = {s.ozg_id: s for s in db.session.execute(sa.select(OzgService)).scalars()}

    def add_service(ozg_id, values):
        existing[ozg_id] = OzgService(ozg_id=ozg_id, **values)
        db.session.add(existing[ozg_id])

    _upsert(services.items(), existing, add_service, result.services, 0, 100, total, progress)
    db.session.flush()
    done = len(service_rows)
    if progress:
        progress(done, total)

    leika, errors = _check_leika(leika_rows, set(existing))
    result.errors.extend(errors)
    service_ids = {ozg_id: s.id for ozg_id, s in existing.items()}
    current = {}
    for item in db.session.execute(sa.select(LeikaService, OzgService.ozg_id)
                                   .join(OzgService, OzgService.id == LeikaService.service_id)).all():
        row, ozg_id = item
        current[_leika_natural_key(row.leika_key, ozg_id, row.name)] = row
    new_rows = []
    wanted = ((natural, {"service_id": service_ids[values["ozg_id"]], "leika_key": values["leika_key"],
                         "name": values["name"], "leika_type": values["leika_type"]})
              for natural, values in leika.items())
    _upsert(wanted, current, lambda _natural, values: new_rows.append(values), result.leika, done, 500, total,
            progress)
    if new_rows:
        db.session.execute(sa.insert(LeikaService), new_rows)
    db.session.flush()
    if progress:
        progress(total, total)
    return result


# --- reading ------------------------------------------------------------------------------------------

def themenfeld_slug(name: str) -> str:
    """The Themenfeld in addresses: "Mobilität & Reisen" -> "mobilitaet-reisen"."""
    return make_slug(name)


def all_services() -> list[OzgService]:
    """Every OZG service by Themenfeld, Lebenslage and name (one query; 557 rows)."""
    return list(db.session.execute(sa.select(OzgService).order_by(
        OzgService.themenfeld, OzgService.lebenslage, OzgService.name, OzgService.ozg_id)).scalars())


def themenfelder() -> list[tuple[str, str]]:
    """(slug, name) of every Themenfeld, by name."""
    names = db.session.execute(sa.select(OzgService.themenfeld).distinct().order_by(OzgService.themenfeld)).scalars()
    return [(themenfeld_slug(n), n) for n in names]


def themenfeld_or_404(slug: str) -> str:
    """The Themenfeld's name for its slug; unknown slugs answer 404."""
    for s, name in themenfelder():
        if s == slug:
            return name
    abort(404)


def services_of_themenfeld(name: str) -> list[OzgService]:
    return list(db.session.execute(sa.select(OzgService).where(OzgService.themenfeld == name)
                                   .order_by(OzgService.lebenslage, OzgService.name, OzgService.ozg_id)).scalars())


def service_or_404(ozg_id: int) -> OzgService:
    """A service by its OZG-ID, or 404."""
    row = db.session.execute(sa.select(OzgService).where(OzgService.ozg_id == ozg_id)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def search_services(themenfeld: str | None = None, query: str | None = None, page: int = 1, per_page: int = 50):
    """(services of the page, total) filtered by Themenfeld (name or slug) and a name search (case-insensitive)."""
    stmt = sa.select(OzgService)
    if themenfeld:
        names = [n for s, n in themenfelder() if themenfeld in (s, n)]
        stmt = stmt.where(OzgService.themenfeld.in_(names))
    if query:
        words = [w for w in query.split() if w][:5]
        for word in words:
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(sa.or_(sa.func.lower(OzgService.name).like(pattern.lower(), escape="\\"),
                                     sa.cast(OzgService.ozg_id, sa.String) == word))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    items = db.session.execute(stmt.order_by(OzgService.themenfeld, OzgService.name, OzgService.ozg_id)
                               .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return items, total
