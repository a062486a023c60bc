"""Bearer-token authentication for the JSON API (cookies are never accepted there)."""

from flask import g, request
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields

from network.extensions import csrf

#: the 401/404 answers every authenticated endpoint may give
COMMON_ERRORS = (401, 404)
#: methods a read-only token may use
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def error_answers(blp, *codes):
    """Document a route's error answers in the OpenAPI description: one ``alt_response`` per status, all with
    the one error envelope (``@error_answers(blp, 401, 404, 422)`` above the route's other decorators)."""
    from http import HTTPStatus

    def decorate(view):
        for code in reversed(codes):  # the order that stacked decorators would give
            view = blp.alt_response(code, response=HTTPStatus(code).name)(view)
        return view
    return decorate


def api_user():
    """The user behind this request's token (set by the blueprint's before_request)."""
    return g.api_user


#: endpoints of deprecated addresses (the single-network routes before issue #16); see deprecation_headers
DEPRECATED_ENDPOINTS: set[str] = set()


def deprecate(endpoint: str) -> None:
    """Mark an endpoint deprecated: its answers carry Deprecation, Sunset and a Link to the successor."""
    DEPRECATED_ENDPOINTS.add(endpoint)


def deprecation_headers(response):
    """RFC 9745 Deprecation (the day it was deprecated), RFC 8594 Sunset (the day it may go) and the successor
    address (the same route under /api/v1/networks/<default network>/)."""
    from datetime import datetime, timezone
    from email.utils import format_datetime

    from flask import current_app

    from network.core.current import default_network_slug
    if request.endpoint not in DEPRECATED_ENDPOINTS:
        return response
    since = datetime.fromisoformat(current_app.config["API_LEGACY_DEPRECATED_ON"]).replace(tzinfo=timezone.utc)
    sunset = datetime.fromisoformat(current_app.config["API_LEGACY_SUNSET_ON"]).replace(tzinfo=timezone.utc)
    response.headers["Deprecation"] = f"@{int(since.timestamp())}"
    response.headers["Sunset"] = format_datetime(sunset, usegmt=True)
    # base_url is percent-encoded: a path parameter with a line break cannot break the header
    successor = request.base_url.replace("/api/v1/", f"/api/v1/networks/{default_network_slug()}/", 1)
    link = f'<{successor}>; rel="successor-version"'
    response.headers["Link"] = f"{response.headers['Link']}, {link}" if response.headers.get("Link") else link
    return response


def make_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    """A smorest blueprint under /api/v1 whose every endpoint requires a Bearer token."""
    blp = Blueprint(name, import_name, url_prefix="/api/v1" + url_prefix, description=description)
    csrf.exempt(blp)
    blp.after_request(deprecation_headers)

    @blp.before_request
    def authenticate():
        from network.accounts.services import api_token_for
        from network.core.errors import api_error, render_error
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        token = api_token_for(value.strip()) if scheme.lower() == "bearer" else None
        if token is None:  # missing, unknown, revoked or expired
            return render_error(401, "Ein gültiger API-Token fehlt (Authorization: Bearer …).")
        if token.scope != "read-write" and request.method not in READ_METHODS:
            return api_error(403, "forbidden", "Dieser API-Token darf nur lesen. Für Änderungen erstellen Sie im "
                                               "Profil einen Token mit der Berechtigung „Lesen und schreiben“.", {})
        g.api_user = token.user
        g.api_token = token
        if not g.get("network_slug"):
            # an address that names no network (a city's projects, practices, reports) is read in the token
            # owner's own network, as the web opens in it after the login (issue #16): a coordinator of a second
            # network reaches its member cities' content through the API as on the web
            from network.core.current import set_request_network
            from network.networks.services import home_network_slug
            slug = home_network_slug(token.user)
            if slug:
                set_request_network(slug)
        return None

    return blp


# --- shared by every domain's api.py ---------------------------------------------------------


#: HTTP status of a ValidationFailed -> the envelope's error code
ERROR_CODES = {403: "forbidden", 404: "not_found", 409: "conflict", 410: "gone", 422: "invalid"}


def service_error(exc):
    """A service's German messages (ValidationFailed) as the API's error envelope; nothing is written.

    Handlers do not call this: they let the service raise and core/boundary.py answers. It stays for code
    outside a request handler that must build the same envelope.
    """
    from network.core.boundary import invalid_response
    return invalid_response(exc)


class InputSchema(Schema):
    """Request bodies: the services check every value and answer in German; unknown keys are ignored."""

    class Meta:
        unknown = EXCLUDE


#: characters a single-line text (title, name: core/validation.is_single_line_field) may not contain, as the
#: services refuse them; multi-line texts may not contain NUL. Written for JSON Schema (ECMA-262) and Python.
_LINE_CHAR = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]"
_TEXT_CHAR = r"[^\x00]"
_BLANK = r"\s"
#: JSON Schema patterns of single-line texts, for schemas that document a field without a Text field
LINE_PATTERN = f"^{_LINE_CHAR}*$"
LINE_NOT_BLANK_PATTERN = f"^{_LINE_CHAR}*{_LINE_CHAR[:-1]}{_BLANK}]{_LINE_CHAR}*$"
#: the validator pattern of a text that must not be blank (validate.Regexp(r"\S"))
_VISIBLE = r"\S"
#: the same anywhere in the text (marshmallow's Regexp matches at the start: r"\S" refused " 0", which the
#: document's pattern allows)
_VISIBLE_ANYWHERE = r"(?s).*\S"


class Text(fields.String):
    """A string field whose type error is German like the services' messages.

    Bound to a single-line name (title, name, …; ``single_line=True``/``False`` overrides), it documents and
    checks the absence of control characters; any text documents and checks the absence of NUL. A field that
    must not be blank (a ``Regexp(r"\S")`` validator) documents that in the same pattern.
    """

    default_error_messages = {"invalid": "Bitte geben Sie hier einen Text an.",
                              "invalid_utf8": "Der Text ist kein gültiges UTF-8."}

    def __init__(self, *args, single_line: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._single_line = single_line

    def _bind_to_schema(self, field_name, parent):
        import re

        from marshmallow import validate

        from network.core.validation import is_single_line_field
        super()._bind_to_schema(field_name, parent)
        single = self._single_line if self._single_line is not None else is_single_line_field(field_name)
        char = _LINE_CHAR if single else _TEXT_CHAR
        self.validators.append(validate.Regexp(
            re.compile(f"^{char}*\\Z"),  # \Z: Python's $ would let a final line break through
            error=("Bitte geben Sie hier nur eine Zeile ein, ohne Zeilenumbrüche, Tabulatoren oder andere "
                   "Steuerzeichen.") if single else "Der Text enthält ungültige Zeichen."))
        not_blank = any(isinstance(v, validate.Regexp) and v.regex.pattern in (_VISIBLE, _VISIBLE_ANYWHERE)
                        for v in self.validators)
        # the document states both rules in one pattern: allowed characters only, and (where required) one
        # that is not white space
        visible = char[:-1] + _BLANK + "]"
        pattern = f"^{char}*{visible}{char}*$" if not_blank else f"^{char}*$"
        self.metadata = {**self.metadata, "pattern": pattern}


# --- references to other resources, the same everywhere --------------------------------------------


class CityRef(Schema):
    """A municipality referenced by another resource."""

    id = fields.Integer(metadata={"description": "Kennung der Kommune"})
    slug = fields.String(metadata={"description": "Kurzname in Adressen, z. B. ettlingen"})
    name = fields.String(metadata={"description": "Name der Kommune"})


class NamedRef(Schema):
    """A topic, field of action, body or other named resource referenced by another resource."""

    id = fields.Integer(metadata={"description": "Kennung"})
    slug = fields.String(metadata={"description": "Kurzname in Adressen (wo vorhanden)"})
    name = fields.String(metadata={"description": "Name"})


# --- typed request fields: what the document declares is what the schema checks (issue #20) ------------------


#: the largest id the databases store (PostgreSQL integer)
MAX_ID = 2**31 - 1
_REQUIRED_MESSAGES = {"required": "Diese Angabe fehlt.", "null": "Diese Angabe darf nicht null sein."}


class StrictInteger(fields.Integer):
    """A JSON integer only: neither text ("5"), nor a fraction, nor true/false (Python's bool is an int)."""

    default_error_messages = {"invalid": "Bitte geben Sie eine ganze Zahl an.",
                              "too_large": "Die Zahl ist zu groß."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("strict", True)
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class StrictBoolean(fields.Boolean):
    """JSON true or false only (not 1, "ja" or "true")."""

    default_error_messages = {"invalid": "Bitte geben Sie true oder false an."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _common(required, nullable, description, example, metadata):
    meta = {**(metadata or {})}
    if description:
        meta["description"] = description
    if example is not None:
        meta["example"] = example
    kw = {"metadata": meta, "allow_none": nullable, "required": required}
    if required or not nullable:
        kw["error_messages"] = dict(_REQUIRED_MESSAGES)
    return kw


def Str(max_len: int | None = None, description: str = "", *, required=False, nullable=False, not_blank=False,
        min_len: int | None = None, enum=None, single_line: bool | None = None, example=None, metadata=None,
        blank_message: str = "Bitte füllen Sie dieses Feld aus.", **kwargs):
    """A text field: maxLength, enum, not blank and the absence of control characters, declared and checked."""
    from marshmallow import validate
    checks = list(kwargs.pop("validate", []) or [])
    if not_blank:
        checks.append(validate.Regexp(_VISIBLE_ANYWHERE, error=blank_message))
    if enum is not None:
        checks.append(validate.OneOf(list(enum), error="Bitte wählen Sie einen dieser Werte: {choices}."))
    if max_len is not None or min_len is not None:
        checks.append(validate.Length(min=min_len, max=max_len))
    kw = _common(required, nullable, description, example, metadata)
    if not_blank and required:
        kw["error_messages"] = {"required": blank_message, "null": blank_message}
    return Text(validate=checks, single_line=single_line, **kw, **kwargs)


def Int(minimum: int = 0, maximum: int = MAX_ID, description: str = "", *, required=False, nullable=False,
        example=None, metadata=None, **kwargs):
    """A JSON integer between minimum and maximum."""
    from marshmallow import validate
    return StrictInteger(validate=validate.Range(min=minimum, max=maximum),
                         **_common(required, nullable, description, example, metadata), **kwargs)


def Id(description: str, *, required=False, nullable=False, **kwargs):
    """The id of a stored object (1 to 2^31-1)."""
    return Int(1, MAX_ID, description, required=required, nullable=nullable, example=kwargs.pop("example", 1),
               **kwargs)


def Bool(description: str = "", *, required=False, nullable=False, example=None, **kwargs):
    """JSON true or false."""
    return StrictBoolean(**_common(required, nullable, description, example, None), **kwargs)


class _GermanString(fields.String):
    default_error_messages = {"invalid": "Bitte geben Sie hier einen Text an.",
                              "invalid_utf8": "Der Text ist kein gültiges UTF-8."}


def Month(description: str = "Monat im Format JJJJ-MM", *, nullable=True, **kwargs):
    """A month as YYYY-MM."""
    from marshmallow import validate
    return _GermanString(validate=[validate.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z",
                                                   error="Bitte geben Sie einen Monat im Format JJJJ-MM an.")],
                         **_common(False, nullable, description, "2026-03",
                                   {"pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}), **kwargs)


def Version(*, required=False, description="die zuletzt gelesene Version; eine veraltete ergibt 409"):
    """The optimistic-lock version a client sends back."""
    return Int(0, MAX_ID, description, required=required, example=1)


# --- links: each object names its API address and its page --------------------------------------------------


def link(endpoint: str, description: str, **arg_getters):
    """A read-only absolute URL (format uri) built with url_for(endpoint, **{name: getter(obj)})."""
    from flask import url_for

    def build(obj):
        if isinstance(obj, dict):  # an answer put together by the handler
            from types import SimpleNamespace
            obj = SimpleNamespace(**obj)
        values = {name: (get(obj) if callable(get) else getattr(obj, get, None))
                  for name, get in arg_getters.items()}
        if any(v is None for v in values.values()):
            return None
        return url_for(endpoint, _external=True, **values)
    return fields.Function(build, dump_only=True, allow_none=True,
                           metadata={"type": "string", "format": "uri", "description": description})


def addresses(api_endpoint: str, page_endpoint: str, of: str, **arg_getters):
    """An object's two links built from the same arguments, its API address and its page (``of``: "des Themas"):
    ``url, html_url = addresses("topics_api.get_topic", "topics.detail", "des Themas", slug="slug")``."""
    return (link(api_endpoint, f"API-Adresse {of}", **arg_getters),
            link(page_endpoint, f"Seite {of}", **arg_getters))


def Url(max_len: int, description: str, *, nullable=True, example="https://www.example.org/", metadata=None,
        **kwargs):
    """A web address starting with http:// or https:// (null: none)."""
    from marshmallow import validate
    pattern = r"^https?://[^\s/$.?#][^\s]*$"
    return _GermanString(validate=[validate.Regexp(pattern[:-1] + r"\Z", error="Die Webadresse muss mit http:// "
                                                                               "oder https:// beginnen."),
                                   validate.Length(max=max_len)],
                         **_common(False, nullable, description, example,
                                   {"format": "uri", "pattern": pattern, **(metadata or {})}), **kwargs)


class AmountField(fields.Field):
    """An amount in euros: a JSON number, or text such as "1234.50" or German "1.234,56" (the service reads it
    and answers a bad or out-of-range text with its German message)."""

    default_error_messages = {"invalid": "Bitte geben Sie den Betrag als Zahl oder Text an (z. B. 1234.50)."}
    MAX = 999_999_999_999.99

    def _deserialize(self, value, attr, data, **kwargs):
        # the range is the service's (its German message names the field); here only the type and the length
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.make_error("invalid")
        return value


def Amount(description: str, *, maximum: float = AmountField.MAX):
    """Documented as number (0 to maximum) or text, nullable."""
    return AmountField(allow_none=True, metadata={
        "description": description, "nullable": True, "example": 1234.5,
        "oneOf": [{"type": "number", "minimum": 0, "maximum": maximum}, {"type": "string"}]})
