"""Form helpers shared by every domain."""

from urllib.parse import urlsplit

from flask import request, url_for


def apply_errors(form, errors: dict[str, str]) -> None:
    """Put service errors next to their fields (or above the form if no field matches)."""
    for field, message in errors.items():
        if field in form._fields and field != "csrf_token":
            form._fields[field].errors = list(form._fields[field].errors or []) + [message]
        else:
            form.form_errors.append(message)


def safe_next(target: str | None, default_endpoint: str = "main.index") -> str:
    """Only same-site paths are followed after login."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") and "\\" not in target:
            return target
    return url_for(default_endpoint)


def posted() -> bool:
    return request.method == "POST"
