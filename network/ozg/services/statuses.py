"""A city's OZG statuses: checking (the status rules), saving one, saving a Themenfeld's table at once, reading the
city's page, CSV export and import.

Tenancy: reads of statuses go through core.tenancy.scope(); writes need "ozg.edit" for the city (its lead and
staff); another city's account gets 404, the coordination 403 (core.permissions.require).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.permissions import can, require
from network.core.tenancy import scope
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality
from network.ozg.models import (
    MAX_MATURITY,
    STATUSES,
    VISIBILITY_LABELS,
    OzgService,
    OzgStatus,
)
from network.ozg.services.catalogue import (
    all_services,
    services_of_themenfeld,
    themenfeld_slug,
)

#: the values of a status, as forms, the API and the CSV import give them
FIELDS = ("status", "maturity", "solution", "is_efa", "provider", "go_live", "url", "project_id", "practice_id",
          "visibility")
#: the fields of a row of the bulk table (project, practice and visibility stay as they are)
BULK_FIELDS = ("status", "maturity", "solution", "is_efa", "provider", "go_live", "url")
#: the defaults of a service without a row
DEFAULTS = {"status": "open", "maturity": 0, "solution": "", "is_efa": False, "provider": "", "go_live": None,
            "url": "", "project_id": None, "practice_id": None, "visibility": "network"}
MAX_IMPORT_ROWS = 2000
_TRUE = ("1", "ja", "j", "x", "yes", "y", "true", "wahr", "on")
_FALSE = ("", "0", "nein", "n", "no", "false", "falsch", "off")


def city_or_404(slug: str) -> Municipality:
    """A city by slug (cities are public); unknown slugs answer 404."""
    city = db.session.execute(sa.select(Municipality).where(Municipality.slug == slug[:60])).scalar_one_or_none()
    if city is None:
        abort(404)
    return city


def may_edit(user, city) -> bool:
    """True for the city's own lead and staff."""
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "municipality_id", None) == city.id \
        and can(user, "ozg.edit", city)


def require_edit(user, city) -> None:
    """403/404 unless the user may write the city's statuses (core.permissions.require)."""
    require(user, "ozg.edit", city)
    if getattr(user, "municipality_id", None) != city.id:
        abort(403)  # a coordinator who is also some city's lead


# --- parsing and the status rules ---------------------------------------------------------------------

def parse_date(value):
    """A date from "TT.MM.JJJJ", "JJJJ-MM-TT" or a date; "" -> None; anything else raises ValueError."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(text)


def format_date_de(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _int_or_none(value):
    if value in (None, "") or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if re.fullmatch(r"\d{1,9}", text) else "invalid"


def check_values(actor, city, data: dict, *, today: date | None = None) -> dict:
    """The checked values of a status (every rule, German messages by field); raises ValidationFailed."""
    chk = Checker()
    values = _checked(chk, actor, city, data, today=today)
    chk.done()
    return values


def _checked(chk: Checker, actor, city, data: dict, *, today: date | None = None) -> dict:
    """Check `data` (missing keys take DEFAULTS) into `chk`; returns the values (invalid ones as given)."""
    today = today or utcnow().date()
    get = lambda k: data.get(k, DEFAULTS[k])
    out = {}
    status = get("status")
    if status not in STATUSES:
        chk.add("status", _("Bitte wählen Sie einen Status: offen, in Planung, in Umsetzung oder online."))
    out["status"] = status
    maturity = get("maturity")
    maturity = 0 if maturity in (None, "") else _int_or_none(maturity)
    if not isinstance(maturity, int) or not 0 <= maturity <= MAX_MATURITY:
        chk.add("maturity", _("Der Reifegrad muss eine ganze Zahl von 0 bis 4 sein."))
    out["maturity"] = maturity
    out["solution"] = chk.text("solution", _str(get("solution")), label=_("die Lösung"), required=False,
                               max_len=300, multiline=False)
    out["provider"] = chk.text("provider", _str(get("provider")), label=_("das Land oder den Anbieter"),
                               required=False, max_len=200, multiline=False)
    efa = get("is_efa")
    if isinstance(efa, str):
        if efa.strip().lower() in _TRUE:
            efa = True
        elif efa.strip().lower() in _FALSE:
            efa = False
    if not isinstance(efa, bool):
        chk.add("is_efa", _("Bitte geben Sie bei „EfA-Nachnutzung“ ja oder nein an."))
        efa = False
    out["is_efa"] = efa
    try:
        go_live = parse_date(get("go_live"))
    except (ValueError, TypeError):
        chk.add("go_live", _("Bitte geben Sie das Datum als TT.MM.JJJJ an, z. B. 01.03.2025."))
        go_live = None
    out["go_live"] = go_live
    url = _str(get("url")).strip()
    if url and (len(url) > 300 or not re.match(r"^https?://[^\s/$.?#][^\s]*$", url)):
        chk.add("url", _("Der Link muss eine Webadresse sein, die mit https:// oder http:// beginnt."))
    out["url"] = url
    visibility = get("visibility")
    if visibility not in VISIBILITY_LABELS:
        chk.add("visibility", _("Bitte wählen Sie, wer den Stand sehen darf: nur eigene Kommune, Netzwerk oder "
                                "öffentlich."))
    out["visibility"] = visibility
    out["project_id"] = _project(chk, actor, city, get("project_id"))
    out["practice_id"] = _practice(chk, actor, get("practice_id"))
    # the status rules
    if efa and not out["provider"]:
        chk.add("provider", _("Bei EfA-Nachnutzung nennen Sie bitte das bereitstellende Land oder den Anbieter."))
    if status == "online":
        if not url and go_live is None and "url" not in chk.errors and "go_live" not in chk.errors:
            chk.add("url", _("Für den Status „online“ geben Sie bitte den Link zum Online-Dienst oder das Datum "
                             "an, seit dem er online ist."))
        if go_live is not None and go_live > today:
            chk.add("go_live", _("Ein Dienst, der online ist, kann nicht erst in der Zukunft starten. Wählen Sie "
                                 "„in Umsetzung“ oder ein Datum bis heute."))
    if go_live is not None and not date(1990, 1, 1) <= go_live <= date(today.year + 10, 12, 31):
        chk.add("go_live", _("Das Datum liegt außerhalb des möglichen Zeitraums (1990 bis in zehn Jahren)."))
    return out


def _str(value) -> str:
    return value if isinstance(value, str) else ("" if value is None else "\x00")


def _project(chk, actor, city, value):
    from network.inventory.models import Project
    pid = _int_or_none(value)
    if pid is None:
        return None
    if pid == "invalid" or db.session.execute(
            scope(Project, actor).where(Project.id == pid, Project.municipality_id == city.id)
            .with_only_columns(Project.id)).first() is None:
        chk.add("project_id", _("Dieses Vorhaben gibt es im Inventar Ihrer Kommune nicht."))
        return None
    return pid


def _practice(chk, actor, value):
    from network.practices.models import Practice
    pid = _int_or_none(value)
    if pid is None:
        return None
    own = getattr(actor, "municipality_id", None)
    if pid == "invalid" or db.session.execute(
            scope(Practice, actor).where(Practice.id == pid, sa.or_(Practice.status == "published",
                                                                    Practice.municipality_id == own))
            .with_only_columns(Practice.id)).first() is None:
        chk.add("practice_id", _("Diesen Praxisbericht gibt es nicht, oder Sie dürfen ihn nicht sehen."))
        return None
    return pid


def stale_message(service) -> str:
    return _("Den Stand von „%(name)s“ hat inzwischen jemand anderes geändert. Bitte laden Sie die Seite neu und "
             "prüfen Sie ihn.", name=service.name)


# --- writing --------------------------------------------------------------------------------------

def _own_rows(actor, city, service_ids) -> dict[int, OzgStatus]:
    """The city's rows of these services, for its own writer (every row, whatever its visibility)."""
    if not service_ids:
        return {}
    rows = db.session.execute(scope(OzgStatus, actor, own_only=True).where(
        OzgStatus.municipality_id == city.id, OzgStatus.service_id.in_(list(service_ids)))).scalars()
    return {r.service_id: r for r in rows}


def _current(row: OzgStatus | None) -> dict:
    return DEFAULTS.copy() if row is None else {k: getattr(row, k) for k in FIELDS}


def _apply(actor, city, service, row, values) -> tuple[OzgStatus | None, bool]:
    """Write `values` into the city's row (created when something differs from the defaults); (row, changed)."""
    if values == _current(row):
        return row, False
    if row is None:
        row = OzgStatus(municipality_id=city.id, service_id=service.id)
        db.session.add(row)
    for k, v in values.items():
        setattr(row, k, v)
    row.updated_by_id = getattr(actor, "id", None)
    row.is_example = False
    return row, True


def _version_ok(row, version) -> bool:
    """A new row is written against version 0 (or none); an existing one against its version."""
    sent = "" if version is None else str(version).strip()
    if row is None:
        return sent in ("", "0")
    return sent == str(row.version)


def save_status(actor, city, service: OzgService, data: dict, *, version=None) -> OzgStatus | None:
    """Record the city's status of one service; a stale version answers 409. Returns the row (None: still none)."""
    require_edit(actor, city)
    row = _own_rows(actor, city, [service.id]).get(service.id)
    values = check_values(actor, city, {**_current(row), **data})
    if not _version_ok(row, version):
        raise Conflict({"version": stale_message(service)})
    row, changed = _apply(actor, city, service, row, values)
    if changed:
        db.session.flush()
        audit.record(actor, "ozg.status_saved", obj=row,
                     summary=f"OZG-Leistung {service.name} ({service.ozg_id}): {row.status_label}",
                     ozg_id=service.ozg_id, status=row.status)
    return row


@dataclass
class BulkRow:
    """One line of the Themenfeld table: the service, the shown values, the version and the row's messages."""

    service: OzgService
    values: dict
    version: int
    errors: dict = field(default_factory=dict)


def bulk_rows(actor, city, themenfeld: str, posted: dict | None = None, errors: dict | None = None) -> list[BulkRow]:
    """The table of a Themenfeld: every service with the city's values (or the user's refused input)."""
    services = services_of_themenfeld(themenfeld)
    rows = _own_rows(actor, city, [s.id for s in services])
    out = []
    for s in services:
        row = rows.get(s.id)
        values = _current(row)
        values["go_live"] = format_date_de(values["go_live"])
        version = row.version if row is not None else 0
        if posted and s.id in posted:
            values.update({k: posted[s.id].get(k, values[k]) for k in BULK_FIELDS})
            version = posted[s.id].get("version", version)
        row_errors = {k.split("-", 1)[1]: m for k, m in (errors or {}).items() if k.startswith(f"{s.id}-")}
        out.append(BulkRow(s, values, version, row_errors))
    return out


def save_bulk(actor, city, themenfeld: str, posted: dict[int, dict]) -> int:
    """Save the rows of a Themenfeld's table at once: all or nothing. `posted`: service id -> values and version.
    Errors are keyed "<service id>-<field>"; a stale row answers 409. Returns the number of changed rows."""
    require_edit(actor, city)
    services = {s.id: s for s in services_of_themenfeld(themenfeld)}
    unknown = [sid for sid in posted if sid not in services]
    if unknown:
        abort(404)
    rows = _own_rows(actor, city, list(posted))
    errors: dict[str, str] = {}
    stale: dict[str, str] = {}
    checked = {}
    for sid, data in posted.items():
        row = rows.get(sid)
        chk = Checker()
        values = _checked(chk, actor, city, {**_current(row), **{k: data[k] for k in BULK_FIELDS if k in data}})
        for key, msg in chk.errors.items():
            errors[f"{sid}-{key}"] = msg
        if not _version_ok(row, data.get("version")):
            stale[f"{sid}-version"] = stale_message(services[sid])
        checked[sid] = values
    if errors:
        raise ValidationFailed({**errors, **stale})
    if stale:
        raise Conflict(stale)
    changed = []
    for sid, values in checked.items():
        row, did = _apply(actor, city, services[sid], rows.get(sid), values)
        if did:
            changed.append(services[sid].ozg_id)
    if changed:
        db.session.flush()
        audit.record(actor, "ozg.bulk_saved", municipality_id=city.id,
                     summary=f"OZG-Leistungen im Themenfeld {themenfeld}: {len(changed)} Stände gespeichert",
                     themenfeld=themenfeld, ozg_ids=changed)
    return len(changed)


# --- reading --------------------------------------------------------------------------------------

def visible_statuses(user, city) -> dict[int, OzgStatus]:
    """service id -> the city's status rows the user may see (core.tenancy.scope)."""
    rows = db.session.execute(scope(OzgStatus, user).where(OzgStatus.municipality_id == city.id)).scalars()
    return {r.service_id: r for r in rows}


def status_of(user, city, service) -> OzgStatus | None:
    """The city's row of one service if the user may see it."""
    return db.session.execute(scope(OzgStatus, user).where(OzgStatus.municipality_id == city.id,
                                                           OzgStatus.service_id == service.id)).scalar_one_or_none()


def city_page(user, city) -> dict:
    """The city's OZG page: counts per status overall and per Themenfeld, and every recorded (not open) status."""
    services = all_services()
    rows = visible_statuses(user, city)
    totals = Counter()
    by_field: dict[str, Counter] = {}
    for s in services:
        status = rows[s.id].status if s.id in rows else "open"
        totals[status] += 1
        by_field.setdefault(s.themenfeld, Counter())[status] += 1
    recorded = sorted((r for r in rows.values() if r.status != "open" or r.solution or r.url),
                      key=lambda r: (r.service.themenfeld, r.service.name))
    return {"totals": totals, "total": len(services),
            "fields": [(themenfeld_slug(name), name, counts, sum(counts.values()))
                       for name, counts in sorted(by_field.items())],
            "recorded": recorded, "may_edit": may_edit(user, city)}


def own_projects(city) -> list:
    """The city's projects to choose from (id, title), for the edit form."""
    from network.inventory.models import Project
    return db.session.execute(sa.select(Project.id, Project.title).where(Project.municipality_id == city.id)
                              .order_by(Project.title).limit(500)).all()


def visible_practices(user) -> list:
    """Published practices the user may see, and the own city's drafts (id, title, city), for the edit form."""
    from network.practices.models import Practice
    own = getattr(user, "municipality_id", None)
    stmt = scope(Practice, user).where(sa.or_(Practice.status == "published", Practice.municipality_id == own))
    return db.session.execute(stmt.with_only_columns(Practice.id, Practice.title, Municipality.name)
                              .join(Municipality, Municipality.id == Practice.municipality_id)
                              .order_by(Practice.title).limit(500)).all()
