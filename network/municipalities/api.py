"""API: member cities."""

import sqlalchemy as sa
from marshmallow import Schema, fields

from network.core.apiauth import make_blueprint
from network.extensions import db
from network.municipalities.models import Municipality
from network.municipalities.services import get_by_slug_or_404

blp = make_blueprint("municipalities_api", __name__, "/municipalities", "Mitgliedskommunen")


class MunicipalitySchema(Schema):
    slug = fields.String()
    name = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    district = fields.String()
    state = fields.String()
    website = fields.String()
    population = fields.Integer(allow_none=True)
    status = fields.String()
    admitted_at = fields.DateTime(allow_none=True)


@blp.route("")
@blp.response(200, MunicipalitySchema(many=True))
@blp.alt_response(401, response="UNAUTHORIZED")
def list_municipalities():
    """All cities of the network (members and former members)."""
    return db.session.execute(sa.select(Municipality).order_by(Municipality.name)).scalars().all()


@blp.route("/<slug>")
@blp.response(200, MunicipalitySchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(404, response="NOT_FOUND")
def get_municipality(slug):
    """One city by its slug."""
    return get_by_slug_or_404(slug)
