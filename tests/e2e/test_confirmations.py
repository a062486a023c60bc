"""The confirmation pages of issue #21 item 6 are not linked (buttons post to them), so the crawl does not reach
them: axe-core checks them here, at desktop and phone width."""

import re

import pytest

from network.topics.services import RESERVED_SLUGS
from tests.e2e.test_accessibility import run_axe

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]


def _first(page, url, pattern):
    page.goto(url)
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))")
    return next(h for h in hrefs if re.fullmatch(pattern, h))


def test_confirmation_pages_are_accessible(live_app, new_context, axe_source):
    base = live_app.base_url
    coord = new_context("koordination@staedtenetz.example").new_page()
    meeting = _first(coord, base + "/n/readi/treffen/", r"/n/readi/treffen/\d+")
    lead = new_context("lead@ettlingen.example").new_page()
    reserved = "|".join(RESERVED_SLUGS)
    topic = _first(lead, base + "/n/readi/themen/", rf"/n/readi/themen/(?!(?:{reserved})$)[a-z0-9-]+")
    problems = []
    for page, path, heading in ((coord, meeting + "/absagen", "Treffen absagen?"),
                                (lead, topic + "/federfuehrung/abgeben", "Federführung abgeben?")):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 844})
            assert page.goto(base + path).status == 200, path
            assert page.locator("main h1").inner_text() == heading
            problems += [(path, width, v) for v in run_axe(page, axe_source)]
    assert not problems, "\n".join(f"{p} bei {w} px: {v['id']} ({v['impact']}): {v['help']} – {', '.join(v['targets'])}"
                                   for p, w, v in problems)
