"""List, search (also public) and the Atom feed."""

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from network.practices import services
from network.practices.views import _bounded, _filters, _page, bp


@bp.route("/", endpoint="list")
def list_practices():
    """Published practices the visitor may see (newest first) and, for a city, its drafts."""
    result = services.search(current_user, "", _filters(), page=_page(), **_bounded())
    return render_template("practices/list.html", r=result, drafts=services.own_drafts(current_user),
                           endpoint="practices.list")


@bp.route("/suche")
def search():
    """Full-text search with facets; the header's search box lands here."""
    q = request.args.get("q", "")[:300]
    result = services.search(current_user, q, _filters(), page=_page(), include_drafts=True, **_bounded())
    return render_template("practices/search.html", r=result, endpoint="practices.search")


@bp.route("/feed.atom")
def feed():
    """Atom feed of newly published public practices."""
    from feedgen.feed import FeedGenerator
    fg = FeedGenerator()
    fg.id(url_for("practices.feed", _external=True))
    fg.title(_("Praxisberichte – öffentlich"))
    fg.subtitle(_("Neu veröffentlichte öffentliche Praxisberichte des Städtenetzes"))
    fg.link(href=url_for("practices.list", _external=True), rel="alternate")
    fg.link(href=url_for("practices.feed", _external=True), rel="self")
    fg.language("de")
    items = services.recent_public()
    for p in reversed(items):
        entry = fg.add_entry()
        link = url_for("practices.detail", practice_id=p.id, _external=True)
        entry.id(link)
        entry.title(p.title)
        entry.link(href=link)
        entry.author({"name": p.municipality.name})
        entry.summary(p.summary or p.title)
        entry.published(p.published_at)
        entry.updated(p.updated_at)
    if not items:
        from network.core.models import utcnow
        fg.updated(utcnow())
    return Response(fg.atom_str(pretty=True), mimetype="application/atom+xml")
