"""CSV helpers shared by the domains' exports."""

import csv
import io

from flask import Response
from flask_babel import gettext as _


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


#: first characters that csv_safe() guards with an apostrophe
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_unguard(value: str) -> str:
    """The inverse of csv_safe() for an imported cell: "'=SUMME(A1)" reads back as "=SUMME(A1)", so that an
    exported file imports unchanged (the export guards it again)."""
    text = value or ""
    if text[:1] == "'" and text[1:2] in _FORMULA_START:
        return text[1:]
    return text


class CsvUnreadable(ValueError):
    """The uploaded bytes are no CSV text the import can read (the message is translated: German msgid)."""


def decode_csv(raw: bytes) -> str:
    """An uploaded CSV's text: UTF-8 (with or without BOM), else Windows-1252 (spreadsheet exports)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise CsvUnreadable(_("Die Datei ist nicht als UTF-8 oder Windows-1252 gespeichert (sie sieht nach UTF-16 "
                              "oder einer Binärdatei aus). Bitte speichern Sie sie als „CSV (UTF-8)“."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise CsvUnreadable(_("Die Datei ist weder UTF-8 noch Windows-1252 kodiert. Bitte speichern Sie sie als "
                              "„CSV (UTF-8)“.")) from None


class CsvTooLong(CsvUnreadable):
    """More data rows than the import takes."""


class CsvBroken(CsvUnreadable):
    """The csv module could not read a line (`line`, `error`)."""

    def __init__(self, message: str, line: int, error: str):
        super().__init__(message)
        self.line, self.error = line, error


def sniff_delimiter(text: str) -> str:
    """Semicolon (German spreadsheets) or comma, from the first 8 KB."""
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        return ";" if first.count(";") >= first.count(",") else ","


def table_rows(text: str, delimiter: str, max_rows: int) -> tuple[list[str] | None, list[tuple[int, list[str]]]]:
    """(header or None when the file has no line, [(line number in the file, cells)]); empty lines are skipped.
    Raises CsvTooLong beyond max_rows data rows and CsvBroken where the csv module gives up (translated messages;
    the importers may say it in their own words)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if len(rows) >= max_rows:
                raise CsvTooLong(_("Die Datei hat mehr als %(max)s Zeilen. Bitte teilen Sie sie auf.", max=max_rows))
            rows.append((start, cells))
    except csv.Error as exc:
        raise CsvBroken(_("Die Datei ist in Zeile %(line)s kein gültiges CSV (%(error)s).", line=line, error=exc),
                        reader.line_num, str(exc)) from None
    return header, rows


def read_csv_rows(text: str, max_rows: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(line number, cells)]) of a semicolon- or comma-separated text; empty lines are skipped and
    formula guards removed (csv_unguard). More than max_rows data rows is refused."""
    header, rows = table_rows(text, sniff_delimiter(text), max_rows)
    if header is None:
        raise CsvUnreadable(_("Die Datei ist leer."))
    return header, [(line, [csv_unguard(c) for c in cells]) for line, cells in rows]
