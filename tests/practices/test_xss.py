"""Every XSS payload of the security suite, stored in every user-written practice field, renders inert on the
practice page, the search results (snippets with <mark>), the revisions comparison and the API snippet."""

import re

import sqlalchemy as sa

from network.core.markdown import render_markdown
from network.extensions import db
from network.practices import services
from network.practices.models import Practice
from tests.security.payloads import all_payloads, markup_problems

PAYLOADS = all_payloads()


def _line(text: str) -> str:
    """Titles and tags are single-line fields: control characters are refused there (issue #14), not escaped."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


def test_markdown_renderer_never_emits_active_markup():
    assert markup_problems("<img src=x onerror=alert(1)>"), "the detector must see an injected handler"
    problems = []
    for p in PAYLOADS:
        for text in (p, f"**{p}**", f"[x]({p})", f"[{p}](https://example.org)", f"# {p}\n\n- {p}", f"`{p}`"):
            problems += [f"{text!r}: {b}" for b in markup_problems(str(render_markdown(text)))]
    assert not problems, problems[:10]


def test_payloads_in_every_field_render_inert(login_as, staff_a, lead_a, staff_b):
    sample = PAYLOADS[:: max(1, len(PAYLOADS) // 40)]
    for i, p in enumerate(sample):
        practice = services.create_practice(lead_a, {
            "title": _line(f"Bericht {i} " + p)[:200], "summary": f"Parken {p}"[:2000],
            "sections": {k: f"Parken {p}" for k in ("situation", "solution", "contact")},
            "tags": _line(p.replace(",", " "))[:40]})
        services.update_practice(lead_a, practice, {"title": f"Bericht {i} neu", "summary": f"Parken {p} neu",
                                                    "sections": {"solution": f"Parken {p}\nzweite Zeile"}},
                                 version=practice.version)
        services.publish_practice(lead_a, practice)
        services.set_reuse(staff_b, practice, "interested", note=p[:2000])
        q = services.ask_question(staff_b, practice, f"Frage: {p}"[:4000] if len(p) >= 3 else f"Frage zu {p}????")
        services.answer_question(lead_a, q, f"Antwort: {p}")
    db.session.commit()
    c = login_as(staff_b)
    problems = []
    ids = db.session.execute(sa.select(Practice.id)).scalars().all()
    pages = ["/praxis/", "/praxis/suche?q=parken", "/praxis/suche?q=parken&seite=2"]
    pages += [f"/praxis/{pid}" for pid in ids] + [f"/praxis/{pid}/versionen" for pid in ids[:10]]
    for url in pages:
        resp = c.get(url)
        assert resp.status_code == 200, url
        problems += [f"{url}: {b}" for b in markup_problems(resp.get_data(as_text=True))]
    assert not problems, problems[:10]
