"""Topics pages of a network under /n/<network>/themen (old /themen/… addresses redirect, see setup.py): lists
and matrix, the topic page with its actions, proposals, fields of action.

``bp`` is defined here; each module below adds its routes to it (create_app registers ``views.bp``).
Views hold no transactions: services raise, core/boundary.py answers and commits (see on_invalid there).
"""

from flask import Blueprint
from flask_login import current_user

from network.core.current import scope_blueprint

bp = Blueprint("topics", __name__, url_prefix="/n/<network>/themen")
# views never see `network`: it is this request's network; url_for fills it in (pass network=… for another's)
scope_blueprint(bp)


#: pages that only lead to a change (a form, a confirmation step): a city that left the network meets 403 on GET
WRITE_PAGES = {"topics.new", "topics.edit", "topics.fields", "topics.edit_field", "topics.propose",
               "topics.withdraw"}


@bp.before_request
def _network_gate():
    """An unknown network, or one the user's city never took part in (and they do not coordinate), answers 404
    before any permission check (visitors still go to the login first). A city that left the network reads its
    topics and claims as history and changes nothing (403, issue #16). The row is cached for the request, so the
    services' own lookups cost no further query."""
    if current_user.is_authenticated:
        from flask import request

        from network.networks.access import network_gate
        network_gate(current_user, request.method, writes=request.endpoint in WRITE_PAGES)

# the route modules register their routes on bp when imported
from network.topics.views import lists, pages, actions, proposals, fields  # noqa: E402,F401
