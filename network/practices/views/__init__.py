"""Practices: list and search (also public), the practice page, write/edit with preview, revisions,
attachments, reuse, questions, the Atom feed.

One module per part; each registers its routes on ``bp`` when imported below (endpoint names stay
``practices.<function>``). What several parts share is here."""

from flask import Blueprint, request

from network.core.forms import submitted as _submitted  # noqa: F401 (the parts import it from here)
from network.core.pagination import page_number as _page  # noqa: F401 (the parts import it from here)
from network.practices import services

bp = Blueprint("practices", __name__, url_prefix="/praxis")


def _filters() -> services.Filters:
    def arg(name):
        return request.args.get(name, "").strip()[:80]
    year = arg("jahr")
    return services.Filters(topic=arg("thema"), field=arg("handlungsfeld"), city=arg("kommune"),
                            year=int(year) if year.isdigit() and len(year) == 4 else None, network=arg("netzwerk"))


def _bounded() -> dict:
    """What a page counts: up to COUNT_LIMIT matches, the top FACET_TOP values per facet (?mehr=<facet>: more)."""
    return {"count_limit": services.COUNT_LIMIT, "facet_top": services.FACET_TOP,
            "expand": request.args.get("mehr", "")[:10]}


from network.practices.views import (  # noqa: E402,F401
    attachments,
    exchange,
    history,
    listing,
    page,
    writing,
)
