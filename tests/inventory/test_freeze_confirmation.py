"""Freezing a status report asks first and shows its diff (issue #21, item 6)."""

from network.core.models import utcnow
from network.extensions import db
from network.inventory.models import StatusReport
from tests.conftest import row_count
from tests.inventory.conftest import make_project


def test_freeze_shows_title_audience_and_changes_and_freezes_nothing_until_confirmed(client, login_as, city_a, lead_a,
                                                                                    fields):
    make_project(city_a, fields[0], title="Bürgerportal", status="in_progress")
    db.session.commit()
    login_as(lead_a)
    year = str(utcnow().year)
    data = {"year": year, "visibility": "network", "title": "", "note": ""}
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and row_count(StatusReport) == 0
    assert "Sachstandsbericht einfrieren?" in html
    assert f"„Sachstandsbericht {year}“ (Jahr {year}, Sichtbarkeit: Netzwerk)" in html
    assert "von 1 freigegebenen Vorhaben" in html and 'name="confirm" value="1"' in html
    resp = client.post("/vorhaben/ettlingen/berichte/neu", data=dict(data, confirm="1"))
    assert resp.status_code == 302 and row_count(StatusReport) == 1
    # the next one lists what changed since
    make_project(city_a, fields[0], title="Parkraum-App", status="idea")
    db.session.commit()
    html = client.post("/vorhaben/ettlingen/berichte/neu", data=dict(data, year=str(int(year) + 1))).get_data(as_text=True)
    assert f"Änderungen seit Sachstandsbericht {year}:" in html and "Parkraum-App" in html
    assert row_count(StatusReport) == 1

