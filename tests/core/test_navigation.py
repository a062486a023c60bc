"""The header's navigation (issue #21, item 15): grouped into disclosure menus, every link each role had before."""

import re

from flask import url_for


def _nav(html: str) -> str:
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', _nav(html)))


def _expected(*endpoints):
    return {url_for(endpoint, **kwargs) for endpoint, kwargs in endpoints}


def test_lead_keeps_every_link_in_three_groups(sign_in, lead_a, city_a):
    """A lead: Übersicht, the groups Netzwerk (with the OZG matrix) and Kommune (with Konten), Verwaltung (Protokoll), Profil."""
    html = sign_in(lead_a).get("/").get_data(as_text=True)
    nav = _nav(html)
    assert _hrefs(html) == _expected(
        ("main.index", {}), ("municipalities.list", {}), ("topics.list", {}), ("ozg_net.matrix", {}),
        ("contacts.directory", {}), ("meetings.list", {}), ("funding.radar", {}),
        ("municipalities.detail", {"slug": city_a.slug}), ("inventory.overview", {}), ("practices.list", {}),
        ("strategy.page", {"slug": city_a.slug}), ("municipalities.users", {"slug": city_a.slug}), ("main.audit", {}),
        ("accounts.profile", {}))
    assert nav.count("<details") == 3 and nav.count("<summary") == 3
    assert 'site-nav__group--network' in nav and 'site-nav__group--city' in nav and 'site-nav__group--admin' in nav
    assert ">Abmelden</button>" in nav


def test_staff_see_no_account_or_admin_links(sign_in, staff_a, city_a):
    html = sign_in(staff_a).get("/").get_data(as_text=True)
    hrefs = _hrefs(html)
    assert url_for("municipalities.users", slug=city_a.slug) not in hrefs
    assert url_for("municipalities.detail", slug=city_a.slug) in hrefs and url_for("topics.list") in hrefs
    assert "site-nav__group--admin" not in _nav(html)  # no empty group


def test_coordinator_finds_the_administration_group(sign_in, coordinator):
    html = sign_in(coordinator).get("/").get_data(as_text=True)
    hrefs = _hrefs(html)
    assert _expected(("municipalities.new", {}), ("networks.net.members", {}), ("main.audit", {})) <= hrefs
    assert url_for("inventory.overview") in hrefs and url_for("practices.list") in hrefs


def test_platform_admin_keeps_the_networks_link(sign_in, admin):
    assert url_for("networks.list") in _hrefs(sign_in(admin).get("/").get_data(as_text=True))


def test_anonymous_navigation_stays_flat(client):
    html = client.get("/").get_data(as_text=True)
    assert "<details" not in _nav(html)
    assert _expected(("municipalities.list", {}), ("networks.list", {}), ("accounts.login", {})) <= _hrefs(html)


def test_current_page_is_marked_in_its_group(sign_in, lead_a):
    """On the topics page the link has aria-current and its group's summary says it holds the current page."""
    href = url_for("topics.list")
    nav = _nav(sign_in(lead_a).get(href).get_data(as_text=True))
    assert f'href="{href}" aria-current="page"' in nav
    network_group = nav.split("site-nav__group--network", 1)[1].split("</details>", 1)[0]
    assert "site-nav__summary--current" in network_group and "(aktuelle Seite darin)" in network_group
    city_group = nav.split("site-nav__group--city", 1)[1].split("</details>", 1)[0]
    assert "site-nav__summary--current" not in city_group


def test_english_group_labels(sign_in, lead_a):
    c = sign_in(lead_a)
    c.post("/sprache", data={"lang": "en", "next": "/"})
    nav = _nav(c.get("/").get_data(as_text=True))
    assert ">Network" in nav and ">Administration" in nav


def test_navigation_leaves_the_pages_own_names_alone(sign_in, coordinator, city_a):
    """The header builds its groups inside {% with %}: a page's own `city` is not overwritten by the nav's."""
    html = sign_in(coordinator).get(f"/kommunen/{city_a.slug}").get_data(as_text=True)
    assert f'<h1 class="kern-heading-large">{city_a.name}</h1>' in html
