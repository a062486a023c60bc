"""Funding world: calls (network data: visible to every member, never to the public), an interest mark of
each city, one private application per city (its inside is for its own city and the coordination only:
title, description, note, checklist item, share note and document name are canaries with audience CITY),
and an application of city B that invites city A (to answer the invitation; no canaries: city A sees it).

The timeline of a joint application names who acted: a partner city sees the names of the lead city's
people there (lead B's name becomes NETWORK-visible; the topics builder widens it for the same reason).

For the state-changing requests the builder prepares: city A's application (status, partner, share,
checklist, notes, documents), a checklist item and a document of it, a third member city (Waghäusel) to
invite, and the invitation of city A by city B.
"""

import io

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from network.core.files import save_upload
from network.extensions import db
from network.funding import services as funding
from network.funding.models import (Application, ApplicationDocument, ApplicationMember, ApplicationNote, ChecklistItem,
                                    FundingCall, FundingInterest)
from tests import factories
from tests.security.world import CITY, FORM_DATA, NETWORK, builder

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class _Reusable(io.BytesIO):
    """A file body the security gates may send several times (the test client closes what it sends)."""

    def close(self):
        self.seek(0)


def _pdf(name="plan.pdf"):
    return FileStorage(io.BytesIO(PDF), filename=name)


@builder
def funding_world(w):
    title = w.new_canary()
    call = funding.create_call(w.coordinator, {
        "title": f"Aufruf {title}", "funder": "land", "joint_allowed": True, "rate": "50", "max_amount": "100.000",
        "summary": "Zuschuss", "deadlines": [{"label": "Antrag", "due_on": "2030-12-31"}]})
    w.canary(title, "funding.call_title", city=None, audience=NETWORK)
    w.objects.update(funding_call=call)
    for tag in ("a", "b"):
        lead = getattr(w, f"lead_{tag}")
        city = lead.municipality.slug
        note = w.new_canary()
        funding.set_interest(lead, call, True, f"Wir prüfen {note}")
        w.canary(note, "funding.interest_note", city=city, audience=NETWORK)
        canaries = {k: w.new_canary() for k in ("title", "description", "note", "item", "share", "doc")}
        app_ = funding.create_application(lead, call, {"title": f"Antrag {canaries['title']}",
                                                       "description": f"Inhalt {canaries['description']}"})
        funding.add_note(lead, app_, f"Notiz {canaries['note']}")
        item = funding.add_checklist_item(lead, app_, {"title": f"Aufgabe {canaries['item']}"})
        funding.set_share(lead, app_, "1.000", f"Beitrag {canaries['share']}")
        doc = funding.upload_document(lead, app_, _pdf(f"{canaries['doc']}.pdf"))
        for kind, text in canaries.items():
            w.canary(text, f"funding.application_{kind}", city=city, audience=CITY)
        w.objects.update({f"funding_app_{tag}": app_, f"funding_item_{tag}": item, f"funding_doc_{tag}": doc,
                          f"funding_doc_{tag}_id": doc.id})
        w.arg("application_id", app_.id, city=city)
        w.arg("item_id", item.id, city=city)
        w.arg("document_id", doc.id, city=city)
    # city B invites city A to another application (A answers); A's people see its timeline
    invite = funding.create_application(w.lead_b, call, {"title": "Gemeinsamer Antrag"})
    funding.invite_partner(w.lead_b, invite, w.city_a.id)
    w.widen(w.lead_b.name, NETWORK)
    city_c = factories.make_city("Waghäusel")
    w.objects.update(funding_invite=invite, funding_city_c=city_c)
    db.session.commit()

    w.arg("call_id", call.id)
    w.arg("call_id", 999999)
    w.arg("application_id", invite.id, city="buehl")
    w.arg("application_id", 999999)
    w.arg("item_id", 999999)
    w.arg("document_id", 999999)
    w.target("call_id", call.id)
    w.target("application_id", w.funding_app_a.id)
    w.target("application_id", invite.id, endpoint="funding.answer")
    w.target("item_id", w.funding_item_a.id)
    w.target("document_id", w.funding_doc_a_id)


# --- valid requests (CSRF control, mass assignment) ----------------------------------------

FORM_DATA.update({
    "funding.new": lambda w: {"title": "Neuer Aufruf", "funder": "bund", "rate": "65", "max_amount": "50.000",
                              "deadlines-0-label": "Antrag", "deadlines-0-due_on": "31.12.2030"},
    "funding.edit": lambda w: {"title": "Geänderter Aufruf", "funder": "land", "version": str(_call(w).version),
                               "deadlines-0-label": "Antrag", "deadlines-0-due_on": "31.12.2030"},
    "funding.interest": lambda w: {"interested": "0"},
    "funding.mark_checked": lambda w: {},
    "funding.new_application": lambda w: {"title": "Neuer Antrag", "requested_amount": "10.000"},
    "funding.update_application": lambda w: {"status": "preparing", "requested_amount": "20.000",
                                             "version": str(_app(w.funding_app_a.id).version)},
    "funding.invite_partner": lambda w: {"municipality_id": str(w.funding_city_c.id)},
    "funding.answer": lambda w: {"decision": "accept"},
    "funding.share": lambda w: {"share_amount": "2.500", "share_note": "Personal"},
    "funding.add_item": lambda w: {"title": "Neue Aufgabe", "municipality_id": str(w.city_a.id), "due_on": ""},
    "funding.toggle_item": lambda w: {"done": "1"},
    "funding.add_note": lambda w: {"body": "Neue Notiz"},
    "funding.upload_document": lambda w: {"file": (_Reusable(PDF), "neu.pdf")},
    "funding.delete_document": lambda w: {},
    "funding_api.create_call": lambda w: {"title": "API-Aufruf", "funder": "eu"},
    "funding_api.patch_call": lambda w: {"source": "Newsletter"},
    "funding_api.put_interest": lambda w: {"interested": False},
    "funding_api.create_application": lambda w: {"call_id": w.funding_call.id, "title": "API-Antrag"},
    "funding_api.patch_application": lambda w: {"status": "preparing", "share_amount": "3.000"},
    "funding_api.add_partner": lambda w: {"municipality": w.funding_city_c.slug},
})


def _call(w):
    return db.session.get(FundingCall, w.funding_call.id)


def _app(app_id):
    return db.session.get(Application, app_id)


def _named(model, **where):
    stmt = sa.select(model)
    for k, v in where.items():
        stmt = stmt.where(getattr(model, k) == v)
    return db.session.execute(stmt).scalars().first()


def _member(app_id, city_id):
    return _named(ApplicationMember, application_id=app_id, municipality_id=city_id)


def mass_assignment_cases(Case) -> list:
    """The funding rows of test_mass_assignment.MASS_ASSIGNMENT."""
    new_app = {("funding_application_member", "role")}
    return [
        Case("funding.new", "lead_a", lambda w: _named(FundingCall, title="Neuer Aufruf") is not None),
        Case("funding.edit", "coordinator", lambda w: _call(w).title == "Geänderter Aufruf"),
        Case("funding.mark_checked", "lead_b", lambda w: _call(w).checked_on is not None),
        Case("funding.interest", "lead_a", lambda w: _named(FundingInterest, municipality_id=w.city_a.id) is None),
        Case("funding.new_application", "lead_a",
             lambda w: getattr(_named(Application, title="Neuer Antrag"), "municipality_id", None) == w.city_a.id,
             new_ok=new_app),
        Case("funding.update_application", "lead_a", lambda w: _app(w.funding_app_a.id).status == "preparing",
             changes={("funding_application", "status")}),
        Case("funding.invite_partner", "lead_a",
             lambda w: getattr(_member(w.funding_app_a.id, w.funding_city_c.id), "status", None) == "invited"),
        Case("funding.answer", "lead_a",
             lambda w: _member(w.funding_invite.id, w.city_a.id).status == "accepted",
             # the answer is mailed to the lead city B's leads: that outbox row names city B legitimately
             changes={("funding_application_member", "status")}, new_ok={("outbox_message", "municipality_id")}),
        Case("funding.share", "lead_a", lambda w: str(_member(w.funding_app_a.id, w.city_a.id).share_amount) == "2500.00"),
        Case("funding.add_item", "lead_a", lambda w: _named(ChecklistItem, title="Neue Aufgabe") is not None),
        Case("funding.toggle_item", "staff_a", lambda w: db.session.get(ChecklistItem, w.funding_item_a.id).done),
        Case("funding.add_note", "staff_a", lambda w: _named(ApplicationNote, body="Neue Notiz") is not None),
        Case("funding.upload_document", "staff_a",
             lambda w: _named(ApplicationDocument, original_name="neu.pdf") is not None),
        Case("funding.delete_document", "lead_a",
             lambda w: db.session.get(ApplicationDocument, w.funding_doc_a_id) is None),
        Case("funding_api.create_call", "coordinator", lambda w: _named(FundingCall, title="API-Aufruf") is not None,
             expect_status=201, api=True),
        Case("funding_api.patch_call", "lead_b", lambda w: _call(w).source == "Newsletter", method="PATCH",
             expect_status=200, api=True),
        Case("funding_api.put_interest", "lead_a",
             lambda w: _named(FundingInterest, municipality_id=w.city_a.id) is None, method="PUT",
             expect_status=200, api=True),
        Case("funding_api.create_application", "lead_a",
             lambda w: getattr(_named(Application, title="API-Antrag"), "municipality_id", None) == w.city_a.id,
             expect_status=201, new_ok=new_app, api=True),
        Case("funding_api.patch_application", "lead_a",
             lambda w: _app(w.funding_app_a.id).status == "preparing"
             and str(_member(w.funding_app_a.id, w.city_a.id).share_amount) == "3000.00",
             method="PATCH", expect_status=200, changes={("funding_application", "status")}, api=True),
        Case("funding_api.add_partner", "lead_a",
             lambda w: getattr(_member(w.funding_app_a.id, w.funding_city_c.id), "status", None) == "invited",
             expect_status=201, api=True),
    ]



def xss_fields(ctx, payloads=None):
    """Payloads in calls (title, funder name, source, summary, eligibility, deadline label), interest notes and
    applications (title, description, note, checklist item, share note) of the XSS test city; the pages showing
    them. The rows are removed again by the clean-up registered in ctx["cleanups"]."""
    from network.accounts.models import User
    from network.core.validation import ValidationFailed
    from network.municipalities.models import Municipality
    coordinator, stats, payloads = ctx["coordinator"], ctx["stats"], ctx["payloads"]
    home = db.session.execute(sa.select(Municipality).where(Municipality.slug == "xss")).scalar_one()
    lead = User(email="funding-lead@xss-test.example", name="XSS Förderung", role="lead", municipality_id=home.id)
    db.session.add(lead)
    db.session.flush()
    created, pages = [], []
    for i in range(0, len(payloads), 20):
        chunk = [p.strip() for p in payloads[i:i + 20]]
        pick = [p for p in chunk if p and "\x00" not in p and len(p) <= 120] or ["XSS"]

        def one(n):
            return pick[n % len(pick)]
        try:
            with db.session.begin_nested():
                call = funding.create_call(coordinator, {
                    "title": one(0), "funder": "land", "funder_name": one(1), "source": one(2),
                    "summary": "\n".join(chunk)[:5000], "eligibility": one(3), "joint_allowed": True,
                    "deadlines": [{"label": one(4), "due_on": "2030-12-31"}]})
                created.append(call.id)
                funding.set_interest(lead, call, True, one(5))
                app_ = funding.create_application(lead, call, {"title": one(6), "description": "\n".join(chunk)[:5000]})
                funding.add_note(lead, app_, "\n".join(chunk)[:5000])
                funding.add_checklist_item(lead, app_, {"title": one(7)})
                funding.set_share(lead, app_, "1", one(8))
            stats["funding"] += len(chunk)
            pages += [f"/foerderung/{call.id}", f"/foerderung/antraege/{app_.id}", f"/foerderung/{call.id}/bearbeiten"]
        except ValidationFailed:
            stats["skipped (too long)"] += 1
    db.session.flush()
    pages += ["/foerderung/", "/foerderung/?status=all", "/foerderung/antraege/"]

    def clean_up():
        db.session.execute(sa.delete(FundingCall).where(FundingCall.id.in_(created)))
        db.session.commit()
    ctx["cleanups"].append(clean_up)
    return pages
