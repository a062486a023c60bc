"""Sammelpflege (issue #21, item 5): status, priority and end of a page of projects saved with one form."""

import html as htmllib
import re
from datetime import date

import pytest
import sqlalchemy as sa

from network.core.models import AuditEvent
from network.extensions import db
from network.inventory import services
from network.inventory.models import Project
from tests.inventory.conftest import make_project

URL = "/vorhaben/ettlingen/sammelpflege"


def _text(resp):
    return htmllib.unescape(resp.get_data(as_text=True))


def _form(html: str) -> dict:
    """The posted form as the browser would send it: every hidden input, every select's selected option, every
    text input's value."""
    data: dict = {"row": re.findall(r'name="row" value="(\d+)"', html)}
    for name, value in re.findall(r'<input type="hidden" name="(p-\d+-[\w-]+)" value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(r'name="(p-\d+-end-month)" value="([^"]*)"', html):
        data[name] = value
    for name, body in re.findall(r'<select[^>]*name="(p-\d+-(?:status|priority))"[^>]*>(.*?)</select>', html, re.S):
        m = re.search(r'<option value="(\w+)" selected', body)
        data[name] = m.group(1) if m else ""
    return data


def _get(p_id):
    db.session.expire_all()
    return db.session.get(Project, p_id)



@pytest.fixture
def rows(city_a, city_b, fields, staff_a):
    f1, f2 = fields
    out = {
        "akte": make_project(city_a, f1, title="Digitale Akte", status="in_progress", priority="high",
                             start_month=date(2026, 1, 1), end_month=date(2026, 12, 1)),
        "portal": make_project(city_a, f1, title="Bürgerportal", status="idea", priority="medium"),
        "laden": make_project(city_a, f2, title="Ladesäulen", status="done", priority="low", visibility="public"),
        "draft": make_project(city_a, f1, title="Entwurf von Sami", is_draft=True, created_by_id=staff_a.id),
        "foreign": make_project(city_b, f1, title="Bühler Vorhaben", status="idea"),
    }
    db.session.commit()
    return out


def _audits():
    db.session.expire_all()
    return db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "project.updated")
                              .order_by(AuditEvent.id)).scalars().all()


def test_happy_path_saves_changed_rows_at_once(client, login_as, lead_a, rows):
    login_as(lead_a)
    html = _text(client.get(URL))
    for title in ("Digitale Akte", "Bürgerportal", "Ladesäulen", "Entwurf von Sami"):
        assert title in html
    assert "Bühler Vorhaben" not in html
    assert "◐ in Umsetzung" in html  # status as shape and text, never colour alone
    data = _form(html)
    akte, portal, laden = rows["akte"], rows["portal"], rows["laden"]
    data[f"p-{akte.id}-status"] = "done"
    data[f"p-{akte.id}-end-month"] = "03/2027"
    data[f"p-{portal.id}-priority"] = "high"
    resp = client.post(URL, data=data)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(URL)
    assert "2 Vorhaben wurden gespeichert." in _text(client.get(URL))
    a, p, l = _get(akte.id), _get(portal.id), _get(laden.id)
    assert (a.status, a.end_month, a.version) == ("done", date(2027, 3, 1), 2)
    assert (p.priority, p.version) == ("high", 2)
    assert l.version == 1  # untouched rows are not written
    events = _audits()
    assert [(e.object_id, e.details["fields"], e.details["via"], e.actor_id) for e in events] == [
        (akte.id, ["status", "end_month"], "sammelpflege", lead_a.id),
        (portal.id, ["priority"], "sammelpflege", lead_a.id)]


def test_nothing_changed_saves_nothing(client, login_as, lead_a, rows):
    login_as(lead_a)
    resp = client.post(URL, data=_form(_text(client.get(URL))), follow_redirects=True)
    assert "Sie haben nichts geändert" in _text(resp)
    assert _audits() == []


@pytest.mark.parametrize("key, value, message", [
    ("status", "kaputt", "Bitte wählen Sie einen Status"),
    ("status", "", "Bitte wählen Sie einen Status"),
    ("priority", "sehr hoch", "Bitte wählen Sie eine Priorität: hoch, mittel oder niedrig."),
    ("end-month", "13/2026", "Bitte geben Sie einen Monat an, z. B. 03/2026 oder 2026-03."),
    ("end-month", "morgen", "Bitte geben Sie einen Monat an"),
    ("end-month", "12/2025", "Das Ende liegt vor dem Beginn (01/2026)."),
])
def test_bad_value_saves_nothing_and_keeps_the_input(client, login_as, lead_a, rows, key, value, message):
    login_as(lead_a)
    data = _form(_text(client.get(URL)))
    akte, portal = rows["akte"], rows["portal"]
    data[f"p-{portal.id}-status"] = "done"  # a valid change in another row
    data[f"p-{akte.id}-{key}"] = value
    resp = client.post(URL, data=data)
    html = _text(resp)
    assert resp.status_code == 422
    assert "Es wurde nichts gespeichert" in html
    # the message stands beside its field and in the summary, linked to the field
    assert re.search(rf'id="p-{akte.id}-{key}-error".*?{re.escape(message)}', html, re.S)
    assert f'href="#p-{akte.id}-{key}"' in html
    assert re.search(rf'id="p-{akte.id}-{key}"[^>]*aria-invalid="true"', html)
    # nothing lost of what was typed: the other row keeps its change
    assert _form(html)[f"p-{portal.id}-status"] == "done"
    if key == "end-month":
        assert f'value="{value}"' in html
    assert _get(portal.id).status == "idea" and _get(akte.id).version == 1
    assert _audits() == []


def test_version_conflict_saves_nothing_names_the_project_and_keeps_the_input(client, login_as, lead_a, rows):
    login_as(lead_a)
    data = _form(_text(client.get(URL)))
    akte, portal, laden = rows["akte"], rows["portal"], rows["laden"]
    # meanwhile someone else changes two projects: one the user edits too, one the user leaves alone
    services.update_project(lead_a, _get(akte.id), services.project_values(_get(akte.id)) | {"status": "paused"},
                            version=1)
    services.update_project(lead_a, _get(laden.id), services.project_values(_get(laden.id)) | {"priority": "high"},
                            version=1)
    db.session.commit()
    data[f"p-{akte.id}-status"] = "done"
    data[f"p-{portal.id}-priority"] = "low"
    resp = client.post(URL, data=data)
    html = _text(resp)
    assert resp.status_code == 409
    assert "„Digitale Akte“ wurde inzwischen von Lea Leitung geändert. Gespeichert ist jetzt: pausiert" in html
    assert "Ladesäulen“ wurde inzwischen" not in html  # an untouched row is no conflict
    assert _get(portal.id).priority == "medium" and _get(akte.id).status == "paused"  # nothing saved
    again = _form(html)
    assert again[f"p-{akte.id}-status"] == "done" and again[f"p-{portal.id}-priority"] == "low"  # input kept
    assert again[f"p-{akte.id}-version"] == "2"  # the row now carries the saved version
    # saving again overwrites on purpose; the other person's change of the untouched row stays
    resp = client.post(URL, data=again)
    assert resp.status_code == 302
    assert (_get(akte.id).status, _get(portal.id).priority, _get(laden.id).priority) == ("done", "low", "high")


def test_conflict_and_bad_value_together_are_422_with_both_marked(client, login_as, lead_a, rows):
    login_as(lead_a)
    data = _form(_text(client.get(URL)))
    akte, portal = rows["akte"], rows["portal"]
    _get(akte.id).status = "paused"
    db.session.commit()
    data[f"p-{akte.id}-status"] = "done"
    data[f"p-{portal.id}-end-month"] = "99/9999"
    resp = client.post(URL, data=data)
    html = _text(resp)
    assert resp.status_code == 422
    assert "„Digitale Akte“ wurde inzwischen" in html and f'id="p-{portal.id}-end-month-error"' in html


def test_another_citys_project_injected_is_404_and_nothing_changes(client, login_as, lead_a, rows):
    login_as(lead_a)
    data = _form(_text(client.get(URL)))
    akte, foreign = rows["akte"], rows["foreign"]
    data[f"p-{akte.id}-status"] = "done"
    data["row"] = data["row"] + [str(foreign.id)]
    data.update({f"p-{foreign.id}-status": "dropped", f"p-{foreign.id}-priority": "low",
                 f"p-{foreign.id}-end-month": "", f"p-{foreign.id}-version": "1"})
    assert client.post(URL, data=data).status_code == 404
    assert _get(foreign.id).status == "idea" and _get(akte.id).status == "in_progress"
    assert _audits() == []


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "99999999999999999999999"])
def test_malformed_row_id_is_404(client, login_as, lead_a, rows, bad):
    login_as(lead_a)
    assert client.post(URL, data={"row": [bad]}).status_code == 404


def test_more_rows_than_a_page_or_duplicates_are_refused(client, login_as, lead_a, rows):
    login_as(lead_a)
    akte = rows["akte"]
    assert client.post(URL, data={"row": [str(akte.id)] * 2}).status_code == 400
    assert client.post(URL, data={"row": [str(i) for i in range(1, 52)]}).status_code == 400


def test_staff_sees_and_saves_only_own_drafts(client, login_as, staff_a, rows):
    login_as(staff_a)
    html = _text(client.get(URL))
    assert "Entwurf von Sami" in html and "Digitale Akte" not in html
    assert "Hier stehen Ihre eigenen Entwürfe" in html
    data = _form(html)
    draft, akte = rows["draft"], rows["akte"]
    data[f"p-{draft.id}-status"] = "in_progress"
    assert client.post(URL, data=data).status_code == 302
    assert _get(draft.id).status == "in_progress"
    # a released project of the own city injected into the form: refused, nothing written
    data = _form(_text(client.get(URL)))
    data[f"p-{draft.id}-priority"] = "high"
    data["row"] = data["row"] + [str(akte.id)]
    data.update({f"p-{akte.id}-status": "dropped", f"p-{akte.id}-priority": "low",
                 f"p-{akte.id}-end-month": "", f"p-{akte.id}-version": "1"})
    assert client.post(URL, data=data).status_code == 403
    assert _get(akte.id).status == "in_progress" and _get(draft.id).priority == "medium"


def test_lead_of_another_city_gets_404_coordinator_403(client, login_as, lead_b, coordinator, rows):
    login_as(lead_b)
    assert client.get(URL).status_code == 404
    assert client.post(URL, data={"row": [str(rows["akte"].id)]}).status_code == 404
    client.post("/abmelden")
    login_as(coordinator)
    assert client.get(URL).status_code == 403
    assert _get(rows["akte"].id).version == 1


def test_unchanged_marker_against_the_latest_report(client, login_as, lead_a, city_a, fields, rows):
    services.freeze_report(lead_a, {"year": 2024, "visibility": "network"})
    db.session.commit()
    _get(rows["laden"].id).status = "dropped"  # changed after the older report
    db.session.commit()
    services.freeze_report(lead_a, {"year": 2025, "visibility": "network"})
    db.session.commit()
    _get(rows["akte"].id).summary = "Neu beschrieben"  # any field counts, not only the three in the table
    make_project(city_a, fields[0], title="Seit dem Bericht erfasst")
    db.session.commit()
    login_as(lead_a)
    html = _text(client.get(URL))
    assert "Sachstandsbericht 2025" in html

    def marker(title):
        row = re.search(rf">{re.escape(title)}</a>.*?</tr>", html, re.S).group(0)
        return re.search(r'class="inv-marker inv-marker--(\w+)"><span aria-hidden="true">[^<]+</span> ([^<]+)<',
                         row).groups()

    assert marker("Ladesäulen") == ("unchanged", "unverändert seit dem letzten Bericht")
    assert marker("Bürgerportal") == ("unchanged", "unverändert seit dem letzten Bericht")
    assert marker("Digitale Akte") == ("changed", "geändert seit dem letzten Bericht")
    assert marker("Seit dem Bericht erfasst") == ("new", "neu seit dem letzten Bericht")
    assert marker("Entwurf von Sami") == ("draft", "Entwurf, kommt nicht in den Bericht")


def test_without_a_report_there_is_no_marker(client, login_as, lead_a, rows):
    login_as(lead_a)
    html = _text(client.get(URL))
    assert "Es gibt noch keinen Sachstandsbericht" in html and "inv-marker" not in html


def _fill(city, field, n, offset=0):
    db.session.execute(sa.insert(Project), [
        {"municipality_id": city.id, "field_id": field.id, "title": f"Massenvorhaben {i:03d}",
         "status": ("idea", "in_progress", "done")[i % 3], "priority": "medium", "visibility": "network",
         "summary": "", "department": "", "contact": "", "funding_source": "", "is_lighthouse": False,
         "is_draft": False, "is_example": False, "version": 1} for i in range(offset, offset + n)])
    db.session.commit()


def test_paging_and_filters(client, login_as, lead_a, city_a, fields):
    _fill(city_a, fields[0], 120)
    make_project(city_a, fields[1], title="Im zweiten Feld", status="paused")
    db.session.commit()
    login_as(lead_a)
    html = _text(client.get(URL))
    assert len(re.findall(r'name="row"', html)) == 50 and "Seite 1 von 3" in html
    assert 'rel="next" href="/vorhaben/ettlingen/sammelpflege?seite=2"' in html
    last = _text(client.get(URL + "?seite=3"))
    assert len(re.findall(r'name="row"', last)) == 21
    assert len(re.findall(r'name="row"', _text(client.get(URL + "?seite=99")))) == 21  # beyond the end: last page
    paused = _text(client.get(URL + "?status=paused"))
    assert re.findall(r'name="row"', paused) == ['name="row"'] and "Im zweiten Feld" in paused
    by_field = _text(client.get(URL + f"?feld={fields[1].id}"))
    assert "Im zweiten Feld" in by_field and "Massenvorhaben" not in by_field
    # the form of page 2 saves page 2's rows and comes back to page 2
    data = _form(_text(client.get(URL + "?seite=2")))
    first = data["row"][0]
    data[f"p-{first}-status"] = "dropped"
    resp = client.post(URL + "?seite=2", data=data)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("?seite=2")
    assert _get(int(first)).status == "dropped"
    assert len(_audits()) == 1


def test_query_count_does_not_grow_with_the_projects(client, login_as, lead_a, city_a, fields, count_queries):
    _fill(city_a, fields[0], 5)
    services.freeze_report(lead_a, {"year": 2025, "visibility": "network"})
    db.session.commit()
    login_as(lead_a)
    client.get(URL)  # warm up
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    _fill(city_a, fields[0], 35, offset=5)
    with count_queries() as large:
        resp = client.get(URL)
    assert resp.status_code == 200 and "Massenvorhaben 039" in _text(resp)
    assert len(small) == len(large), (len(small), len(large))
    print(f"{URL}: {len(large)} queries for 40 projects")


def test_inventory_page_links_to_the_bulk_view(client, login_as, lead_a, staff_a, lead_b, rows):
    login_as(lead_a)
    assert f'href="{URL}"' in _text(client.get("/vorhaben/ettlingen/"))
    client.post("/abmelden")
    login_as(lead_b)
    assert f'href="{URL}"' not in _text(client.get("/vorhaben/ettlingen/"))


def test_page_in_english(client, login_as, lead_a, rows):
    login_as(lead_a)
    client.post("/sprache", data={"lang": "en"})
    html = _text(client.get(URL))
    assert "Bulk update: projects of Ettlingen" in html and "Save all changes on this page" in html
