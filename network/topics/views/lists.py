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


@bp.route("/matrix")
@login_required
def matrix():
    """The division of labour: topics as rows, member cities as columns."""
    field_slug = request.args.get("handlungsfeld", "").strip()[:80] or None
    data = services.matrix(current_user, field_slug)
    return render_template("topics/matrix.html", m=data, symbols=CELL_SYMBOLS, labels=cell_labels())


_csv_safe = csv_safe  # shared with the other domains' exports (network/core/csvutil.py)


@bp.route("/matrix.csv")
@login_required
def matrix_csv():
    """The matrix as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet programs)."""
    field_slug = request.args.get("handlungsfeld", "").strip()[:80] or None
    m = services.matrix(current_user, field_slug)
    labels = cell_labels()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_safe(v) for v in [_("Handlungsfeld"), _("Thema")] + [c.name for c in m["cities"]]])
    for field, topics in m["groups"]:
        for topic in topics:
            row = [field.name, topic.name]
            for city in m["cities"]:
                role = m["cells"].get((topic.id, city.id))
                row.append(str(labels[role]) if role else "")
            writer.writerow([_csv_safe(v) for v in row])
    writer.writerow([_csv_safe(v) for v in ["", _("Anzahl Federführungen")]
                     + [m["lead_counts"][c.id] for c in m["cities"]]])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=themenmatrix.csv"})
