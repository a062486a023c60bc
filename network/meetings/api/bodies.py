"""API: the bodies the caller is a member of."""

from marshmallow import Schema, fields

from network.core.apiauth import api_user
from network.meetings import services
from network.meetings.api import op
from network.meetings.models import BODY_KINDS


class BodySchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "Art des Gremiums", "enum": list(BODY_KINDS)})
    name = fields.String()
    description = fields.String()
    topic = fields.Function(lambda b: b.topic.slug if b.topic else None, allow_none=True,
                            metadata={"type": "string", "description": "Slug des Themas (Projektgruppen)"})
    is_example = fields.Boolean()


@op("/bodies", answer=BodySchema(many=True), errors=(401,), paged=True)
def list_bodies():
    """The bodies the token's user is a member of (all for the coordination)."""
    return services.visible_bodies(api_user())
