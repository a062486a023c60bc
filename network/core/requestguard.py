"""One guard in front of every view: body size, hostile JSON and invalid UTF-8 are refused before parsing.

* Size: ``MAX_CONTENT_LENGTH`` for every request; ``multipart/form-data`` (file uploads) may carry up to
  ``MAX_UPLOAD_BYTES`` plus ``UPLOAD_OVERHEAD_BYTES`` for the form fields. A declared ``Content-Length`` above the
  limit is answered with 413 before the body is read.
* JSON: nesting deeper than ``JSON_MAX_DEPTH``, integers longer than ``JSON_MAX_INT_DIGITS`` digits and the
  non-finite numbers (``NaN``, ``Infinity``, ``1e400``) are refused with 400 and the error envelope. The check runs
  on the raw body once, so every JSON endpoint (smorest/webargs and ``request.get_json``) is covered.
* UTF-8: query strings and form fields (urlencoded and multipart) must be valid UTF-8; otherwise 400 with a
  German message, and the view never runs (nothing is stored).
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import unquote_to_bytes

from flask import current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from network.core.errors import abort_with

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


class HostileJSON(ValueError):
    """A JSON text this application refuses to parse."""


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays/objects in ``raw`` (strings skipped), without recursion."""
    depth = deepest = 0
    for m in _BRACKET.finditer(_STRING.sub(b'""', raw)):
        if m.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def strict_loads(raw: bytes | str, *, max_depth: int, max_digits: int):
    """Parse JSON refusing deep nesting, huge integers and non-finite numbers (raises HostileJSON)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if json_depth(data) > max_depth:
        raise HostileJSON("depth")

    def parse_int(text):
        if len(text.lstrip("-")) > max_digits:
            raise HostileJSON("digits")
        return int(text)

    def parse_float(text):
        if len(text) > 400:
            raise HostileJSON("digits")
        value = float(text)
        if not math.isfinite(value):
            raise HostileJSON("finite")
        return value

    def parse_constant(name):
        raise HostileJSON("finite")

    try:
        return json.loads(data, parse_int=parse_int, parse_float=parse_float, parse_constant=parse_constant)
    except HostileJSON:
        raise
    except (ValueError, RecursionError) as exc:
        raise HostileJSON("syntax") from exc


def _limits(app=None):
    cfg = (app or current_app).config
    return int(cfg.get("JSON_MAX_DEPTH", 64)), int(cfg.get("JSON_MAX_INT_DIGITS", 100))


class StrictJSONProvider(DefaultJSONProvider):
    """``request.get_json()`` and ``flask.json.loads`` use the strict parser, too."""

    def loads(self, s, **kwargs):
        depth, digits = _limits(self._app)  # also outside a request (test responses, CLI)
        return strict_loads(s, max_depth=depth, max_digits=digits)


def _json_message(reason: str) -> str:
    if reason == "depth":
        return _("Der JSON-Inhalt ist zu tief verschachtelt (höchstens %(n)s Ebenen).", n=_limits()[0])
    if reason == "digits":
        return _("Eine Zahl im JSON-Inhalt hat zu viele Stellen.")
    if reason == "finite":
        return _("Zahlen im JSON-Inhalt müssen endlich sein (kein NaN, kein Infinity, kein Überlauf).")
    return _("Der JSON-Inhalt ist kein gültiges JSON.")


def _check_json(raw: bytes) -> None:
    if not raw.strip():
        return
    depth, digits = _limits()
    try:
        strict_loads(raw, max_depth=depth, max_digits=digits)
    except HostileJSON as exc:
        abort_with(400, _json_message(str(exc)))


def _bad_utf8() -> None:
    abort_with(400, _("Die Eingabe enthält ungültige Zeichen (kein gültiges UTF-8). Es wurde nichts gespeichert."))


def _check_urlencoded(raw: bytes) -> None:
    """Every name and value of an application/x-www-form-urlencoded text (or query string) is valid UTF-8."""
    try:
        raw.decode("utf-8")
        for pair in raw.split(b"&"):
            for part in pair.split(b"=", 1):
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        _bad_utf8()


def _check_multipart(raw: bytes, boundary: str) -> None:
    """The form fields (not the files) of a multipart body are valid UTF-8."""
    from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
    decoder = MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=None)
    decoder.receive_data(raw)
    decoder.receive_data(None)
    in_field, chunks = False, []
    try:
        while True:
            event = decoder.next_event()
            if isinstance(event, (NeedData, Epilogue)):
                break
            if isinstance(event, Field):
                in_field, chunks = True, []
                event.name.encode("utf-8")
            elif isinstance(event, File):
                in_field = False
            elif isinstance(event, Data) and in_field:
                chunks.append(event.data)
                if not event.more_data:
                    b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        _bad_utf8()
    except ValueError:
        return  # a malformed body: Werkzeug's own parser decides (it answers 400 or sees no fields)


def _guard() -> None:
    """Runs before every other before_request function (CSRF, rate limits, the views)."""
    cfg = current_app.config
    multipart = request.mimetype == "multipart/form-data"
    if multipart:
        request.max_content_length = int(cfg.get("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)) + int(
            cfg.get("UPLOAD_OVERHEAD_BYTES", 1024 * 1024))
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        from werkzeug.exceptions import RequestEntityTooLarge
        raise RequestEntityTooLarge()
    if request.query_string:
        _check_urlencoded(request.query_string)
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if request.is_json or (request.path.startswith("/api/") and request.mimetype in ("", "text/plain")):
        _check_json(request.get_data(cache=True))
    elif request.mimetype == "application/x-www-form-urlencoded":
        _check_urlencoded(request.get_data(cache=True))
    elif multipart and request.mimetype_params.get("boundary"):
        _check_multipart(request.get_data(cache=True), request.mimetype_params["boundary"])


def init_request_guard(app) -> None:
    """Install the strict JSON provider and put the guard first among the before_request functions."""
    app.json_provider_class = StrictJSONProvider
    app.json = StrictJSONProvider(app)
    app.before_request_funcs.setdefault(None, []).insert(0, _guard)
