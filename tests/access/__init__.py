"""Access-matrix rows per domain: tests/access/<domain>.py holds ROWS (list of Case), optionally PUBLIC
(endpoints callable without login) and build(w) -> dict (extra objects for the world, all in city A unless
named otherwise; w holds city_a, city_b, staff_a, lead_a, lead_b, staff_b, coordinator and the core objects).
tests/test_access_matrix.py collects every module here.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

PRINCIPALS = ("anonymous", "staff_a", "lead_a", "lead_b", "coordinator")


@dataclass
class Case:
    endpoint: str
    method: str
    #: builds the URL from the world (dict of fixtures)
    url: Callable[[dict], str]
    #: principal -> expected status
    expect: dict
    data: Callable[[dict], dict] = field(default=lambda w: {})


def same(status, **overrides):
    out = {p: status for p in PRINCIPALS}
    out.update(overrides)
    return out


def own_city_admin(ok=200, anon=302):
    """Lead of the city and coordinator may; staff 403; another city's lead 404."""
    return {"anonymous": anon, "staff_a": 403, "lead_a": ok, "lead_b": 404, "coordinator": ok}


def logged_in(ok=200, anon=302):
    return same(ok, anonymous=anon)


def coordinator_only(ok=200):
    return {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 403, "coordinator": ok}


def domain_modules():
    names = sorted(m.name for m in pkgutil.iter_modules(__path__))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
