"""Form helpers shared by every domain."""

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from network.core.boundary import on_invalid


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


def submitted(form):
    """The posted form, checked (CSRF included); a broken post answers 400 (the page never sends one)."""
    if not form.validate_on_submit():
        abort(400)
    return form


def first_message(exc) -> str:
    """The first German message of a service error (shown above a page with several forms)."""
    return next(iter(exc.errors.values()), "")


def posted_action(form, page, **page_forms):
    """An action form posted from a page with several forms: checked (a broken post answers 400); a service refusal
    shows ``page(status, error=first message, **page_forms)`` again, this form's messages beside its fields."""
    submitted(form)
    on_invalid(lambda exc: page(exc.status, error=first_message(exc), **page_forms), form)
    return form


def succeeded(message: str, url: str):
    """The answer to a successful action: the message as a success notice, and a redirect to ``url``."""
    flash(message, "success")
    return redirect(url)


def form_page(form, template: str, save, **context):
    """A page with one form, GET and POST: a valid post declares ``template`` (with the form's messages) as the page
    a service refusal shows again and answers ``save(form)`` (which may declare a page of its own with ``on_invalid``
    before it calls the service; typically it flashes and redirects). Otherwise the form is shown: 200, or 422 after
    a post the form itself refused."""
    if form.validate_on_submit():
        on_invalid(template, form, form=form, **context)
        return save(form)
    return render_template(template, form=form, **context), 422 if form.errors else 200


def table_saved(form, read_rows, page, save, counted, back: str):
    """The POST of a table saved with one submit (all or nothing): the form checked (broken: 400), the rows read
    (``read_rows(request.form)``), a refusal shows ``page(status, posted, errors)`` again, the messages beside their
    rows; ``save(posted)`` returns how many rows it saved: ``counted(n)`` is the notice, or that nothing changed; then
    the redirect to ``back``."""
    submitted(form)
    posted = read_rows(request.form)
    on_invalid(lambda exc: page(exc.status, posted, exc.errors))
    saved = save(posted)
    if saved:
        flash(counted(saved), "success")
    else:
        flash(_("Sie haben nichts geändert; es wurde nichts gespeichert."), "info")
    return redirect(back)


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
    return render_template("confirm.html", heading=heading, lines=lines, action=action, button=button, back=back,
                           carried=carried_fields() if carried is None else carried, detail=detail,
                           detail_head=detail_head, warning=warning, **ctx)
