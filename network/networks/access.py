"""Who reads and who acts in a network (issue #16): the network of a request, the gate of the network-scoped
blueprints (a network the user has no part in answers 404; a city that left it reads its history and changes
nothing, 403), and the flag templates read to show that history note."""

from flask import abort
from flask_babel import gettext as _

from network.core.current import current_network_slug
from network.networks.models import Network


def _part_in(user, network: Network) -> str | None:
    """How the user takes part in a network: "acts" (its coordination, or a member or guest city's account),
    "history" (the user's city left it), None (no part: unknown to it). At most one query."""
    if not getattr(user, "is_authenticated", False):
        return None
    if network.slug in user.coordinated_networks:
        return "acts"
    row = _known_membership(network, user.municipality_id)
    if row is None:
        return None
    return "acts" if row.is_active else "history"


def may_read_network(user, network: Network, *, history: bool = False) -> bool:
    """Whether the user reads a network's inner pages (topics and their claims, fields of action): its member and
    guest cities' accounts and its coordination. Everybody else (the platform administration too, which manages
    networks but does not work in them) meets the network's public page (/n/<slug>/) only; its inner pages answer
    404 as if they did not exist. `history`: a city that left the network still reads its past (topics and its
    claims there, bodies and meetings it took part in) but writes nothing there (`may_write_network`)."""
    part = _part_in(user, network)
    return part == "acts" or (history and part == "history")


def may_write_network(user, network: Network) -> bool:
    """Whether the user acts in the network (claim, RSVP, vote, propose): not a city that left it (issue #16)."""
    return _part_in(user, network) == "acts"


_HISTORY_KEY = "staedtenetz.network_history_only"
#: methods that read; everything else changes state
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def network_gate(user, method: str, *, writes: bool = False) -> Network:
    """For network-scoped blueprints whose history stays readable (topics, meetings): 404 for a network the user
    has no part in (unknown, another network's coordination, the platform administration, cities of other
    networks), 403 with a German message for a change by a city that left it. `writes`: the page only leads to a
    change (a form or a confirmation step), so a city that left meets 403 on GET too. A city that left reads as
    history: `history_only()` is then true for the rest of the request (templates show a note, hide actions)."""
    from flask import request
    network = request_network()
    part = _part_in(user, network)
    if part is None:
        abort(404)
    if part == "history":
        request.environ[_HISTORY_KEY] = True  # per request (g outlives a request where tests hold an app context)
        if writes or method not in SAFE_METHODS:
            from network.core.errors import abort_with
            abort_with(403, left_network_message())
    return network


def left_network_message() -> str:
    return _("Ihre Kommune ist aus diesem Netzwerk ausgetreten – Sie sehen die Historie, können hier aber nichts "
             "mehr ändern.")


def history_only() -> bool:
    """Whether this request reads a network as history (the user's city left it; see network_gate)."""
    from flask import has_request_context, request
    return has_request_context() and bool(request.environ.get(_HISTORY_KEY))


def readable_network() -> Network:
    """This request's network if the current user may read it, else 404 (see may_read_network)."""
    from flask_login import current_user
    network = request_network()
    if not may_read_network(current_user, network):
        abort(404)
    return network


def session_load_options():
    """Loader options for the login session's statement: the user's city's memberships and the user's network roles,
    each with its network (joined: the same single statement). request_network() and the header's switcher read
    them instead of a statement of their own (issue #17); they are this request's rows, never kept beyond it."""
    from sqlalchemy.orm import joinedload

    from network.accounts.models import LoginSession, User
    from network.networks.models import NetworkMembership, NetworkRole
    user = joinedload(LoginSession.user)
    return (user.joinedload(User.city_memberships).joinedload(NetworkMembership.network),
            user.joinedload(User.network_roles).joinedload(NetworkRole.network))


def loaded_networks(user):
    """(memberships of the user's city, networks the user coordinates) as loaded with the session user, or None
    when they were not loaded with it (an API token's user, a user read elsewhere): asking then costs statements."""
    import sqlalchemy as sa
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        state = sa.inspect(user)
    except sa.exc.NoInspectionAvailable:
        return None
    if "city_memberships" not in state.dict or "network_roles" not in state.dict:
        return None
    return list(user.city_memberships), [r.network for r in user.network_roles if r.role == "coordinator"]


def _from_session_user(slug: str, city_id):
    """The network `slug` and the city's membership in it from what the session's statement loaded, or None."""
    from flask_login import current_user
    loaded = loaded_networks(current_user)
    if loaded is None or getattr(current_user, "municipality_id", None) != city_id:
        return None
    memberships, coordinated = loaded
    for row in memberships:
        if row.network.slug == slug:
            return row.network, row
    for network in coordinated:
        if network.slug == slug:
            return network, None
    return None


def request_network() -> Network:
    """This request's Network (cached for the request); 404 when the URL names an unknown network. The logged-in
    user's city's membership in it comes in the same statement (kept for `_part_in`: the gate costs no query); for
    a network of the user's city or coordination both come with the session user (no statement at all)."""
    from flask import g, has_request_context
    cached = g.get("network_row")
    slug = current_network_slug()
    if cached is None or cached.slug != slug:
        from network.networks.services import network_with_membership
        city_id = None
        if has_request_context():
            from flask_login import current_user
            city_id = getattr(current_user, "municipality_id", None)
        known = _from_session_user(slug, city_id) if has_request_context() else None
        cached, row = known if known is not None else network_with_membership(slug, city_id)
        if cached is None:
            abort(404)
        g.network_row = cached
        g.network_membership = (cached.id, city_id, row)
    return cached


def _known_membership(network: Network, city_id: int | None):
    """The city's membership in the network: the one request_network() loaded with it, else one query. The row is
    the session's instance, so a change of its status in this request shows; `join` forgets a missing one."""
    from flask import g, has_app_context
    known = g.get("network_membership") if has_app_context() else None
    if known is not None and known[0] == network.id and known[1] == city_id and city_id is not None:
        return known[2]
    from network.networks.services import membership
    return membership(network.id, city_id)
