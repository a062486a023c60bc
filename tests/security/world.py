"""The security suite's world: two cities with principals, objects, canaries and URL arguments.

Every gate in tests/security/ runs against one World, built fresh per test by the builders in
tests/security/builders/ (imported automatically, in file-name order; ``core.py`` first).

Principals (the people the gates act as)
    anonymous, staff_a, lead_a (city A = Ettlingen, slug "ettlingen"), lead_b (city B = Bühl, slug
    "buehl") and coordinator (no city). Each logged-in principal has a personal API token.

Canaries
    A canary is a unique string (``kan0001x1a2b3c``) stored in a field of a non-public object that
    some page, API answer or email shows. Each canary has an *audience*: the rules under which a
    principal may see it. The canary gate crawls as every principal and fails when a principal sees
    a canary outside its audience; it also fails when a canary that should be visible to someone is
    seen by nobody (then the crawl does not reach the page that shows it, and the gate would be blind).

    Audience rules (a principal may see a canary if ANY rule of its audience matches):

    ============  =====================================================================
    PUBLIC        everybody, also anonymous
    NETWORK       every logged-in member of the network
    CITY          members (lead or staff) of the canary's city, and the coordinator
    CITY_ADMIN    the lead of the canary's city, and the coordinator
    COORDINATOR   the coordinator only
    SELF          only the user whose email is the canary's ``owner``
    NOBODY        no principal (secrets: password hashes, API token values, foreign links)
    ============  =====================================================================

    Several networks (issue #16): a canary may name its ``network`` (a slug; None: the suite's network re@di,
    where every principal works). Then only principals who take part in that network may see it at all (their
    city is a member or guest of it, or they coordinate it), and the rules above apply inside it: NETWORK means
    every logged-in member of *that* network, CITY the canary's city (and that network's coordination). The
    suite's coordinator coordinates re@di only. Example (builders/networks.py): the second network "nord",
    where only city A (Ettlingen) takes part, so its topic and field of action (``network="nord"``, NETWORK)
    and its body and meeting (``network="nord"``, CITY of ettlingen) are for staff_a and lead_a only, never
    for lead_b (Bühl, re@di only), the coordinator of re@di or the anonymous visitor.

    Known leaks: a leak the suite has found but the project has not decided or fixed yet is declared with
    ``w.known_leak(text, principals, paths, reason)`` (the canary, the principal keys, URL path prefixes, the
    open question). The canary gate then reports it in its summary instead of failing, and fails as soon as a
    declared leak is no longer seen (fixed: remove the declaration). Nothing else is exempt: the same canary
    seen by another principal or on another path still fails the gate.

    Today's table (core builder):

    ==============================  ===================  ===========================================
    canary                          audience             where it shows
    ==============================  ===================  ===========================================
    user name / email (city X)      CITY                 city page + accounts page for the lead,
                                                         audit log, own invitation/reset mail
    API token name                  SELF, CITY_ADMIN     own token list; audit log of the city
    audit summary (city X)          CITY_ADMIN           audit log (lead of X, coordinator)
    audit summary (no city)         COORDINATOR          audit log of the network
    invitation link (in outbox)     SELF (the invitee)   only the invitation email
    password-reset link             SELF (the user)      only the reset email
    password hash, API token value  NOBODY               never
    ==============================  ===================  ===========================================

    A draft of a later domain (practice, report ...) uses CITY: drafts are visible to their own
    city only, never to the network or the public.

How a later domain (topics, projects, practices ...) joins the security suite
    1. Add ``tests/security/builders/<domain>.py`` with a function decorated ``@builder``. It gets
       the World after the core builder ran and creates the domain's objects for BOTH cities,
       through the domain's services (so that audit events and outbox mails appear as in
       production), with ``w.lead_a``, ``w.staff_b`` ... as actors.
    2. Put a canary into every non-public object: ``text = w.new_canary()``, store it in a field that
       pages show (title, summary, notes ...), then ``w.canary(text, "topic.note", city="ettlingen",
       audience=CITY)``. Published-to-network objects need no canary (or audience NETWORK).
    3. Give values for the URL arguments of your routes: ``w.arg("topic_id", topic.id,
       city="ettlingen")`` for every object of both cities (the crawler tries all of them as every
       principal; ``endpoints=("topics.", "topics_api.")`` when the name, like "slug", means different
       things in different blueprints), and ``w.target("topic_id", topic_of_a.id)`` for the value state-changing requests
       use (an object of city A that the coordinator may change). A rule whose argument has no
       values fails ``test_world.py::test_every_url_argument_has_world_values`` loudly, naming the
       rule; the other gates crawl everything else meanwhile.
    4. Give valid form data for your POST routes: ``FORM_DATA["topics.new"] = lambda w: {...}``
       (CSRF gate: the same request with a valid token must then pass the CSRF check), a
       mass-assignment case in ``MASS_ASSIGNMENT`` (test_mass_assignment.py fails for a POST
       route without one), and the user-editable text fields in ``XSS_FIELDS`` (see test_xss.py).
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from typing import Callable, Iterable

PUBLIC, NETWORK, CITY, CITY_ADMIN, COORDINATOR, SELF, NOBODY = (
    "public", "network", "city", "city_admin", "coordinator", "self", "nobody")

PRINCIPAL_KEYS = ("anonymous", "staff_a", "lead_a", "lead_b", "coordinator")

#: builder functions, run in registration order on a fresh World
BUILDERS: list[Callable[["World"], None]] = []
#: endpoint -> function(world) -> form data that a valid request of that endpoint would send
FORM_DATA: dict[str, Callable[["World"], dict]] = {}


def builder(fn):
    """Register a world builder (see the module docstring)."""
    BUILDERS.append(fn)
    return fn


@dataclass(frozen=True)
class Canary:
    text: str
    kind: str
    #: slug of the owning city (None: network-wide)
    city: str | None
    audience: frozenset
    #: email of the user a SELF canary belongs to
    owner: str | None = None
    #: False for secrets that no principal should ever see (no coverage requirement)
    expect_seen: bool = True
    #: slug of the network the canary lives in (None: the suite's network re@di, where every principal works)
    network: str | None = None


@dataclass(frozen=True)
class KnownLeak:
    """A declared, still open leak (see "Known leaks" in the module docstring)."""
    text: str
    principals: frozenset
    #: URL path prefixes ("/n/nord/themen/", "/api/v1/networks/nord/", "mail" for emails)
    paths: tuple
    reason: str

    def covers(self, principal_key: str, canary_text: str, url: str) -> bool:
        return (canary_text == self.text and principal_key in self.principals
                and any(url.startswith(prefix) for prefix in self.paths))


@dataclass
class Principal:
    key: str
    user: object | None = None
    #: plain API token (Bearer)
    token: str | None = None
    #: slugs of the networks the principal takes part in (its city's member/guest networks and the networks it
    #: coordinates); None: read from the database on first use
    networks: frozenset | None = None

    @property
    def network_slugs(self) -> frozenset:
        if self.user is None:
            return frozenset()
        if self.networks is None:
            from network.networks.services import memberships_of_city
            self.networks = frozenset(m.network.slug for m in memberships_of_city(self.user.municipality_id)) \
                | frozenset(self.user.coordinated_networks)
        return self.networks

    @property
    def city(self):
        return self.user.municipality.slug if self.user is not None and self.user.municipality else None

    @property
    def email(self):
        return self.user.email if self.user is not None else None

    @property
    def is_coordinator(self):
        return bool(self.user is not None and self.user.is_coordinator)

    @property
    def role(self):
        return self.user.role if self.user is not None and self.user.municipality_id else None

    def may_see(self, canary: Canary) -> bool:
        """The audience table of the module docstring, as code."""
        if canary.network is not None and PUBLIC not in canary.audience and canary.network not in self.network_slugs:
            return False  # a canary of another network: only who takes part in that network
        for rule in canary.audience:
            if rule == PUBLIC:
                return True
            if self.user is None:
                continue
            if rule == NETWORK:
                return True
            if rule in (CITY, CITY_ADMIN, COORDINATOR) and self.is_coordinator:
                return True
            if rule == CITY and canary.city is not None and self.city == canary.city:
                return True
            if rule == CITY_ADMIN and canary.city is not None and self.city == canary.city and self.role == "lead":
                return True
            if rule == SELF and canary.owner and self.email == canary.owner:
                return True
        return False


@dataclass
class ArgValue:
    value: object
    city: str | None = None
    #: endpoint prefixes the value applies to ("municipalities." ...); None: every endpoint
    endpoints: tuple | None = None

    def applies(self, endpoint: str | None) -> bool:
        return self.endpoints is None or endpoint is None or endpoint.startswith(self.endpoints)


class World:
    """Objects of both cities, the principals, the canaries and the URL argument values."""

    def __init__(self):
        self.canaries: list[Canary] = []
        self.known_leaks: list[KnownLeak] = []
        self.principals: dict[str, Principal] = {}
        self.objects: dict[str, object] = {}
        self._args: dict[str, list[ArgValue]] = {}
        self._arg_providers: dict[str, Callable[["World", Principal], Iterable]] = {}
        self._targets: dict[str, object] = {}
        self._seq = itertools.count(1)

    # --- canaries ------------------------------------------------------------------------
    def new_canary(self) -> str:
        """A fresh unique canary text: fixed width, so no canary is a substring of another."""
        return f"kan{next(self._seq):04d}x{secrets.token_hex(3)}"

    def canary(self, text: str, kind: str, *, city: str | None, audience, owner: str | None = None,
               expect_seen: bool = True, network: str | None = None) -> str:
        audience = frozenset([audience] if isinstance(audience, str) else audience)
        self.canaries.append(Canary(text, kind, city, audience, owner, expect_seen, network))
        return text

    def widen(self, text: str, *audience) -> None:
        """Add audience rules to an existing canary (e.g. a person's name becomes NETWORK-visible once
        the person acts on a network object, such as claiming a topic's lead)."""
        for i, c in enumerate(self.canaries):
            if c.text == text:
                self.canaries[i] = Canary(c.text, c.kind, c.city, c.audience | frozenset(audience), c.owner,
                                          c.expect_seen, c.network)
                return
        raise KeyError(text)

    def known_leak(self, text: str, principals, paths, reason: str) -> None:
        """Declare an open leak of canary `text` to `principals` on URLs starting with one of `paths`."""
        self.known_leaks.append(KnownLeak(text, frozenset(principals), tuple(paths), reason))

    # --- URL arguments -------------------------------------------------------------------
    def arg(self, name: str, value, *, city: str | None = None, endpoints: tuple | None = None) -> None:
        """A value the crawler substitutes for the URL argument `name` (of endpoints starting with
        one of `endpoints`, e.g. ("topics.", "topics_api."); None: of every endpoint)."""
        values = self._args.setdefault(name, [])
        if all(v.value != value or v.endpoints != endpoints for v in values):
            values.append(ArgValue(value, city, endpoints))

    def arg_provider(self, name: str, fn: Callable[["World", Principal], Iterable]) -> None:
        """Values that depend on the principal (e.g. the links in the principal's own emails)."""
        self._arg_providers[name] = fn

    def target(self, name: str, value, *, endpoint: str | None = None) -> None:
        """The value state-changing requests use for `name` (an object of city A); optionally per endpoint."""
        self._targets[(endpoint, name)] = value

    def arg_values(self, name: str, principal: Principal, endpoint: str | None = None) -> list:
        values = [v.value for v in self._args.get(name, []) if v.applies(endpoint)]
        if name in self._arg_providers:
            values += [v for v in self._arg_providers[name](self, principal) if v not in values]
        return values

    def target_args(self, rule) -> dict:
        out = {}
        for name in rule.arguments:
            if (rule.endpoint, name) in self._targets:
                out[name] = self._targets[(rule.endpoint, name)]
            elif (None, name) in self._targets:
                out[name] = self._targets[(None, name)]
            elif [v for v in self._args.get(name, []) if v.applies(rule.endpoint)]:
                out[name] = [v for v in self._args[name] if v.applies(rule.endpoint)][0].value
            else:
                raise AssertionError(f"no target value for URL argument {name!r} of {rule.endpoint} "
                                     f"({rule.rule}); register one with w.target() in tests/security/builders/")
        return out

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    """Run every registered builder on a fresh World (in the test's app context)."""
    from tests.security import builders  # noqa: F401  (imports and registers the builder modules)
    w = World()
    for fn in BUILDERS:
        fn(w)
    return w
