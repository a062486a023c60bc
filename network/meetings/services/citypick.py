"""Cities in the meetings forms, bounded (issue #17): typed by name instead of picked from every member city.

A network can have over 1,000 member cities; a select or a checkbox per city made the forms unusable and heavy.
The forms take names (a text field with a short list of suggestions; for a body, one name per line), and these
look them up among the network's member cities in one statement. Works without JavaScript."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from network.core.validation import ValidationFailed
from network.extensions import db
from network.meetings.models import BodyCity
from network.meetings.services._common import this_network
from network.municipalities.models import Municipality
from network.networks.services import active_member_clause

#: suggestions offered in a datalist (the body's cities, or the network's first by name)
SUGGESTIONS = 100
#: names one body form may list (a plenum of a state association has about 1,100)
MAX_NAMES = 3_000


def _names(text: str) -> list[str]:
    """The entries of a text: one per line (commas and semicolons also separate), trimmed, without duplicates."""
    out, seen = [], set()
    for part in re.split(r"[\n;,]+", text or ""):
        name = " ".join(part.split())[:120]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def _lookup(names: list[str], network) -> dict[str, Municipality]:
    """Member cities of the network by the case-folded name or slug they were typed as (one statement)."""
    if not names:
        return {}
    keys = [n.casefold() for n in names]
    # SQLite's lower() folds ASCII letters only: the names as typed and with a capital first letter are
    # compared as they are ("Überlingen", "überlingen" → "Überlingen")
    spelled = list({v for n in names for v in (n, n[:1].upper() + n[1:])})
    rows = db.session.execute(
        sa.select(Municipality).where(active_member_clause(network.id, Municipality.id),
                                      sa.or_(sa.func.lower(Municipality.name).in_(keys), Municipality.name.in_(spelled),
                                             Municipality.slug.in_(keys)))
    ).scalars().all()
    found = {}
    for city in rows:
        found[city.name.casefold()] = city
        found[city.slug] = city
    return found


def _unknown_message(unknown: list[str]) -> str:
    shown = ", ".join(f"„{n}“" for n in unknown[:10]) + (" …" if len(unknown) > 10 else "")
    return _("Keine Mitgliedskommune dieses Netzwerks: %(names)s. Bitte den Namen so schreiben, wie er im "
             "Städtenetz steht (eine Kommune pro Zeile).", names=shown)


def resolve_cities(text: str, field: str, network=None) -> list[int]:
    """The ids of the member cities named in `text` (one per line); a German error on `field` naming every entry
    that is no member city of the network."""
    network = network or this_network()
    names = _names(text)
    if len(names) > MAX_NAMES:
        raise ValidationFailed({field: _("Höchstens %(n)s Kommunen auf einmal.", n=MAX_NAMES)})
    found = _lookup(names, network)
    unknown = [n for n in names if n.casefold() not in found]
    if unknown:
        raise ValidationFailed({field: _unknown_message(unknown)})
    return list(dict.fromkeys(found[n.casefold()].id for n in names))


def resolve_city(text: str, field: str, network=None) -> int | None:
    """The id of the one member city named in `text` (None when empty); a German error on `field` otherwise."""
    names = _names(text or "")
    if not names:
        return None
    if len(names) > 1:
        raise ValidationFailed({field: _("Bitte nur eine Kommune angeben.")})
    return resolve_cities(names[0], field, network)[0]


def suggestions(body_id: int | None = None, network=None) -> list[str]:
    """Names for a datalist: the body's member cities, else the network's, the first SUGGESTIONS by name."""
    network = network or this_network()
    stmt = sa.select(Municipality.name).where(active_member_clause(network.id, Municipality.id))
    if body_id is not None:
        stmt = stmt.where(Municipality.id.in_(sa.select(BodyCity.municipality_id).where(BodyCity.body_id == body_id)))
    return db.session.execute(stmt.order_by(Municipality.name).limit(SUGGESTIONS)).scalars().all()


def names_of(city_ids) -> str:
    """The cities' names, one per line (to fill the body form's text)."""
    if not city_ids:
        return ""
    return "\n".join(db.session.execute(sa.select(Municipality.name).where(Municipality.id.in_(list(city_ids)))
                                        .order_by(Municipality.name)).scalars())


#: a body's cities offered as a select (host, responsible city) up to this many; beyond, a typed name
SELECT_LIMIT = 50
#: cities one search returns (the forms' suggestions)
CITY_SUGGESTIONS = 20


def body_city_choices(body_id: int) -> list[Municipality] | None:
    """The body's cities by name for a select when it has at most SELECT_LIMIT, else None (the form asks for a
    typed name). One statement, at most SELECT_LIMIT + 1 rows."""
    cities = db.session.execute(
        sa.select(Municipality).join(BodyCity, BodyCity.municipality_id == Municipality.id)
        .where(BodyCity.body_id == body_id).order_by(Municipality.name, Municipality.id)
        .limit(SELECT_LIMIT + 1)).scalars().all()
    return cities if len(cities) <= SELECT_LIMIT else None


def resolve_body_city(text: str, field: str, body_id: int) -> int | None:
    """The id of the body's member city named in `text` (None when empty); a German error on `field` when the
    name is no member city of the body or names several."""
    names = _names(text or "")
    if not names:
        return None
    if len(names) > 1:
        raise ValidationFailed({field: _("Bitte nur eine Kommune angeben.")})
    name = names[0]
    spelled = list({name, name[:1].upper() + name[1:]})
    city = db.session.execute(
        sa.select(Municipality).join(BodyCity, BodyCity.municipality_id == Municipality.id)
        .where(BodyCity.body_id == body_id, sa.or_(sa.func.lower(Municipality.name) == name.lower(),
                                                   Municipality.name.in_(spelled),
                                                   Municipality.slug == name.lower()))
        .order_by(Municipality.id).limit(1)).scalar()
    if city is None:
        raise ValidationFailed({field: _("Keine Mitgliedskommune dieses Gremiums: „%(name)s“. Bitte den Namen so "
                                         "schreiben, wie er im Städtenetz steht.", name=name)})
    return city.id


def search_body_cities(body_id: int, q: str, limit: int = CITY_SUGGESTIONS) -> list[str]:
    """At most `limit` names of the body's member cities containing `q` (2 letters at least), by name."""
    q = " ".join((q or "").split())[:80]
    if len(q) < 2:
        return []
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return db.session.execute(
        sa.select(Municipality.name).join(BodyCity, BodyCity.municipality_id == Municipality.id)
        .where(BodyCity.body_id == body_id,
               sa.or_(sa.func.lower(Municipality.name).like(f"%{escaped.lower()}%", escape="\\"),
                      Municipality.name.like(f"%{escaped}%", escape="\\")))
        .order_by(Municipality.name).limit(limit)).scalars().all()
