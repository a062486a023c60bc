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


def confirmed() -> bool:
    """A POST that went through the confirmation step (issue #21, item 6): it carries confirm=1. An irreversible
    action posted without it shows its confirmation page instead of acting."""
    return request.method == "POST" and request.form.get("confirm") == "1"


def carried_fields() -> list[tuple[str, str]]:
    """The posted fields the confirmation page sends again (hidden), without the CSRF token and the confirm flag."""
    if request.method != "POST":
        return []
    return [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirm")]


def confirmation_page(*, heading, lines, action, button, back, carried=None, detail=None, detail_head=None,
                      warning=None, **ctx):
    """Render the confirmation step (templates/confirm.html); `carried` defaults to the posted fields."""
    from flask import render_template
    return render_template("confirm.html", heading=heading, lines=lines, action=action, button=button, back=back,
                           carried=carried_fields() if carried is None else carried, detail=detail,
                           detail_head=detail_head, warning=warning, **ctx)
