"""The meetings forms name cities by typing (issue #17): no select or checkbox per member city, a lookup by name
among the network's member cities, German errors for unknown names, bounded suggestions."""

import re

import sqlalchemy as sa

from network.extensions import db
from network.meetings import services
from network.meetings.models import AgendaItem, Body
from tests import factories
from tests.meetings.conftest import future, meeting_data


def _cities(body_name):
    body = db.session.scalar(sa.select(Body).where(Body.name == body_name))
    return {c.name for c in services.body_cities(body.id)} if body else None


def test_body_form_takes_city_names(as_user, coordinator, city_a, city_b):
    client = as_user(coordinator)
    page = client.get("/n/readi/treffen/gremien/neu").get_data(as_text=True)
    assert '<textarea' in page and 'name="cities"' in page and 'name="city_ids"' not in page
    resp = client.post("/n/readi/treffen/gremien/neu",
                       data={"kind": "plenum", "name": "Plenum", "cities": "ettlingen\n Bühl ;Ettlingen"})
    assert resp.status_code == 302
    assert _cities("Plenum") == {"Ettlingen", "Bühl"}
    body = db.session.scalar(sa.select(Body).where(Body.name == "Plenum"))
    edit = client.get(f"/n/readi/treffen/gremien/{body.id}/bearbeiten").get_data(as_text=True)
    assert re.search(r"<textarea[^>]*name=\"cities\"[^>]*>\s*Bühl\nEttlingen</textarea>", edit)


def test_unknown_cities_are_refused_in_german_and_nothing_is_written(as_user, coordinator, city_a):
    outsider = factories.make_city("Atlantis", networks=())
    db.session.commit()
    client = as_user(coordinator)
    resp = client.post("/n/readi/treffen/gremien/neu",
                       data={"kind": "plenum", "name": "Plenum X", "cities": "Ettlingen\nAtlantis\n<b>Nirgendwo</b>"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Keine Mitgliedskommune dieses Netzwerks: „Atlantis“, „&lt;b&gt;Nirgendwo&lt;/b&gt;“" in page
    assert "<b>Nirgendwo</b>" not in page and _cities("Plenum X") is None and outsider.id


def test_agenda_presenter_by_name(as_user, coordinator, fachgruppe, lead_a, city_a):
    meeting = services.create_meeting(coordinator, fachgruppe, meeting_data(future()))
    db.session.commit()
    client = as_user(coordinator)
    url = f"/n/readi/treffen/{meeting.id}/tagesordnung"
    page = client.get(url).get_data(as_text=True)
    assert 'name="presenter_city"' in page and 'list="presenter-city-list"' in page
    assert '<option value="Ettlingen">' in page and "<select" not in page.split('name="presenter_city"')[0][-400:]
    resp = client.post(url, data={"title": "E-Akte", "presenter_city": "ETTLINGEN", "duration_minutes": "15"})
    assert resp.status_code == 302
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.title == "E-Akte"))
    assert item.presenter_municipality_id == city_a.id
    bad = client.post(url, data={"title": "Portal", "presenter_city": "Atlantis", "duration_minutes": "15"})
    assert bad.status_code == 422 and "Keine Mitgliedskommune dieses Netzwerks: „Atlantis“" in bad.get_data(as_text=True)
    two = client.post(url, data={"title": "Portal", "presenter_city": "Ettlingen; Bühl", "duration_minutes": "15"})
    assert two.status_code == 422 and "nur eine Kommune" in two.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 1


def test_forms_stay_bounded_with_many_member_cities(as_user, coordinator, fachgruppe, city_a):
    for i in range(150):
        factories.make_city(f"Mitgliedsstadt {i:03d}")
    db.session.commit()
    meeting = services.create_meeting(coordinator, fachgruppe, meeting_data(future()))
    db.session.commit()
    client = as_user(coordinator)
    body_form = client.get("/n/readi/treffen/gremien/neu").get_data(as_text=True)
    assert "Mitgliedsstadt 149" not in body_form and body_form.count('type="checkbox"') < 50
    agenda = client.get(f"/n/readi/treffen/{meeting.id}/tagesordnung").get_data(as_text=True)
    assert "Mitgliedsstadt" not in agenda  # the suggestions are the body's cities
    resp = client.post(f"/n/readi/treffen/{meeting.id}/tagesordnung",
                       data={"title": "Gast", "presenter_city": "Mitgliedsstadt 149", "duration_minutes": "10"})
    assert resp.status_code == 302  # any member city of the network may present
