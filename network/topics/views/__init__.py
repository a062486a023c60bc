"""Topics pages of a network under /n/<network>/themen (old /themen/… addresses redirect, see setup.py): lists
and matrix, the topic page with its actions, proposals, fields of action.

``bp`` is defined here; each module below adds its routes to it (create_app registers ``views.bp``).
Views hold no transactions: services raise, core/boundary.py answers and commits (see on_invalid there).
"""

from flask import Blueprint

from network.core.current import scope_blueprint

bp = Blueprint("topics", __name__, url_prefix="/n/<network>/themen")
# views never see `network`: it is this request's network; url_for fills it in (pass network=… for another's)
scope_blueprint(bp)

# the route modules register their routes on bp when imported
from network.topics.views import lists, pages, actions, proposals, fields  # noqa: E402,F401
