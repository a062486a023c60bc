"""Paginated API collections (issue #20): ?page=&per_page=, the page's items in the body, the total in
``X-Total-Count`` and the neighbouring pages in ``Link`` (RFC 8288, rel=first/prev/next/last)."""

import functools
import math

from urllib.parse import urlencode

import sqlalchemy as sa
from flask import request

from network.extensions import db

#: items per page when the client does not say, and the most it may ask for
PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 10_000

#: the query parameters a paginated operation documents
PAGE_PARAMETERS = [
    {"in": "query", "name": "page", "required": False, "description": "Seite, ab 1",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    {"in": "query", "name": "per_page", "required": False, "description": f"Einträge je Seite (Vorgabe {PER_PAGE})",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": PER_PAGE}},
]


def page_args(default_per_page: int = PER_PAGE) -> tuple[int, int]:
    """The requested page and page size; a value outside the documented range answers 422 in German."""
    from network.core.validation import ValidationFailed
    out, errors = {}, {}
    for name, default, top in (("page", 1, MAX_PAGE), ("per_page", default_per_page, MAX_PER_PAGE)):
        raw = request.args.get(name)
        if raw is None:
            out[name] = default
            continue
        value = int(raw) if raw.strip().isdigit() and len(raw.strip()) < 8 else None
        if value is None or not 1 <= value <= top:
            errors[name] = f"Bitte geben Sie eine ganze Zahl von 1 bis {top} an."
        out[name] = value
    if errors:
        raise ValidationFailed(errors)
    return out["page"], out["per_page"]


def page_with_total(stmt, page: int, per_page: int | None) -> tuple[list, int]:
    """One page of `stmt` (a select of one entity, ordered) and the total of its rows in one statement (count(*) over()
    rides along); past the end the total costs one more, an empty first page none. per_page None: every row."""
    if per_page is None:
        rows = db.session.execute(stmt).scalars().all()
        return rows, len(rows)
    page = max(1, page)
    rows = db.session.execute(stmt.add_columns(sa.func.count().over().label("total"))
                              .limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        return [r[0] for r in rows], rows[0].total
    if page == 1:  # the first page is empty: there are none (no count needed)
        return [], 0
    return [], db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))


def page_number(name: str = "seite") -> int:
    """The page of an HTML list from ?seite= (clamped to 1..MAX_PAGE; 1 for anything that is no number)."""
    try:
        return max(1, min(int(request.args.get(name, 1)), MAX_PAGE))
    except ValueError:
        return 1


def page_headers(total: int, page: int, per_page: int, *, per_page_arg: bool = True, pages: int | None = None) -> dict:
    """X-Total-Count and Link for a page of a collection at this request's address."""
    last = max(1, pages if pages is not None else math.ceil(total / per_page))
    args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}

    def address(number):
        query = {**args, "page": number, **({"per_page": per_page} if per_page_arg else {})}
        return f"{request.base_url}?{urlencode(query)}"
    links = [f'<{address(1)}>; rel="first"']
    if page > 1:
        links.append(f'<{address(min(page - 1, last))}>; rel="prev"')
    if page < last:
        links.append(f'<{address(page + 1)}>; rel="next"')
    links.append(f'<{address(last)}>; rel="last"')
    return {"X-Total-Count": str(total), "Link": ", ".join(links)}


def paginated(blp, *, per_page: int = PER_PAGE):
    """A list endpoint answers one page of the list its view returns, with X-Total-Count and Link headers.

    Goes below ``@blp.response`` (the view's list is cut before smorest serialises it)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            page, size = page_args(per_page)
            items = list(view(*args, **kwargs))
            return items[(page - 1) * size:page * size], 200, page_headers(len(items), page, size)
        return blp.doc(parameters=PAGE_PARAMETERS, **{"x-paginated": True})(wrapper)
    return decorate


def link_header(page: int, *, has_next: bool) -> str:
    """Link with rel=prev/next for a collection whose total is not counted (the funding radar)."""
    args = {k: v for k, v in request.args.items() if k != "page"}
    links = [f'<{request.base_url}?{urlencode({**args, "page": 1})}>; rel="first"']
    if page > 1:
        links.append(f'<{request.base_url}?{urlencode({**args, "page": page - 1})}>; rel="prev"')
    if has_next:
        links.append(f'<{request.base_url}?{urlencode({**args, "page": page + 1})}>; rel="next"')
    return ", ".join(links)
