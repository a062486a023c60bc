"""API: a city's projects (list, create, read, change with version, delete) and its status reports."""

from marshmallow import Schema, fields

from network.core.apiauth import CityRef, error_answers, InputSchema as _In, NamedRef, api_user, make_blueprint
from network.core.permissions import require
from network.core.validation import ValidationFailed
from network.inventory import services

blp = make_blueprint("inventory_api", __name__, "", "Vorhaben und Sachstandsberichte der Kommunen")




def _fails(*statuses):
    """Document a route's error answers (core/apiauth.error_answers)."""
    return error_answers(blp, *statuses)


def _month(value):
    return f"{value.year:04d}-{value.month:02d}" if value else None


class _ProjectFieldsSchema(Schema):
    title = fields.String()
    summary = fields.String(metadata={"description": "Markdown"})
    status = fields.String(metadata={"description": "idea, in_progress, done, paused oder dropped"})
    status_label = fields.String()
    priority = fields.String(metadata={"description": "high, medium oder low"})
    start_month = fields.Function(lambda p: _month(p.start_month), metadata={"description": "JJJJ-MM"})
    end_month = fields.Function(lambda p: _month(p.end_month), metadata={"description": "JJJJ-MM"})
    department = fields.String()
    contact = fields.String()
    budget_eur = fields.Integer(allow_none=True)
    funding_source = fields.String()
    visibility = fields.String(metadata={"description": "city, network oder public"})
    is_lighthouse = fields.Boolean()


class ProjectSchema(_ProjectFieldsSchema):
    id = fields.Integer()
    municipality = fields.Nested(CityRef)
    field = fields.Nested(NamedRef)
    topic = fields.Nested(NamedRef, allow_none=True)
    is_draft = fields.Boolean(metadata={"description": "Entwurf: nur für die eigene Kommune sichtbar"})
    is_example = fields.Boolean(metadata={"description": "Beispieldaten der Demo"})
    version = fields.Integer(metadata={"description": "bei PATCH mitsenden; veraltet: 409"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ReportEntrySchema(_ProjectFieldsSchema):
    project_id = fields.Integer()
    field_name = fields.String()
    topic_name = fields.String()


class ReportChangeSchema(Schema):
    project_id = fields.Integer()
    title = fields.String()
    before = fields.String(allow_none=True, metadata={"description": "Status im vorigen Bericht"})
    after = fields.String(allow_none=True, metadata={"description": "Status in diesem Bericht (null: entfernt)"})


class ReportChangesSchema(Schema):
    new = fields.List(fields.Nested(ReportChangeSchema))
    status_changed = fields.List(fields.Nested(ReportChangeSchema))
    completed = fields.List(fields.Nested(ReportChangeSchema))
    dropped = fields.List(fields.Nested(ReportChangeSchema))


class ReportRefSchema(Schema):
    id = fields.Integer()
    year = fields.Integer()
    title = fields.String()


class ReportSchema(ReportRefSchema):
    municipality = fields.Nested(CityRef)
    visibility = fields.String()
    note = fields.String()
    published_at = fields.DateTime()
    is_example = fields.Boolean()


class ReportCountsSchema(Schema):
    total = fields.Integer()
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_field = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()))


class ReportDetailSchema(ReportSchema):
    entries = fields.List(fields.Nested(ReportEntrySchema))
    previous = fields.Nested(ReportRefSchema, allow_none=True)
    changes = fields.Nested(ReportChangesSchema, allow_none=True,
                            metadata={"description": "Änderungen gegenüber dem vorigen Bericht"})
    counts = fields.Nested(ReportCountsSchema)


class ProjectInSchema(_In):
    title = fields.Raw(metadata={"description": "erforderlich"})
    summary = fields.Raw()
    field_id = fields.Raw(metadata={"description": "ID des Handlungsfelds (erforderlich)"})
    topic_id = fields.Raw(allow_none=True)
    status = fields.Raw(metadata={"description": "idea, in_progress, done, paused oder dropped (erforderlich)"})
    priority = fields.Raw()
    start_month = fields.Raw(allow_none=True, metadata={"description": "JJJJ-MM"})
    end_month = fields.Raw(allow_none=True, metadata={"description": "JJJJ-MM"})
    department = fields.Raw()
    contact = fields.Raw()
    budget_eur = fields.Raw(allow_none=True, metadata={
        "description": "ganze Euro von 0 bis 1.000.000.000.000 (10^12); außerhalb: 422"})
    funding_source = fields.Raw()
    visibility = fields.Raw()
    is_lighthouse = fields.Raw()


class ProjectPatchSchema(ProjectInSchema):
    version = fields.Raw(metadata={"description": "die gelesene Version (erforderlich)"})


def _text_values(data: dict) -> dict:
    """Strings where the services expect text; anything else is refused by them in German."""
    out = dict(data)
    for key in ("title", "summary", "department", "contact", "funding_source"):
        if key in out and out[key] is not None and not isinstance(out[key], str):
            out[key] = None if key != "title" else ""
    return out


@blp.route("/municipalities/<slug>/projects")
@blp.response(200, ProjectSchema(many=True))
@_fails(401, 404)
def list_projects(slug):
    """The city's projects the token owner may see (another city: released network/public projects only)."""
    user = api_user()
    city = services.city_or_404(slug)
    data = services.inventory(user, city, services.Filters())
    return [p for _f, items in data["groups"] for p in items]


@blp.route("/municipalities/<slug>/projects", methods=["POST"])
@blp.arguments(ProjectInSchema)
@blp.response(201, ProjectSchema)
@_fails(401, 403, 404, 422)
def create_project(data, slug):
    """Record a project of the token owner's own city (staff: a draft)."""
    user = api_user()
    city = services.city_or_404(slug)
    require(user, "project.draft", city)
    return services.create_project(user, _text_values(data))


@blp.route("/projects/<int:project_id>")
@blp.response(200, ProjectSchema)
@_fails(401, 404)
def get_project(project_id):
    """One project."""
    return services.get_project_or_404(api_user(), project_id)


@blp.route("/projects/<int:project_id>", methods=["PATCH"])
@blp.arguments(ProjectPatchSchema)
@blp.response(200, ProjectSchema)
@_fails(401, 403, 404, 409, 422)
def patch_project(data, project_id):
    """Change some fields; send the version you read, a stale one answers 409 and changes nothing."""
    user = api_user()
    project = services.get_project_or_404(user, project_id)
    services.require_edit(user, project)
    version = data.pop("version", None)
    if version is None:
        raise ValidationFailed({"version": "Bitte senden Sie die Version mit, die Sie gelesen haben."})
    values = {**services.project_values(project), **_text_values(data)}
    return services.update_project(user, project, values, version=version)


@blp.route("/projects/<int:project_id>", methods=["DELETE"])
@blp.response(204)
@_fails(401, 403, 404)
def delete_project(project_id):
    """Delete a project (a lead: any of the city; staff: own drafts). Published reports keep their copy."""
    user = api_user()
    project = services.get_project_or_404(user, project_id)
    services.delete_project(user, project)
    return None


@blp.route("/municipalities/<slug>/reports")
@blp.response(200, ReportSchema(many=True))
@_fails(401, 404)
def list_reports(slug):
    """The city's published status reports the token owner may see, newest first."""
    user = api_user()
    return services.list_reports(user, services.city_or_404(slug))


def _change(before, after):
    item = after if after is not None else before
    return {"project_id": item.project_id, "title": item.title,
            "before": before.status if before is not None else None,
            "after": after.status if after is not None else None}


@blp.route("/reports/<int:report_id>")
@blp.response(200, ReportDetailSchema)
@_fails(401, 404)
def get_report(report_id):
    """One report with its projects, counts, and its changes against the previous report."""
    user = api_user()
    report = services.get_report_or_404(user, report_id)
    view = services.report_view(user, report)
    ch = view["changes"]
    counts = view["counts"]
    return {
        "id": report.id, "year": report.year, "title": report.title, "municipality": report.municipality,
        "visibility": report.visibility, "note": report.note, "published_at": report.published_at,
        "is_example": report.is_example, "entries": view["entries"], "previous": view["previous"],
        "changes": None if ch is None else {
            "new": [_change(None, e) for e in ch.new],
            "status_changed": [_change(b, a) for b, a in ch.status_changed],
            "completed": [_change(b, a) for b, a in ch.completed],
            "dropped": [_change(b, a) for b, a in ch.dropped],
        },
        "counts": {"total": counts["total"], "by_status": counts["totals"],
                   "by_field": {name: c for name, c, _t in counts["rows"]}},
    }
