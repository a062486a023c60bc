"""Status reports: freeze, the diff on a constructed history, immutability, visibility of entries."""

import pytest
import sqlalchemy as sa

from network.extensions import db
from network.inventory import services
from network.inventory.models import ImmutableReport, Project, ReportEntry, StatusReport
from tests.conftest import row_count
from tests.inventory.conftest import make_project


def _freeze(lead, year, visibility="network"):
    report = services.freeze_report(lead, {"year": year, "visibility": visibility})
    db.session.commit()
    return report


def test_diff_on_constructed_history(client, login_as, lead_a, city_a, fields):
    f1, f2 = fields
    stays = make_project(city_a, f1, title="Bleibt Idee", status="idea")
    starts = make_project(city_a, f1, title="Wird begonnen", status="idea")
    finishes = make_project(city_a, f2, title="Wird fertig", status="in_progress")
    dropped = make_project(city_a, f2, title="Wird verworfen", status="idea")
    removed = make_project(city_a, f2, title="Wird gelöscht", status="paused")
    db.session.commit()
    r2025 = _freeze(lead_a, 2025)
    starts.status = "in_progress"
    finishes.status = "done"
    dropped.status = "dropped"
    db.session.delete(removed)
    make_project(city_a, f1, title="Ganz neu", status="idea")
    make_project(city_a, f1, title="Neuer Entwurf", status="idea", is_draft=True)
    db.session.commit()
    r2026 = _freeze(lead_a, 2026)

    view = services.report_view(lead_a, r2026)
    ch = view["changes"]
    assert view["previous"].id == r2025.id
    assert [e.title for e in ch.new] == ["Ganz neu"]  # drafts never go into a report
    assert [(b.status, a.status, a.title) for b, a in ch.status_changed] == [("idea", "in_progress", "Wird begonnen")]
    assert [(b.status, a.status) for b, a in ch.completed] == [("in_progress", "done")]
    assert sorted((b.title, a.status if a else None) for b, a in ch.dropped) == [
        ("Wird gelöscht", None), ("Wird verworfen", "dropped")]
    assert "Bleibt Idee" not in [e.title for e in ch.new] + [a.title for _b, a in ch.status_changed]
    counts = view["counts"]
    assert counts["total"] == 5
    assert dict((name, c["in_progress"]) for name, c, _t in counts["rows"]) == {
        "Digitale Bürgerdienste": 1, "Nachhaltigkeit und Mobilität": 0}
    assert counts["totals"]["done"] == 1 and counts["totals"]["dropped"] == 1

    login_as(lead_a)
    html = client.get(f"/vorhaben/bericht/{r2026.id}").get_data(as_text=True)
    assert "Änderungen seit Sachstandsbericht 2025" in html
    assert "Ganz neu" in html and "nicht mehr im Inventar" in html and "Wird fertig" in html
    assert client.get(f"/vorhaben/bericht/{r2026.id}/druck").status_code == 200
    csv = client.get(f"/vorhaben/bericht/{r2026.id}.csv").get_data(as_text=True)
    assert "Wird fertig" in csv and "umgesetzt" in csv
    api_first = services.report_view(lead_a, r2025)
    assert api_first["changes"] is None and api_first["previous"] is None


def test_report_never_changes(lead_a, city_a, fields):
    p = make_project(city_a, fields[0], title="Vorher", status="idea")
    db.session.commit()
    report = _freeze(lead_a, 2025)
    p.title = "Nachher"
    p.status = "done"
    db.session.commit()
    entry = db.session.execute(sa.select(ReportEntry)).scalar_one()
    assert (entry.title, entry.status) == ("Vorher", "idea")
    entry.title = "Gefälscht"
    with pytest.raises(ImmutableReport):
        db.session.flush()
    db.session.rollback()
    report = db.session.get(StatusReport, report.id)
    report.title = "Anders"
    with pytest.raises(ImmutableReport):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(ImmutableReport):
        db.session.delete(db.session.get(StatusReport, report.id))
        db.session.flush()
    db.session.rollback()
    # deleting the project keeps the report's copy
    db.session.delete(db.session.get(Project, p.id))
    db.session.commit()
    assert db.session.execute(sa.select(ReportEntry.title)).scalar_one() == "Vorher"


def test_freeze_rules(client, login_as, lead_a, staff_a, lead_b, city_a, fields):
    make_project(city_a, fields[0])
    db.session.commit()
    login_as(staff_a)
    assert client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": "2025"}).status_code == 403
    client.post("/abmelden")
    login_as(lead_b)
    assert client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": "2025"}).status_code == 404
    client.post("/abmelden")
    login_as(lead_a)
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": "1999", "visibility": "network"})
    assert resp.status_code == 422 and "Bitte geben Sie ein Jahr zwischen 2000" in resp.get_data(as_text=True)
    # an earlier year than the current one needs the confirmation that the report holds today's state
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": "2025", "visibility": "network",
                                                                "confirm_past": "y"})
    assert resp.status_code == 302
    report = db.session.execute(sa.select(StatusReport)).scalar_one()
    assert report.title == "Sachstandsbericht 2025"
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": "2025", "visibility": "network",
                                                                "confirm_past": "y"})
    assert resp.status_code == 422 and "Es gibt bereits den Sachstandsbericht 2025" in resp.get_data(as_text=True)


def test_report_visibility_and_entry_filtering(client, login_as, lead_a, lead_b, city_a, fields):
    make_project(city_a, fields[0], title="Netzwerkprojekt", visibility="network")
    make_project(city_a, fields[0], title="Stadtprojekt", visibility="city")
    make_project(city_a, fields[0], title="Öffentliches Projekt", visibility="public")
    db.session.commit()
    network_report = _freeze(lead_a, 2024, "network")
    public_report = _freeze(lead_a, 2025, "public")
    city_report = _freeze(lead_a, 2026, "city")
    # anonymous: the public report with its public entries only
    assert client.get(f"/vorhaben/bericht/{network_report.id}").status_code == 404
    html = client.get(f"/vorhaben/bericht/{public_report.id}").get_data(as_text=True)
    assert "Öffentliches Projekt" in html and "Netzwerkprojekt" not in html and "Stadtprojekt" not in html
    # the previous report is not visible to the public: no comparison
    assert "es gibt keinen vorigen" in html
    login_as(lead_b)
    assert client.get(f"/vorhaben/bericht/{city_report.id}").status_code == 404
    html = client.get(f"/vorhaben/bericht/{public_report.id}").get_data(as_text=True)
    assert "Netzwerkprojekt" in html and "Stadtprojekt" not in html
    csv = client.get(f"/vorhaben/bericht/{public_report.id}.csv").get_data(as_text=True)
    assert "Stadtprojekt" not in csv
    reports = client.get("/vorhaben/ettlingen/berichte/").get_data(as_text=True)
    assert "Sachstandsbericht 2024" in reports and "Sachstandsbericht 2026" not in reports


def test_reports_page_shows_pending_changes_to_the_lead(client, login_as, lead_a, city_a, fields):
    p = make_project(city_a, fields[0], title="Wird umgesetzt", status="in_progress")
    db.session.commit()
    _freeze(lead_a, 2025)
    p.status = "done"
    db.session.commit()
    login_as(lead_a)
    html = client.get("/vorhaben/ettlingen/berichte/").get_data(as_text=True)
    assert "Änderungen seit Sachstandsbericht 2025" in html and "Wird umgesetzt" in html
    assert "Bericht einfrieren und veröffentlichen" in html


def test_freeze_form_names_the_year_and_that_the_snapshot_is_todays_state(client, login_as, lead_a, city_a, fields):
    """Regression: the title hint read „Sachstandsbericht “ (year lost as an HTML tag); an earlier year silently
    snapshotted today's state."""
    from flask_babel import format_date
    from network.core.models import utcnow
    make_project(city_a, fields[0], title="Portal", status="idea")
    db.session.commit()
    this_year, today = utcnow().year, format_date(utcnow())
    login_as(lead_a)
    page = client.get("/vorhaben/ettlingen/berichte/").get_data(as_text=True)
    assert f"Leer lassen für „Sachstandsbericht {this_year}“." in page
    assert f"heutigen Stand des Inventars fest (Stand: {today})" in page
    # an earlier year without the confirmation: 422, says so, nothing frozen
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": str(this_year - 1), "visibility": "network"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and row_count(StatusReport) == 0
    assert f"nicht den Stand am Ende von {this_year - 1}" in body and f"das Jahr {this_year} an" in body
    assert f"Leer lassen für „Sachstandsbericht {this_year - 1}“." in body
    # the hint never echoes what was typed
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": "<b>x</b>", "visibility": "network"})
    assert resp.status_code == 422 and "<b>x</b>“" not in resp.get_data(as_text=True)
    # confirmed: frozen, and the report says whose state it holds
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": str(this_year - 1), "visibility": "network",
                                                                "confirm_past": "y"})
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"Der Bericht für {this_year - 1} enthält den Stand vom {today}" in page
    # the current year needs no confirmation, and its report has no such remark
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data={"confirm": "1", "year": str(this_year), "visibility": "network"})
    assert resp.status_code == 302
    assert "enthält den Stand vom" not in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_print_view_has_letterhead_stand_page_numbers_and_fixed_columns(client, login_as, lead_a, city_a, fields):
    """#21, item 18: the city as letterhead (no logo in the model: its name, kind and district), the "Stand" date,
    page numbers from CSS @page counters, the same column widths in every field's table."""
    import os
    from network.inventory import services as inv
    from tests.inventory.conftest import make_project
    make_project(city_a, fields[0], title="Bürgerportal", status="in_progress")
    from network.core.models import utcnow
    rep = inv.freeze_report(lead_a, {"year": str(utcnow().year), "visibility": "network"})
    db.session.commit()
    login_as(lead_a)
    html = client.get(f"/vorhaben/bericht/{rep.id}/druck").get_data(as_text=True)
    head = html.split("data-letterhead>")[1].split("</header>")[0]
    assert city_a.name in head and city_a.kind_label in head
    assert f"Stand: {rep.published_at.strftime('%d.%m.%Y')}" in html
    assert '<col class="inv-col--title">' in html and "table-stack" not in html
    assert "Gedruckt am" in html
    css = open(os.path.join(os.path.dirname(__file__), "..", "..", "network", "static", "css", "inventory.css")).read()
    assert "counter(page)" in css and "counter(pages)" in css and "table-layout: fixed" in css
    # the screen view keeps its phone cards
    assert "table-stack" in client.get(f"/vorhaben/bericht/{rep.id}").get_data(as_text=True)
