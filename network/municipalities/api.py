"""API: member cities."""

import sqlalchemy as sa
from marshmallow import Schema, fields

from network.core.apiauth import addresses, error_answers, make_blueprint
from network.core.pagination import paginated
from network.extensions import db
from network.municipalities.models import Municipality
from network.municipalities.services import get_by_slug_or_404

blp = make_blueprint("municipalities_api", __name__, "/municipalities", "Mitgliedskommunen")


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


@blp.route("")
@blp.response(200, MunicipalitySchema(many=True))
@error_answers(blp, 401)
@paginated(blp)
def list_municipalities():
    """All cities of the network (members and former members)."""
    return db.session.execute(sa.select(Municipality).order_by(Municipality.name)).scalars().all()


@blp.route("/<slug>")
@blp.response(200, MunicipalitySchema)
@error_answers(blp, 401, 404)
def get_municipality(slug):
    """One city by its slug."""
    return get_by_slug_or_404(slug)
