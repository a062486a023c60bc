"""Access-matrix rows of the practices domain.

World (city A unless named): draft_a (draft), pub_a (published, network, with an attachment, two revisions
and an open question of city B), public_a (published, public), pub_b (published by city B).
"""

import io

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from network.extensions import db
from network.practices import services
from network.practices.models import Practice, PracticeRevision
from tests.access import Case, logged_in, same

PUBLIC = {"practices.list", "practices.search", "practices.feed", "practices.detail", "practices.download"}


def build(w):
    def make(author, title, **kw):
        return services.create_practice(author, {"title": title, "summary": "Kurz", "visibility": kw.get("vis", "network"),
                                                 "sections": {"solution": "Lösung"}})
    draft_a = make(w["staff_a"], "Entwurf A")
    pub_a = make(w["staff_a"], "Bericht A")
    services.update_practice(w["staff_a"], pub_a, {"title": "Bericht A", "summary": "Länger",
                                                   "sections": {"solution": "Neue Lösung"}}, version=pub_a.version)
    services.publish_practice(w["lead_a"], pub_a)
    public_a = make(w["staff_a"], "Öffentlicher Bericht A", vis="public")
    services.publish_practice(w["lead_a"], public_a)
    pub_b = make(w["lead_b"], "Bericht B")
    services.publish_practice(w["lead_b"], pub_b)
    att = services.add_attachment(w["staff_a"], pub_a, FileStorage(io.BytesIO(b"%PDF-1.4\n%test\n"), filename="plan.pdf"))
    question = services.ask_question(w["lead_b"], pub_a, "Wie lange hat die Einführung gedauert?")
    first_rev = db.session.scalar(sa.select(PracticeRevision.id).where(PracticeRevision.practice_id == draft_a.id))
    # plain ids: the version helper below rolls the test session back, which expires loaded objects
    return {"p_draft_a": draft_a.id, "p_pub_a": pub_a.id, "p_public_a": public_a.id, "p_pub_b": pub_b.id,
            "att_a": att.id, "question_b": question.id, "draft_rev": first_rev}


def _version(practice_id):
    db.session.rollback()
    return str(db.session.scalar(sa.select(Practice.version).where(Practice.id == practice_id)))


def _flip_visibility(practice_id):
    """The edit form of a practice with its text unchanged and the other visibility."""
    version = _version(practice_id)
    p = db.session.get(Practice, practice_id)
    return {"title": p.title, "summary": p.summary, "solution": p.section("solution"), "field_id": "", "tags": "",
            "visibility": "public" if p.visibility == "network" else "network", "version": version,
            "action": "save"}


def _p(w, key):
    return w["p_" + key]


ROWS = [
    Case("practices.list", "GET", lambda w: "/praxis/", same(200)),
    Case("practices.search", "GET", lambda w: "/praxis/suche?q=Bericht", same(200)),
    Case("practices.feed", "GET", lambda w: "/praxis/feed.atom", same(200)),
    Case("practices.detail", "GET", lambda w: f"/praxis/{_p(w, 'public_a')}", same(200)),
    Case("practices.detail", "GET", lambda w: f"/praxis/{_p(w, 'pub_a')}", same(200, anonymous=404)),
    Case("practices.detail", "GET", lambda w: f"/praxis/{_p(w, 'draft_a')}",
         {"anonymous": 404, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 200}),
    Case("practices.new", "GET", lambda w: "/praxis/neu",
         {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 200, "coordinator": 403}),
    Case("practices.edit", "GET", lambda w: f"/praxis/{_p(w, 'draft_a')}/bearbeiten",
         {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 403}),
    Case("practices.edit", "GET", lambda w: f"/praxis/{_p(w, 'pub_b')}/bearbeiten",
         {"anonymous": 302, "staff_a": 404, "lead_a": 404, "lead_b": 200, "coordinator": 403}),
    Case("practices.publish", "POST", lambda w: f"/praxis/{_p(w, 'draft_a')}/veroeffentlichen",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"version": _version(w["p_draft_a"]), "confirm": "1"}),
    Case("practices.publish", "GET", lambda w: f"/praxis/{_p(w, 'draft_a')}/veroeffentlichen",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 403}),
    # changing who may read a published practice is the lead's right, like publishing it (#14 finding 5);
    # the form always flips the visibility, so every principal asks for a real change
    Case("practices.edit", "POST", lambda w: f"/praxis/{_p(w, 'pub_a')}/bearbeiten",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: _flip_visibility(w["p_pub_a"])),
    Case("practices.archive", "POST", lambda w: f"/praxis/{_p(w, 'pub_a')}/archivieren",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403}),
    Case("practices.revisions", "GET", lambda w: f"/praxis/{_p(w, 'pub_a')}/versionen", logged_in()),
    Case("practices.revisions", "GET", lambda w: f"/praxis/{_p(w, 'draft_a')}/versionen",
         {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 200}),
    Case("practices.restore", "POST", lambda w: f"/praxis/{_p(w, 'draft_a')}/versionen/{w['draft_rev']}/wiederherstellen",
         {"anonymous": 302, "staff_a": 302, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"version": _version(w["p_draft_a"])}),
    Case("practices.upload", "POST", lambda w: f"/praxis/{_p(w, 'pub_a')}/anhaenge",
         {"anonymous": 302, "staff_a": 422, "lead_a": 422, "lead_b": 404, "coordinator": 403}),
    Case("practices.download", "GET", lambda w: f"/praxis/{_p(w, 'pub_a')}/anhaenge/{w['att_a']}",
         same(200, anonymous=404)),
    Case("practices.delete_attachment", "POST",
         lambda w: f"/praxis/{_p(w, 'pub_a')}/anhaenge/{w['att_a']}/loeschen",
         {"anonymous": 302, "staff_a": 302, "lead_a": 404, "lead_b": 404, "coordinator": 403}),
    Case("practices.reuse", "POST", lambda w: f"/praxis/{_p(w, 'pub_a')}/nachnutzung",
         {"anonymous": 302, "staff_a": 422, "lead_a": 422, "lead_b": 302, "coordinator": 403},
         data=lambda w: {"reuse-status": "interested"}),
    Case("practices.ask", "POST", lambda w: f"/praxis/{_p(w, 'pub_a')}/fragen",
         {"anonymous": 302, "staff_a": 422, "lead_a": 422, "lead_b": 302, "coordinator": 403},
         data=lambda w: {"q-question": "Welche Software nutzen Sie genau?"}),
    Case("practices.answer", "POST", lambda w: f"/praxis/fragen/{w['question_b']}/antwort",
         {"anonymous": 302, "staff_a": 302, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {f"a{w['question_b']}-answer": "Etwa sechs Monate."}),
    # API
    Case("practices_api.list_practices", "GET", lambda w: "/api/v1/practices?q=Bericht", logged_in(200, anon=401)),
    Case("practices_api.get_practice", "GET", lambda w: f"/api/v1/practices/{_p(w, 'pub_a')}", logged_in(200, anon=401)),
    Case("practices_api.get_practice", "GET", lambda w: f"/api/v1/practices/{_p(w, 'draft_a')}",
         {"anonymous": 401, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 200}),
    Case("practices_api.create_practice", "POST", lambda w: "/api/v1/practices",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("practices_api.patch_practice", "PATCH", lambda w: f"/api/v1/practices/{_p(w, 'draft_a')}",
         {"anonymous": 401, "staff_a": 409, "lead_a": 409, "lead_b": 404, "coordinator": 403}),
    Case("practices_api.publish_practice", "POST", lambda w: f"/api/v1/practices/{_p(w, 'draft_a')}/publish",
         {"anonymous": 401, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 403}),
    Case("practices_api.list_revisions", "GET", lambda w: f"/api/v1/practices/{_p(w, 'pub_a')}/revisions",
         logged_in(200, anon=401)),
    Case("practices_api.put_reuse", "PUT", lambda w: f"/api/v1/practices/{_p(w, 'pub_a')}/reuse",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("practices_api.ask_question", "POST", lambda w: f"/api/v1/practices/{_p(w, 'pub_a')}/questions",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("practices_api.answer_question", "POST", lambda w: f"/api/v1/questions/{w['question_b']}/answer",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
]
