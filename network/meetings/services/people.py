"""Persons in the body form, bounded (issue #17): typed one per line (an e-mail address, "Name <address>" or a
name that is unique in the network) instead of a checkbox per account of the network, and a search that returns
at most PEOPLE_SUGGESTIONS accounts for the form's suggestions. Works without JavaScript."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from network.accounts.models import User
from network.core.validation import ValidationFailed
from network.extensions import db
from network.meetings.models import BodyPerson
from network.meetings.services._common import this_network
from network.meetings.services.citypick import resolve_cities
from network.meetings.services.membership import people_clause
from network.municipalities.models import Municipality

#: accounts one search returns (the form's suggestions)
PEOPLE_SUGGESTIONS = 20
#: lines one body form may list
MAX_PERSONS = 3_000
#: errors named in one message
_SHOWN = 10

_ADDRESS = re.compile(r"<\s*([^<>\s]+@[^<>\s]+)\s*>")


def _entry(line: str) -> tuple[str, str, str] | None:
    """("email", address, line) or ("name", name, line) of one typed line, lower-cased; None for an empty line."""
    text = " ".join(line.split())[:400]
    if not text:
        return None
    bracketed = _ADDRESS.search(text)
    if bracketed:
        return "email", bracketed.group(1).lower(), text
    if "@" in text and " " not in text:
        return "email", text.lower(), text
    return "name", text.lower(), text


def person_line(user: User) -> str:
    """How the form writes a person: "Name <address>" (read back by `resolve_persons`)."""
    return f"{user.name} <{user.email}>"


def _candidates(network, emails: set[str], names: set[str], typed: set[str]) -> list[User]:
    """Accounts of the network (its cities' and coordination's) with one of the addresses or names (one statement)."""
    if not emails and not names:
        return []
    # SQLite's lower() folds ASCII letters only: names are also compared as typed and with capitals first
    spelled = {v for n in names for v in (n, n.title(), n[:1].upper() + n[1:])} | typed
    match = []
    if emails:
        match.append(sa.func.lower(User.email).in_(sorted(emails)))
    if names:
        match += [sa.func.lower(User.name).in_(sorted(names)), User.name.in_(sorted(spelled))]
    return db.session.execute(sa.select(User).where(people_clause(network), sa.or_(*match))).scalars().all()


def resolve_persons(text: str, field: str, network=None) -> list[int]:
    """The ids of the persons typed in `text` (one per line), accounts of the network's cities or coordination;
    a German error on `field` naming each line that is unknown or ambiguous (a name two accounts share)."""
    network = network or this_network()
    lines = [(number, _entry(line)) for number, line in enumerate(re.split(r"\r\n|[\n\r;]", text or ""), start=1)]
    lines = [(number, entry) for number, entry in lines if entry]
    if len(lines) > MAX_PERSONS:
        raise ValidationFailed({field: _("Höchstens %(n)s Personen auf einmal.", n=MAX_PERSONS)})
    found = _candidates(network, {v for _n, (k, v, _t) in lines if k == "email"},
                        {v for _n, (k, v, _t) in lines if k == "name"}, {t for _n, (k, _v, t) in lines if k == "name"})
    by_email = {u.email.lower(): u for u in found}
    by_name: dict[str, list[User]] = {}
    for u in found:
        by_name.setdefault(u.name.lower(), []).append(u)
    ids, problems = [], []
    for number, (kind, value, typed) in lines:
        matches = [by_email[value]] if kind == "email" and value in by_email else \
            by_name.get(value, []) if kind == "name" else []
        if len(matches) == 1:
            ids.append(matches[0].id)
        elif not matches:
            problems.append(_("Zeile %(line)s: „%(entry)s“ ist keine Person dieses Netzwerks.", line=number,
                              entry=typed))
        else:
            problems.append(_("Zeile %(line)s: „%(entry)s“ gibt es mehrfach – bitte die E-Mail-Adresse angeben.",
                              line=number, entry=typed))
    if problems:
        more = " …" if len(problems) > _SHOWN else ""
        raise ValidationFailed({field: " ".join(problems[:_SHOWN]) + more})
    return list(dict.fromkeys(ids))


def persons_text(body_id: int, network=None) -> str:
    """The body's member persons that can still be members (active accounts of the network), one line each."""
    network = network or this_network()
    users = db.session.execute(
        sa.select(User).join(BodyPerson, BodyPerson.user_id == User.id)
        .where(BodyPerson.body_id == body_id, people_clause(network)).order_by(User.name, User.id)).scalars().all()
    return "\n".join(person_line(u) for u in users)


def _like(q: str) -> str:
    """A LIKE pattern "contains q" (q's wildcards escaped with a backslash)."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_people(q: str, network=None, limit: int = PEOPLE_SUGGESTIONS) -> list[dict]:
    """At most `limit` accounts of the network whose name or address contains `q` (2 letters at least), by name:
    {"value": "Name <address>", "label": city or "Koordination"}."""
    q = " ".join((q or "").split())[:80]
    if len(q) < 2:
        return []
    network = network or this_network()
    folded = _like(q.lower())
    # SQLite's lower() folds ASCII letters only: the name is also compared as typed ("Ö" in "Özdemir")
    rows = db.session.execute(
        sa.select(User.name, User.email, Municipality.name.label("city"))
        .outerjoin(Municipality, Municipality.id == User.municipality_id)
        .where(people_clause(network), sa.or_(sa.func.lower(User.name).like(folded, escape="\\"),
                                              sa.func.lower(User.email).like(folded, escape="\\"),
                                              User.name.like(_like(q), escape="\\")))
        .order_by(User.name, User.id).limit(limit)).all()
    return [{"value": f"{r.name} <{r.email}>", "label": r.city or _("Koordination")} for r in rows]


def resolve_members(cities: str, persons: str, network=None) -> tuple[list[int], list[int]]:
    """The body form's typed member cities and persons as ids; the messages of both fields at once."""
    errors, out = {}, []
    for resolve, text, field in ((resolve_cities, cities, "cities"), (resolve_persons, persons, "persons")):
        try:
            out.append(resolve(text, field, network))
        except ValidationFailed as exc:
            errors.update(exc.errors)
            out.append([])
    if errors:
        raise ValidationFailed(errors)
    return out[0], out[1]
