"""API: a meeting's agenda: accepted items with start times, proposals, carried-over action items."""

from marshmallow import Schema, fields

from network.core.apiauth import Id, Int, Str, api_user
from network.core.apiauth import InputSchema as _In
from network.meetings import services
from network.meetings.api import MEETING, op
from network.meetings.models import AGENDA_STATUSES


class AgendaIn(_In):
    title = Str(200, "Titel des Tagesordnungspunkts", required=True, not_blank=True,
                blank_message="Bitte geben Sie einen Titel an.", example="Bericht aus den Projektgruppen")
    presenter_municipality_id = Id("ID der vortragenden Kommune", nullable=True)
    presenter_name = Str(120, "vortragende Person")
    duration_minutes = Int(1, 480, "Dauer in Minuten (Vorgabe 15)", nullable=True, example=15)
    topic_id = Id("ID eines aktiven Themas des Netzwerks", nullable=True)
    link_path = Str(300, "interner Pfad, beginnt mit /praxis/ oder /vorhaben/", single_line=True,
                    example="/praxis/1")
    link_label = Str(200, "Bezeichnung des Links (mit link_path erforderlich)")


class AgendaItemOut(Schema):
    id = fields.Integer()
    title = fields.String()
    status = fields.String(metadata={"enum": list(AGENDA_STATUSES)})
    position = fields.Integer(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True)
    presenter_name = fields.String(allow_none=True)
    presenter_municipality = fields.String(allow_none=True, metadata={"description": "Slug der Kommune"})
    topic = fields.String(allow_none=True, metadata={"description": "Slug des Themas"})
    link_path = fields.String(allow_none=True)
    link_label = fields.String(allow_none=True)
    starts_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class CarriedActionOut(Schema):
    id = fields.Integer()
    text = fields.String()
    municipality = fields.String(metadata={"description": "Slug der Kommune"})
    due_date = fields.String(allow_none=True, metadata={"format": "date"})


class AgendaOut(Schema):
    items = fields.List(fields.Nested(AgendaItemOut), metadata={"description": "angenommene Punkte mit Beginn"})
    proposed = fields.List(fields.Nested(AgendaItemOut), metadata={"description": "offene Vorschläge"})
    carried_action_items = fields.List(fields.Nested(CarriedActionOut),
                                       metadata={"description": "offene Aufgaben aus früheren Treffen"})
    proposals_open = fields.Boolean(metadata={"description": "Vorschläge sind noch möglich"})


def _agenda_out(meeting):
    ag = services.agenda(meeting)

    def item(i, start=None):
        return {"id": i.id, "title": i.title, "status": i.status, "position": i.position,
                "duration_minutes": i.duration_minutes, "presenter_name": i.presenter_name,
                "presenter_municipality": i.presenter_municipality.slug if i.presenter_municipality else None,
                "topic": i.topic.slug if i.topic else None, "link_path": i.link_path, "link_label": i.link_label,
                "starts_at": start.isoformat() if start else None}
    return {"items": [item(i, s) for i, s in ag["items"]], "proposed": [item(i) for i in ag["proposed"]],
            "carried_action_items": [{"id": a.id, "text": a.text, "municipality": a.municipality.slug,
                                      "due_date": a.due_date.isoformat() if a.due_date else None}
                                     for a in ag["carried"]],
            "proposals_open": services.proposals_open(meeting)}


@op("/meetings/<int:meeting_id>/agenda", "GET", answer=AgendaOut, errors=(401,), load=MEETING)
def get_agenda(meeting):
    """Accepted items with start times, open proposals and the carried-over open action items."""
    return _agenda_out(meeting)


@op("/meetings/<int:meeting_id>/agenda", "POST", body=AgendaIn, status=201, answer=AgendaOut, errors=(401,),
    load=MEETING)
def post_agenda(data, meeting):
    """Propose an item (members, until the cutoff) or add it (organiser)."""
    services.add_agenda_item(api_user(), meeting, data)
    return _agenda_out(meeting)
