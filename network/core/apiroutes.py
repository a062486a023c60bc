"""Declaring a JSON API route in one call (issue #13).

``operation`` puts together what each handler of a domain's api.py stacked as five decorators: the address and
method, the request body or query schema, the answer's status and schema, the documented error answers and the
paging. It applies them in the order the stacked decorators had (paging innermost, the address outermost), so
the OpenAPI document and the answers stay the same. ``Load`` hands a handler the object its address names,
loaded for the token's user (404 where it does not exist or the user may not see it).
"""

import functools
from collections.abc import Callable
from typing import NamedTuple

from network.core.apiauth import api_user, error_answers
from network.core.pagination import paginated


class Load(NamedTuple):
    """operation(load=…): the handler gets ``name`` = ``get(api_user(), <value of the URL's arg>)`` instead of
    the URL's value. It runs after the body was read (a bad body answers 422 first, as before) and, on a paged
    list, after the page was checked."""

    arg: str
    name: str
    get: Callable


def _loading(load: Load):
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            kwargs[load.name] = load.get(api_user(), kwargs.pop(load.arg))
            return view(*args, **kwargs)
        return wrapper
    return decorate


def operation(blp, rule: str, method: str | None = None, *, answer=None, status: int = 200, errors=(),
              body=None, query=None, paged: bool = False, doc: dict | None = None, load: Load | None = None,
              register=None):
    """Register ``view`` under ``rule`` (``register``: the function that registers an address, e.g. under two;
    default ``blp.route``) with what the OpenAPI document says of it:

    * ``body`` / ``query``: the schema of the request body / of the query (``blp.arguments``);
    * ``status``, ``answer``: the success status and its schema (``blp.response``);
    * ``errors``: the documented error answers (``core.apiauth.error_answers``);
    * ``paged``: one page of the returned list with X-Total-Count and Link (``core.pagination.paginated``);
    * ``doc``: more of the operation's document (``blp.doc``).
    """
    def decorate(view):
        if load is not None:
            view = _loading(load)(view)
        if paged:
            view = paginated(blp)(view)
        if doc:
            view = blp.doc(**doc)(view)
        view = blp.response(status, answer)(error_answers(blp, *errors)(view))
        if query is not None:
            view = blp.arguments(query, location="query")(view)
        if body is not None:
            view = blp.arguments(body)(view)
        options = {"methods": [method]} if method else {}
        return (register or blp.route)(rule, **options)(view)
    return decorate


def operations(blp, register=None):
    """``operation`` bound to a blueprint (and the function that registers its addresses)."""
    return functools.partial(operation, blp, register=register)
