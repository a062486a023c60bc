"""Meetings pages: "my meetings", the user's upcoming meetings and date polls in every network of their city."""

from flask import render_template
from flask_login import current_user, login_required

from network.core.permissions import require
from network.meetings import services
from network.meetings.views import personal_bp


@personal_bp.route("/meine-treffen/")
@login_required
def index():
    """Upcoming meetings and running polls of the user's bodies in all networks, each marked with its network."""
    require(current_user, "meeting.view")
    return render_template("meetings/mine.html",
                           meetings=services.upcoming_meetings(current_user, everywhere=True, limit=100),
                           polls=services.running_polls(current_user, everywhere=True))
