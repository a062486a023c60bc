"""API: practices (search, read, write, publish, revisions), the own city's reuse mark, questions and answers."""

from marshmallow import Schema, fields, validate

from network.core.apiauth import (CityRef, Id, InputSchema as _In, Int, NamedRef, Str, Text, Version, addresses,
                                  api_user, make_blueprint)
from network.core.apiroutes import Load, operations
from network.core.pagination import page_headers
from network.practices import services
from network.practices.models import REUSE_STATUSES, SECTIONS, STATUSES, VISIBILITIES
from network.practices.services._common import MAX_QUESTION, MAX_SECTION, MAX_SUMMARY

blp = make_blueprint("practices_api", __name__, "", "Praxisberichte, Nachnutzung und Fragen")
op = operations(blp)


class PracticeSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    summary = fields.String()
    status = fields.String(metadata={"description": "Stand: draft (Entwurf), published, archived",
                                     "enum": list(STATUSES)})
    visibility = fields.String(metadata={"description": "Sichtbarkeit", "enum": list(VISIBILITIES)})
    municipality = fields.Nested(CityRef)
    field = fields.Nested(NamedRef, allow_none=True)
    topics = fields.List(fields.Nested(NamedRef))
    tags = fields.Function(lambda p: p.tag_list, metadata={"type": "array", "items": {"type": "string"},
                                                            "description": "Schlagwörter"})
    project_id = fields.Integer(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()
    version = fields.Integer(metadata={"description": "beim Ändern mitsenden (PATCH)"})
    is_example = fields.Boolean()
    url, html_url = addresses("practices_api.get_practice", "practices.detail", "des Praxisberichts",
                              practice_id="id")


class PracticeReuseSchema(Schema):
    municipality = fields.Nested(CityRef)
    status = fields.String(metadata={"description": "Stand der Nachnutzung", "enum": list(REUSE_STATUSES)})
    note = fields.String()
    saved_days = fields.Integer(allow_none=True)
    updated_at = fields.DateTime()


class PracticeQuestionSchema(Schema):
    id = fields.Integer()
    practice_id = fields.Integer()
    municipality = fields.Nested(CityRef)
    question = fields.String()
    answer = fields.String()
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)


class PracticeDetailSchema(PracticeSchema):
    sections = fields.Function(lambda p: {k: p.section(k) for k in SECTIONS}, metadata={
        "type": "object", "properties": {k: {"type": "string"} for k in SECTIONS},
        "description": "Abschnitt → Markdown: " + ", ".join(SECTIONS)})
    reuses = fields.List(fields.Nested(PracticeReuseSchema))
    questions = fields.List(fields.Nested(PracticeQuestionSchema))


class PracticeHitSchema(Schema):
    practice = fields.Nested(PracticeSchema)
    snippet = fields.Function(lambda h: str(h.snippet), metadata={"type": "string",
                                                                  "description": "HTML, Treffer in <mark>"})


class PracticeFacetSchema(Schema):
    value = fields.Raw()
    name = fields.String()
    count = fields.Integer()


class PracticeSearchSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    hits = fields.List(fields.Nested(PracticeHitSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(PracticeFacetSchema)))


class PracticeRevisionSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    created_at = fields.DateTime()
    author = fields.Function(lambda r: r.author.name if r.author else None, allow_none=True,
                             metadata={"type": "string", "description": "Name der Person, die geändert hat"})
    note = fields.String()
    title = fields.String()
    summary = fields.String()
    sections = fields.Dict()


class PracticeSearchQuery(_In):
    q = Text(metadata={"description": "Suchbegriffe; \"Phrase\", -ausschließen"})
    topic = Text(metadata={"description": "Slug eines Themas"})
    municipality = Text(metadata={"description": "Slug einer Kommune"})
    field = Text(metadata={"description": "Slug eines Handlungsfelds"})
    year = fields.Integer(validate=validate.Range(1900, 2999, error="Das Jahr muss zwischen 1900 und 2999 liegen."),
                          metadata={"description": "Jahr der Veröffentlichung"})
    page = fields.Integer(validate=validate.Range(1, 10_000, error="Die Seite muss zwischen 1 und 10000 liegen."),
                          metadata={"description": "Seite (ab 1)"})


#: the sections of a practice, each Markdown (null or "" leaves it empty)
PracticeSectionsIn = type("PracticeSectionsIn", (_In,), {
    key: Str(MAX_SECTION, f"{label} (Markdown)", nullable=True) for key, label in SECTIONS.items()})


def _practice_in(required: bool):
    return {
        "title": Str(200, "Titel (mindestens 3 Zeichen)", required=required, not_blank=True, min_len=3,
                     example="E-Akte in der Bauverwaltung", blank_message="Bitte geben Sie einen Titel an."),
        "summary": Str(MAX_SUMMARY, "Kurzbeschreibung (Markdown)", example="Wie wir die E-Akte eingeführt haben."),
        "sections": fields.Nested(PracticeSectionsIn, metadata={
            "description": "Abschnitte (Markdown): " + ", ".join(SECTIONS)}),
        "visibility": Str(None, "Sichtbarkeit: network (Netzwerk) oder public (öffentlich); Vorgabe network. Bei "
                                "veröffentlichten und archivierten Praxisberichten ändert sie nur eine Leitung der "
                                "Kommune", enum=list(VISIBILITIES)),
        "field_id": Id("ID des Handlungsfelds (null: keins)", nullable=True),
        "topic_ids": fields.List(Id("ID eines Themas"), validate=validate.Length(max=50),
                                 metadata={"description": "IDs der Themen (höchstens 50)"}),
        "tags": fields.List(Str(40, "Schlagwort", single_line=True), validate=validate.Length(max=15),
                            metadata={"description": "Schlagwörter (höchstens 15, je höchstens 40 Zeichen)"}),
        "project_id": Id("ID eines Vorhabens der eigenen Kommune (null: keins)", nullable=True),
    }


#: a new draft
PracticeIn = type("PracticeIn", (_In,), _practice_in(required=True))
#: a change: the fields sent change (sections key by key), the others stay
PracticePatch = type("PracticePatch", (_In,), {
    **_practice_in(required=False),
    "version": Version(description="die zuletzt gelesene Version (fehlt sie oder ist sie veraltet: 409)")})


class PublishIn(_In):
    version = Version(description="optional: die zuletzt gelesene Version (veraltet: 409)")


class ReuseIn(_In):
    status = Str(None, "Stand: interested (interessiert), adopting (in Übernahme), adopted (übernommen)",
                 enum=list(REUSE_STATUSES), required=True)
    note = Str(2000, "Anmerkung")
    saved_days = Int(0, 10_000, "eingesparter Aufwand in Personentagen", nullable=True, example=5)


class QuestionIn(_In):
    question = Str(MAX_QUESTION, "Frage an die Kommune (mindestens 10 Zeichen)", required=True, not_blank=True,
                   min_len=10, blank_message="Bitte geben Sie Ihre Frage an.",
                   example="Wie lange hat die Einführung gedauert?")


class AnswerIn(_In):
    answer = Str(MAX_QUESTION, "Antwort (mindestens 2 Zeichen)", required=True, not_blank=True, min_len=2,
                 blank_message="Bitte geben Sie eine Antwort an.", example="Etwa ein Jahr.")


def _facets(result):
    return {k: [{"value": v, "name": n, "count": c} for v, n, c in rows] for k, rows in result.facets.items()}


@op("/practices", query=PracticeSearchQuery, answer=PracticeSearchSchema, errors=(401,), doc={"x-paginated": True})
def list_practices(query):
    """Search practices the token owner may see (empty q: newest first), with facets."""
    filters = services.Filters(topic=(query.get("topic") or "")[:80], field=(query.get("field") or "")[:80],
                               city=(query.get("municipality") or "")[:80], year=query.get("year"))
    page = min(max(1, query.get("page") or 1), 10_000)
    result = services.search(api_user(), query.get("q", ""), filters, page=page, include_drafts=True)
    return ({"total": result.total, "page": result.page, "pages": result.pages, "hits": result.hits,
             "facets": _facets(result)}, 200,
            page_headers(result.total, result.page, 0, per_page_arg=False, pages=result.pages))


class _Detail:
    """A practice plus the lists the detail schema shows (reuse marks, the questions the user may see)."""

    def __init__(self, practice):
        user = api_user()
        self._practice = practice
        self.reuses = services.reuses(user, practice)
        self.questions = services.questions(user, practice)

    def __getattr__(self, name):
        return getattr(self._practice, name)


#: the practice of the address, if the token's user may see it (else 404)
PRACTICE = Load("practice_id", "practice", services.get_practice_or_404)


@op("/practices/<int:practice_id>", answer=PracticeDetailSchema, errors=(401, 404), load=PRACTICE)
def get_practice(practice):
    """One practice with its sections, reuse marks and questions."""
    return _Detail(practice)


@op("/practices", "POST", body=PracticeIn, status=201, answer=PracticeDetailSchema, errors=(401, 403, 422))
def create_practice(data):
    """Start a draft for the token owner's city."""
    return _Detail(services.create_practice(api_user(), data))


def _merged(practice, data):
    """The practice's values with those sent (sections key by key)."""
    merged = {"title": practice.title, "summary": practice.summary, "sections": dict(practice.sections or {}),
              "visibility": practice.visibility, "field_id": practice.field_id, "tags": practice.tags,
              "topic_ids": [t.id for t in practice.topics]}
    if practice.project_id is not None:
        merged["project_id"] = practice.project_id
    for key, value in data.items():
        if key == "sections" and isinstance(value, dict):
            merged["sections"] = {**merged["sections"], **value}
        elif key != "version":
            merged[key] = value
    return merged


@op("/practices/<int:practice_id>", "PATCH", body=PracticePatch, answer=PracticeDetailSchema,
    errors=(401, 403, 404, 409, 422), load=PRACTICE)
def patch_practice(data, practice):
    """Change a practice of the own city (fields not sent stay); a stale version answers 409."""
    services.update_practice(api_user(), practice, _merged(practice, data), version=data.get("version"))
    return _Detail(practice)


@op("/practices/<int:practice_id>/publish", "POST", body=PublishIn, answer=PracticeDetailSchema,
    errors=(401, 403, 404, 409), load=PRACTICE)
def publish_practice(data, practice):
    """A lead of the city publishes the practice."""
    services.publish_practice(api_user(), practice, version=data.get("version"))
    return _Detail(practice)


@op("/practices/<int:practice_id>/revisions", answer=PracticeRevisionSchema(many=True), errors=(401, 404),
    paged=True, load=PRACTICE)
def list_revisions(practice):
    """Every revision of the practice, newest first."""
    return services.revisions(practice)


@op("/practices/<int:practice_id>/reuse", "PUT", body=ReuseIn, answer=PracticeReuseSchema,
    errors=(401, 403, 404, 409, 422), load=PRACTICE)
def put_reuse(data, practice):
    """Set the token owner's city's reuse mark on the practice."""
    return services.set_reuse(api_user(), practice, data.get("status"), data.get("note", ""), data.get("saved_days"))


@op("/practices/<int:practice_id>/questions", "POST", body=QuestionIn, status=201, answer=PracticeQuestionSchema,
    errors=(401, 403, 404, 409, 422), load=PRACTICE)
def ask_question(data, practice):
    """Ask the authoring city a question."""
    return services.ask_question(api_user(), practice, data.get("question"))


@op("/questions/<int:question_id>/answer", "POST", body=AnswerIn, answer=PracticeQuestionSchema,
    errors=(401, 403, 404, 422), load=Load("question_id", "question", services.get_question_or_404))
def answer_question(data, question):
    """The authoring city answers a question."""
    return services.answer_question(api_user(), question, data.get("answer"))
