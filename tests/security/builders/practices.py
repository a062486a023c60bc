"""Practices world: for each city a draft (title and attachment name are CITY canaries), a published network
practice (NETWORK canary in its summary) and a public one (PUBLIC canary); city B asks a question on city A's
practice. Leads write and publish, so their names appear on revision pages of published practices (NETWORK,
by design: who changed what).

State-changing requests act as lead A: on A's draft (edit, publish, restore, upload, delete an attachment), on
A's published practice (archive, answer B's question) and on B's published practice (reuse, ask).
"""

import io

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from network.extensions import db
from network.practices import services
from network.practices.models import (Practice, PracticeAttachment, PracticeQuestion, PracticeReuse,
                                      PracticeRevision)
from tests.security.world import CITY, FORM_DATA, NETWORK, PUBLIC, builder

ENDPOINTS = ("practices.", "practices_api.")
PDF = b"%PDF-1.4\n%kanarien\n"


class _Rewinding(io.BytesIO):
    """The gates send one FORM_DATA dict several times; the test client closes uploaded files after a request."""

    def close(self):
        self.seek(0)


def _pdf(name="plan.pdf"):
    return FileStorage(io.BytesIO(PDF), filename=name)


@builder
def practices_world(w):
    for tag in ("a", "b"):
        lead = getattr(w, f"lead_{tag}")
        city = lead.municipality.slug
        w.widen(lead.name, NETWORK)
        title, att_name = w.new_canary(), w.new_canary()
        draft = services.create_practice(lead, {"title": f"Entwurf {title}", "summary": "Noch nicht fertig",
                                                "sections": {"solution": "Erste Fassung"}})
        w.canary(title, "practice.draft_title", city=city, audience=CITY)
        att = services.add_attachment(lead, draft, _pdf(f"{att_name}.pdf"))
        w.canary(att_name, "practice.draft_attachment", city=city, audience=CITY)
        net_summary = w.new_canary()
        pub = services.create_practice(lead, {"title": f"Netzwerkbericht {tag.upper()}",
                                              "summary": f"Für Mitglieder {net_summary}",
                                              "sections": {"solution": "Zweite Fassung"}})
        services.update_practice(lead, pub, {"title": f"Netzwerkbericht {tag.upper()}",
                                             "summary": f"Für Mitglieder {net_summary}",
                                             "sections": {"solution": "Dritte Fassung"}}, version=pub.version)
        services.publish_practice(lead, pub)
        w.canary(net_summary, "practice.network_summary", city=city, audience=NETWORK)
        public_summary = w.new_canary()
        public = services.create_practice(lead, {"title": f"Öffentlicher Bericht {tag.upper()}",
                                                 "summary": f"Für alle {public_summary}", "visibility": "public"})
        services.publish_practice(lead, public)
        w.canary(public_summary, "practice.public_summary", city=city, audience=PUBLIC)
        rev = db.session.scalar(sa.select(PracticeRevision.id).where(PracticeRevision.practice_id == draft.id))
        for practice in (draft, pub, public):
            w.arg("practice_id", practice.id, city=city, endpoints=ENDPOINTS)
        w.arg("revision_id", rev, city=city, endpoints=ENDPOINTS)
        w.arg("attachment_id", att.id, city=city, endpoints=ENDPOINTS)
        w.objects.update({f"practice_draft_{tag}": draft, f"practice_pub_{tag}": pub,
                          f"practice_public_{tag}": public, f"practice_att_{tag}": att, f"practice_rev_{tag}": rev})
    question = services.ask_question(w.lead_b, w.practice_pub_a, "Wie lange hat die Einführung gedauert?")
    w.objects["practice_question_b"] = question
    db.session.commit()

    w.arg("practice_id", 999999, endpoints=ENDPOINTS)
    w.arg("question_id", question.id, endpoints=ENDPOINTS)
    w.arg("question_id", 999999, endpoints=ENDPOINTS)
    w.target("practice_id", w.practice_draft_a.id)
    for endpoint in ("practices.archive",):
        w.target("practice_id", w.practice_pub_a.id, endpoint=endpoint)
    for endpoint in ("practices.reuse", "practices.ask", "practices_api.put_reuse", "practices_api.ask_question"):
        w.target("practice_id", w.practice_pub_b.id, endpoint=endpoint)
    w.target("revision_id", w.practice_rev_a)
    w.target("attachment_id", w.practice_att_a.id)
    w.target("question_id", question.id)


def _version(practice_id):
    db.session.rollback()
    return str(db.session.scalar(sa.select(Practice.version).where(Practice.id == practice_id)))


def _form(title="Bürgerkonto", version=""):
    return {"title": title, "summary": "Ein Konto für alle Dienste", "visibility": "network", "field_id": "",
            "tags": "Konto", "solution": "Servicekonto BW", "version": version, "action": "save"}


FORM_DATA.update({
    "practices.new": lambda w: _form("Bürgerkonto-Einführung"),
    "practices.edit": lambda w: _form("Geänderter Entwurf", _version(w.practice_draft_a.id)),
    "practices.publish": lambda w: {"version": _version(w.practice_draft_a.id), "confirm": "1"},
    "practices.archive": lambda w: {},
    "practices.restore": lambda w: {"version": _version(w.practice_draft_a.id)},
    "practices.upload": lambda w: {"file": (_Rewinding(PDF), "neu.pdf")},
    "practices.delete_attachment": lambda w: {},
    "practices.reuse": lambda w: {"reuse-status": "adopting", "reuse-note": "Wir starten", "reuse-saved_days": "3"},
    "practices.ask": lambda w: {"q-question": "Welche Software setzen Sie ein?"},
    "practices.answer": lambda w: {f"a{w.practice_question_b.id}-answer": "Etwa sechs Monate."},
    "practices_api.create_practice": lambda w: {"title": "API-Bericht", "summary": "Per API",
                                                "sections": {"solution": "Schnittstelle"}},
    "practices_api.patch_practice": lambda w: {"title": "API-Änderung", "version": int(_version(w.practice_draft_a.id))},
    "practices_api.publish_practice": lambda w: {},
    "practices_api.put_reuse": lambda w: {"status": "adopted", "note": "Übernommen", "saved_days": 10},
    "practices_api.ask_question": lambda w: {"question": "Welche Kosten hatten Sie?"},
    "practices_api.answer_question": lambda w: {"answer": "Etwa sechs Monate."},
})


def _practice(pid):
    db.session.expire_all()
    return db.session.get(Practice, pid)


def _titled(title):
    return db.session.execute(sa.select(Practice).where(Practice.title == title)).scalar_one_or_none()


def mass_assignment_cases(Case) -> list:
    """The practices rows of test_mass_assignment.MASS_ASSIGNMENT."""

    def created(title):
        return lambda w: getattr(_titled(title), "municipality_id", None) == w.city_a.id \
            and _titled(title).status == "draft" and _titled(title).author_id == w.lead_a.id

    def reuse_of_a(w):
        mark = db.session.execute(sa.select(PracticeReuse).where(
            PracticeReuse.practice_id == w.practice_pub_b.id)).scalar_one_or_none()
        return mark is not None and mark.municipality_id == w.city_a.id and mark.user_id == w.lead_a.id

    def asked_by_a(w):
        return db.session.execute(sa.select(PracticeQuestion).where(
            PracticeQuestion.practice_id == w.practice_pub_b.id, PracticeQuestion.asked_by_id == w.lead_a.id,
            PracticeQuestion.municipality_id == w.city_a.id)).scalar_one_or_none() is not None

    def answered(w):
        db.session.expire_all()
        q = db.session.get(PracticeQuestion, w.practice_question_b.id)
        return q.answer == "Etwa sechs Monate." and q.answered_by_id == w.lead_a.id and q.municipality_id == w.city_b.id

    def attachments(w):
        return db.session.execute(sa.select(PracticeAttachment).where(
            PracticeAttachment.practice_id == w.practice_draft_a.id)).scalars().all()

    status = {("practice", "status")}
    # the mail about city B's practice (or to B's asker) is filed under city B: legitimately B's id
    mail_b = {("outbox_message", "municipality_id")}
    return [
        Case("practices.new", "lead_a", created("Bürgerkonto-Einführung")),
        Case("practices.edit", "lead_a", lambda w: _practice(w.practice_draft_a.id).title == "Geänderter Entwurf"),
        Case("practices.publish", "lead_a", lambda w: _practice(w.practice_draft_a.id).status == "published",
             changes=status),
        Case("practices.archive", "lead_a", lambda w: _practice(w.practice_pub_a.id).status == "archived",
             changes=status),
        Case("practices.restore", "lead_a", lambda w: len(services.revisions(_practice(w.practice_draft_a.id))) == 2),
        Case("practices.upload", "lead_a", lambda w: len(attachments(w)) == 2),
        Case("practices.delete_attachment", "lead_a", lambda w: len(attachments(w)) == 0),
        Case("practices.reuse", "lead_a", reuse_of_a, new_ok=mail_b),
        Case("practices.ask", "lead_a", asked_by_a, new_ok=mail_b),
        Case("practices.answer", "lead_a", answered, new_ok=mail_b),
        Case("practices_api.create_practice", "lead_a", created("API-Bericht"), expect_status=201, api=True),
        Case("practices_api.patch_practice", "lead_a",
             lambda w: _practice(w.practice_draft_a.id).title == "API-Änderung", method="PATCH", expect_status=200,
             api=True),
        Case("practices_api.publish_practice", "lead_a",
             lambda w: _practice(w.practice_draft_a.id).status == "published", expect_status=200, changes=status,
             api=True),
        Case("practices_api.put_reuse", "lead_a", reuse_of_a, method="PUT", expect_status=200, api=True, new_ok=mail_b),
        Case("practices_api.ask_question", "lead_a", asked_by_a, expect_status=201, api=True, new_ok=mail_b),
        Case("practices_api.answer_question", "lead_a", answered, expect_status=200, api=True, new_ok=mail_b),
    ]
