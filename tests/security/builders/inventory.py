"""Inventory world: for each city a network project, a city-only project and a staff draft (their titles are
canaries with audience CITY: drafts and city-only projects are seen by the own city and the coordination
only), a network-visible status report (its entries include the city-only project: other cities must not see
it there either), a city-only status report (canary title), and a CSV upload of the city's lead (the file
name is a canary only the uploading lead sees). Write routes act on city A.
"""

import io

import sqlalchemy as sa

from network.extensions import db
from network.inventory import importer, services
from network.inventory.models import ImportUpload, Project, StatusReport
from tests.security.world import CITY, FORM_DATA, SELF, builder

ENDPOINTS = ("inventory.", "inventory_api.")


class _ReusableFile(io.BytesIO):
    """An upload the security gates may send more than once (the test client closes what it sent)."""

    def close(self):
        self.seek(0)


def _csv(field_name):
    return f"Titel;Handlungsfeld;Status\nImportiertes Vorhaben;{field_name};Idee\n".encode()


@builder
def inventory_world(w):
    # builders run in file-name order: the topics builder (and its field) comes later
    from network.topics import services as topics
    field = topics.create_field(w.coordinator, {"name": "Infrastruktur und Standortentwicklung", "description": "",
                                                "position": 5})
    w.objects["inv_field"] = field
    for tag in ("a", "b"):
        lead, staff = getattr(w, f"lead_{tag}"), getattr(w, f"staff_{tag}")
        slug = lead.municipality.slug
        base = {"field_id": field.id, "status": "in_progress", "priority": "high"}
        shared = services.create_project(lead, {**base, "title": f"Bürgerportal {slug}", "visibility": "network"})
        secret_title, draft_title, report_title = w.new_canary(), w.new_canary(), w.new_canary()
        secret = services.create_project(lead, {**base, "title": f"Intern {secret_title}", "visibility": "city"})
        draft = services.create_project(staff, {**base, "title": f"Entwurf {draft_title}", "visibility": "network"})
        w.canary(secret_title, "project.title (city only)", city=slug, audience=CITY)
        w.canary(draft_title, "project.title (draft)", city=slug, audience=CITY)
        report = services.freeze_report(lead, {"year": 2024, "visibility": "network"})
        city_report = services.freeze_report(lead, {"year": 2025, "visibility": "city",
                                                    "title": f"Bericht {report_title}"})
        w.canary(report_title, "status_report.title (city only)", city=slug, audience=CITY)
        filename = w.new_canary()
        upload = importer.store_upload(lead, f"{filename}.csv", _csv(field.name))
        w.canary(filename, "project_import.filename", city=slug, audience=SELF, owner=lead.email)
        doomed = services.create_project(lead, {**base, "title": f"Wird gelöscht {slug}", "visibility": "network"})
        doomed_api = services.create_project(lead, {**base, "title": f"API löscht {slug}", "visibility": "network"})
        for obj in (shared, secret, draft, doomed, doomed_api):
            w.arg("project_id", obj.id, city=slug, endpoints=ENDPOINTS)
        for obj in (report, city_report):
            w.arg("report_id", obj.id, city=slug, endpoints=ENDPOINTS)
        w.arg("token", upload.token, city=slug, endpoints=ENDPOINTS)
        w.arg("slug", slug, city=slug, endpoints=ENDPOINTS)
        w.objects.update({f"inv_project_{tag}": shared, f"inv_secret_{tag}": secret, f"inv_draft_{tag}": draft,
                          f"inv_upload_{tag}": upload, f"inv_doomed_{tag}": doomed,
                          f"inv_doomed_api_{tag}": doomed_api, f"inv_doomed_{tag}_id": doomed.id,
                          f"inv_doomed_api_{tag}_id": doomed_api.id})
    db.session.commit()
    w.arg("slug", "gibt-es-nicht", endpoints=ENDPOINTS)
    w.arg("project_id", 999999, endpoints=ENDPOINTS)
    w.arg("report_id", 999999, endpoints=ENDPOINTS)
    w.arg("token", "gibt-es-nicht", endpoints=ENDPOINTS)
    for endpoint in ("inventory.new", "inventory.import_upload", "inventory.import_mapping", "inventory.freeze",
                     "inventory.bulk", "inventory_api.create_project"):
        w.target("slug", w.city_a.slug, endpoint=endpoint)
    w.target("token", w.inv_upload_a.token, endpoint="inventory.import_mapping")
    for endpoint in ("inventory.edit", "inventory_api.patch_project"):
        w.target("project_id", w.inv_project_a.id, endpoint=endpoint)
    w.target("project_id", w.inv_draft_a.id, endpoint="inventory.release")
    w.target("project_id", w.inv_doomed_a.id, endpoint="inventory.delete")
    w.target("project_id", w.inv_doomed_api_a.id, endpoint="inventory_api.delete_project")


def _project(project_id):
    db.session.expire_all()
    return db.session.get(Project, project_id)


def _project_named(title):
    return db.session.execute(sa.select(Project).where(Project.title == title)).unique().scalar_one_or_none()


_VALID = {"field_id": None, "status": "in_progress", "priority": "high", "visibility": "network",
          "summary": "Gemeinsam mit dem Bürgerbüro", "start_month": "03/2026", "end_month": "12/2026",
          "department": "Hauptamt", "contact": "Frau Muster", "budget_eur": "25.000", "funding_source": "Haushalt"}

FORM_DATA.update({
    "inventory.new": lambda w: {**_VALID, "field_id": str(w.inv_field.id), "title": "Digitale Wohngeldstelle"},
    "inventory.edit": lambda w: {**_VALID, "field_id": str(w.inv_field.id), "title": "Bürgerportal (geändert)",
                                 "version": str(_project(w.inv_project_a.id).version)},
    "inventory.release": lambda w: {"version": str(_project(w.inv_draft_a.id).version)},
    "inventory.delete": lambda w: {},
    # Sammelpflege: one row of the page, its priority changed (the row's fields are named p-<id>-…)
    "inventory.bulk": lambda w: {"row": [str(w.inv_project_a.id)], f"p-{w.inv_project_a.id}-status": "in_progress",
                                 f"p-{w.inv_project_a.id}-priority": "low", f"p-{w.inv_project_a.id}-end-month": "",
                                 f"p-{w.inv_project_a.id}-version": str(_project(w.inv_project_a.id).version)},
    "inventory.import_upload": lambda w: {"file": (_ReusableFile(_csv(w.inv_field.name)), "liste.csv")},
    "inventory.import_mapping": lambda w: {"action": "import", "map-title": "0", "map-field": "1",
                                           "map-status": "2", "default_visibility": "network"},
    "inventory.freeze": lambda w: {"year": "2026", "visibility": "network", "title": "", "note": "Vorwort", "confirm": "1"},
    # the API takes typed JSON (issue #20): months as JJJJ-MM, the budget as a JSON integer
    "inventory_api.create_project": lambda w: {**_VALID, "field_id": w.inv_field.id, "title": "API-Vorhaben",
                                               "start_month": "2026-03", "end_month": "2026-12", "budget_eur": 25000},
    "inventory_api.patch_project": lambda w: {"title": "Per API geändert", "status": "in_progress",
                                              "version": _project(w.inv_project_a.id).version},
    "inventory_api.delete_project": lambda w: {},
})


def mass_assignment_cases(Case) -> list:
    """The inventory rows of test_mass_assignment.MASS_ASSIGNMENT."""

    def created(title):
        def check(w):
            p = _project_named(title)
            return p is not None and p.municipality_id == w.city_a.id
        return check

    def report_2026(w):
        return db.session.execute(sa.select(StatusReport).where(StatusReport.municipality_id == w.city_a.id,
                                                                StatusReport.year == 2026)).scalar_one_or_none() \
            is not None

    return [
        Case("inventory.new", "lead_a", created("Digitale Wohngeldstelle")),
        Case("inventory.edit", "lead_a", lambda w: _project(w.inv_project_a.id).title == "Bürgerportal (geändert)"),
        Case("inventory.release", "lead_a", lambda w: _project(w.inv_draft_a.id).is_draft is False),
        Case("inventory.delete", "lead_a", lambda w: _project(w.inv_doomed_a_id) is None),
        Case("inventory.bulk", "lead_a", lambda w: _project(w.inv_project_a.id).priority == "low"),
        Case("inventory.import_upload", "lead_a", lambda w: db.session.scalar(
            sa.select(sa.func.count(ImportUpload.id)).where(ImportUpload.created_by_id == w.lead_a.id)) == 2),
        Case("inventory.import_mapping", "lead_a", created("Importiertes Vorhaben")),
        Case("inventory.freeze", "lead_a", report_2026),
        Case("inventory_api.create_project", "lead_a", created("API-Vorhaben"), expect_status=201, api=True),
        Case("inventory_api.patch_project", "lead_a",
             lambda w: _project(w.inv_project_a.id).title == "Per API geändert", method="PATCH",
             expect_status=200, api=True),
        Case("inventory_api.delete_project", "lead_a", lambda w: _project(w.inv_doomed_api_a_id) is None,
             method="DELETE", expect_status=204, api=True),
    ]


# --- XSS (tests/security/test_xss.py collects xss_fields/xss_clean_up of every builder module) ------------------

def xss_fields(ctx, payloads) -> list[str]:
    """Payloads in project title, summary (Markdown), department, contact and funding, and in a frozen report,
    all in the payload city "xss" (made by the core fields); returns the pages that show them."""
    from network.inventory.models import ReportEntry, StatusReport
    from network.inventory.services import SNAPSHOT_FIELDS
    from network.municipalities.models import Municipality
    from network.topics.models import FieldOfAction

    city = db.session.execute(sa.select(Municipality).where(Municipality.slug == "xss")).scalar_one()
    field = db.session.execute(sa.select(FieldOfAction).order_by(FieldOfAction.id).limit(1)).scalar_one()
    stats = ctx["stats"]
    projects = []
    for i, p in enumerate(payloads):
        # five payloads per summary: every payload is rendered through Markdown on one of the detail pages
        summary = "\n\n".join(payloads[j] for j in range(i, min(i + 5, len(payloads)))) if i % 5 == 0 else p
        project = Project(municipality_id=city.id, field_id=field.id, title=p.strip()[:200] or "leer",
                          summary=summary[:20000], department=p.strip()[:160], contact=p.strip()[:160],
                          funding_source=p.strip()[:200], status="in_progress", visibility="network",
                          start_month=__import__("datetime").date(2026, 1, 1))
        db.session.add(project)
        projects.append(project)
        stats["project.title/department/contact/funding"] += 1
    db.session.flush()
    report = StatusReport(municipality_id=city.id, year=2026, title="XSS-Bericht", visibility="network",
                          note="\n\n".join(payloads[:40]))
    db.session.add(report)
    db.session.flush()
    for project in projects:
        db.session.add(ReportEntry(report_id=report.id, project_id=project.id, field_id=field.id,
                                   field_name=field.name, field_position=field.position, topic_name="",
                                   **{k: getattr(project, k) for k in SNAPSHOT_FIELDS}))
    db.session.flush()
    pages = ["/vorhaben/xss/", "/vorhaben/xss/roadmap", "/vorhaben/xss/berichte/", f"/vorhaben/bericht/{report.id}",
             f"/vorhaben/bericht/{report.id}/druck", "/vorhaben/"]
    pages += [f"/vorhaben/projekt/{p.id}" for i, p in enumerate(projects) if i % 5 == 0]
    return pages


def xss_clean_up():
    """Remove the payload projects and report (Core deletes: the ORM refuses to delete a published report)."""
    from network.inventory.models import ReportEntry, StatusReport
    from network.municipalities.models import Municipality
    cities = sa.select(Municipality.id).where(sa.or_(Municipality.slug == "xss", Municipality.slug.like("xss-%")))
    reports = sa.select(StatusReport.id).where(StatusReport.municipality_id.in_(cities))
    db.session.execute(sa.delete(ReportEntry).where(ReportEntry.report_id.in_(reports)))
    db.session.execute(sa.delete(StatusReport).where(StatusReport.municipality_id.in_(cities)))
    db.session.execute(sa.delete(Project).where(Project.municipality_id.in_(cities)))
    db.session.execute(sa.delete(ImportUpload).where(ImportUpload.municipality_id.in_(cities)))
