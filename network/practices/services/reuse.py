"""Reuse between cities: a member city marks another city's practice as interesting, being adopted or adopted."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from network.core import audit
from network.core.outbox import queue_mail
from network.core.permissions import require, roles_of
from network.core.tenancy import in_current_network, shares_a_network
from network.core.validation import Checker
from network.extensions import db
from network.municipalities.models import Municipality
from network.networks.models import ACTIVE_STATUSES, NetworkMembership
from network.practices.models import REUSE_STATUSES, Practice, PracticeReuse
from network.practices.services._common import (authoring_contacts, int_or_none, practice_link,
                                                require_other_city_on_published)


def reuse_reach(user, practice_city_id, *, network_id=None):
    """SQL over practice_reuse: the marks a reader may see (issue #16, the network rule).

    A city's reader sees its own city's mark and those of the cities that share a network with it; the coordination
    of the request's network the marks of that network's cities. Anonymous readers (and a platform administration
    without a city) see only what is public: the marks of cities that share a network with the practice's city,
    whose memberships the networks' public pages name. On a network's page (`network_id`) only that network's
    members and guests count."""
    roles = roles_of(user)
    own = getattr(user, "municipality_id", None) if "anonymous" not in roles else None
    clauses = []
    if own is not None:
        clauses += [PracticeReuse.municipality_id == own, shares_a_network(PracticeReuse.municipality_id, own)]
    if "coordinator" in roles:
        clauses.append(in_current_network(PracticeReuse.municipality_id))
    if not clauses:
        clauses.append(shares_a_network(PracticeReuse.municipality_id, practice_city_id))
    reach = sa.and_(Municipality.status == "member", sa.or_(*clauses))
    if network_id is not None:
        reach = sa.and_(reach, sa.exists().where(
            NetworkMembership.network_id == network_id, NetworkMembership.municipality_id == PracticeReuse.municipality_id,
            NetworkMembership.status.in_(ACTIVE_STATUSES)))
    return reach


def reuses(user, practice: Practice, *, network_id=None) -> list[PracticeReuse]:
    """Reuse marks the reader may see (`reuse_reach`), most advanced first."""
    order = sa.case({"adopted": 0, "adopting": 1, "interested": 2}, value=PracticeReuse.status)
    return db.session.execute(
        sa.select(PracticeReuse).join(Municipality, Municipality.id == PracticeReuse.municipality_id)
        .where(PracticeReuse.practice_id == practice.id,
               reuse_reach(user, practice.municipality_id, network_id=network_id))
        .order_by(order, Municipality.name)).scalars().all()


def own_reuse(user, practice: Practice) -> PracticeReuse | None:
    """The reuse mark of the user's city on this practice, if any."""
    city_id = getattr(user, "municipality_id", None)
    if city_id is None:
        return None
    return db.session.execute(sa.select(PracticeReuse).where(
        PracticeReuse.practice_id == practice.id, PracticeReuse.municipality_id == city_id)).scalar_one_or_none()


def set_reuse(actor, practice: Practice, status, note="", saved_days=None) -> PracticeReuse:
    """The actor's city marks the practice as interesting, being adopted or adopted; its authors hear of it."""
    require(actor, "practice.reuse")
    c = Checker()
    city = require_other_city_on_published(actor, practice, "status")
    status = c.choice("status", status, REUSE_STATUSES, label=_("den Stand der Nachnutzung"))
    note = c.text("note", note if isinstance(note, str) or note is None else "", label=_("eine Anmerkung"),
                  required=False, max_len=2000)
    days = int_or_none(saved_days)
    if days == "invalid" or (days is not None and not 0 <= days <= 10_000):
        c.add("saved_days", _("Bitte geben Sie den eingesparten Aufwand als ganze Zahl von Personentagen an "
                              "(0 bis 10000)."))
        days = None
    c.done()
    mark = own_reuse(actor, practice)
    before = mark.status if mark else None
    if mark is None:
        mark = PracticeReuse(practice_id=practice.id, municipality_id=city.id, status=status)
        db.session.add(mark)
    mark.status, mark.note, mark.saved_days, mark.user_id = status, note, days, actor.id
    audit.record(actor, "practice.reuse_set", obj=mark,
                 summary=f"Nachnutzung von {practice.title}: {status}")
    db.session.flush()
    if before != status:
        for person in authoring_contacts(practice):
            queue_mail(person.email, "practices/reuse", subject=_("Nachnutzung Ihres Praxisberichts"),
                       locale=person.language, municipality_id=practice.municipality_id, person=person,
                       practice=practice, city=city, mark=mark, actor=actor, link=practice_link(practice))
    return mark
