"""Meetings pages: overview, bodies and their history, meeting page, poll, agenda, RSVP, minutes, calendars.

One module per part; each registers its routes on ``bp`` when imported below.
"""

from flask import Blueprint

# no url_prefix: the calendar routes live under /meetings/ and /calendar/ as the issue names them
bp = Blueprint("meetings", __name__)

from network.meetings.views import agenda, bodies, calendar, meetings, minutes, polls  # noqa: E402,F401
