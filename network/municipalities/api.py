"""API: member cities."""

import sqlalchemy as sa
from marshmallow import Schema, fields

from network.core.apiauth import addresses, make_blueprint
from network.core.apiroutes import operations
from network.extensions import db
from network.municipalities.models import Municipality
from network.municipalities.services import get_by_slug_or_404

blp = make_blueprint("municipalities_api", __name__, "/municipalities", "Mitgliedskommunen")
op = operations(blp)


class MunicipalitySchema(Schema):
    url, html_url = addresses("municipalities_api.get_municipality", "municipalities.detail", "der Kommune",
                              slug="slug")
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


@op("", answer=MunicipalitySchema(many=True), errors=(401,), paged=True)
def list_municipalities():
    """All cities of the network (members and former members)."""
    return db.session.execute(sa.select(Municipality).order_by(Municipality.name)).scalars().all()


@op("/<slug>", answer=MunicipalitySchema, errors=(401, 404))
def get_municipality(slug):
    """One city by its slug."""
    return get_by_slug_or_404(slug)
