"""Inventory pages: tenancy in lists, counts, chart, exports and panels; filters; drafts; the 409 path."""

import re

import pytest

import sqlalchemy as sa

from network.extensions import db
from network.inventory.models import Project
from tests.conftest import row_count
from tests.inventory.conftest import make_project


def _text(resp):
    return resp.get_data(as_text=True)


def test_other_city_sees_only_released_network_projects(client, login_as, lead_b, projects):
    login_as(lead_b)
    html = _text(client.get("/vorhaben/ettlingen/"))
    assert "Digitale Akte Ettlingen" in html and "Ladesäulen Ettlingen" in html
    assert "Geheimes Vorhaben" not in html and "Entwurf Ettlingen" not in html
    for url in (f"/vorhaben/projekt/{projects['a_city'].id}", f"/vorhaben/projekt/{projects['a_draft'].id}"):
        assert client.get(url).status_code == 404
    csv = _text(client.get("/vorhaben/ettlingen/export.csv"))
    assert "Digitale Akte" in csv and "Geheimes" not in csv and "Entwurf Ettlingen" not in csv
    roadmap = _text(client.get("/vorhaben/ettlingen/roadmap"))
    assert "Geheimes" not in roadmap and "Entwurf Ettlingen" not in roadmap


def test_own_city_sees_everything_including_drafts(client, login_as, staff_a, projects):
    login_as(staff_a)
    html = _text(client.get("/vorhaben/ettlingen/"))
    assert "Geheimes Vorhaben Ettlingen" in html and "Entwurf Ettlingen" in html
    assert "Internes Bühl" not in _text(client.get("/vorhaben/buehl/"))


def test_anonymous_sees_public_only(client, projects):
    html = _text(client.get("/vorhaben/ettlingen/"))
    assert "Ladesäulen Ettlingen" in html and "Digitale Akte" not in html
    assert client.get(f"/vorhaben/projekt/{projects['a_network'].id}").status_code == 404
    assert client.get(f"/vorhaben/projekt/{projects['a_public'].id}").status_code == 200


def test_overview_counts_and_chart_respect_tenancy(client, login_as, lead_b, coordinator, projects):
    login_as(lead_b)
    html = _text(client.get("/vorhaben/"))
    row = re.search(r'<th scope="row" class="kern-table__cell"><a class="kern-link" href="/vorhaben/ettlingen/">'
                    r'Ettlingen</a></th>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(?:<strong>)?(\d+)", row)
    # idea, in_progress, done, paused, dropped, total: the city-only project and the draft do not count
    assert cells == ["0", "1", "1", "0", "0", "2"]
    assert "Ettlingen: 2, 1 in Umsetzung, 1 umgesetzt." in html  # the chart's description
    assert "<svg" in html and 'role="img"' in html
    # Bühl sees its own city-only project
    row_b = re.search(r'href="/vorhaben/buehl/">Bühl</a></th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(?:<strong>)?(\d+)", row_b)[-1] == "2"


def test_topic_panel_lists_visible_projects_only(client, login_as, lead_b, projects, topic):
    login_as(lead_b)
    html = _text(client.get(f"/n/readi/themen/{topic.slug}"))
    assert "Digitale Akte Ettlingen" in html and "Bürgerportal Bühl" in html and "Internes Bühl" in html
    assert "Geheimes Vorhaben" not in html and "Entwurf Ettlingen" not in html


def test_city_and_dashboard_panels(client, login_as, lead_b, projects):
    login_as(lead_b)
    html = _text(client.get("/kommunen/ettlingen"))
    assert "Inventar: 2 Vorhaben" in html
    assert "2 Vorhaben Ihrer Kommune" in _text(client.get("/"))


def test_filters(client, login_as, lead_a, projects, topic):
    login_as(lead_a)
    html = _text(client.get("/vorhaben/ettlingen/?status=done"))
    assert "Ladesäulen Ettlingen" in html and "Digitale Akte" not in html
    html = _text(client.get(f"/vorhaben/ettlingen/?thema={topic.slug}"))
    assert "Digitale Akte" in html and "Ladesäulen" not in html
    html = _text(client.get("/vorhaben/ettlingen/?prioritaet=high"))
    assert "Für diese Auswahl gibt es keine Vorhaben." in html


def test_year_filter(client, login_as, lead_a, city_a, fields):
    from datetime import date
    make_project(city_a, fields[0], title="Läuft 2025", start_month=date(2024, 5, 1), end_month=date(2025, 2, 1))
    make_project(city_a, fields[0], title="Erst 2027", start_month=date(2027, 1, 1))
    db.session.commit()
    login_as(lead_a)
    html = _text(client.get("/vorhaben/ettlingen/?jahr=2025"))
    assert "Läuft 2025" in html and "Erst 2027" not in html


def test_staff_creates_draft_lead_releases(client, login_as, staff_a, lead_a, fields):
    login_as(staff_a)
    resp = client.post("/vorhaben/ettlingen/neu", data={
        "title": "Online-Terminvergabe", "field_id": str(fields[0].id), "status": "idea", "priority": "high",
        "visibility": "network", "start_month": "03/2026", "end_month": "2026-12", "budget_eur": "25.000",
        "summary": "**Wichtig** <script>alert(1)</script>"})
    assert resp.status_code == 302
    p = db.session.execute(sa.select(Project)).unique().scalar_one()
    assert p.is_draft and p.created_by_id == staff_a.id and p.budget_eur == 25000
    page = _text(client.get(f"/vorhaben/projekt/{p.id}"))
    assert "<strong>Wichtig</strong>" in page and "<script>alert" not in page
    # staff edits the own draft, but may not release it
    assert client.get(f"/vorhaben/projekt/{p.id}/bearbeiten").status_code == 200
    assert client.post(f"/vorhaben/projekt/{p.id}/freigeben").status_code == 403
    client.post("/abmelden")
    login_as(lead_a)
    assert client.post(f"/vorhaben/projekt/{p.id}/freigeben", data={"version": str(p.version)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, p.id).is_draft is False


def test_staff_may_not_edit_released_project(client, login_as, staff_a, projects):
    login_as(staff_a)
    assert client.get(f"/vorhaben/projekt/{projects['a_network'].id}/bearbeiten").status_code == 403
    assert client.post(f"/vorhaben/projekt/{projects['a_network'].id}/loeschen").status_code == 403


def test_invalid_input_gives_german_messages_and_keeps_input(client, login_as, lead_a, fields):
    login_as(lead_a)
    resp = client.post("/vorhaben/ettlingen/neu", data={
        "title": "", "field_id": "", "status": "fertig", "start_month": "13/2026", "end_month": "",
        "budget_eur": "viel", "visibility": "network", "summary": "Mein Text"})
    html = _text(resp)
    assert resp.status_code == 422
    assert "Bitte geben Sie den Titel an." in html
    assert "Bitte wählen Sie ein Handlungsfeld." in html
    assert "Bitte wählen Sie einen Status" in html
    assert "Bitte geben Sie einen Monat an" in html
    assert "Bitte geben Sie die Kosten als ganze Euro an" in html
    assert "Mein Text" in html
    assert row_count(Project) == 0


def test_end_before_start(client, login_as, lead_a, fields):
    login_as(lead_a)
    resp = client.post("/vorhaben/ettlingen/neu", data={"title": "X", "field_id": str(fields[0].id),
                                                        "status": "idea", "start_month": "05/2026",
                                                        "end_month": "01/2026", "visibility": "city"})
    assert resp.status_code == 422 and "Das Ende liegt vor dem Beginn." in _text(resp)


def test_new_for_another_city_is_404(client, login_as, lead_b, city_a, fields):
    login_as(lead_b)
    assert client.get("/vorhaben/ettlingen/neu").status_code == 404


def test_stale_save_answers_409_keeps_text_and_shows_other_change(client, login_as, lead_a, staff_a, projects):
    p = projects["a_network"]
    login_as(lead_a)
    form = _text(client.get(f"/vorhaben/projekt/{p.id}/bearbeiten"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"|id="version" name="version" type="hidden" value="(\d+)"', form)
    version = next(v for v in version.groups() if v)
    # someone else saves first
    p.title = "Digitale Akte (neu benannt)"
    p.summary = "Die andere Änderung"
    db.session.commit()
    data = {"title": "Meine Fassung", "field_id": str(p.field_id), "status": "done", "priority": "medium",
            "visibility": "network", "summary": "Mein langer Text", "version": version}
    resp = client.post(f"/vorhaben/projekt/{p.id}/bearbeiten", data=data)
    html = _text(resp)
    assert resp.status_code == 409
    assert "inzwischen von jemand anderem geändert" in html
    assert "Mein langer Text" in html and "Meine Fassung" in html  # the user's input stays
    assert "Die andere Änderung" in html  # the other change is shown
    db.session.expire_all()
    assert db.session.get(Project, p.id).title == "Digitale Akte (neu benannt)"
    # saving again against the shown version succeeds
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"|id="version" name="version" type="hidden" value="(\d+)"', html)
    data["version"] = next(v for v in new_version.groups() if v)
    assert client.post(f"/vorhaben/projekt/{p.id}/bearbeiten", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, p.id).title == "Meine Fassung"


def test_csv_export_is_formula_safe(client, login_as, lead_a, city_a, fields):
    make_project(city_a, fields[0], title="=HYPERLINK(\"http://evil\")", department="+49 7243",
                 contact="@admin", summary="-1+2")
    db.session.commit()
    login_as(lead_a)
    resp = client.get("/vorhaben/ettlingen/export.csv")
    assert resp.mimetype == "text/csv"
    text = _text(resp)
    assert "'=HYPERLINK" in text and "'+49 7243" in text and "'@admin" in text and "'-1+2" in text
    assert ";=HYPERLINK" not in text and "\n=HYPERLINK" not in text


def test_delete_by_lead(client, login_as, lead_a, projects):
    pid = projects["a_network"].id
    login_as(lead_a)
    assert client.post(f"/vorhaben/projekt/{pid}/loeschen").status_code == 302
    assert db.session.get(Project, pid) is None


@pytest.mark.parametrize("text, forbidden", [
    ("[klick](javascript:alert(1))", "href=\"javascript"),
    ("<img src=x onerror=alert(1)>", "<img"),
    ("![bild](https://example.org/x.png)", "<img"),
    ("<a href='https://x' onclick='alert(1)'>x</a>", "<a "),  # raw HTML stays text
    ("# Überschrift", "<h1>"),
])
def test_markdown_is_sanitised(text, forbidden):
    from network.core.markdown import render_markdown
    assert forbidden not in str(render_markdown(text))


def test_markdown_keeps_links_safe():
    from network.core.markdown import render_markdown
    html = str(render_markdown("[Stadt](https://www.ettlingen.de) und **fett**"))
    assert 'href="https://www.ettlingen.de"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<strong>fett</strong>" in html
