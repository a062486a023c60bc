"""Canaries: no principal ever sees another city's private data, a draft, or a secret.

The world (tests/security/world.py, whose docstring holds the audience table) puts a unique
canary into every non-public object of cities A and B. Crawling in-process as anonymous, staff_a,
lead_a, lead_b and coordinator (links from "/", every GET rule of app.url_map with arguments from
the world, the API with the principal's Bearer token, the principal's own emails and their links),
each response body and Location header is searched for every canary the principal may not see.
Leaks declared open with ``w.known_leak`` (world.py, "Known leaks") are reported, not failed, until they are gone.
"""

from urllib.parse import quote

from tests.security.conftest import report
from tests.security.crawl import Crawl
from tests.security.world import PRINCIPAL_KEYS, CITY, Canary, Principal


def text_of(kind, response) -> str:
    if kind == "mail":
        return "\n".join([response.subject, response.body_text, response.body_html or ""])
    return response.get_data(as_text=True) + "\n" + response.headers.get("Location", "")


def leaks(principal, canaries, text):
    return [c for c in canaries if c.text in text and not principal.may_see(c)]


def test_no_principal_sees_a_canary_outside_its_audience(app, world):
    violations, seen_by, known = [], {}, {}
    pages = 0
    for key in PRINCIPAL_KEYS:
        principal = world.principals[key]

        def visit(kind, url, response, principal=principal):
            # what the principal asked for is no leak (a page may echo its own URL, e.g. in `next`)
            text = text_of(kind, response).replace(url, "")
            if kind != "mail":
                text = text.replace(quote(url, safe=""), "").replace(quote(url, safe="/"), "")
            for c in world.canaries:
                if c.text in text:
                    seen_by.setdefault(c.text, set()).add(principal.key)
            for c in leaks(principal, world.canaries, text):
                declared = [k for k in world.known_leaks if k.covers(principal.key, c.text, url)]
                if declared:
                    for k in declared:
                        known.setdefault(k, set()).add(f"{principal.key} {url}")
                    continue
                status = getattr(response, "status_code", "mail")
                violations.append(f"{principal.key} sees {c.kind} of {c.city or 'the network'}"
                                  f"{' in ' + c.network if c.network else ''} "
                                  f"(audience {sorted(c.audience)}) on {kind} {url} [{status}]")

        crawl = Crawl(app, world, principal)
        fetched = crawl.run(visit)
        assert not crawl.truncated, f"crawl of {key} hit the page bound; not crawled: {crawl.truncated[:5]}"
        pages += len(fetched)
        kinds = {k: sum(1 for f in fetched if f[0] == k) for k in ("link", "rule", "api", "mail-link")}
        report(f"canaries: {key}: {len(fetched)} responses {kinds}")
    report(f"canaries: {pages} responses and the outbox checked against {len(world.canaries)} canaries "
           f"as {len(PRINCIPAL_KEYS)} principals")
    for k in world.known_leaks:
        report(f"canaries: KNOWN LEAK (open): {k.reason} – seen {len(known.get(k, ()))} times, e.g. "
               f"{sorted(known.get(k, ['nowhere']))[:2]}")
    assert not violations, "canary leaks:\n" + "\n".join(sorted(set(violations)))
    gone = [k.reason for k in world.known_leaks if k not in known]
    assert not gone, f"declared known leaks no longer seen (fixed? remove their w.known_leak()): {gone}"
    # the crawl must reach every page that shows a canary, else the gate is blind to it
    blind = [f"{c.kind} of {c.city}" for c in world.canaries if c.expect_seen and c.text not in seen_by]
    assert not blind, f"canaries no principal's crawl ever saw (the crawl misses their pages): {blind}"
    # and somebody allowed must be among those who saw each one
    for c in world.canaries:
        for key in seen_by.get(c.text, ()):
            declared = any(k.text == c.text and key in k.principals for k in world.known_leaks)
            assert world.principals[key].may_see(c) or declared, (key, c)
        assert not c.expect_seen or any(world.principals[key].may_see(c) for key in seen_by.get(c.text, ())), \
            f"{c.kind} of {c.city} was seen only through declared leaks, by nobody of its audience"


def test_the_audience_table():
    """may_see() is the table in world.py: checked on a few cells, so a broken rule cannot pass silently."""
    from types import SimpleNamespace as NS
    city_a, city_b = NS(slug="ettlingen"), NS(slug="buehl")

    def user(city, role, coord=False, email="x@y.example"):
        return NS(municipality=city, municipality_id=1 if city else None, role=role, is_coordinator=coord, email=email)

    p = {"anonymous": Principal("anonymous"), "staff_a": Principal("staff_a", user(city_a, "staff", email="s@a")),
         "lead_a": Principal("lead_a", user(city_a, "lead")), "lead_b": Principal("lead_b", user(city_b, "lead")),
         "coordinator": Principal("coordinator", user(None, "lead", True))}
    city_private = Canary("k", "x", "ettlingen", frozenset({CITY}))
    assert [k for k in PRINCIPAL_KEYS if p[k].may_see(city_private)] == ["staff_a", "lead_a", "coordinator"]
    admin = Canary("k", "x", "ettlingen", frozenset({"city_admin"}))
    assert [k for k in PRINCIPAL_KEYS if p[k].may_see(admin)] == ["lead_a", "coordinator"]
    own = Canary("k", "x", "ettlingen", frozenset({"self"}), owner="s@a")
    assert [k for k in PRINCIPAL_KEYS if p[k].may_see(own)] == ["staff_a"]
    assert not any(p[k].may_see(Canary("k", "x", None, frozenset({"nobody"}))) for k in PRINCIPAL_KEYS)
    assert [k for k in PRINCIPAL_KEYS if p[k].may_see(Canary("k", "x", None, frozenset({"network"})))] == \
        ["staff_a", "lead_a", "lead_b", "coordinator"]
    # a canary of the second network "nord", where only city A takes part (re@di's coordinator has no say there)
    from dataclasses import replace
    p = {k: replace(v, networks=frozenset({"readi", "nord"} if k in ("staff_a", "lead_a") else {"readi"}))
         for k, v in p.items()}
    for audience, city in (("network", None), ("city", "ettlingen")):
        nord = Canary("k", "x", city, frozenset({audience}), network="nord")
        assert [k for k in PRINCIPAL_KEYS if p[k].may_see(nord)] == ["staff_a", "lead_a"], audience
    assert all(p[k].may_see(Canary("k", "x", None, frozenset({"public"}), network="nord")) for k in PRINCIPAL_KEYS)


def test_the_detector_finds_a_planted_leak(app, world):
    """Mutation check: a page of city A's accounts shown to lead_b must be reported."""
    from tests.security.crawl import login_client
    lead_a_page = login_client(app, world.principals["lead_a"]).get("/kommunen/ettlingen/konten")
    assert lead_a_page.status_code == 200
    found = leaks(world.principals["lead_b"], world.canaries, text_of("link", lead_a_page))
    kinds = {c.kind for c in found}
    assert {"user.name", "user.email"} <= kinds, kinds
