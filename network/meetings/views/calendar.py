"""Meetings pages: one meeting as .ics, the personal subscription feed and its address."""

from flask import Response, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.meetings import services
from network.meetings.views import bp, personal_bp

#: session key that carries a just-made feed secret to the profile page, which shows it once and drops it
NEW_FEED_KEY = "meetings_new_feed"


def _ics_response(text: str, filename: str) -> Response:
    resp = Response(text, mimetype="text/calendar")
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Content-Disposition"] = f"attachment; filename={filename}"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.route("/meetings/<int:meeting_id>.ics")
@login_required
def ics(meeting_id):
    """One meeting as an .ics file (for members of the body)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    if meeting.starts_at is None:
        abort(404)
    return _ics_response(services.meeting_ics(meeting), f"treffen-{meeting.id}.ics")


@personal_bp.route("/calendar/<secret>.ics")
def feed(secret):
    """The personal subscription feed; calendar clients call it without cookies, the secret is the key.
    It carries the meetings of every network of the user, each named with its network."""
    user = services.user_for_feed(secret)
    if user is None:
        abort(404)
    resp = _ics_response(services.feed_ics(user), "staedtenetz.ics")
    resp.headers["Content-Disposition"] = "inline; filename=staedtenetz.ics"
    return resp


@personal_bp.route("/meine-treffen/kalender/erneuern", methods=["POST"])
@login_required
def renew_feed():
    """Create or renew the personal calendar address (the old one stops working), or end it (action=end)."""
    if request.form.get("action") == "end":
        services.revoke_calendar_feed(current_user)
        session.pop(NEW_FEED_KEY, None)
        flash(_("Ihr Kalender-Abo wurde beendet. Die Adresse funktioniert nicht mehr."), "success")
        return redirect(url_for("accounts.profile"))
    feed = services.renew_feed(current_user)
    # only the hash is stored: the address is shown once, on the profile page this redirect leads to
    session[NEW_FEED_KEY] = feed.secret
    flash(_("Ihre Kalender-Adresse ist neu. Die alte Adresse funktioniert nicht mehr."), "success")
    return redirect(url_for("accounts.profile"))
