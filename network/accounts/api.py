"""API: the caller's own account."""

from marshmallow import Schema, fields

from network.core.apiauth import CityRef, api_user, make_blueprint
from network.core.apiroutes import operation

blp = make_blueprint("accounts_api", __name__, "", "Das eigene Konto")


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String(metadata={"description": "Rolle in der Kommune: lead oder staff"})
    is_coordinator = fields.Boolean()
    language = fields.String()
    municipality = fields.Nested(CityRef, allow_none=True)


@operation(blp, "/me", answer=MeSchema, errors=(401,))
def me():
    """The account the token belongs to."""
    return api_user()
