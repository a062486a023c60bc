"""Access-matrix rows of the funding domain.

World: an open call; "app_a" led by city A without partners (city B is no member: 404 inside);
"app_b_invites_a" led by city B with city A invited (A answers); city C (Rastatt) to invite;
a checklist item and a document in app_a.
"""

import io

from werkzeug.datastructures import FileStorage

from network.extensions import db
from tests import factories
from tests.access import Case, logged_in

LEADS_AND_COORD = {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 200, "coordinator": 200}
#: inside of app_a: its city and the coordination; another city's lead 404
INSIDE = {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 200}


def build(w):
    from network.core.files import save_upload
    from network.funding import services
    from network.funding.models import ApplicationDocument
    from tests.funding.conftest import make_call
    call = make_call("Matrix-Aufruf")
    city_c = factories.make_city("Waghäusel")
    app_a = services.create_application(w["lead_a"], call, {"title": "Antrag A"})
    item = services.add_checklist_item(w["lead_a"], app_a, {"title": "Aufgabe"})
    app_b = services.create_application(w["lead_b"], call, {"title": "Antrag B"})
    services.invite_partner(w["lead_b"], app_b, w["city_a"].id)
    saved = save_upload(FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="plan.pdf"))
    doc = ApplicationDocument(application_id=app_a.id, municipality_id=w["city_a"].id, storage_name=saved.storage_name,
                              original_name=saved.original_name, content_type=saved.content_type, size=saved.size,
                              sha256=saved.sha256)
    db.session.add(doc)
    db.session.flush()
    return {"funding_call": call, "funding_app_a": app_a, "funding_app_b": app_b, "funding_item": item,
            "funding_doc": doc, "funding_doc_id": doc.id, "city_c": city_c}


def _a(w, suffix=""):
    return f"/foerderung/antraege/{w['funding_app_a'].id}{suffix}"


ROWS = [
    Case("funding.radar", "GET", lambda w: "/foerderung/", logged_in()),
    Case("funding.new", "GET", lambda w: "/foerderung/neu", LEADS_AND_COORD),
    Case("funding.detail", "GET", lambda w: f"/foerderung/{w['funding_call'].id}", logged_in()),
    Case("funding.edit", "GET", lambda w: f"/foerderung/{w['funding_call'].id}/bearbeiten", LEADS_AND_COORD),
    Case("funding.interest", "POST", lambda w: f"/foerderung/{w['funding_call'].id}/interesse",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 302, "coordinator": 403},
         data=lambda w: {"interested": "1"}),
    Case("funding.mark_checked", "POST", lambda w: f"/foerderung/{w['funding_call'].id}/geprueft",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 302, "coordinator": 302}),
    Case("funding.new_application", "GET", lambda w: f"/foerderung/{w['funding_call'].id}/antrag",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 200, "coordinator": 403}),
    Case("funding.applications", "GET", lambda w: "/foerderung/antraege/", logged_in()),
    Case("funding.application", "GET", lambda w: _a(w), INSIDE),
    # only a lead of the lead applicant city changes the status (a partner: see app_b below)
    Case("funding.update_application", "POST", lambda w: _a(w, "/status"),
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"status": "preparing", "version": "1"}),
    Case("funding.invite_partner", "POST", lambda w: _a(w, "/partner"),
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"municipality_id": str(w["city_c"].id)}),
    # city A is invited to B's application: A's lead answers; B (the lead city) has no invitation: 409
    Case("funding.answer", "POST", lambda w: f"/foerderung/antraege/{w['funding_app_b'].id}/antwort",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 409, "coordinator": 403},
         data=lambda w: {"decision": "accept"}),
    Case("funding.share", "POST", lambda w: _a(w, "/anteil"),
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"share_amount": "1.000"}),
    Case("funding.add_item", "POST", lambda w: _a(w, "/aufgaben"),
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"title": "Noch eine Aufgabe"}),
    Case("funding.toggle_item", "POST", lambda w: _a(w, f"/aufgaben/{w['funding_item'].id}"),
         {"anonymous": 302, "staff_a": 302, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"done": "1"}),
    Case("funding.add_note", "POST", lambda w: _a(w, "/notizen"),
         {"anonymous": 302, "staff_a": 302, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"body": "Notiz"}),
    Case("funding.upload_document", "POST", lambda w: _a(w, "/dokumente"),
         {"anonymous": 302, "staff_a": 422, "lead_a": 422, "lead_b": 404, "coordinator": 403}),
    Case("funding.download_document", "GET", lambda w: _a(w, f"/dokumente/{w['funding_doc_id']}"), INSIDE),
    Case("funding.delete_document", "POST", lambda w: _a(w, f"/dokumente/{w['funding_doc_id']}/loeschen"),
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403}),
    # API
    Case("funding_api.list_calls", "GET", lambda w: "/api/v1/funding-calls", logged_in(200, anon=401)),
    Case("funding_api.create_call", "POST", lambda w: "/api/v1/funding-calls",
         {"anonymous": 401, "staff_a": 403, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("funding_api.get_call", "GET", lambda w: f"/api/v1/funding-calls/{w['funding_call'].id}",
         logged_in(200, anon=401)),
    Case("funding_api.patch_call", "PATCH", lambda w: f"/api/v1/funding-calls/{w['funding_call'].id}",
         {"anonymous": 401, "staff_a": 403, "lead_a": 200, "lead_b": 200, "coordinator": 200}),
    Case("funding_api.put_interest", "PUT", lambda w: f"/api/v1/funding-calls/{w['funding_call'].id}/interest",
         {"anonymous": 401, "staff_a": 403, "lead_a": 200, "lead_b": 200, "coordinator": 403}),
    Case("funding_api.list_applications", "GET", lambda w: "/api/v1/applications", logged_in(200, anon=401)),
    Case("funding_api.create_application", "POST", lambda w: "/api/v1/applications",
         {"anonymous": 401, "staff_a": 403, "lead_a": 422, "lead_b": 422, "coordinator": 403}),
    Case("funding_api.get_application", "GET", lambda w: f"/api/v1/applications/{w['funding_app_a'].id}",
         {"anonymous": 401, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 200}),
    Case("funding_api.patch_application", "PATCH", lambda w: f"/api/v1/applications/{w['funding_app_a'].id}",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 404, "coordinator": 403}),
    Case("funding_api.add_partner", "POST", lambda w: f"/api/v1/applications/{w['funding_app_a'].id}/partners",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    # a partner (city A, invited and accepted here) may not change the status of B's application
    Case("funding.update_application", "POST", lambda w: f"/foerderung/antraege/{w['funding_app_b'].id}/status",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 302, "coordinator": 403},
         data=lambda w: {"status": "preparing", "version": "1"}),
]
