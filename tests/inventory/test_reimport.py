"""Re-importing a list: rows match the city's projects by id or title; new, changed and unchanged rows."""

import re

import sqlalchemy as sa

from network.core.models import AuditEvent
from network.extensions import db
from network.inventory.models import Project
from tests.conftest import row_count
from tests.inventory.conftest import make_project
from tests.inventory.test_import import _token, _upload, lead  # noqa: F401  (fixture)

FIELD = "Digitale Bürgerdienste"


def _states(page):
    """line -> (state cell, title) from the preview's table of valid rows."""
    return {line: (state, title) for line, state, title in re.findall(
        r'<tr><th scope="row" class="kern-table__cell">(\d+)</th><td class="kern-table__cell import-state" '
        r'data-state="\w+">(.*?)</td><td class="kern-table__cell">(.*?)</td>', page)}


def _invalid(page):
    return dict(re.findall(r'<tr><th scope="row" class="kern-table__cell">(\d+)</th>'
                           r'<td class="kern-table__cell">(.*?)</td></tr>', page))


def _apply(client, token, with_id=False):
    """Confirm the import with the guessed mapping (ID first when the file has one)."""
    cols = (["id"] if with_id else []) + ["title", "field", "status"]
    return client.post(f"/vorhaben/ettlingen/import/{token}",
                       data={"action": "import", **{f"map-{c}": str(i) for i, c in enumerate(cols)}},
                       follow_redirects=False)


def _projects(city):
    return db.session.execute(sa.select(Project).where(Project.municipality_id == city.id)
                              .order_by(Project.id)).unique().scalars().all()


def test_reimporting_the_same_file_changes_nothing(client, lead, city_a, fields):  # noqa: F811
    raw = f"Titel;Handlungsfeld;Status\nBürgerportal;{FIELD};Idee\nE-Akte;{FIELD};gelb\n".encode()
    assert _apply(client, _token(_upload(client, raw))).status_code == 302
    before = [(p.id, p.version, p.updated_at) for p in _projects(city_a)]
    assert len(before) == 2
    token = _token(_upload(client, raw))
    page = client.get(f"/vorhaben/ettlingen/import/{token}").get_data(as_text=True)
    assert "0 neu, 0 geändert, 2 unverändert" in page
    assert [s for s, _t in _states(page).values()] == ["unverändert", "unverändert"]
    resp = _apply(client, token)
    assert "0 neu angelegt, 0 geändert, 2 unverändert" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert [(p.id, p.version, p.updated_at) for p in _projects(city_a)] == before  # no duplicate, no write


def test_changed_rows_are_updated_new_rows_created_unchanged_left_alone(client, lead, city_a, fields):  # noqa: F811
    portal = make_project(city_a, fields[0], title="Bürgerportal", status="idea", summary="bleibt")
    same = make_project(city_a, fields[0], title="E-Akte", status="in_progress")
    db.session.commit()
    same_stamp = (same.version, same.updated_at)
    # title matched regardless of case and blanks; the summary column is not in the file and stays
    raw = (f"Titel;Handlungsfeld;Status\n  bürgerPORTAL ;{FIELD};umgesetzt\nE-Akte;{FIELD};in Umsetzung\n"
           f"Neu;{FIELD};Idee\n").encode()
    token = _token(_upload(client, raw))
    page = client.get(f"/vorhaben/ettlingen/import/{token}").get_data(as_text=True)
    assert "1 neu, 1 geändert, 1 unverändert" in page
    states = _states(page)
    assert states["2"][0].startswith("geändert") and "Status" in states["2"][0] and "Titel" in states["2"][0]
    assert states["3"][0] == "unverändert" and states["4"][0] == "neu"
    assert row_count(Project) == 2  # the preview writes nothing
    assert _apply(client, token).status_code == 302
    db.session.expire_all()
    projects = _projects(city_a)
    assert [(p.title, p.status) for p in projects] == [("bürgerPORTAL", "done"), ("E-Akte", "in_progress"),
                                                       ("Neu", "idea")]
    assert projects[0].id == portal.id and projects[0].version == 2 and projects[0].summary == "bleibt"
    assert (projects[1].version, projects[1].updated_at) == same_stamp
    (event,) = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "project.updated")).scalars()
    assert str(portal.id) in str(event.object_id) and "status" in str(event.details)


def test_id_column_matches_and_another_citys_id_is_an_error_row(client, lead, city_a, city_b, fields):  # noqa: F811
    own = make_project(city_a, fields[0], title="Altes Portal", status="idea")
    foreign = make_project(city_b, fields[0], title="Fremd", status="idea")
    db.session.commit()
    foreign_stamp = (foreign.title, foreign.status, foreign.version)
    raw = (f"ID;Titel;Handlungsfeld;Status\n{own.id};Neues Portal;{FIELD};gelb\n"
           f"{foreign.id};Fremd;{FIELD};grün\n999999;Unbekannt;{FIELD};Idee\nabc;Keine Zahl;{FIELD};Idee\n"
           f";Ohne ID;{FIELD};Idee\n{own.id};Doppelt;{FIELD};Idee\n").encode()
    token = _token(_upload(client, raw))
    page = client.get(f"/vorhaben/ettlingen/import/{token}").get_data(as_text=True)
    assert "1 neu, 1 geändert, 0 unverändert" in page
    assert _states(page)["2"][0].startswith("geändert")  # renamed through its id
    invalid = _invalid(page)
    assert f"ID „{foreign.id}“ gibt es im Bestand Ihrer Kommune nicht" in invalid["3"]
    assert "ID „999999“ gibt es im Bestand Ihrer Kommune nicht" in invalid["4"]
    assert "ID „abc“ ist keine Zahl" in invalid["5"]
    assert "dasselbe Vorhaben wie Zeile 2" in invalid["7"]
    assert _apply(client, token, with_id=True).status_code == 302
    db.session.expire_all()
    assert [(p.title, p.status) for p in _projects(city_a)] == [("Neues Portal", "in_progress"), ("Ohne ID", "idea")]
    other = db.session.get(Project, foreign.id)
    assert (other.title, other.status, other.version) == foreign_stamp and len(_projects(city_b)) == 1
