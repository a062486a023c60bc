"""Sammelpflege (issue #21, item 5): the city's projects in one table, status, priority and planned end changed in
place and saved with one form submit (no JavaScript needed); paged, filterable by status and field of action."""

import functools
import re

from flask import abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from network.core.forms import table_saved
from network.inventory import services
from network.inventory.forms import ActionForm
from network.inventory.services._common import int_or_none
from network.inventory.views import _labels, bp

#: the marker beside each row: (shape, German text)
REPORT_STATES = {
    "unchanged": ("=", _l("unverändert seit dem letzten Bericht")),
    "changed": ("≠", _l("geändert seit dem letzten Bericht")),
    "new": ("+", _l("neu seit dem letzten Bericht")),
    "draft": ("–", _l("Entwurf, kommt nicht in den Bericht")),
}


def read_rows(form) -> list[dict]:
    """The posted rows: ``row`` lists the ids, ``p-<id>-<name>`` carries each value; a malformed id answers 404."""
    out = []
    for raw in form.getlist("row"):
        pid = int_or_none(raw)
        if pid is None or not 0 < pid < 2**63:
            abort(404)
        row = {"id": pid}
        for key in services.BULK_FIELDS + ("version",) + tuple("orig_" + k for k in services.BULK_FIELDS):
            row[key] = form.get(f"p-{pid}-" + key.replace("_", "-"), "")
        out.append(row)
    return out


def _page(city, filters, form, status=200, posted=None, errors=None):
    """The table; after a refused save with the user's input, every message beside its row and in the summary."""
    data = services.bulk_page(current_user, city, filters, posted, errors)
    loose = [msg for key, msg in (errors or {}).items() if not re.match(r"^\d+-", key)]
    return render_template("inventory/bulk.html", city=city, d=data, filters=filters, form=form, loose=loose,
                           fields=[f for _n, items in services.city_fields(city.id) for f in items],
                           report_states=REPORT_STATES,
                           page_args={"slug": city.slug, **filters.args()},
                           **_labels()), status


@bp.route("/<slug>/sammelpflege", methods=["GET", "POST"])
@login_required
def bulk(slug):
    """Sammelpflege: change status, priority and end of a page of projects at once (all or nothing)."""
    city = services.city_or_404(slug)
    filters = services.BulkFilters.from_args(request.args)
    form = ActionForm()
    if request.method == "POST":
        return table_saved(
            form, read_rows, functools.partial(_page, city, filters, form),
            lambda posted: len(services.save_bulk(current_user, city, posted)),
            lambda n: ngettext("%(num)s Vorhaben wurde gespeichert.", "%(num)s Vorhaben wurden gespeichert.", n),
            url_for("inventory.bulk", slug=city.slug, **filters.args(filters.page)))
    return _page(city, filters, form)
