"""API: bodies, meetings, RSVPs, date polls and agendas (only for members of a body and the coordination).

One module per part (bodies, meetings with RSVPs, date polls, agendas); each registers its routes on ``blp`` when
imported below, in the order of the OpenAPI document.
"""

from network.core.apiauth import deprecate, make_blueprint
from network.core.apiroutes import Load, operations
from network.core.permissions import require
from network.meetings import services

blp = make_blueprint("meetings_api", __name__, "", "Gremien, Treffen, Terminumfragen, Tagesordnungen, Zusagen")

#: endpoints of the addresses without a network (before issue #16): they answer for the default network
LEGACY_PREFIX = "legacy_"


def route(rule, **options):
    """Register a view under /networks/<network><rule> (the network's bodies and meetings) and, marked deprecated
    in the OpenAPI document, under the old address <rule>, which answers for the installation's default network."""
    def decorator(func):
        blp.route("/networks/<network>" + rule, **options)(func)
        blp.route(rule, endpoint=LEGACY_PREFIX + func.__name__, **options)(blp.doc(deprecated=True)(func))
        deprecate(f"{blp.name}.{LEGACY_PREFIX}{func.__name__}")
        return func
    return decorator


#: the meetings API's routes: op(rule, method, …) (core/apiroutes.operation), each under both addresses
op = operations(blp, register=route)
#: the meeting of the address, if the token's user may see it (else 404)
MEETING = Load("meeting_id", "meeting", services.get_meeting_or_404)


@blp.url_value_preprocessor
def _pull_network(endpoint, values):
    """The network named in the address is this request's; the old addresses are in the default network."""
    from network.core.current import default_network_slug, set_request_network
    set_request_network((values or {}).pop("network", None) or default_network_slug())


@blp.before_request
def _known_network():
    """An unknown network, or one the caller has no part in, answers 404 (after the token check: without a token,
    401); a city that left the network reads its history and writes nothing (403)."""
    from flask import g, request
    if g.get("api_user"):
        from network.networks.services import network_gate
        network_gate(g.api_user, request.method)  # 404 outside the caller's networks, 403 writes after leaving


@blp.before_request
def _visible_meeting_first():
    """A meeting the caller may not see answers 404 before its body is checked (422 would tell that it exists)."""
    from flask import g, request
    meeting_id = (request.view_args or {}).get("meeting_id")
    if meeting_id is not None and g.get("api_user"):
        services.get_meeting_or_404(g.api_user, meeting_id)


@blp.before_request
def _organisers_only():
    """Creating meetings: a missing right answers 403 before the body is validated (422)."""
    from flask import g, request
    if request.endpoint in ("meetings_api.create_meeting", "meetings_api." + LEGACY_PREFIX + "create_meeting") \
            and request.method == "POST" and g.get("api_user"):
        require(g.api_user, "meeting.organise")


# the routes register in this order, which is the OpenAPI document's
# isort: off
from network.meetings.api import bodies  # noqa: F401
from network.meetings.api import meetings  # noqa: F401
from network.meetings.api import polls  # noqa: F401
from network.meetings.api import agenda  # noqa: F401
# isort: on
