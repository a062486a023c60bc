"""Meetings pages: overview, bodies and their history, meeting page, poll, agenda, RSVP, minutes, calendars.

One module per part; each registers its routes on ``bp`` when imported below. Bodies and meetings belong to a
network: their pages live under /n/<network>/treffen/… (``bp``, network-scoped). What is the user's own across
all networks of their city stays installation-wide (``personal_bp``): "my meetings", the calendar subscription
(/calendar/<secret>.ics, an address calendar clients keep) and its renewal.
"""

from flask import Blueprint

from network.core.current import scope_blueprint

bp = Blueprint("meetings", __name__, url_prefix="/n/<network>")
scope_blueprint(bp)


@bp.before_request
def _network_gate():
    """A network the user has no part in answers 404 before any permission check; a city that left it reads its
    history and changes nothing (403). Visitors still go to the login first."""
    from flask import request
    from flask_login import current_user
    if current_user.is_authenticated:
        from network.networks.services import network_gate
        network_gate(current_user, request.method)

#: registered by meetings/setup.py (the app registers one blueprint per domain's views)
personal_bp = Blueprint("my_meetings", __name__)

from network.meetings.views import agenda, bodies, calendar, meetings, minutes, mine, polls, suggest  # noqa: E402,F401
