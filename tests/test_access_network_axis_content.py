"""The network axis of the access matrix, second half (issue #16): city-owned content whose visibility depends on
networks. Nordstadt, a city of network B ("nord") only, owns a published practice, a released project and a
status report, each of visibility "network" (members of every network the owning city takes part in). Every
route of the practices and inventory pages and APIs (and the lists that might show them) is called by

* ``a``: the lead of Bühl, a city of network A (re@di) only: 404 (pages and API), absent from lists and search,
* ``b``: the lead of Südstadt, another city of network B only: reads it,
* ``both``: the lead of Ettlingen, a city of both networks: reads it,
* ``admin``: the platform administration (no city, no network role): it manages networks and does not work in
  them (networks.services.may_read_network), so it reads public content only: 404 here,
* ``coord_a``: the coordination of network A acting on B's city: 404 (its reach is the cities of its network),
* ``coord_b``: the coordination of network B (in its own network, chosen by the switcher at login): everything of
  B's cities,
* ``left``: the lead of Altstadt, a city that left B and stays in A: it no longer reads B-only cities' "network"
  content (core.tenancy.shares_a_network counts members and guests, not cities that left; its own history in B,
  its claims and meetings, stays readable on B's pages: tests/topics/test_left_city.py).

An expectation is a status code, or SEEN / HIDDEN for a list that answers 200 with or without the content's title.
Writes are sent with empty or invalid bodies (or without confirm=1); only a reuse mark and a question, which a
reading city may write, go through. Nothing a row writes changes what another row sees, so the whole table runs on
one world (one test, every mismatch listed): 404 means "does not exist for you", 403 "visible, but not yours to change", 400/422 "you may, but the
input is wrong". A city-owned route (practices, inventory, their APIs, or any route naming a practice, project,
report or question id) without a row fails the test.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import Forbidden

from network.accounts.services import create_api_token
from network.extensions import db
from tests import factories
from tests.conftest import login

AXIS = ("a", "b", "both", "admin", "coord_a", "coord_b", "left")
SEEN, HIDDEN = "seen", "hidden"

#: blueprints of city-owned content with visibility "network"; every route of theirs needs a row
BLUEPRINTS = {"practices", "practices_api", "inventory", "inventory_api"}
#: a route of another blueprint that names one of these ids is city-owned content too
ID_ARGS = {"practice_id", "project_id", "report_id", "question_id", "attachment_id", "revision_id"}

PRACTICE = "Kaimauer-Sensorik Nordstadt"
PROJECT = "Hafenportal Nordstadt"
REPORT = "Sachstandsbericht Nordstadt 2025"
ENTRY = "Hafenportal Nordstadt (Stand 2025)"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def row(a, b, both, admin, coord_a, coord_b, left):
    return dict(zip(AXIS, (a, b, both, admin, coord_a, coord_b, left)))


#: who reads B-only "network" content: the cities of B (also the one in both networks) and B's coordination
READERS = row(404, 200, 200, 404, 404, 200, 404)
LISTED = row(HIDDEN, SEEN, SEEN, HIDDEN, HIDDEN, SEEN, HIDDEN)


@pytest.fixture
def world(app, nord, coordinator, coordinator_nord, admin):
    """Networks A (re@di) and B (nord); Nordstadt's practice, project and report of visibility "network"."""
    from network.core.current import set_request_network
    from network.inventory.models import Project, ReportEntry, StatusReport
    from network.practices import services as practices
    from network.practices.models import PracticeQuestion, PracticeRevision
    from tests.topics.conftest import make_field
    readi = factories.make_network()
    north = factories.make_city("Nordstadt", network=nord)
    south = factories.make_city("Südstadt", network=nord)
    buehl = factories.make_city("Bühl", network=readi)
    both = factories.make_city("Ettlingen", networks=[readi, nord])
    old = factories.make_city("Altstadt", network=readi)
    factories.join_network(old, nord, status="left")
    author = factories.make_user(north, "lead", email="lead@nordstadt.test")
    writer = factories.make_user(north, "staff", email="staff@nordstadt.test")
    people = {"a": factories.make_user(buehl, "lead", email="lead@buehl.test"),
              "b": factories.make_user(south, "lead", email="lead@suedstadt.test"),
              "both": factories.make_user(both, "lead", email="lead@ettlingen.test"),
              "admin": admin, "coord_a": coordinator, "coord_b": coordinator_nord,
              "left": factories.make_user(old, "lead", email="lead@altstadt.test")}
    field = make_field("Häfen", network_id=nord.id)
    project = Project(municipality_id=north.id, field_id=field.id, title=PROJECT, status="in_progress",
                      visibility="network")
    report = StatusReport(municipality_id=north.id, year=2025, title=REPORT, visibility="network")
    db.session.add_all([project, report])
    db.session.flush()
    db.session.add(ReportEntry(report_id=report.id, project_id=project.id, title=ENTRY, status="in_progress",
                               visibility="network", field_name=field.name))
    practice = practices.create_practice(writer, {"title": PRACTICE, "summary": "Sensoren an der Kaimauer",
                                                  "visibility": "network", "sections": {}, "topic_ids": [],
                                                  "field_id": None, "tags": ""})
    practices.publish_practice(author, practice)
    with app.test_request_context("/"):
        attachment = practices.add_attachment(writer, practice, FileStorage(io.BytesIO(PDF), filename="plan.pdf"))
    question = PracticeQuestion(practice_id=practice.id, municipality_id=both.id, asked_by_id=people["both"].id,
                                question="Welche Sensoren?")
    db.session.add(question)
    db.session.commit()
    revision = db.session.execute(db.select(PracticeRevision).filter_by(practice_id=practice.id)).scalars().first()
    tokens = {}
    for key, user in people.items():
        network = "readi" if key in ("coord_a", "a", "left") else "nord"
        try:
            with app.test_request_context(f"/n/{network}/"):
                set_request_network(network)
                tokens[key] = create_api_token(user, "axis")[1]
            db.session.commit()
        except Forbidden:  # an account that may hold no token calls the API without one (401)
            db.session.rollback()
    clients = {}
    for key, user in people.items():
        clients[key] = app.test_client()
        login(clients[key], user)
    return {"clients": clients, "api": app.test_client(), "tokens": tokens, "practice": practice.id,
            "project": project.id, "report": report.id, "attachment": attachment.id, "question": question.id,
            "revision": revision.id, "field": field.id, "north": north.slug}


@dataclass
class Row:
    endpoint: str
    method: str
    url: Callable[[dict], str]
    expect: dict
    data: Callable[[dict], dict] = lambda w: {}
    json: dict | None = None
    #: a list: 200 answers are SEEN or HIDDEN (the content's title or address is on it, or not)
    listed: bool = False


ROWS: list[Row] = []


def c(endpoint, method, url, expect, data=lambda w: {}, *, json=None, listed=False):
    ROWS.append(Row(endpoint, method, url, expect, data, json, listed))


#: 404 for whoever may not read it; the readers may not change another city's content (404 as for a private row:
#: core.permissions.require), B's coordination may read but not write it (403)
NOT_YOURS = row(404, 404, 404, 404, 404, 403, 404)
#: the API reads an address that names no network in the token owner's own network (core.apiauth, as the web opens
#: in it after the login), so B's coordination reads B's member cities' content there as on the web
API_READERS = row(404, 200, 200, 404, 404, 200, 404)
API_LISTED = row(HIDDEN, SEEN, SEEN, HIDDEN, HIDDEN, SEEN, HIDDEN)
API_NOT_YOURS = NOT_YOURS
#: routes of the own city only (new content, imports, bulk edits): refused for everybody here (Nordstadt is nobody's
#: own city): 403 for B's coordination, which reaches the city but has not this right; 404 for the coordination of
#: A, whose reach ends at its network's cities (core.permissions)
OWN_CITY = row(404, 404, 404, 404, 404, 403, 404)
#: what the coordination does for a city of its network (edit the city's data, manage its accounts)
CITY_ADMIN = row(404, 404, 404, 404, 404, 200, 404)

P = "/praxis"
V = "/vorhaben"
API = "/api/v1"
Q = "Wie lange hat die Einführung gedauert?"
# --- practices: lists and search (the list and the search open in the user's current network, Ettlingen's is
# re@di; "alle" spans all the user's networks), the feed (public practices only)
c("practices.list", "GET", lambda w: f"{P}/", row(HIDDEN, SEEN, HIDDEN, HIDDEN, HIDDEN, SEEN, HIDDEN), listed=True)
c("practices.list", "GET", lambda w: f"{P}/?netzwerk=alle", LISTED, listed=True)
c("practices.search", "GET", lambda w: f"{P}/suche?q=Kaimauer&netzwerk=alle", LISTED, listed=True)
c("practices.search", "GET", lambda w: f"{P}/suche?q=Kaimauer&netzwerk=nord", LISTED, listed=True)
c("practices.feed", "GET", lambda w: f"{P}/feed.atom", row(*[HIDDEN] * 7), listed=True)
c("practices.new", "GET", lambda w: f"{P}/neu", row(200, 200, 200, 403, 403, 403, 200))
c("practices.new", "POST", lambda w: f"{P}/neu", row(422, 422, 422, 403, 403, 403, 422), lambda w: {"title": ""})
# --- the practice and what hangs off it
c("practices.detail", "GET", lambda w: f"{P}/{w['practice']}", READERS)
c("practices.revisions", "GET", lambda w: f"{P}/{w['practice']}/versionen", READERS)
c("practices.download", "GET", lambda w: f"{P}/{w['practice']}/anhaenge/{w['attachment']}", READERS)
c("practices.edit", "GET", lambda w: f"{P}/{w['practice']}/bearbeiten", NOT_YOURS)
c("practices.edit", "POST", lambda w: f"{P}/{w['practice']}/bearbeiten", NOT_YOURS, lambda w: {"title": ""})
c("practices.publish", "GET", lambda w: f"{P}/{w['practice']}/veroeffentlichen", NOT_YOURS)
c("practices.publish", "POST", lambda w: f"{P}/{w['practice']}/veroeffentlichen", NOT_YOURS)
c("practices.archive", "POST", lambda w: f"{P}/{w['practice']}/archivieren", NOT_YOURS)
c("practices.restore", "POST", lambda w: f"{P}/{w['practice']}/versionen/{w['revision']}/wiederherstellen",
  NOT_YOURS)
c("practices.upload", "POST", lambda w: f"{P}/{w['practice']}/anhaenge", NOT_YOURS)
c("practices.delete_attachment", "POST", lambda w: f"{P}/{w['practice']}/anhaenge/{w['attachment']}/loeschen",
  NOT_YOURS)
# what a reading city does with another city's practice: mark its reuse, ask a question (bad input: 422)
c("practices.reuse", "POST", lambda w: f"{P}/{w['practice']}/nachnutzung", row(404, 422, 422, 404, 404, 403, 404),
  lambda w: {"status": "bogus"})
c("practices.ask", "POST", lambda w: f"{P}/{w['practice']}/fragen", row(404, 422, 422, 404, 404, 403, 404),
  lambda w: {"question": ""})
c("practices.answer", "POST", lambda w: f"{P}/fragen/{w['question']}/antwort", NOT_YOURS, lambda w: {"answer": ""})
c("practices_api.list_practices", "GET", lambda w: f"{API}/practices?q=Kaimauer", API_LISTED, listed=True)
c("practices_api.list_practices", "GET", lambda w: f"{API}/practices", API_LISTED, listed=True)
c("practices_api.create_practice", "POST", lambda w: f"{API}/practices", row(*[422] * 7), json={})
c("practices_api.get_practice", "GET", lambda w: f"{API}/practices/{w['practice']}", API_READERS)
c("practices_api.list_revisions", "GET", lambda w: f"{API}/practices/{w['practice']}/revisions", API_READERS)
c("practices_api.patch_practice", "PATCH", lambda w: f"{API}/practices/{w['practice']}", API_NOT_YOURS,
  json={"title": "Neuer Titel", "version": 99})
c("practices_api.publish_practice", "POST", lambda w: f"{API}/practices/{w['practice']}/publish", API_NOT_YOURS,
  json={})
# valid bodies: the readers write (a reuse mark, a question), B's coordination reads but may not (403), whoever may
# not read the practice meets 404
c("practices_api.put_reuse", "PUT", lambda w: f"{API}/practices/{w['practice']}/reuse",
  row(404, 200, 200, 404, 404, 403, 404), json={"status": "interested"})
c("practices_api.ask_question", "POST", lambda w: f"{API}/practices/{w['practice']}/questions",
  row(404, 201, 201, 404, 404, 403, 404), json={"question": Q})
c("practices_api.answer_question", "POST", lambda w: f"{API}/questions/{w['question']}/answer", API_NOT_YOURS,
  json={"answer": "Ein Jahr."})
# --- inventory: the overview counts the current network's cities (no titles); the city's inventory, roadmap,
# export and reports list what the reader may see
c("inventory.overview", "GET", lambda w: f"{V}/", row(200, 200, 200, 403, 200, 200, 200))
c("inventory.city", "GET", lambda w: f"{V}/{w['north']}/", row(HIDDEN, SEEN, SEEN, 403, HIDDEN, SEEN, HIDDEN),
  listed=True)
c("inventory.roadmap", "GET", lambda w: f"{V}/{w['north']}/roadmap", LISTED, listed=True)
c("inventory.export_csv", "GET", lambda w: f"{V}/{w['north']}/export.csv", LISTED, listed=True)
c("inventory.reports", "GET", lambda w: f"{V}/{w['north']}/berichte/", LISTED, listed=True)
c("inventory.detail", "GET", lambda w: f"{V}/projekt/{w['project']}", READERS)
c("inventory.report", "GET", lambda w: f"{V}/bericht/{w['report']}", READERS)
c("inventory.report_csv", "GET", lambda w: f"{V}/bericht/{w['report']}.csv", READERS)
c("inventory.report_print", "GET", lambda w: f"{V}/bericht/{w['report']}/druck", READERS)
c("inventory.edit", "GET", lambda w: f"{V}/projekt/{w['project']}/bearbeiten", NOT_YOURS)
c("inventory.edit", "POST", lambda w: f"{V}/projekt/{w['project']}/bearbeiten", NOT_YOURS, lambda w: {"title": ""})
c("inventory.release", "POST", lambda w: f"{V}/projekt/{w['project']}/freigeben", NOT_YOURS)
c("inventory.delete", "POST", lambda w: f"{V}/projekt/{w['project']}/loeschen", NOT_YOURS)
c("inventory.freeze", "POST", lambda w: f"{V}/{w['north']}/berichte/neu", OWN_CITY, lambda w: {"year": ""})
c("inventory.new", "GET", lambda w: f"{V}/{w['north']}/neu", OWN_CITY)
c("inventory.new", "POST", lambda w: f"{V}/{w['north']}/neu", OWN_CITY, lambda w: {"title": ""})
c("inventory.import_upload", "GET", lambda w: f"{V}/{w['north']}/import", OWN_CITY)
c("inventory.import_upload", "POST", lambda w: f"{V}/{w['north']}/import", OWN_CITY)
c("inventory.import_mapping", "GET", lambda w: f"{V}/{w['north']}/import/gibt-es-nicht", OWN_CITY)
c("inventory.import_mapping", "POST", lambda w: f"{V}/{w['north']}/import/gibt-es-nicht", OWN_CITY)
c("inventory.bulk", "GET", lambda w: f"{V}/{w['north']}/sammelpflege", OWN_CITY)
c("inventory.bulk", "POST", lambda w: f"{V}/{w['north']}/sammelpflege", OWN_CITY)
c("inventory_api.list_projects", "GET", lambda w: f"{API}/municipalities/{w['north']}/projects",
  row(HIDDEN, SEEN, SEEN, 403, HIDDEN, SEEN, HIDDEN), listed=True)
c("inventory_api.list_reports", "GET", lambda w: f"{API}/municipalities/{w['north']}/reports", API_LISTED,
  listed=True)
c("inventory_api.get_project", "GET", lambda w: f"{API}/projects/{w['project']}", API_READERS)
c("inventory_api.get_report", "GET", lambda w: f"{API}/reports/{w['report']}", API_READERS)
c("inventory_api.create_project", "POST", lambda w: f"{API}/municipalities/{w['north']}/projects",
  row(404, 404, 404, 404, 404, 403, 404), json=lambda w: {"title": "Neues Vorhaben", "status": "idea", "field_id": w["field"]})
c("inventory_api.patch_project", "PATCH", lambda w: f"{API}/projects/{w['project']}", API_NOT_YOURS,
  json={"title": "Neuer Titel", "version": 99})
c("inventory_api.delete_project", "DELETE", lambda w: f"{API}/projects/{w['project']}", API_NOT_YOURS)
# --- the city's page lists its content too
c("municipalities.detail", "GET", lambda w: f"/kommunen/{w['north']}", LISTED, listed=True)
# the start page (dashboard) names none of it today; a leak to A, the administration or the city that left shows here
c("main.index", "GET", lambda w: "/", row(*[HIDDEN] * 7), listed=True)
# the city itself: the coordination of A must not edit a city of B only nor read its accounts (issue #16)
c("municipalities.edit", "GET", lambda w: f"/kommunen/{w['north']}/bearbeiten", CITY_ADMIN)
c("municipalities.users", "GET", lambda w: f"/kommunen/{w['north']}/konten", CITY_ADMIN)


def _markers(w):
    """What shows the content on a list: its titles (JSON, CSV, plain lists) or its addresses (highlighted hits)."""
    return (PRACTICE, PROJECT, REPORT, ENTRY, f"/praxis/{w['practice']}\"", f"/vorhaben/projekt/{w['project']}\"",
            f"/vorhaben/bericht/{w['report']}\"")


def _call(w, principal, r: Row):
    path = r.url(w)
    if not path.startswith("/api/"):
        return w["clients"][principal].open(path, method=r.method, data=r.data(w))
    headers = {"Authorization": f"Bearer {w['tokens'][principal]}"} if principal in w["tokens"] else {}
    client = w["api"]
    if r.json is not None:
        return client.open(path, method=r.method, json=r.json(w) if callable(r.json) else r.json, headers=headers)
    return client.open(path, method=r.method, data=r.data(w), headers=headers)


def _answer(w, r: Row, resp):
    if not r.listed or resp.status_code != 200:
        return resp.status_code
    body = resp.get_data(as_text=True)
    return SEEN if any(m in body for m in _markers(w)) else HIDDEN


def _city_owned(rule) -> bool:
    return rule.endpoint.split(".")[0] in BLUEPRINTS or bool(ID_ARGS & set(rule.arguments))


def test_every_city_owned_route_has_a_row(app):
    covered = {(r.endpoint, r.method) for r in ROWS}
    missing = sorted((r.endpoint, m) for r in app.url_map.iter_rules() if _city_owned(r)
                     for m in r.methods - {"HEAD", "OPTIONS"} if (r.endpoint, m) not in covered)
    assert not missing, f"city-owned routes without a row on the network axis: {missing}"


def test_network_axis_of_city_owned_content(world):
    """One world for the whole table (nothing in it changes what another row sees); every mismatch is listed."""
    wrong = []
    for r in ROWS:
        got = {p: _answer(world, r, _call(world, p, r)) for p in AXIS}
        if got != r.expect:
            wrong.append(f"{r.method} {r.url(world)} ({r.endpoint}): expected {r.expect}, got {got}")
    assert not wrong, "\n".join(wrong)
