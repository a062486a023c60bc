"""Screenshots of the main pages at 1280 px (desktop) and 390 px (phone), and the reflow gate at phone width.

Runs in the normal suite (about 10 s): the pictures go to $STAEDTENETZ_SCREENSHOTS, default build/screenshots
(git-ignored). `make screenshots` writes them to docs/screenshots for the README. Files are named
<page>-<desktop|phone>.png, e.g. konten-phone.png.

At phone width every page must also pass axe-core (WCAG 2.1 AA, e.g. a table that scrolls sideways without
being reachable by keyboard) and must not scroll sideways as a whole (WCAG 1.4.10 Reflow).
"""

import os

import pytest

from tests.conftest import ROOT
from tests.crawl import PageRecord
from tests.e2e.test_accessibility import format_violations, run_axe

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

LEAD = "lead@ettlingen.example"

#: name, path, who is logged in (None = anonymous), and optionally a link on that page to follow (the demo's ids
#: are not fixed: "the first meeting of the list")
PAGES = [
    ("start", "/", None),
    ("anmelden", "/anmelden", None),
    ("uebersicht-leitung", "/", LEAD),
    ("matrix", "/n/readi/themen/matrix", LEAD),
    ("treffen", "/n/readi/treffen/", LEAD, "main a:has-text('34. Fachgruppentreffen')"),
    ("foerderradar", "/foerderung/", LEAD),
    ("bericht", "/vorhaben/ettlingen/berichte/", LEAD, "main a:has-text('Sachstandsbericht 2025')"),
    ("kommune", "/kommunen/ettlingen", LEAD),
    ("konten", "/kommunen/ettlingen/konten", "lead@ettlingen.example"),
    ("profil", "/profil", "lead@ettlingen.example"),
    ("tokens", "/profil/tokens", "lead@ettlingen.example"),
    ("protokoll", "/protokoll", "koordination@staedtenetz.example"),
]


def screenshot_dir() -> str:
    folder = os.environ.get("STAEDTENETZ_SCREENSHOTS") or os.path.join("build", "screenshots")
    folder = folder if os.path.isabs(folder) else os.path.join(ROOT, folder)
    os.makedirs(folder, exist_ok=True)
    return folder


def test_screenshots_of_main_pages(live_app, new_context, axe_source):
    """Each main page: status 200, a screenshot per width, no sideways scrolling; at phone width 0 axe violations."""
    folder = screenshot_dir()
    pages = {}  # one logged-in tab per principal, resized per viewport
    problems, violations = [], []
    for name, path, email, *follow in PAGES:
        if email not in pages:
            pages[email] = new_context(email, device_scale_factor=1).new_page()
        page, who, url = pages[email], email or "anonym", live_app.base_url + path
        if follow:
            page.goto(url)
            url = live_app.base_url + page.locator(follow[0]).first.get_attribute("href")
        for viewport, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            response = page.goto(url)
            if response.status != 200:
                problems.append(f"{path} als {who}: Status {response.status}")
                break
            page.screenshot(path=os.path.join(folder, f"{name}-{viewport}.png"), full_page=True)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"{path} als {who} ({viewport}): Seite scrollt {overflow}px seitwärts (WCAG 1.4.10)")
            if viewport == "phone":
                record = PageRecord(url=url, principal=f"{who}, 390 px", status=response.status)
                violations += [(record, v) for v in run_axe(page, axe_source)]
    assert not problems, "\n".join(problems)
    assert not violations, "WCAG-Verstöße in der Telefonansicht:\n" + format_violations(violations)
    for name, *_rest in PAGES:
        for viewport in VIEWPORTS:
            file = os.path.join(folder, f"{name}-{viewport}.png")
            assert os.path.getsize(file) > 5000, f"{file} ist leer"
