"""Topic lists: all active topics, the matrix of the division of labour (HTML and CSV)."""

import csv
import io

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.csvutil import csv_safe
from network.core.permissions import require
from network.topics import services
from network.topics.models import CLAIM_KINDS, PARTICIPATION_STATUSES
from network.topics.views import bp

#: what a matrix cell says, and its symbol (text and shape, never colour alone)
CELL_SYMBOLS = {"lead": "★", "colead": "☆", "participating": "●", "interested": "○"}


def cell_labels():
    return {"lead": CLAIM_KINDS["lead"], "colead": CLAIM_KINDS["colead"],
            "participating": _("Teilnahme"), "interested": PARTICIPATION_STATUSES["interested"]}


@bp.route("/", endpoint="list")
@login_required
def list_topics():
    """All active topics by field of action, with their lead city."""
    require(current_user, "topic.view")
    field_slug = request.args.get("handlungsfeld", "").strip()[:80] or None
    rows = services.list_topics(current_user, field_slug)
    return render_template("topics/list.html", rows=rows, fields=services.fields_of_action(), field_slug=field_slug)


def _page() -> int:
    """The ?seite= argument: a positive number, else the first page."""
    value = request.args.get("seite", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


@bp.route("/matrix")
@login_required
def matrix():
    """The division of labour: topics as rows, one page of member cities as columns."""
    field_slug = request.args.get("handlungsfeld", "").strip()[:80] or None
    city_query = request.args.get("kommune", "").strip()[:80] or None
    data = services.matrix(current_user, field_slug, city_query, _page())
    args = {k: v for k, v in (("handlungsfeld", field_slug), ("kommune", city_query)) if v}
    return render_template("topics/matrix.html", m=data, symbols=CELL_SYMBOLS, labels=cell_labels(),
                           page_args=args)


_csv_safe = csv_safe  # shared with the other domains' exports (network/core/csvutil.py)


@bp.route("/matrix.csv")
@login_required
def matrix_csv():
    """The whole matrix as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet programs), streamed row by
    row: every member city is a column."""
    field_slug = request.args.get("handlungsfeld", "").strip()[:80] or None
    m = services.matrix_export(current_user, field_slug)
    labels = {k: str(v) for k, v in cell_labels().items()}
    header = [_("Handlungsfeld"), _("Thema")]
    footer = ["", _("Anzahl Federführungen")]
    # plain values only: the request commits (and expires the ORM objects) before the body is streamed
    topic_rows = [(field.name, topic.name, topic.id) for field, topics in m["groups"] for topic in topics]
    cities, cells, lead_counts = m["cities"], m["cells"], m["lead_counts"]

    def rows():
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

        def emit(row):
            writer.writerow([_csv_safe(v) for v in row])
            text = out.getvalue()
            out.seek(0)
            out.truncate()
            return text

        yield "\ufeff" + emit(header + [name for _id, name in cities])
        for field_name, topic_name, topic_id in topic_rows:
            yield emit([field_name, topic_name] + [labels.get(cells.get((topic_id, city_id)), "")
                                                   for city_id, _name in cities])
        yield emit(footer + [lead_counts[city_id] for city_id, _name in cities])

    return Response(rows(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=themenmatrix.csv"})
