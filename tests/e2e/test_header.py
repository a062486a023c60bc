"""The header on a phone (390 px) and on a desktop (1,280 px): compact, a disclosure menu, nothing scrolls sideways.

Issue #21, items 13 and 15: at ≤ 768 px the search, the switchers and the navigation fold away behind "Menü"
(without JavaScript the link targets the header; with it a button with aria-expanded).
"""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

_LAYOUT = """() => ({
  header: document.querySelector('header.site-header').getBoundingClientRect().height,
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
})"""


@pytest.mark.parametrize("email,path", [
    (None, "/"),
    (None, "/anmelden"),
    ("lead@ettlingen.example", "/"),
    ("lead@ettlingen.example", "/kommunen/ettlingen/konten"),
    ("koordination@staedtenetz.example", "/protokoll"),
])
def test_phone_header_is_compact_and_the_menu_opens_and_closes(live_app, new_context, email, path):
    """390 px: header ≤ 120 px, no sideways scroll; "Menü" (aria-expanded) shows the navigation, Escape hides it."""
    page = new_context(email, viewport=PHONE).new_page()
    page.goto(live_app.base_url + path)
    layout = page.evaluate(_LAYOUT)
    assert layout["header"] <= 120, f"{path}: Kopfzeile {layout['header']} px hoch"
    assert layout["overflow"] <= 0, f"{path}: Seite scrollt {layout['overflow']} px seitwärts"
    nav = page.locator("nav.site-nav")
    expect(nav).to_be_hidden()
    button = page.locator("button.site-menu-toggle")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.locator("#site-header-tools")).to_be_visible()
    assert page.evaluate(_LAYOUT)["overflow"] <= 0, f"{path}: das offene Menü scrollt seitwärts"
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")


def test_phone_menu_works_without_javascript(live_app, new_context):
    """Without JavaScript the menu is a link to the header (:target) and "Menü schließen" folds it again."""
    page = new_context("lead@ettlingen.example", viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(live_app.base_url + "/")
    assert page.evaluate(_LAYOUT)["header"] <= 120
    nav = page.locator("nav.site-nav")
    expect(nav).to_be_hidden()
    page.locator("a.site-menu-toggle--open").click()
    expect(nav).to_be_visible()
    expect(page.locator("nav a[href='/profil']")).to_be_visible()
    page.locator("a.site-menu-toggle--close").click()
    expect(nav).to_be_hidden()


def test_desktop_shows_no_menu_button(live_app, new_context):
    """1,280 px: the navigation and the search are always there, the menu button is not."""
    page = new_context("lead@ettlingen.example", viewport=DESKTOP).new_page()
    page.goto(live_app.base_url + "/")
    expect(page.locator("nav.site-nav")).to_be_visible()
    expect(page.locator("#header-search-q")).to_be_visible()
    expect(page.locator(".site-menu-toggle")).to_be_hidden()


@pytest.mark.parametrize("email", [None, "staff@bruchsal.example", "lead@ettlingen.example",
                                   "koordination@staedtenetz.example"])
def test_desktop_navigation_fits_on_one_line(live_app, new_context, email):
    """1,280 px: the grouped navigation is one row; a group opens as a drop-down over the page."""
    page = new_context(email, viewport=DESKTOP).new_page()
    page.goto(live_app.base_url + "/")
    tops = page.evaluate("() => [...document.querySelectorAll('nav .site-nav__list > li')]"
                         ".map(li => Math.round(li.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, f"{email}: Navigation bricht um ({tops})"
    assert page.evaluate(_LAYOUT)["overflow"] <= 0
    if email:
        nav_height = page.locator("nav.site-nav").bounding_box()["height"]
        page.locator("nav details.site-nav__group--network > summary").click()
        expect(page.locator("nav details.site-nav__group--network a").first).to_be_visible()
        assert page.locator("nav.site-nav").bounding_box()["height"] == nav_height  # over the page, not pushing it
        page.locator("main h1").click()  # a click elsewhere closes it
        expect(page.locator("nav details.site-nav__group--network")).not_to_have_attribute("open", "")
