"""The audit log as sentences with links (issue #21, item 12): each domain registers its kinds in core/audit."""

import pytest
from flask import current_app

from network.core import audit
from network.extensions import db
from network.meetings import services as meetings
from tests.inventory.conftest import make_project
from tests.meetings.conftest import body_b_only, fachgruppe, future, meeting_data  # noqa: F401 (fixtures)
from tests.topics.conftest import make_field, make_topic


def _log(client, **query) -> str:
    resp = client.get("/protokoll", query_string=query)
    assert resp.status_code == 200
    return resp.get_data(as_text=True).split("<tbody", 1)[1].split("</tbody>", 1)[0]


def test_sentences_with_links_for_several_kinds(sign_in, coordinator, fachgruppe, city_a, lead_a):
    """A meeting RSVP, a topic, a project and a city read as German sentences, each object linked."""
    m = meetings.create_meeting(coordinator, fachgruppe, meeting_data(future(), host_id=str(city_a.id)))
    db.session.commit()
    meetings.record_rsvp(lead_a, m, "yes", "")
    topic = make_topic(make_field("Digitale Bürgerdienste"), "e-Akte")
    audit.record(coordinator, "topic.created", obj=topic)
    project = make_project(city_a, topic.field, title="Digitaler Bauantrag")
    audit.record(lead_a, "project.created", obj=project)
    audit.record(coordinator, "municipality.updated", obj=city_a, summary="Stammdaten geändert")
    db.session.commit()

    rows = _log(sign_in(lead_a))
    assert (f'Lea Leitung hat für <a class="kern-link" href="/n/readi/treffen/{m.id}">34. Fachgruppentreffen</a> '
            f'zugesagt.') in rows
    assert f'Lea Leitung hat das Vorhaben <a class="kern-link" href="/vorhaben/projekt/{project.id}">Digitaler Bauantrag</a> angelegt.' in rows
    assert (f'Koordination hat die Stammdaten von <a class="kern-link" href="/kommunen/{city_a.slug}">{city_a.name}</a> '
            f'geändert.') in rows
    assert "Antwort yes" not in rows

    coord_rows = _log(sign_in(coordinator))
    assert (f'Koordination hat das Thema <a class="kern-link" href="/n/readi/themen/{topic.slug}">e-Akte</a> '
            f'angelegt.') in coord_rows


def test_english_sentences(sign_in, coordinator, city_a, lead_a):
    audit.record(coordinator, "municipality.updated", obj=city_a, summary="Stammdaten geändert")
    db.session.commit()
    c = sign_in(lead_a)
    c.post("/sprache", data={"lang": "en", "next": "/"})
    rows = _log(c)
    assert f'Koordination changed the details of <a class="kern-link" href="/kommunen/{city_a.slug}">' in rows


def test_object_the_reader_may_not_see_is_named_without_a_link(sign_in, coordinator, city_a, city_b, lead_a,
                                                                 body_b_only):
    """An event in Ettlingen's log about Bühl's city-only project and a meeting of a body Ettlingen is not in:
    both are named, neither is linked."""
    field = make_field("Digitale Bürgerdienste")
    secret = make_project(city_b, field, title="Geheimes Vorhaben", visibility="city")
    m = meetings.create_meeting(coordinator, body_b_only, meeting_data(future(), title="Bühler Runde"))
    audit.record(lead_a, "project.updated", obj=secret, municipality_id=city_a.id)
    audit.record(lead_a, "meeting.rsvp", obj=m, municipality_id=city_a.id, response="no")
    db.session.commit()
    rows = _log(sign_in(lead_a))
    assert "Lea Leitung hat das Vorhaben Geheimes Vorhaben geändert." in rows
    assert "Lea Leitung hat die Teilnahme an Bühler Runde abgesagt." in rows
    assert f"/vorhaben/projekt/{secret.id}" not in rows and f"/treffen/{m.id}" not in rows


def test_unknown_kind_and_gone_object_fall_back_to_the_summary(sign_in, city_a, lead_a):
    audit.record(lead_a, "mystery.happened", municipality_id=city_a.id, summary="Etwas <b>Unbekanntes</b>")
    field = make_field("Digitale Bürgerdienste")
    gone = make_project(city_a, field, title="Weg")
    audit.record(lead_a, "project.updated", obj=gone, summary="Vorhaben Weg geändert")
    db.session.delete(gone)
    db.session.commit()
    rows = _log(sign_in(lead_a))
    assert "Etwas &lt;b&gt;Unbekanntes&lt;/b&gt;" in rows  # escaped, as written
    assert "Vorhaben Weg geändert" in rows


def test_names_are_escaped_in_sentences(sign_in, coordinator, city_a, lead_a):
    lead_a.name = '<script>alert(1)</script> %(object)s'
    audit.record(lead_a, "project.created", obj=make_project(city_a, make_field("F"), title="<b>x</b>"))
    db.session.commit()
    rows = _log(sign_in(lead_a))
    assert "<script>" not in rows and "&lt;script&gt;alert(1)&lt;/script&gt; %(object)s hat das Vorhaben" in rows
    assert "&lt;b&gt;x&lt;/b&gt;</a> angelegt." in rows


def test_registry_refuses_a_kind_twice(app):
    with pytest.raises(ValueError):
        audit.register_sentences(current_app, {"meeting.rsvp": "x"})


def test_log_page_query_count_does_not_grow_per_event(sign_in, coordinator, fachgruppe, city_a, lead_a, count_queries):
    """One loader query set per object type, not per row."""
    c = sign_in(lead_a)
    m = meetings.create_meeting(coordinator, fachgruppe, meeting_data(future(), host_id=str(city_a.id)))
    db.session.commit()
    meetings.record_rsvp(lead_a, m, "yes", "")
    db.session.commit()
    with count_queries() as few:
        _log(c)
    for answer in ("no", "maybe", "yes", "no", "maybe", "yes"):
        meetings.record_rsvp(lead_a, m, answer, "")
        db.session.commit()
    with count_queries() as many:
        _log(c)
    assert len(many) == len(few)


def test_event_about_another_kind_of_object_keeps_its_summary(sign_in, city_a, lead_a):
    """"project.created" names a project; an event of that kind about a city reads as its stored summary."""
    audit.record(lead_a, "project.created", obj=city_a, summary="Vorhaben Ettlinger Stadtplan angelegt")
    db.session.commit()
    assert "Vorhaben Ettlinger Stadtplan angelegt" in _log(sign_in(lead_a))
