"""The optional project of the own inventory: chosen from the own city's projects only."""

import pytest
import sqlalchemy as sa

from network.extensions import db
from network.practices.models import Practice


@pytest.fixture
def projects(monkeypatch):
    calls = []

    def city_projects(user, municipality_id):
        calls.append(municipality_id)
        return [(41, "E-Akte im Bauamt"), (42, "Digitaler Posteingang")]

    monkeypatch.setattr("network.inventory.services.city_projects", city_projects)
    yield calls


def _data(**over):
    data = {"title": "Mit Vorhaben", "visibility": "network", "action": "save", "version": ""}
    data.update(over)
    return data


def test_with_inventory_own_projects_only(login_as, staff_a, projects):
    c = login_as(staff_a)
    html = c.get("/praxis/neu").get_data(as_text=True)
    assert 'id="project_id"' in html and "E-Akte im Bauamt" in html
    assert projects == [staff_a.municipality_id]
    resp = c.post("/praxis/neu", data=_data(project_id="99"))
    assert resp.status_code == 422 and "Bitte wählen Sie ein Vorhaben Ihrer Kommune." in resp.get_data(as_text=True)
    assert c.post("/praxis/neu", data=_data(project_id="42")).status_code == 302
    assert db.session.execute(sa.select(Practice.project_id)).scalar_one() == 42
