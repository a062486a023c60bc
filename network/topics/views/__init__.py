"""Topics pages under /themen: lists and matrix, the topic page with its actions, proposals, fields of action.

``bp`` is defined here; each module below adds its routes to it (create_app registers ``views.bp``).
Views hold no transactions: services raise, core/boundary.py answers and commits (see on_invalid there).
"""

from flask import Blueprint

bp = Blueprint("topics", __name__, url_prefix="/themen")

# the route modules register their routes on bp when imported
from network.topics.views import lists, pages, actions, proposals, fields  # noqa: E402,F401
