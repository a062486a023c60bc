"""Digitalstrategie (issue #19, part 1): the lead records vision, decisions, documents and the city's own fields of
action; projects carry one; inventory and roadmap group by them; the page follows the strategy's visibility."""

import io

from network.extensions import db
from network.inventory.models import CityField, Project
from network.strategy.models import CouncilDecision, Strategy, StrategyDocument
from tests.conftest import row_count
from tests.inventory.conftest import fields, make_project  # noqa: F401 (fixture)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _record(client):
    """Ettlingen's lead records the strategy through the forms."""
    assert client.post("/strategie/ettlingen/bearbeiten", data={
        "vision": "## Leitbild\n\nEttlingen wird **digital**.<script>alert(1)</script>", "visibility": "network",
        "version": "0"}).status_code == 302
    assert client.post("/strategie/ettlingen/beschluesse", data={
        "beschluss-decided_on": "27.03.2019",
        "beschluss-title": "Gemeinderat: ettlingen.digital zustimmend zur Kenntnis genommen"}).status_code == 302
    assert client.post("/strategie/ettlingen/handlungsfelder", data={
        "feld-name": "Digitale Bürgerdienste", "feld-description": "Verwaltung online"}).status_code == 302
    assert client.post("/strategie/ettlingen/dokumente", data={
        "dokument-title": "ettlingen.digital", "dokument-file": (io.BytesIO(PDF), "strategie.pdf")},
        content_type="multipart/form-data").status_code == 302


def test_lead_records_strategy_and_others_read_it(client, login_as, sign_in, lead_a, lead_b, city_a, fields):
    login_as(lead_a)
    _record(client)
    own = db.session.query(CityField).one()
    p = make_project(city_a, fields[0], title="Online-Terminbuchung", status="done", city_field_id=own.id)
    make_project(city_a, fields[1], title="Ladesäulen", status="in_progress")
    db.session.commit()
    html = sign_in(lead_b).get("/strategie/ettlingen/").get_data(as_text=True)
    assert "<strong>digital</strong>" in html and "<script>alert" not in html  # the sanitising Markdown filter
    assert "27.03.2019" in html and "ettlingen.digital zustimmend zur Kenntnis genommen" in html
    assert "Digitale Bürgerdienste" in html and "Verwaltung online" in html
    assert f'/vorhaben/projekt/{p.id}' in html and 'aria-hidden="true">●</span> umgesetzt' in html  # text + shape
    assert "Ohne eigenes Handlungsfeld" in html and "Ladesäulen" in html
    doc = db.session.query(StrategyDocument).one()
    resp = sign_in(lead_b).get(f"/strategie/ettlingen/dokumente/{doc.id}")
    assert resp.status_code == 200 and resp.data == PDF and resp.headers["X-Content-Type-Options"] == "nosniff"
    # anonymous: network visibility is not public
    assert client.application.test_client().get("/strategie/ettlingen/").status_code == 404


def test_private_strategy_is_404_for_other_cities(sign_in, lead_a, lead_b, city_a):
    db.session.add(Strategy(municipality_id=city_a.id, vision="geheim", visibility="city"))
    db.session.add(CouncilDecision(municipality_id=city_a.id, decided_on=__import__("datetime").date(2019, 3, 27),
                                   title="Beschluss"))
    db.session.commit()
    assert sign_in(lead_b).get("/strategie/ettlingen/").status_code == 404
    assert "geheim" in sign_in(lead_a).get("/strategie/ettlingen/").get_data(as_text=True)


def test_bad_input_german_messages_nothing_written(client, login_as, lead_a, city_a):
    login_as(lead_a)
    resp = client.post("/strategie/ettlingen/beschluesse", data={"beschluss-decided_on": "31.02.2019",
                                                                 "beschluss-title": ""})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Bitte geben Sie ein gültiges Datum als TT.MM.JJJJ an" in html
    assert "Bitte geben Sie den Titel des Beschlusses an." in html
    resp = client.post("/strategie/ettlingen/beschluesse", data={"beschluss-decided_on": "01.01.2999",
                                                                 "beschluss-title": "Zukunft"})
    assert resp.status_code == 422 and "zwischen 1990 und heute" in resp.get_data(as_text=True)
    resp = client.post("/strategie/ettlingen/dokumente", data={
        "dokument-title": "Bild", "dokument-file": (io.BytesIO(b"<html><script>x</script>"), "s.pdf")},
        content_type="multipart/form-data")
    assert resp.status_code == 422 and "Dieser Dateityp ist nicht erlaubt" in resp.get_data(as_text=True)
    resp = client.post("/strategie/ettlingen/handlungsfelder", data={"feld-name": "  "})
    assert resp.status_code == 422 and "Bitte geben Sie den Namen des Handlungsfelds an." in resp.get_data(as_text=True)
    resp = client.post("/strategie/ettlingen/bearbeiten", data={"vision": "x", "visibility": "alle",
                                                                "version": "0"})
    assert resp.status_code == 422
    assert row_count(CouncilDecision) == 0 and row_count(StrategyDocument) == 0 and row_count(CityField) == 0
    assert row_count(Strategy) == 0


def test_staff_and_other_city_may_not_edit(sign_in, staff_a, lead_b, coordinator, city_a):
    assert sign_in(staff_a).get("/strategie/ettlingen/bearbeiten").status_code == 403
    assert sign_in(lead_b).get("/strategie/ettlingen/bearbeiten").status_code == 404
    assert sign_in(coordinator).get("/strategie/ettlingen/bearbeiten").status_code == 403


def test_inventory_and_roadmap_group_by_own_fields(client, login_as, lead_a, city_a, city_b, fields):
    login_as(lead_a)
    html = client.get("/vorhaben/ettlingen/").get_data(as_text=True)
    assert "eigenen Handlungsfeldern" not in html  # no own list: the network's fields, no switch
    own = CityField(municipality_id=city_a.id, name="Smarte Verwaltung", position=10)
    db.session.add(own)
    db.session.flush()
    make_project(city_a, fields[0], title="E-Akte", city_field_id=own.id, start_month=__import__("datetime").date(2026, 1, 1))
    make_project(city_a, fields[1], title="Parken")
    db.session.commit()
    html = client.get("/vorhaben/ettlingen/?felder=eigene").get_data(as_text=True)
    assert "Smarte Verwaltung" in html and "Ohne eigenes Handlungsfeld" in html
    assert html.index("E-Akte") < html.index("Ohne eigenes Handlungsfeld") < html.index("Parken")
    html = client.get("/vorhaben/ettlingen/roadmap?felder=eigene").get_data(as_text=True)
    assert "Smarte Verwaltung" in html
    html = client.get("/vorhaben/ettlingen/").get_data(as_text=True)
    assert "Digitale Bürgerdienste" in html and "Smarte Verwaltung" not in html.split("Gruppieren nach")[1].split("</p>")[1]


def test_project_form_takes_own_field_and_refuses_another_citys(client, login_as, lead_a, city_a, city_b, fields):
    own = CityField(municipality_id=city_a.id, name="Smarte Verwaltung")
    foreign = CityField(municipality_id=city_b.id, name="Fremd")
    db.session.add_all([own, foreign])
    db.session.commit()
    login_as(lead_a)
    assert "Smarte Verwaltung" in client.get("/vorhaben/ettlingen/neu").get_data(as_text=True)
    data = {"title": "Bürgerkonto", "field_id": str(fields[0].id), "status": "idea", "priority": "medium",
            "visibility": "network", "city_field_id": str(foreign.id)}
    resp = client.post("/vorhaben/ettlingen/neu", data=data)
    assert resp.status_code == 422 and "eigenen Handlungsfelder Ihrer Kommune" in resp.get_data(as_text=True)
    assert row_count(Project) == 0
    assert client.post("/vorhaben/ettlingen/neu", data={**data, "city_field_id": str(own.id)}).status_code == 302
    assert db.session.query(Project).one().city_field_id == own.id


def test_deleting_a_field_needs_confirmation_and_keeps_projects(client, login_as, lead_a, city_a, fields):
    own = CityField(municipality_id=city_a.id, name="Smarte Verwaltung")
    db.session.add(own)
    db.session.flush()
    p = make_project(city_a, fields[0], city_field_id=own.id)
    db.session.commit()
    login_as(lead_a)
    resp = client.post(f"/strategie/ettlingen/handlungsfelder/{own.id}/loeschen")
    assert resp.status_code == 200 and row_count(CityField) == 1  # the confirmation page
    assert client.post(f"/strategie/ettlingen/handlungsfelder/{own.id}/loeschen",
                       data={"confirm": "1"}).status_code == 302
    assert row_count(CityField) == 0 and db.session.get(Project, p.id).city_field_id is None


def test_strategy_page_statements_do_not_grow_with_projects(sign_in, lead_b, city_a, fields, count_queries):
    """Fields, projects, roadmap, decisions, documents, reports: the same statements for 3 and 40 projects."""
    db.session.add(Strategy(municipality_id=city_a.id, vision="Leitbild", visibility="network"))
    own = [CityField(municipality_id=city_a.id, name=f"Feld {i}", position=i) for i in range(3)]
    db.session.add_all(own)
    db.session.flush()
    for i in range(3):
        make_project(city_a, fields[i % 2], city_field_id=own[i % 3].id)
    db.session.commit()
    client = sign_in(lead_b)
    client.get("/strategie/ettlingen/")
    with count_queries() as few:
        assert client.get("/strategie/ettlingen/").status_code == 200
    for i in range(37):
        make_project(city_a, fields[i % 2], city_field_id=own[i % 3].id)
    db.session.commit()
    with count_queries() as many:
        html = client.get("/strategie/ettlingen/").get_data(as_text=True)
    assert len(many) == len(few) and html.count("/vorhaben/projekt/") >= 40


def test_stale_vision_answers_409_and_keeps_the_text(client, login_as, lead_a, city_a):
    db.session.add(Strategy(municipality_id=city_a.id, vision="alt", visibility="network"))
    db.session.commit()
    login_as(lead_a)
    resp = client.post("/strategie/ettlingen/bearbeiten", data={"vision": "Mein neuer Text", "visibility": "public",
                                                                "version": "0"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "Mein neuer Text" in html and "inzwischen von jemand anderem" in html
    assert 'name="version" type="hidden" value="1"' in html or 'value="1"' in html
    assert client.post("/strategie/ettlingen/bearbeiten", data={"vision": "Mein neuer Text", "visibility": "public",
                                                                "version": "1"}).status_code == 302
    assert db.session.query(Strategy).one().vision == "Mein neuer Text"


def test_removing_a_document_or_decision_needs_confirmation_and_the_file_goes(client, login_as, lead_a, city_a):
    import os

    from network.core.files import upload_folder
    login_as(lead_a)
    _record(client)
    doc = db.session.query(StrategyDocument).one()
    path = os.path.join(upload_folder(), doc.storage_name)
    assert os.path.exists(path)
    resp = client.post(f"/strategie/ettlingen/dokumente/{doc.id}/loeschen")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Dokument entfernen?" in html and os.path.exists(path)  # the confirmation page
    resp = client.post(f"/strategie/ettlingen/dokumente/{doc.id}/loeschen", data={"confirm": "1"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/strategie/ettlingen/bearbeiten")
    assert row_count(StrategyDocument) == 0 and not os.path.exists(path)
    decision = db.session.query(CouncilDecision).one()
    assert "Beschluss entfernen?" in client.post(
        f"/strategie/ettlingen/beschluesse/{decision.id}/loeschen").get_data(as_text=True)
    assert client.post(f"/strategie/ettlingen/beschluesse/{decision.id}/loeschen",
                       data={"confirm": "1"}).status_code == 302
    assert row_count(CouncilDecision) == 0
    assert "Der Beschluss wurde entfernt." in client.get("/strategie/ettlingen/bearbeiten").get_data(as_text=True)


def test_an_upload_whose_commit_fails_leaves_no_file(client, login_as, lead_a, city_a, monkeypatch):
    import os

    from network.core.files import upload_folder
    login_as(lead_a)
    os.makedirs(upload_folder(), exist_ok=True)
    before = set(os.listdir(upload_folder()))

    def commit_fails():
        raise RuntimeError("database gone")
    monkeypatch.setattr(db.session, "commit", commit_fails)
    monkeypatch.setitem(client.application.config, "PROPAGATE_EXCEPTIONS", False)
    resp = client.post("/strategie/ettlingen/dokumente", data={
        "dokument-title": "x", "dokument-file": (io.BytesIO(PDF), "strategie.pdf")}, content_type="multipart/form-data")
    assert resp.status_code == 500
    assert set(os.listdir(upload_folder())) == before  # the row was rolled back: its file went too
