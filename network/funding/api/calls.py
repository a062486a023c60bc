"""API: funding calls: the radar, recording and changing a call, a city's interest."""

from marshmallow import Schema, fields, validate

from network.core.apiauth import Amount as AmountIn
from network.core.apiauth import (
    Bool,
    CityRef,
    Id,
    NamedRef,
    Str,
    Url,
    Version,
    addresses,
    api_user,
)
from network.core.apiauth import InputSchema as _In
from network.core.apiroutes import Load
from network.core.pagination import link_header
from network.funding import services
from network.funding.api._common import Amount, _json, op
from network.funding.models import CALL_STATUSES, FUNDERS
from network.funding.services._common import MAX_DEADLINES, MAX_TEXT


class FundingDeadlineSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    due_on = fields.Date(metadata={"description": "letzter Tag; gilt bis 23:59:59 Uhr Europe/Berlin"})


class FundingInterestSchema(Schema):
    municipality = fields.Nested(CityRef)
    note = fields.String()
    created_at = fields.DateTime()


class FundingCallSchema(Schema):
    id = fields.Integer()
    url, html_url = addresses("funding_api.get_call", "funding.detail", "des Förderaufrufs", call_id="id")
    title = fields.String()
    funder = fields.String(metadata={"description": "Fördergeber", "enum": list(FUNDERS)})
    funder_name = fields.String()
    website = fields.String(attribute="url", metadata={"description": "Link zum Förderaufruf beim Fördergeber "
                                                                     "(bis Version 1.1 im Feld url)"})
    summary = fields.String()
    eligibility = fields.String()
    joint_allowed = fields.Boolean()
    rate = Amount(metadata={"description": "Fördersatz in %"})
    min_amount = Amount()
    max_amount = Amount()
    opens_on = fields.Date(allow_none=True)
    source = fields.String()
    checked_on = fields.Date(allow_none=True, metadata={"description": "zuletzt geprüft am"})
    stale = fields.Function(lambda c: c.is_stale(), metadata={"type": "boolean",
                                                              "description": "länger als 90 Tage nicht geprüft"})
    status = fields.Function(lambda c: c.status(), metadata={"type": "string", "enum": list(CALL_STATUSES),
                                                             "description": "Stand"})
    next_deadline = fields.Function(lambda c: (d := c.next_deadline()) and d.due_on.isoformat(), allow_none=True,
                                    metadata={"type": "string", "format": "date", "description": "nächste Frist"})
    deadlines = fields.List(fields.Nested(FundingDeadlineSchema))
    fields_of_action = fields.List(fields.Nested(NamedRef), attribute="fields")
    topics = fields.List(fields.Nested(NamedRef))
    is_example = fields.Boolean()
    version = fields.Integer()
    interested = fields.List(fields.Nested(FundingInterestSchema), dump_only=True,
                             metadata={"description": "Kommunen, die eine Bewerbung prüfen"})


class FundingCallQuery(_In):
    status = Str(None, "current (Vorgabe: offen und angekündigt), open, announced, closed oder all",
                 enum=["current", "open", "announced", "closed", "all"])
    field = Str(80, "Slug oder ID eines Handlungsfelds", single_line=True)
    topic = Str(80, "Slug oder ID eines Themas", single_line=True)
    funder = Str(None, "Fördergeber", enum=list(FUNDERS))
    page = fields.Integer(validate=validate.Range(1, 10_000, error="Die Seite muss zwischen 1 und 10000 liegen."),
                          metadata={"description": "Seite (ab 1, je 50)", "example": 1})


class FundingDeadlineIn(_In):
    label = Str(120, "Bezeichnung der Frist (Vorgabe: Frist)", single_line=True, example="Antragsfrist")
    due_on = fields.Date(required=True, error_messages={"required": "Diese Angabe fehlt.",
                                                        "invalid": "Bitte geben Sie ein Datum im Format JJJJ-MM-TT an."},
                         metadata={"description": "letzter Tag (JJJJ-MM-TT)", "example": "2026-06-30"})


def _date(description):
    return fields.Date(allow_none=True, error_messages={"invalid": "Bitte geben Sie ein Datum im Format JJJJ-MM-TT an."},
                       metadata={"description": description, "example": "2026-03-01"})


def _call_in(create: bool):
    return {
        "title": Str(200, "Name des Programms", required=create, not_blank=True, example="Digitale Kommune 2026",
                     blank_message="Bitte geben Sie den Namen des Programms an."),
        "funder": Str(None, "Fördergeber: eu, bund, land, stiftung, other", enum=list(FUNDERS), required=create),
        "funder_name": Str(200, "Name des Fördergebers", single_line=True),
        "website": Url(300, "Link zum Förderaufruf beim Fördergeber"),
        "url": Url(300, "veraltet: frühere Bezeichnung von website", metadata={"deprecated": True}),
        "summary": Str(MAX_TEXT, "Zusammenfassung (Markdown)"),
        "eligibility": Str(MAX_TEXT, "Wer antragsberechtigt ist"),
        "joint_allowed": Bool("Verbundanträge zulässig"),
        "source": Str(300, "Quelle der Angaben", single_line=True),
        "rate": AmountIn("Fördersatz in Prozent (0 bis 100)", maximum=100),
        "min_amount": AmountIn("Mindestbetrag in Euro"),
        "max_amount": AmountIn("Höchstbetrag in Euro"),
        "opens_on": _date("Öffnungsdatum (JJJJ-MM-TT)"),
        "checked_on": _date("zuletzt geprüft am (JJJJ-MM-TT, nicht in der Zukunft)"),
        "deadlines": fields.List(fields.Nested(FundingDeadlineIn), validate=validate.Length(max=MAX_DEADLINES),
                                 metadata={"description": f"Fristen (höchstens {MAX_DEADLINES}, verschiedene Tage, "
                                                          "nach dem Öffnungsdatum)"}),
        "field_ids": fields.List(Id("ID eines Handlungsfelds"), validate=validate.Length(max=50),
                                 metadata={"description": "Handlungsfelder des Netzwerks"}),
        "topic_ids": fields.List(Id("ID eines Themas"), validate=validate.Length(max=50),
                                 metadata={"description": "aktive Themen des Netzwerks"}),
    }


#: a change: the fields sent change
FundingCallIn = type("FundingCallIn", (_In,), {
    **_call_in(create=False), "version": Version(description="die gelesene Version (veraltet: 409)")})
#: a new call
FundingCallCreate = type("FundingCallCreate", (_In,), _call_in(create=True))


class FundingInterestIn(_In):
    interested = Bool("true (Vorgabe): wir prüfen eine Bewerbung; false: nicht mehr")
    note = Str(500, "Anmerkung")


def _website(data: dict) -> dict:
    """The programme's link is `website` (the older name `url` is still read; website wins)."""
    data = dict(data)
    if "website" in data:
        data["url"] = data.pop("website")
    return data


class FundingInterestOut(Schema):
    interested = fields.Boolean(metadata={"description": "die eigene Kommune prüft eine Bewerbung"})
    note = fields.String(metadata={"description": "Anmerkung"})
    municipality = fields.Nested(CityRef)


def _call_out(calls):
    interests = services.interests_by_call([c.id for c in calls])
    out = FundingCallSchema(many=True, exclude=("interested",)).dump(calls)
    for row, call in zip(out, calls):
        row["interested"] = FundingInterestSchema(many=True).dump(interests.get(call.id, []))
    return out


#: the call of the address, if the token's user may see it (else 404)
CALL = Load("call_id", "call", services.get_call_or_404)


@op("/funding-calls", query=FundingCallQuery, answer=FundingCallSchema(many=True), errors=(401,),
    doc={"x-paginated": "link"})
def list_calls(query):
    """The radar: calls by the nearest deadline (filters: status, field, topic, funder); 50 per page."""
    page = query.get("page") or 1
    data = services.radar(api_user(), status=query.get("status") or "current", funder=query.get("funder"),
                          field=query.get("field"), topic=query.get("topic"), page=page)
    resp = _json(_call_out(data["calls"]))
    resp.headers["Link"] = link_header(page, has_next=data["has_next"])
    return resp


@op("/funding-calls", "POST", body=FundingCallCreate, status=201, answer=FundingCallSchema, errors=(401, 403, 422))
def create_call(data):
    """Record a call (coordination, city leads)."""
    call = services.create_call(api_user(), _website(data))
    return _json(_call_out([call])[0], 201)


@op("/funding-calls/<int:call_id>", answer=FundingCallSchema, errors=(401, 404), load=CALL)
def get_call(call):
    """One call with deadlines and interested cities."""
    return _json(_call_out([call])[0])


@op("/funding-calls/<int:call_id>", "PATCH", body=FundingCallIn, answer=FundingCallSchema,
    errors=(401, 403, 404, 409, 422), load=CALL)
def patch_call(data, call):
    """Change the given fields; send the version you read (a stale one answers 409)."""
    version = data.pop("version", None)
    services.update_call(api_user(), call, _website(data), version=call.version if version is None else version)
    return _json(_call_out([call])[0])


@op("/funding-calls/<int:call_id>/interest", "PUT", body=FundingInterestIn, answer=FundingInterestOut,
    errors=(401, 403, 404, 422), load=CALL)
def put_interest(data, call):
    """Mark ({"interested": true}) or unmark "wir prüfen eine Bewerbung" for the token owner's city."""
    user = api_user()
    interested = data.get("interested", True)
    interested = services._bool(interested) if interested is not None else True
    row = services.set_interest(user, call, interested, data.get("note") or "")
    return _json({"interested": row is not None, "note": row.note if row else "",
                  "municipality": CityRef().dump(user.municipality)})
