"""Access-matrix rows of the inventory. City A has a network project, a staff draft, two projects to delete,
a network-visible status report (2025) and a CSV upload of its lead. Inventories, roadmaps, exports, project
pages and reports are public pages that show each visitor only what scope() lets through (anonymous: public
rows only), so they are in PUBLIC; writing needs a login."""

from network.extensions import db
from network.inventory.models import ImportUpload, Project, StatusReport
from tests.access import Case, logged_in, same

PUBLIC = {"inventory.city", "inventory.roadmap", "inventory.export_csv", "inventory.detail", "inventory.reports",
          "inventory.report", "inventory.report_print", "inventory.report_csv"}

NOT_ANON = {"anonymous": 404, "staff_a": 200, "lead_a": 200, "lead_b": 200, "coordinator": 200}


def build(w):
    city, field = w["city_a"], w["field"]

    def project(title, **kw):
        p = Project(municipality_id=city.id, field_id=field.id, title=title, status="idea",
                    visibility=kw.pop("visibility", "network"), **kw)
        db.session.add(p)
        return p

    out = {
        "project_a": project("Bürgerportal"),
        "draft_a": project("Entwurf", is_draft=True, created_by_id=w["staff_a"].id),
        "doomed_a": project("Wird gelöscht"),
        "doomed_api_a": project("Wird per API gelöscht"),
    }
    db.session.flush()
    # plain ids: the delete rows remove the object, later principals still need its URL
    out["doomed_a_id"], out["doomed_api_a_id"] = out["doomed_a"].id, out["doomed_api_a"].id
    out["report_a"] = StatusReport(municipality_id=city.id, year=2025, title="Sachstandsbericht 2025",
                                   visibility="network")
    out["upload_a"] = ImportUpload(municipality_id=city.id, created_by_id=w["lead_a"].id, token="tok-matrix-a",
                                   filename="liste.csv", content="Titel;Handlungsfeld;Status\nA;B;Idee\n",
                                   encoding="utf-8", delimiter=";")
    db.session.add_all([out["report_a"], out["upload_a"]])
    return out


ROWS = [
    Case("inventory.overview", "GET", lambda w: "/vorhaben/", logged_in()),
    Case("inventory.city", "GET", lambda w: "/vorhaben/ettlingen/", same(200)),
    Case("inventory.roadmap", "GET", lambda w: "/vorhaben/ettlingen/roadmap", same(200)),
    Case("inventory.export_csv", "GET", lambda w: "/vorhaben/ettlingen/export.csv", same(200)),
    Case("inventory.detail", "GET", lambda w: f"/vorhaben/projekt/{w['project_a'].id}", NOT_ANON),
    Case("inventory.new", "GET", lambda w: "/vorhaben/ettlingen/neu",
         {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 403}),
    Case("inventory.edit", "GET", lambda w: f"/vorhaben/projekt/{w['project_a'].id}/bearbeiten",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 403}),
    Case("inventory.release", "POST", lambda w: f"/vorhaben/projekt/{w['draft_a'].id}/freigeben",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403}),
    Case("inventory.delete", "POST", lambda w: f"/vorhaben/projekt/{w['doomed_a_id']}/loeschen",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 404}),
    # Sammelpflege: staff sees its own drafts; an empty POST saves nothing and goes back to the page
    Case("inventory.bulk", "GET", lambda w: "/vorhaben/ettlingen/sammelpflege",
         {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 403}),
    Case("inventory.bulk", "POST", lambda w: "/vorhaben/ettlingen/sammelpflege",
         {"anonymous": 302, "staff_a": 302, "lead_a": 302, "lead_b": 404, "coordinator": 403}),
    Case("inventory.bulk", "POST", lambda w: "/vorhaben/ettlingen/sammelpflege",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"row": [str(w["project_a"].id)], f"p-{w['project_a'].id}-status": "idea",
                         f"p-{w['project_a'].id}-priority": "medium", f"p-{w['project_a'].id}-end-month": "",
                         f"p-{w['project_a'].id}-version": "1"}),
    Case("inventory.import_upload", "GET", lambda w: "/vorhaben/ettlingen/import",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 403}),
    Case("inventory.import_mapping", "GET", lambda w: "/vorhaben/ettlingen/import/tok-matrix-a",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 403}),
    Case("inventory.reports", "GET", lambda w: "/vorhaben/ettlingen/berichte/", same(200)),
    Case("inventory.freeze", "POST", lambda w: "/vorhaben/ettlingen/berichte/neu",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403},
         data=lambda w: {"year": "2026", "visibility": "network", "confirm": "1"}),
    Case("inventory.report", "GET", lambda w: f"/vorhaben/bericht/{w['report_a'].id}", NOT_ANON),
    Case("inventory.report_print", "GET", lambda w: f"/vorhaben/bericht/{w['report_a'].id}/druck", NOT_ANON),
    Case("inventory.report_csv", "GET", lambda w: f"/vorhaben/bericht/{w['report_a'].id}.csv", NOT_ANON),
    # API (Bearer token); the matrix sends form data, so the JSON body is empty: the services answer 422
    Case("inventory_api.list_projects", "GET", lambda w: "/api/v1/municipalities/ettlingen/projects",
         logged_in(200, anon=401)),
    Case("inventory_api.create_project", "POST", lambda w: "/api/v1/municipalities/ettlingen/projects",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("inventory_api.get_project", "GET", lambda w: f"/api/v1/projects/{w['project_a'].id}",
         logged_in(200, anon=401)),
    Case("inventory_api.patch_project", "PATCH", lambda w: f"/api/v1/projects/{w['project_a'].id}",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("inventory_api.delete_project", "DELETE", lambda w: f"/api/v1/projects/{w['doomed_api_a_id']}",
         {"anonymous": 401, "staff_a": 403, "lead_a": 204, "lead_b": 404, "coordinator": 404}),
    Case("inventory_api.list_reports", "GET", lambda w: "/api/v1/municipalities/ettlingen/reports",
         logged_in(200, anon=401)),
    Case("inventory_api.get_report", "GET", lambda w: f"/api/v1/reports/{w['report_a'].id}",
         logged_in(200, anon=401)),
]
