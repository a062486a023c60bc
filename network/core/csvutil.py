"""CSV helpers shared by the domains' exports."""

import csv
import io

from flask import Response


def csv_safe(value) -> str:
    """Cells that a spreadsheet would run as a formula get a leading apostrophe."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_response(rows, filename: str) -> Response:
    """Semicolon-separated CSV, UTF-8 with BOM (spreadsheet programs), every cell made formula-safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})
