"""Keyboard only: the skip link, visible focus on every Tab stop, and the main flows without a mouse."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

# What the focused element looks like: a visible focus needs an outline or a box-shadow (WCAG 2.4.7).
_FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const desc = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
               (el.name ? '[name=' + el.name + ']' : '') + ' „' + (el.innerText || el.value || '').trim().slice(0, 40) + '“';
  return {desc, visibleFocus: outline || shadow, onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0,
          outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow};
}"""


def focus_state(page):
    return page.evaluate(_FOCUS_STATE)


def assert_focus_visible(page, where: str):
    state = focus_state(page)
    assert state, f"{where}: nach Tab liegt der Fokus auf nichts"
    assert state["visibleFocus"], (f"{where}: Fokus auf {state['desc']} ist nicht sichtbar "
                                   f"(outline {state['outline']}, box-shadow {state['shadow']})")
    assert state["onScreen"], f"{where}: fokussiertes Element {state['desc']} liegt außerhalb des Bildschirms"


def tab_to(page, selector: str, where: str, limit: int = 80):
    """Press Tab until the focused element matches `selector`; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page, where)
        if page.evaluate("(sel) => document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{where}: {selector} ist mit Tab nicht erreichbar ({limit} Versuche)")


def active_is(page, selector: str) -> bool:
    return page.evaluate("(sel) => !!document.activeElement && document.activeElement.matches(sel)", selector)


@pytest.mark.parametrize("path", ["/", "/anmelden", "/kommunen/"])
def test_skip_link_is_first_tab_stop_visible_and_moves_focus_to_main(live_app, new_context, path):
    """Tab once: the skip link, visible on screen; Enter: focus in #main."""
    page = new_context().new_page()
    page.goto(live_app.base_url + path)
    page.keyboard.press("Tab")
    assert active_is(page, "a.skip-link"), f"{path}: erster Tab-Stopp ist nicht der Sprunglink, sondern {focus_state(page)}"
    expect(page.locator("a.skip-link")).to_be_in_viewport()
    assert_focus_visible(page, f"{path} Sprunglink")
    page.keyboard.press("Enter")
    assert active_is(page, "#main"), f"{path}: Enter auf dem Sprunglink setzt den Fokus nicht auf #main: {focus_state(page)}"
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')"), \
        f"{path}: der nächste Tab-Stopp nach dem Sprunglink liegt nicht im Inhalt: {focus_state(page)}"


def test_lead_logs_in_invites_and_logs_out_with_keyboard_only(live_app, new_context):
    """Login form, navigation, the invite form and logout: Tab, typing and Enter only; focus always visible."""
    base = live_app.base_url
    page = new_context().new_page()
    page.goto(base + "/anmelden")

    page.keyboard.press("Tab")              # skip link
    page.keyboard.press("Enter")            # to #main
    tab_to(page, "#email", "Anmelden")
    page.keyboard.type("lead@gaggenau.example")
    tab_to(page, "#password", "Anmelden")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("main h1")).to_have_text("Guten Tag, Digitalisierung Gaggenau")

    tab_to(page, "nav details.site-nav__group--city > summary", "Übersicht (Leitung)")  # the "Kommune" menu
    page.keyboard.press("Enter")            # opens it
    expect(page.locator("nav details.site-nav__group--city")).to_have_attribute("open", "")
    tab_to(page, "nav a[href='/kommunen/gaggenau/konten']", "Menü Kommune", limit=6)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/kommunen/gaggenau/konten")

    email = f"tastatur-{uuid.uuid4().hex[:6]}@gaggenau.example"
    tab_to(page, "main input#name", "Konten")
    page.keyboard.type("Tara Tastatur")
    tab_to(page, "main input#email", "Konten")
    page.keyboard.type(email)
    tab_to(page, "main select#role", "Konten")
    tab_to(page, "main form:has(#role) button[type=submit]", "Konten")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("main .kern-alert")).to_contain_text(f"Die Einladung an {email} ist unterwegs.")
    expect(page.locator("main table tr", has_text=email)).to_contain_text("eingeladen")

    tab_to(page, "nav button[type=submit]", "Konten (nach dem Einladen)")  # the reloaded page starts at the top
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("main .kern-alert")).to_contain_text("Sie sind abgemeldet.")


@pytest.mark.parametrize("path", ["/", "/anmelden", "/passwort-vergessen"])
def test_every_tab_stop_shows_its_focus(live_app, new_context, path):
    """Walk all Tab stops of a page (anonymous): each focused element has a visible outline or shadow."""
    page = new_context().new_page()
    page.goto(live_app.base_url + path)
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        state = focus_state(page)
        if state is None or (seen and state["desc"] == seen[0]):
            break  # wrapped around to the start
        assert_focus_visible(page, path)
        seen.append(state["desc"])
    assert len(seen) >= 3, f"{path}: nur {len(seen)} Tab-Stopps: {seen}"


def test_navigation_groups_open_with_the_keyboard_and_close_with_escape(live_app, new_context):
    """A group opens with Enter, its links follow in the Tab order, Escape closes it and focus returns to it."""
    page = new_context("lead@ettlingen.example", viewport={"width": 1280, "height": 800}).new_page()
    page.goto(live_app.base_url + "/")
    group = page.locator("nav details.site-nav__group--network")
    tab_to(page, "nav details.site-nav__group--network > summary", "Übersicht")
    page.keyboard.press("Enter")
    expect(group).to_have_attribute("open", "")
    tab_to(page, "nav details.site-nav__group--network a[href$='/themen/']", "Menü Netzwerk", limit=6)
    page.keyboard.press("Escape")
    expect(group).not_to_have_attribute("open", "")
    assert active_is(page, "nav details.site-nav__group--network > summary")
