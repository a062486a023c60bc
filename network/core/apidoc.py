"""The finishing touches of the OpenAPI document (issue #20): the error answers of every operation, an example
per schema, the pagination headers of the collections. Called on apispec's dict, so every domain's api.py
gets them without repeating them."""

import copy
from http import HTTPStatus

#: status -> German description of the error answer (the body is always the one error envelope)
ERRORS = {
    400: "Fehlerhafte Anfrage (z. B. kein gültiges JSON)",
    401: "Kein gültiger API-Token (Authorization: Bearer …)",
    403: "Keine Berechtigung für diese Aktion (oder ein Token, der nur lesen darf)",
    404: "Nicht gefunden oder für den Token nicht sichtbar",
    409: "Konflikt: veraltete Version oder ein Zustand, der die Änderung nicht erlaubt",
    413: "Die Anfrage ist zu groß",
    422: "Ungültige Eingaben; error.fields nennt je Feld die deutsche Meldung",
    429: "Zu viele Anfragen; Retry-After nennt die Wartezeit in Sekunden",
    503: "Vorübergehend nicht erreichbar (z. B. Datenbank); Retry-After nennt die Wartezeit",
}
#: answers any operation may give (404: also an id in the body that does not exist, or an unknown network)
ALWAYS = (400, 401, 403, 404, 429, 503)
_WRITE = {"post", "put", "patch", "delete"}

#: response headers of every paginated collection (network/core/pagination.py)
PAGE_HEADERS = {
    "X-Total-Count": {"description": "Anzahl aller Einträge über alle Seiten", "schema": {"type": "integer"}},
    "Link": {"description": "RFC 8288: Adressen der nächsten (rel=next) und vorigen (rel=prev) Seite",
             "schema": {"type": "string"}},
}


#: response headers of a deprecated operation (core/apiauth.deprecation_headers)
DEPRECATION_HEADERS = {
    "Deprecation": {"description": "RFC 9745: seit wann veraltet (@Unix-Zeit)", "schema": {"type": "string"}},
    "Sunset": {"description": "RFC 8594: ab wann die Adresse entfallen kann (HTTP-Datum)",
               "schema": {"type": "string"}},
}


def _name(code: int) -> str:
    return HTTPStatus(code).name


def error_codes(path: str, method: str, operation: dict) -> set[int]:
    """The error answers an operation may give, by what it takes."""
    codes = set(ALWAYS)
    params = operation.get("parameters", [])
    if "requestBody" in operation or any(p.get("in") == "query" for p in params):
        codes.add(422)
    if "requestBody" in operation:
        codes.add(413)
    if method in _WRITE:
        codes.add(409)
    return codes


def _example(schema: dict, components: dict, depth: int = 0):
    """An example value for a (resolved) schema: its own example, a format's or the first enum value."""
    if depth > 6:
        return None
    if "$ref" in schema:
        target = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return target.get("example", _example(target, components, depth + 1))
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        return schema["enum"][0]
    if "allOf" in schema:
        return _example(schema["allOf"][0], components, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        if not props and "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
            return {"beispiel": _example(schema["additionalProperties"], components, depth + 1)}
        return {k: _example(v, components, depth + 1) for k, v in props.items()}
    if kind == "array":
        item = _example(schema.get("items", {}), components, depth + 1)
        return [] if item is None else [item]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1) if schema.get("maximum", 1) >= 1 else schema.get("minimum", 0)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "string":
        return {"date": "2026-03-01", "date-time": "2026-03-01T10:00:00+01:00", "email": "name@stadt.de",
                "uri": "https://www.example.org/"}.get(schema.get("format"), "Beispiel")
    return None


def _nullable_refs(node):
    """apispec writes a nullable nested schema as anyOf [any object, the schema], which lets any object through
    and makes generators build an empty class: write it as allOf [the schema] with nullable."""
    if isinstance(node, dict):
        any_of = node.get("anyOf")
        if (isinstance(any_of, list) and len(any_of) == 2 and any_of[0] == {"nullable": True, "type": "object"}
                and set(any_of[1]) == {"$ref"}):
            node.pop("anyOf")
            node["allOf"] = [any_of[1]]
            node["nullable"] = True
        for value in node.values():
            _nullable_refs(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_refs(value)


def finish(doc: dict) -> dict:
    """Add the documented error answers, the pagination headers and an example per schema."""
    doc = copy.deepcopy(doc)
    _nullable_refs(doc)
    components = doc.setdefault("components", {})
    responses = components.setdefault("responses", {})
    for code, description in ERRORS.items():
        response = {"description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if code in (429, 503):
            response["headers"] = {"Retry-After": {"description": "Sekunden bis zum nächsten Versuch",
                                                   "schema": {"type": "integer"}}}
        if code == 401:
            response["headers"] = {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}}
        responses[_name(code)] = response
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            answers = operation.setdefault("responses", {})
            for code in sorted(error_codes(path, method, operation) | {int(c) for c in answers if c.isdigit()
                                                                 and int(c) >= 400}):
                answers[str(code)] = {"$ref": f"#/components/responses/{_name(code)}"}
            answers.pop("default", None)
            if operation.get("deprecated"):
                for code, answer in answers.items():
                    if code.startswith("2") and "$ref" not in answer:
                        answer.setdefault("headers", {}).update(copy.deepcopy(DEPRECATION_HEADERS))
            paginated = operation.pop("x-paginated", False)
            if paginated:
                headers = PAGE_HEADERS if paginated is True else {"Link": PAGE_HEADERS["Link"]}
                answers.get("200", {}).setdefault("headers", {}).update(copy.deepcopy(headers))
    schemas = components.get("schemas", {})
    for name, schema in schemas.items():
        if "example" not in schema:
            schema["example"] = _example({k: v for k, v in schema.items() if k != "example"}, schemas)
    return doc


def init_docs(app) -> None:
    """The documentation pages at /api/v1/docs: Swagger UI from npm, served from our own origin (public)."""
    from flask import render_template, url_for

    def docs():
        """The API's documentation (Swagger UI) for the OpenAPI document."""
        return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json", _external=True))

    app.add_url_rule("/api/v1/docs", "api_docs", docs)
