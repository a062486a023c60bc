"""Writing, preview, revisions (compare, restore), stale saves, publishing, page contents, query counts."""

import re

import pytest
import sqlalchemy as sa

from network.practices.signals import practice_published
from network.core.validation import ValidationFailed
from network.extensions import db
from network.practices import services
from network.practices.models import Practice, PracticeRevision, PracticeSearch
from tests.practices.conftest import write


def _form(**over):
    data = {"title": "Online-Terminvergabe", "summary": "Termine im Bürgerbüro online buchen",
            "visibility": "network", "field_id": "", "tags": "Termine, Bürgerbüro", "version": "",
            "solution": "Ein **Terminportal** mit [Link](https://example.org) <script>alert(1)</script>",
            "action": "save"}
    data.update(over)
    return data


def test_staff_writes_a_draft_with_revision_and_index(login_as, staff_a, topic):
    c = login_as(staff_a)
    resp = c.post("/praxis/neu", data=_form(topic_ids=[str(topic.id)]))
    assert resp.status_code == 302
    p = db.session.execute(sa.select(Practice)).scalar_one()
    assert p.status == "draft" and p.municipality_id == staff_a.municipality_id and p.author_id == staff_a.id
    assert [t.id for t in p.topics] == [topic.id] and p.tags == "Termine, Bürgerbüro"
    assert db.session.scalar(sa.select(sa.func.count(PracticeRevision.id))) == 1
    assert "terminvergab" in db.session.get(PracticeSearch, p.id).terms
    page = c.get(f"/praxis/{p.id}").get_data(as_text=True)
    assert "<strong>Terminportal</strong>" in page
    assert 'rel="noopener noreferrer nofollow"' in page
    assert "<script>alert(1)</script>" not in page


def test_preview_renders_without_saving(login_as, staff_a):
    c = login_as(staff_a)
    resp = c.post("/praxis/neu", data=_form(action="preview"))
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Vorschau (noch nicht gespeichert)" in html and "<strong>Terminportal</strong>" in html
    assert "&lt;script&gt;" in html or "<script>alert" not in html
    assert 'value="Online-Terminvergabe"' in html  # the input stays in the form
    assert db.session.execute(sa.select(Practice)).first() is None


@pytest.mark.parametrize("over,field,message", [
    ({"title": ""}, "title", "Bitte geben Sie einen Titel an."),
    ({"title": "x" * 201}, "title", "höchstens 200 Zeichen"),
    ({"visibility": "geheim"}, "visibility", "gültigen Wert"),
    ({"field_id": "999999"}, "field_id", "vorhandenes Handlungsfeld"),
    ({"topic_ids": ["999999"]}, "topic_ids", "nur vorhandene Themen"),
    ({"situation": "x" * 20_001}, "situation", "höchstens 20000 Zeichen"),
    ({"tags": ",".join(f"t{n}" for n in range(20))}, "tags", "höchstens 15 Schlagwörter"),
])
def test_bad_input_is_422_beside_its_field(login_as, staff_a, over, field, message):
    c = login_as(staff_a)
    resp = c.post("/praxis/neu", data=_form(**over))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html
    assert db.session.execute(sa.select(Practice)).first() is None


def test_every_save_is_a_revision_compare_and_restore(login_as, staff_a, lead_a):
    p = write(staff_a, "E-Rechnung", solution="Zeile eins\nZeile zwei")
    c = login_as(staff_a)
    resp = c.post(f"/praxis/{p.id}/bearbeiten", data=_form(title="E-Rechnung", solution="Zeile eins\nZeile drei",
                                                           version=str(p.version)))
    assert resp.status_code == 302
    revs = services.revisions(db.session.get(Practice, p.id))
    assert [r.number for r in revs] == [2, 1] and revs[0].author_id == staff_a.id
    html = c.get(f"/praxis/{p.id}/versionen?a={revs[1].id}&b={revs[0].id}").get_data(as_text=True)
    assert re.search(r"<del>.*entfernt:.*Zeile zwei</del>", html)
    assert re.search(r"<ins>.*hinzugefügt:.*Zeile drei</ins>", html)
    assert "<caption" in html
    # restore version 1: a new version 3 with the old text
    practice = db.session.get(Practice, p.id)
    resp = c.post(f"/praxis/{p.id}/versionen/{revs[1].id}/wiederherstellen", data={"version": str(practice.version)})
    assert resp.status_code == 302
    db.session.expire_all()
    practice = db.session.get(Practice, p.id)
    assert practice.section("solution") == "Zeile eins\nZeile zwei"
    revs = services.revisions(practice)
    assert [r.number for r in revs] == [3, 2, 1] and "Wiederhergestellt aus Version 1" in revs[0].note


def test_stale_save_answers_409_and_keeps_the_text(client, login_as, staff_a, lead_a):
    p = write(staff_a, "Digitale Bauakte")
    old_version = str(p.version)
    services.update_practice(lead_a, p, {"title": "Digitale Bauakte (neu)"}, version=p.version)
    db.session.commit()
    c = login_as(staff_a)
    resp = c.post(f"/praxis/{p.id}/bearbeiten", data=_form(title="Mein Titel", solution="Mein langer Text",
                                                           version=old_version))
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert "inzwischen von jemand anderem geändert" in html
    assert "Mein langer Text" in html and 'value="Mein Titel"' in html
    db.session.expire_all()
    assert db.session.get(Practice, p.id).title == "Digitale Bauakte (neu)"
    # the form now carries the current version: saving again overwrites on purpose
    current = re.search(r'name="version" type="hidden" value="(\d+)"', html) or \
        re.search(r'type="hidden" name="version" value="(\d+)"', html) or re.search(r'id="version"[^>]*value="(\d+)"', html)
    assert current and current.group(1) == str(db.session.get(Practice, p.id).version)


def test_stale_service_update(staff_a, lead_a):
    p = write(staff_a, "Alt")
    with pytest.raises(ValidationFailed) as exc:
        services.update_practice(lead_a, p, {"title": "Neu"}, version=p.version - 1)
    assert exc.value.status == 409


def test_publish_by_lead_only_sends_event_once(app, login_as, staff_a, lead_a, topic):
    p = write(staff_a, "WLAN in Schulen", topics=[topic])
    events = []

    def listener(sender, **kw):
        events.append(dict(kw, practice_id=kw["practice"].id))

    practice_published.connect(listener)
    try:
        c = login_as(staff_a)
        assert c.post(f"/praxis/{p.id}/veroeffentlichen", data={"confirm": "1", "version": str(p.version)}).status_code == 403
        c.post("/abmelden")
        c = login_as(lead_a)
        assert c.post(f"/praxis/{p.id}/veroeffentlichen", data={"confirm": "1", "version": str(p.version)}).status_code == 302
        db.session.expire_all()
        p = db.session.get(Practice, p.id)
        assert p.status == "published" and p.published_by_id == lead_a.id
        assert c.post(f"/praxis/{p.id}/archivieren", data={}).status_code == 302
        db.session.expire_all()
        current = str(db.session.get(Practice, p.id).version)
        assert c.post(f"/praxis/{p.id}/veroeffentlichen", data={"confirm": "1", "version": current}).status_code == 302
    finally:
        practice_published.disconnect(listener)
    assert len(events) == 1
    assert events[0]["practice_id"] == p.id and ("topic", topic.id) in events[0]["targets"]
    assert events[0]["audience"] == "network" and events[0]["url"] == f"/praxis/{p.id}"


def test_public_practice_is_readable_without_login_and_in_feed(client, lead_a):
    pub = write(lead_a, "Offene Daten", visibility="public", summary="Ein Open-Data-Portal", publish_as=lead_a)
    net = write(lead_a, "Nur Netzwerk", publish_as=lead_a)
    draft = write(lead_a, "Entwurf")
    assert client.get(f"/praxis/{pub.id}").status_code == 200
    assert client.get(f"/praxis/{net.id}").status_code == 404
    assert client.get(f"/praxis/{draft.id}").status_code == 404
    listing = client.get("/praxis/").get_data(as_text=True)
    assert "Offene Daten" in listing and "Nur Netzwerk" not in listing
    feed = client.get("/praxis/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    body = feed.get_data(as_text=True)
    assert "Offene Daten" in body and "Nur Netzwerk" not in body and "Entwurf" not in body
    assert f"/praxis/{pub.id}" in body


def test_header_search_box_is_on_every_page(client):
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'for="header-search-q"' in html


def test_topic_city_and_dashboard_panels(login_as, staff_a, lead_a, staff_b, lead_b, topic):
    write(lead_a, "Bericht zum Thema", topics=[topic], publish_as=lead_a)
    write(lead_a, "Entwurf zum Thema", topics=[topic])
    c = login_as(staff_b)
    html = c.get(f"/n/readi/themen/{topic.slug}").get_data(as_text=True)
    assert "Bericht zum Thema" in html and "Entwurf zum Thema" not in html
    html = c.get("/kommunen/ettlingen").get_data(as_text=True)
    assert "Bericht zum Thema" in html and "Entwurf zum Thema" not in html
    c.post("/abmelden")
    c = login_as(staff_a)
    assert "Entwurf zum Thema" in c.get("/").get_data(as_text=True)


def _grow(author, n, topic):
    for i in range(n):
        p = services.create_practice(author, {"title": f"Bericht {i}", "summary": "Parken digital",
                                              "topic_ids": [topic.id], "sections": {"solution": "Parken"}})
        services.publish_practice(author, p)
    db.session.commit()


def test_query_counts_of_list_search_and_detail_do_not_grow(login_as, count_queries, lead_a, staff_b, topic):
    _grow(lead_a, 10, topic)
    p = db.session.execute(sa.select(Practice).limit(1)).scalar_one()
    services.set_reuse(staff_b, p, "interested")
    services.ask_question(staff_b, p, "Welche Kosten hatten Sie pro Jahr?")
    db.session.commit()
    c = login_as(staff_b)

    def measure():
        out = []
        for url in ("/praxis/", "/praxis/suche?q=parken", f"/praxis/{p.id}"):
            with count_queries() as statements:
                assert c.get(url).status_code == 200
            out.append(len(statements))
        return out

    small = measure()
    _grow(lead_a, 990, topic)
    big = measure()
    print(f"queries list/search/detail: 10 practices {small}, 1000 practices {big}")
    assert small == big
