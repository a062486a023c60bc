"""Networks: reading them, creating them (platform administration), admitting cities and naming coordinators."""

import re

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from network.accounts.models import User
from network.core import audit
from network.core.current import current_network_slug, default_network_slug
from network.core.models import utcnow
from network.core.permissions import require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality, make_slug
# who reads and who acts in a network lives in access.py; its names stay importable from here
from network.networks.access import (  # noqa: F401
    SAFE_METHODS, history_only, left_network_message, may_read_network, may_write_network, network_gate,
    readable_network, request_network)
from network.networks.models import ACTIVE_STATUSES, MEMBERSHIP_STATUSES, Network, NetworkMembership, NetworkRole

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")


# --- reading ------------------------------------------------------------------------------------------------

def network_by_slug(slug: str) -> Network | None:
    return db.session.execute(sa.select(Network).where(Network.slug == slug)).scalar_one_or_none()


def network_with_membership(slug: str, city_id: int | None) -> tuple[Network | None, NetworkMembership | None]:
    """The network and the city's membership in it (any status, None: never a member), in one statement."""
    if city_id is None:
        return network_by_slug(slug), None
    row = db.session.execute(
        sa.select(Network, NetworkMembership).outerjoin(NetworkMembership, sa.and_(
            NetworkMembership.network_id == Network.id, NetworkMembership.municipality_id == city_id))
        .where(Network.slug == slug)).first()
    return (row[0], row[1]) if row is not None else (None, None)


def get_network_or_404(slug: str) -> Network:
    network = network_by_slug(slug)
    if network is None:
        abort(404)
    return network


def current_network() -> Network | None:
    """The Network row of this request (one query); None only before the first network exists."""
    return network_by_slug(current_network_slug())


def all_networks(*, page: int = 1, per_page: int = 50):
    """Networks of the installation by name, one page (an installation may host hundreds)."""
    stmt = sa.select(Network).order_by(Network.name)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def member_counts(network_ids) -> dict[int, int]:
    """Active members (member or guest) per network, in one query."""
    if not network_ids:
        return {}
    rows = db.session.execute(
        sa.select(NetworkMembership.network_id, sa.func.count())
        .where(NetworkMembership.network_id.in_(network_ids), NetworkMembership.status.in_(ACTIVE_STATUSES))
        .group_by(NetworkMembership.network_id)).all()
    return dict(rows)


def memberships_of_network(network: Network, *, include_left: bool = False):
    stmt = (sa.select(NetworkMembership).join(Municipality, Municipality.id == NetworkMembership.municipality_id)
            .where(NetworkMembership.network_id == network.id).order_by(Municipality.name))
    if not include_left:
        stmt = stmt.where(NetworkMembership.status.in_(ACTIVE_STATUSES))
    return db.session.execute(stmt).scalars().all()


def memberships_of_city(city_id: int | None, *, include_left: bool = False):
    """The networks a city takes part in (the switcher's list), by name."""
    if city_id is None:
        return []
    stmt = (sa.select(NetworkMembership).join(Network, Network.id == NetworkMembership.network_id)
            .where(NetworkMembership.municipality_id == city_id).order_by(Network.name))
    if not include_left:
        stmt = stmt.where(NetworkMembership.status.in_(ACTIVE_STATUSES))
    return db.session.execute(stmt).scalars().all()


def membership(network_id: int, city_id: int | None) -> NetworkMembership | None:
    if city_id is None:
        return None
    return db.session.execute(sa.select(NetworkMembership).where(
        NetworkMembership.network_id == network_id, NetworkMembership.municipality_id == city_id)).scalar_one_or_none()


def active_member_clause(network_id, city_column=Municipality.id):
    """SQL: the city in `city_column` is a member or guest of the network (for network-owned reads)."""
    return sa.exists().where(NetworkMembership.network_id == network_id,
                             NetworkMembership.municipality_id == city_column,
                             NetworkMembership.status.in_(ACTIVE_STATUSES))


def network_ids_of_city(city_id: int | None) -> list[int]:
    """The networks whose members see the city's content of visibility "networks"."""
    if city_id is None:
        return []
    return db.session.execute(sa.select(NetworkMembership.network_id).where(
        NetworkMembership.municipality_id == city_id, NetworkMembership.status.in_(ACTIVE_STATUSES))).scalars().all()


def home_network_slug(user) -> str | None:
    """The network a user starts in after logging in: the default network if their city takes part in it or they
    coordinate it; else the first network they coordinate; else their city's first network (by name). None: the
    default (a user of no network, e.g. the platform administration, reads the default network's public pages)."""
    default = default_network_slug()
    coordinated = sorted(user.coordinated_networks)
    slugs = [m.network.slug for m in memberships_of_city(user.municipality_id)]
    if default in coordinated or default in slugs:
        return None
    if coordinated:
        return coordinated[0]
    return slugs[0] if slugs else None


def digest_weekdays(user_ids) -> dict[int, int]:
    """user id -> the weekday (0 = Monday) of their weekly digest: the earliest digest weekday among the networks
    their city takes part in and the networks they coordinate. Users of no network are left out (the caller uses
    the installation's default). Two grouped queries, whatever the number of users."""
    if not user_ids:
        return {}
    by_city = sa.select(User.id, sa.func.min(Network.digest_weekday)) \
        .join(NetworkMembership, NetworkMembership.municipality_id == User.municipality_id) \
        .join(Network, Network.id == NetworkMembership.network_id) \
        .where(User.id.in_(user_ids), NetworkMembership.status.in_(ACTIVE_STATUSES)).group_by(User.id)
    by_role = sa.select(NetworkRole.user_id, sa.func.min(Network.digest_weekday)) \
        .join(Network, Network.id == NetworkRole.network_id) \
        .where(NetworkRole.user_id.in_(user_ids)).group_by(NetworkRole.user_id)
    out: dict[int, int] = {}
    for stmt in (by_city, by_role):
        for user_id, day in db.session.execute(stmt).all():
            out[user_id] = min(day, out.get(user_id, day))
    return out


def coordinators_of(network: Network | None = None):
    """Active coordinators of a network (default: this request's), by name."""
    network_id = network.id if network is not None else (
        sa.select(Network.id).where(Network.slug == current_network_slug()).scalar_subquery())
    return db.session.execute(
        sa.select(User).join(NetworkRole, NetworkRole.user_id == User.id)
        .where(NetworkRole.network_id == network_id, NetworkRole.role == "coordinator", User.active.is_(True))
        .order_by(User.name)).scalars().all()


# --- the platform administration ------------------------------------------------------------------------------

def _check_network_fields(c: Checker, data: dict, *, current: Network | None = None) -> dict:
    out = {
        "name": c.text("name", data.get("name"), label=_("den Namen"), max_len=160, multiline=False),
        "region": c.text("region", data.get("region"), label=_("die Region"), required=False, max_len=160,
                         multiline=False),
        "description": c.text("description", data.get("description"), label=_("die Beschreibung"), required=False,
                              max_len=5000),
        "website": c.url("website", data.get("website"), label=_("Die Website")),
        "is_open": bool(data.get("is_open")),
    }
    if "name" not in c.errors:
        clash = db.session.execute(sa.select(Network.id).where(
            sa.func.lower(Network.name) == out["name"].lower())).scalar()
        if clash and (current is None or clash != current.id):
            c.add("name", _("Ein Netzwerk mit diesem Namen gibt es bereits."))
    return out


def create_network(actor, data: dict, *, coordinator_email: str, coordinator_name: str) -> Network:
    """The platform administration creates a network and names (or invites) its first coordinator."""
    from network.accounts.services import find_user_by_email
    require(actor, "network.create")
    c = Checker()
    fields = _check_network_fields(c, data)
    slug = (data.get("slug") or "").strip().lower() or (make_slug(fields["name"] or "") if fields.get("name") else "")
    if not _SLUG.match(slug or ""):
        c.add("slug", _("Die Kurzadresse besteht aus Kleinbuchstaben, Ziffern und Bindestrichen (höchstens 60 "
                        "Zeichen)."))
    elif network_by_slug(slug) is not None:
        c.add("slug", _("Diese Kurzadresse ist schon vergeben."))
    email = c.email("coordinator_email", coordinator_email)
    name = c.text("coordinator_name", coordinator_name, label=_("den Namen der Koordination"), max_len=120,
                  multiline=False, required=False)
    existing = find_user_by_email(email) if "coordinator_email" not in c.errors else None
    if existing is None and not name and "coordinator_email" not in c.errors:
        c.add("coordinator_name", _("Bitte geben Sie den Namen der neuen Koordination an."))
    c.done()
    network = Network(slug=slug, **fields)
    db.session.add(network)
    db.session.flush()
    audit.record(actor, "network.created", obj=network, summary=f"Netzwerk {network.name} angelegt")
    if existing is not None:
        _grant(actor, network, existing)
    else:
        _invite_coordinator(actor, network, email, name)
    return network


def update_network(actor, network: Network, data: dict) -> Network:
    """The network's coordination (or the platform administration) edits its description and settings."""
    require(actor, "network.manage")
    c = Checker()
    fields = _check_network_fields(c, data, current=network)
    fields["auto_confirm_claims"] = bool(data.get("auto_confirm_claims"))
    weekday = str(data.get("digest_weekday", network.digest_weekday))
    if not weekday.isdigit() or not 0 <= int(weekday) <= 6:
        c.add("digest_weekday", _("Bitte wählen Sie einen Wochentag."))
    days = [part.strip() for part in str(data.get("reminder_days", network.reminder_days)).split(",") if part.strip()]
    if not days or not all(d.isdigit() and 0 < int(d) <= 60 for d in days) or len(days) > 5:
        c.add("reminder_days", _("Bitte geben Sie bis zu fünf Tage zwischen 1 und 60 an, durch Komma getrennt."))
    fields["imprint_contact"] = c.text("imprint_contact", data.get("imprint_contact"), label=_("das Impressum"),
                                       required=False, max_len=5000)
    fields["privacy_contact"] = c.text("privacy_contact", data.get("privacy_contact"),
                                       label=_("die Datenschutzhinweise"), required=False, max_len=5000)
    c.done()
    fields["digest_weekday"] = int(weekday)
    fields["reminder_days"] = ",".join(sorted({str(int(d)) for d in days}, key=int, reverse=True))
    changed = sorted(k for k, v in fields.items() if getattr(network, k) != v)
    for key in changed:
        setattr(network, key, fields[key])
    audit.record(actor, "network.updated", obj=network, summary=f"Netzwerk {network.name} geändert", fields=changed)
    db.session.flush()
    return network


def _grant(actor, network: Network, user: User) -> NetworkRole:
    role = db.session.execute(sa.select(NetworkRole).where(
        NetworkRole.network_id == network.id, NetworkRole.user_id == user.id,
        NetworkRole.role == "coordinator")).scalar_one_or_none()
    if role is None:
        role = NetworkRole(network_id=network.id, user_id=user.id, role="coordinator",
                           granted_by_id=getattr(actor, "id", None))
        db.session.add(role)
        db.session.flush()
        db.session.expire(user, ["coordinated_slugs"])
        audit.record(actor, "network.coordinator_named", obj=network,
                     summary=f"{user.email} koordiniert {network.name}", user_id=user.id)
    return role


def _invite_coordinator(actor, network: Network, email: str, name: str) -> User:
    from network.accounts.services import invite_coordinator
    user = invite_coordinator(actor, email=email, name=name, network=network)
    _grant(actor, network, user)
    return user


def name_coordinator(actor, network: Network, *, email: str, name: str = "") -> User:
    """A coordinator (or the platform administration) names another coordinator of the network."""
    from network.accounts.services import find_user_by_email
    require(actor, "network.manage")
    c = Checker()
    email = c.email("email", email)
    name = c.text("name", name, label=_("den Namen"), max_len=120, multiline=False, required=False)
    existing = find_user_by_email(email) if "email" not in c.errors else None
    if existing is None and not name and "email" not in c.errors:
        c.add("name", _("Bitte geben Sie den Namen der neuen Koordination an."))
    if existing is not None and network.slug in existing.coordinated_networks:
        c.add("email", _("Diese Person koordiniert das Netzwerk bereits."))
    c.done()
    if existing is not None:
        _grant(actor, network, existing)
        return existing
    return _invite_coordinator(actor, network, email, name)


def remove_coordinator(actor, network: Network, user: User) -> None:
    require(actor, "network.manage")
    roles = db.session.execute(sa.select(NetworkRole).where(
        NetworkRole.network_id == network.id, NetworkRole.role == "coordinator")).scalars().all()
    mine = [r for r in roles if r.user_id == user.id]
    if not mine:
        abort(404)
    if len(roles) == 1:
        raise ValidationFailed({"user": _("Ein Netzwerk braucht mindestens eine Koordination.")}, status=409)
    db.session.delete(mine[0])
    db.session.flush()
    db.session.expire(user, ["coordinated_slugs"])
    audit.record(actor, "network.coordinator_removed", obj=network,
                 summary=f"{user.email} koordiniert {network.name} nicht mehr", user_id=user.id)


# --- membership -----------------------------------------------------------------------------------------------

def sync_city_status(city: Municipality) -> None:
    """A city is a member of the installation while it takes part in at least one network."""
    active = db.session.execute(sa.select(sa.func.count()).select_from(NetworkMembership).where(
        NetworkMembership.municipality_id == city.id, NetworkMembership.status.in_(ACTIVE_STATUSES))).scalar()
    city.status = "member" if active else "left"


def join(actor, network: Network, city: Municipality, *, status: str = "member") -> NetworkMembership:
    """Admit a city into a network as member or guest, or take it back after it left (history kept)."""
    require(actor, "municipality.admit")
    if status not in ("member", "guest"):
        raise ValidationFailed({"status": _("Bitte wählen Sie Mitglied oder Gast.")})
    row = membership(network.id, city.id)
    if row is not None and row.status == status:
        raise ValidationFailed({"municipality": _("%(city)s ist bereits %(status)s in %(network)s.", city=city.name,
                                                  status=MEMBERSHIP_STATUSES[status], network=network.name)},
                               status=409)
    previous = row.status if row is not None else None
    if row is None:
        row = NetworkMembership(network_id=network.id, municipality_id=city.id, status=status, joined_at=utcnow())
        db.session.add(row)
        from flask import g, has_app_context
        if has_app_context():
            g.pop("network_membership", None)  # request_network() had found none (networks.access)
    else:
        if previous == "left":
            row.joined_at, row.left_at = utcnow(), None
        row.status = status
    db.session.flush()
    sync_city_status(city)
    if city.admitted_at is None:
        city.admitted_at = row.joined_at
    audit.record(actor, "network.city_joined", obj=city, municipality_id=city.id, network_id=network.id,
                 summary=f"{city.name} in {network.name}: {MEMBERSHIP_STATUSES[status]}",
                 network=network.slug, previous=previous, status=status)
    db.session.flush()
    return row


def leave(actor, network: Network, city: Municipality, *, reason: str) -> NetworkMembership:
    """Record that a city left a network; its claims there end (signal city_left), its history stays."""
    from network.municipalities.signals import city_left
    require(actor, "municipality.admit")
    c = Checker()
    reason = c.text("reason", reason, label=_("eine Begründung"), max_len=500)
    c.done()
    row = membership(network.id, city.id)
    if row is None or row.status == "left":
        raise ValidationFailed({"reason": _("%(city)s ist bereits ausgetreten.", city=city.name)}, status=409)
    row.status, row.left_at = "left", utcnow()
    db.session.flush()
    sync_city_status(city)
    audit.record(actor, "network.city_left", obj=city, municipality_id=city.id, network_id=network.id,
                 summary=f"{city.name} aus {network.name} ausgetreten: {reason}", network=network.slug)
    city_left.send(municipality=city, network=network, actor=actor, reason=reason)
    db.session.flush()
    return row
