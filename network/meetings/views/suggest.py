"""Meetings: the suggestions of the forms' typed fields (issue #17), small JSON answers for static/js/suggest.js.

A network has over 1,000 member cities and thousands of accounts: the forms take names and addresses typed one
per line, and these answer at most 20 matches of the request's network while the user types. The forms work
without them."""

from flask import jsonify, request
from flask_login import current_user, login_required

from network.core.permissions import require
from network.meetings import services
from network.meetings.views import bp


def _answer(results: list[dict]):
    resp = jsonify({"results": results})
    resp.headers["Cache-Control"] = "private, no-store"  # names and addresses of accounts
    return resp


@bp.route("/treffen/gremien/personen-suche")
@login_required
def person_search():
    """Coordinator (body.manage): at most 20 accounts of the network's cities and coordination whose name or
    e-mail address contains ?q= (2 letters at least), as the body form's lines."""
    require(current_user, "body.manage")
    return _answer(services.search_people(request.args.get("q", "")))


@bp.route("/treffen/gremien/<int:body_id>/kommunen-suche")
@login_required
def body_city_search(body_id):
    """A member of the body: at most 20 of its member cities whose name contains ?q= (the body page shows them to
    its members, 50 a page)."""
    body = services.get_body_or_404(current_user, body_id)
    return _answer([{"value": name} for name in services.search_body_cities(body.id, request.args.get("q", ""))])
