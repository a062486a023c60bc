"""The one permission table. Services call require() first; templates call can() to hide buttons."""

from flask_login import AnonymousUserMixin
from werkzeug.exceptions import Forbidden, NotFound

#: role -> named permissions. "coordinator" is the network coordination; "lead"/"staff" act in a city.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "anonymous": frozenset({"municipality.view_public"}),
    "staff": frozenset({
        "municipality.view_public", "municipality.view_network",
        "profile.edit", "token.manage",
        "topic.view",
    }),
    "lead": frozenset({
        "municipality.view_public", "municipality.view_network",
        "profile.edit", "token.manage",
        "municipality.edit_own", "user.invite", "user.manage", "audit.view_city",
        "topic.view", "topic.claim", "topic.decide_colead", "topic.participate", "topic.propose",
    }),
    # the installation's administration: creates networks and names their first coordinator
    "platform_admin": frozenset({
        "municipality.view_public", "profile.edit", "token.manage",
        "network.create", "network.manage", "audit.view_installation",
    }),
    "coordinator": frozenset({
        "municipality.view_public", "municipality.view_network",
        "profile.edit", "token.manage",
        "municipality.admit", "municipality.edit_own", "municipality.edit_any",
        "user.invite", "user.manage", "user.invite_lead", "audit.view_city", "audit.view_all",
        "topic.view", "topic.claim", "topic.decide_colead", "topic.participate", "topic.propose",
        "topic.manage", "topic.decide_claim",
        "network.manage",
    }),
}

#: roles that act on the whole network (or installation), not for one city
WIDE_ROLES = ("coordinator", "platform_admin")


def extend_permissions(mapping: dict[str, set[str] | frozenset[str]]) -> None:
    """A domain's permissions.PERMISSIONS (role -> names) joins the table; called by create_app."""
    for role, names in mapping.items():
        ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS[role] | frozenset(names)


def roles_of(user) -> set[str]:
    """All roles a principal holds (a coordinator may also be a city's lead).

    "coordinator" means: coordinates the network this request is in (core/current), not any network.
    """
    if user is None or isinstance(user, AnonymousUserMixin) or not getattr(user, "is_authenticated", False):
        return {"anonymous"}
    roles = set()
    if getattr(user, "municipality_id", None) and user.role in ("lead", "staff"):
        roles.add(user.role)
    if user.is_coordinator:
        roles.add("coordinator")
    if getattr(user, "is_platform_admin", False):
        roles.add("platform_admin")
    return roles or {"anonymous"}


def _owner_id(obj):
    if obj is None:
        return None
    # a Municipality is its own tenant
    if obj.__class__.__name__ == "Municipality":
        return obj.id
    return getattr(obj, "municipality_id", None)


def _reaches(user, roles, permission, owner) -> bool:
    """A wide role's permission on something of the city `owner` (None: of no city): the platform administration
    is installation-wide; the coordination of a network reaches the cities of that network only (members, guests
    and cities that left, whose history it keeps) and, if it has one, its own city. Another network's city stays
    out of reach (issue #16: a coordinator of A acting on a city of B only meets 404)."""
    if "platform_admin" in roles and permission in ROLE_PERMISSIONS["platform_admin"]:
        return True
    if "coordinator" not in roles or permission not in ROLE_PERMISSIONS["coordinator"]:
        return False
    if owner is None or owner == getattr(user, "municipality_id", None):
        return True
    from network.core.tenancy import city_in_current_network
    return city_in_current_network(owner)


def can(user, permission: str, obj=None) -> bool:
    """True when the user holds the permission, for obj's city if obj belongs to one."""
    roles = roles_of(user)
    owner = _owner_id(obj)
    if _reaches(user, roles, permission, owner):
        return True
    city_roles = roles - set(WIDE_ROLES)
    if not any(permission in ROLE_PERMISSIONS[r] for r in city_roles):
        return False
    if owner is None or "anonymous" in roles:
        return True
    return owner == user.municipality_id


def require(user, permission: str, obj=None) -> None:
    """Raise unless allowed: another city's object answers 404 (also a city out of a coordinator's reach), a
    missing right 403."""
    if can(user, permission, obj):
        return
    owner = _owner_id(obj)
    roles = roles_of(user)
    if owner is not None and owner != getattr(user, "municipality_id", None) and not (
            "coordinator" in roles and _coordinator_reaches(owner)):
        raise NotFound()
    raise Forbidden()


def _coordinator_reaches(owner) -> bool:
    from network.core.tenancy import city_in_current_network
    return city_in_current_network(owner)
