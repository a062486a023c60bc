"""API: a city's projects (list, create, read, change with version, delete) and its status reports."""

from marshmallow import Schema, fields

from network.core.apiauth import (Bool, CityRef, Id, InputSchema as _In, Month, NamedRef, Str, StrictInteger, Version,
                                  addresses, api_user, make_blueprint)
from network.core.apiroutes import Load, operations
from network.inventory.models import PRIORITIES, STATUSES, VISIBILITY_LABELS
from network.inventory.services import MAX_BUDGET_EUR, MAX_SUMMARY
from network.core.permissions import require
from network.core.validation import ValidationFailed
from network.inventory import services

blp = make_blueprint("inventory_api", __name__, "", "Vorhaben und Sachstandsberichte der Kommunen")
op = operations(blp)


def _month(value):
    return f"{value.year:04d}-{value.month:02d}" if value else None


class _ProjectFieldsSchema(Schema):
    title = fields.String(metadata={"description": "Titel"})
    summary = fields.String(metadata={"description": "Zusammenfassung (Markdown)"})
    status = fields.String(metadata={"description": "Ampelstatus", "enum": list(STATUSES)})
    status_label = fields.String(metadata={"description": "Status auf Deutsch, z. B. „in Umsetzung“"})
    priority = fields.String(metadata={"description": "Priorität", "enum": list(PRIORITIES)})
    start_month = fields.Function(lambda p: _month(p.start_month), allow_none=True, metadata={
        "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "Beginn, JJJJ-MM"})
    end_month = fields.Function(lambda p: _month(p.end_month), allow_none=True, metadata={
        "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "Ende, JJJJ-MM"})
    department = fields.String(allow_none=True, metadata={"description": "Zuständiges Amt"})
    contact = fields.String(allow_none=True, metadata={"description": "Ansprechperson"})
    budget_eur = fields.Integer(allow_none=True, metadata={"description": "Kosten in ganzen Euro"})
    funding_source = fields.String(allow_none=True, metadata={"description": "Finanzierung"})
    visibility = fields.String(metadata={"description": "Sichtbarkeit", "enum": list(VISIBILITY_LABELS)})
    is_lighthouse = fields.Boolean(metadata={"description": "Leuchtturmprojekt"})


class ProjectSchema(_ProjectFieldsSchema):
    id = fields.Integer()
    url, html_url = addresses("inventory_api.get_project", "inventory.detail", "des Vorhabens", project_id="id")
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
    url, html_url = addresses("inventory_api.get_report", "inventory.report", "des Berichts", report_id="id")
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


def _project_in(partial: bool):
    """The fields of a project as the API takes them; on create title, field_id and status are required."""
    required = not partial
    return {
        "title": Str(200, "Titel des Vorhabens", required=required, not_blank=True, example="Digitale Bauakte",
                     blank_message="Bitte geben Sie den Titel an."),
        "summary": Str(MAX_SUMMARY, "Zusammenfassung (Markdown)", example="Bauanträge digital annehmen."),
        "field_id": Id("ID des Handlungsfelds (eines Netzwerks, an dem die Kommune teilnimmt)", required=required),
        "topic_id": Id("ID eines aktiven Themas (null: keins)", nullable=True),
        "status": Str(None, "Ampelstatus: idea (Idee), in_progress (in Umsetzung), done (umgesetzt), paused "
                            "(pausiert), dropped (verworfen)", enum=list(STATUSES), required=required),
        "priority": Str(None, "Priorität (Vorgabe: medium)", enum=list(PRIORITIES)),
        "start_month": Month("Beginn, JJJJ-MM"),
        "end_month": Month("Ende, JJJJ-MM (nicht vor dem Beginn)"),
        "department": Str(160, "Zuständiges Amt"),
        "contact": Str(160, "Ansprechperson", single_line=True),
        # the range is checked by the service (its message names the costs)
        "budget_eur": StrictInteger(
            allow_none=True, error_messages={"invalid": _BUDGET_FORMAT},
            metadata={"description": "Kosten in ganzen Euro, 0 bis 1.000.000.000.000 (10^12)", "example": 25000,
                      "minimum": 0, "maximum": MAX_BUDGET_EUR}),
        "funding_source": Str(200, "Finanzierung, z. B. ein Förderprogramm"),
        "visibility": Str(None, "Wer das Vorhaben sieht: city (eigene Kommune), network (Netzwerk), public "
                                "(öffentlich); Vorgabe: city", enum=list(VISIBILITY_LABELS)),
        "is_lighthouse": Bool("Leuchtturmprojekt"),
    }


_BUDGET_FORMAT = "Bitte geben Sie die Kosten als ganze Euro an, z. B. 25000 oder 25.000."

#: a new project (POST)
ProjectInSchema = type("ProjectInSchema", (_In,), _project_in(partial=False))
#: a change (PATCH): the fields sent change, the others stay; the version read is required
ProjectPatchSchema = type("ProjectPatchSchema", (_In,), {
    **_project_in(partial=True), "version": Version(required=True, description="die gelesene Version; eine "
                                                                                   "veraltete ergibt 409")})


def _text_values(data: dict) -> dict:
    """Strings where the services expect text; anything else is refused by them in German."""
    out = dict(data)
    for key in ("title", "summary", "department", "contact", "funding_source"):
        if key in out and out[key] is not None and not isinstance(out[key], str):
            out[key] = None if key != "title" else ""
    return out


#: the project of the address, if the token's user may see it (else 404)
PROJECT = Load("project_id", "project", services.get_project_or_404)


@op("/municipalities/<slug>/projects", answer=ProjectSchema(many=True), errors=(401, 404), paged=True)
def list_projects(slug):
    """The city's projects the token owner may see (another city: released network/public projects only)."""
    data = services.inventory(api_user(), services.city_or_404(slug), services.Filters())
    return [p for _f, items in data["groups"] for p in items]


@op("/municipalities/<slug>/projects", "POST", body=ProjectInSchema, status=201, answer=ProjectSchema,
    errors=(401, 403, 404, 422))
def create_project(data, slug):
    """Record a project of the token owner's own city (staff: a draft)."""
    user = api_user()
    require(user, "project.draft", services.city_or_404(slug))
    return services.create_project(user, _text_values(data))


@op("/projects/<int:project_id>", answer=ProjectSchema, errors=(401, 404), load=PROJECT)
def get_project(project):
    """One project."""
    return project


@op("/projects/<int:project_id>", "PATCH", body=ProjectPatchSchema, answer=ProjectSchema,
    errors=(401, 403, 404, 409, 422), load=PROJECT)
def patch_project(data, project):
    """Change some fields; send the version you read, a stale one answers 409 and changes nothing."""
    user = api_user()
    services.require_edit(user, project)
    version = data.pop("version", None)
    if version is None:
        raise ValidationFailed({"version": "Bitte senden Sie die Version mit, die Sie gelesen haben."})
    values = {**services.project_values(project), **_text_values(data)}
    return services.update_project(user, project, values, version=version)


@op("/projects/<int:project_id>", "DELETE", status=204, errors=(401, 403, 404), load=PROJECT)
def delete_project(project):
    """Delete a project (a lead: any of the city; staff: own drafts). Published reports keep their copy."""
    services.delete_project(api_user(), project)
    return None


@op("/municipalities/<slug>/reports", answer=ReportSchema(many=True), errors=(401, 404), paged=True)
def list_reports(slug):
    """The city's published status reports the token owner may see, newest first."""
    return services.list_reports(api_user(), services.city_or_404(slug))


def _change(before, after):
    item = after if after is not None else before
    return {"project_id": item.project_id, "title": item.title,
            "before": before.status if before is not None else None,
            "after": after.status if after is not None else None}


@op("/reports/<int:report_id>", answer=ReportDetailSchema, errors=(401, 404),
    load=Load("report_id", "report", services.get_report_or_404))
def get_report(report):
    """One report with its projects, counts, and its changes against the previous report."""
    view = services.report_view(api_user(), report)
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
