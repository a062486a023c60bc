"""API: the OZG catalogue (search, paginated) and a city's status of one service (read, write with version)."""

from marshmallow import Schema, fields, validate

from network.core.apiauth import CityRef, InputSchema as _In, Text, api_user, make_blueprint
from network.core.apiroutes import operations
from network.ozg import services
from network.ozg.models import STATUSES, VISIBILITY_LABELS

blp = make_blueprint("ozg_api", __name__, "", "OZG-Leistungen: Katalog und Umsetzungsstand der Kommunen")
op = operations(blp)

PER_PAGE = 50
_REQUIRED = {"required": "Diese Angabe fehlt.", "null": "Diese Angabe fehlt."}


class ServiceQuery(_In):
    themenfeld = Text(validate=validate.Length(max=120),
                      metadata={"description": "Name oder Kurzname eines Themenfelds, z. B. mobilitaet-reisen"})
    q = Text(validate=validate.Length(max=200), metadata={"description": "Suche im Namen der Leistung oder OZG-ID"})
    page = fields.Integer(validate=validate.Range(1, 10_000, error="Die Seite muss zwischen 1 und 10000 liegen."),
                          metadata={"description": f"Seite (ab 1, je {PER_PAGE})"})


class ServiceSchema(Schema):
    ozg_id = fields.Integer(required=True, metadata={"description": "OZG-ID, z. B. 10173"})
    name = fields.String(required=True)
    lebenslage = fields.String(required=True)
    themenfeld = fields.String(required=True)
    themenfeld_slug = fields.Function(lambda s: services.themenfeld_slug(s.themenfeld), required=True)


class ServicePageSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    services = fields.List(fields.Nested(ServiceSchema), required=True)


class StatusSchema(Schema):
    municipality = fields.Nested(CityRef, required=True)
    service = fields.Nested(ServiceSchema, required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(STATUSES)),
                           metadata={"description": "open, planned, in_progress oder online"})
    maturity = fields.Integer(required=True, validate=validate.Range(0, 4), metadata={"description": "Reifegrad 0–4"})
    solution = fields.String(required=True)
    is_efa = fields.Boolean(required=True, metadata={"description": "EfA-Nachnutzung"})
    provider = fields.String(required=True, metadata={"description": "bereitstellendes Land oder Anbieter"})
    go_live = fields.Date(required=True, allow_none=True, metadata={"description": "online seit (JJJJ-MM-TT)"})
    url = fields.String(required=True, metadata={"description": "Link zum Online-Dienst (leer: keiner)"})
    project_id = fields.Integer(required=True, allow_none=True, metadata={"description": "Vorhaben im Inventar"})
    practice_id = fields.Integer(required=True, allow_none=True, metadata={"description": "Praxisbericht"})
    visibility = fields.String(required=True, validate=validate.OneOf(list(VISIBILITY_LABELS)),
                               metadata={"description": "city, network oder public"})
    is_example = fields.Boolean(required=True, metadata={"description": "Beispieldaten der Demo"})
    version = fields.Integer(required=True, metadata={
        "description": "bei PUT mitsenden; 0: noch kein Stand erfasst; veraltet: 409"})


class StatusIn(_In):
    status = Text(required=True, error_messages=_REQUIRED, validate=validate.OneOf(list(STATUSES)),
                  metadata={"description": "open, planned, in_progress oder online"})
    maturity = fields.Integer(strict=True, validate=validate.Range(0, 4, error="Der Reifegrad muss eine ganze "
                                                                                 "Zahl von 0 bis 4 sein."),
                              metadata={"description": "Reifegrad 0–4 (fehlt: 0)"})
    solution = Text(validate=validate.Length(max=300), single_line=True)
    is_efa = fields.Boolean(metadata={"description": "EfA-Nachnutzung; dann ist provider nötig"})
    provider = Text(validate=validate.Length(max=200), single_line=True)
    go_live = fields.Date(allow_none=True, metadata={"description": "online seit (JJJJ-MM-TT); bei online nicht in "
                                                                    "der Zukunft"})
    url = Text(validate=validate.Length(max=300), single_line=True,
               metadata={"format": "uri", "description": "https://…; bei online: url oder go_live nötig"})
    project_id = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 2**31 - 1))
    practice_id = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 2**31 - 1))
    visibility = Text(validate=validate.OneOf(list(VISIBILITY_LABELS)),
                      metadata={"description": "city, network oder public (fehlt: network)"})
    version = fields.Integer(required=True, strict=True, error_messages=_REQUIRED,
                             validate=validate.Range(0, 2**31 - 1),
                             metadata={"description": "die gelesene Version (0: noch kein Stand erfasst)"})


def _answer(city, service, row) -> dict:
    values = {k: getattr(row, k) for k in services.FIELDS} if row is not None else dict(services.DEFAULTS)
    return {"municipality": city, "service": service, **values,
            "is_example": bool(row is not None and row.is_example),
            "version": row.version if row is not None else 0}


@op("/ozg/services", query=ServiceQuery, answer=ServicePageSchema, errors=(401, 422))
def list_services(query):
    """The OZG catalogue by Themenfeld and name, 50 per page; filter by Themenfeld, search by name or OZG-ID."""
    page = query.get("page") or 1
    items, total = services.search_services(query.get("themenfeld"), query.get("q"), page=page, per_page=PER_PAGE)
    return {"total": total, "page": page, "pages": max(1, -(-total // PER_PAGE)), "services": items}


@op("/municipalities/<slug>/ozg/<int:ozg_id>", answer=StatusSchema, errors=(401, 404))
def get_status(slug, ozg_id):
    """The city's status of one service as far as the token owner may see it (none recorded or not visible:
    status open, version 0)."""
    user = api_user()
    city = services.city_or_404(slug)
    service = services.service_or_404(ozg_id)
    return _answer(city, service, services.status_of(user, city, service))


@op("/municipalities/<slug>/ozg/<int:ozg_id>", "PUT", body=StatusIn, answer=StatusSchema,
    errors=(401, 403, 404, 409, 422))
def put_status(data, slug, ozg_id):
    """Record the city's status of one service (its lead and staff); fields left out keep their value; send the
    version you read (0 for a service without a status), a stale one answers 409 and changes nothing."""
    user = api_user()
    city = services.city_or_404(slug)
    service = services.service_or_404(ozg_id)
    services.require_edit(user, city)
    version = data.pop("version")
    row = services.save_status(user, city, service, data, version=version)
    return _answer(city, service, row)
