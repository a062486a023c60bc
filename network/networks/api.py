"""API: the installation's networks and their members (settings only for the network's coordination)."""

from marshmallow import Schema, fields, validate

from network.core.apiauth import CityRef, InputSchema, api_user, link, make_blueprint
from network.core.apiroutes import operations
from network.core.pagination import page_headers
from network.networks import services

blp = make_blueprint("networks_api", __name__, "/networks", "Netzwerke")
op = operations(blp)


class NetworkSchema(Schema):
    url = link("networks_api.get_network", "API-Adresse des Netzwerks", slug="slug")
    html_url = link("networks.net.page", "Seite des Netzwerks", network="slug")
    slug = fields.String(metadata={"description": "Kurzadresse, z. B. readi (Seiten unter /n/<slug>/)"})
    name = fields.String()
    region = fields.String()
    description = fields.String()
    website = fields.String()
    is_open = fields.Boolean(metadata={"description": "Kommunen können um Aufnahme bitten"})
    is_example = fields.Boolean(metadata={"description": "Erfundene Beispieldaten"})
    member_count = fields.Integer(metadata={"description": "Mitglieder und Gäste"})


class NetworkPageSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    networks = fields.List(fields.Nested(NetworkSchema))


class MembershipSchema(Schema):
    municipality = fields.Nested(CityRef)
    status = fields.String(metadata={"description": "member, guest oder left"})
    status_label = fields.String()
    joined_at = fields.DateTime()
    left_at = fields.DateTime(allow_none=True)


class SettingsSchema(Schema):
    auto_confirm_claims = fields.Boolean()
    digest_weekday = fields.Integer(metadata={"description": "0 = Montag"})
    reminder_days = fields.String(metadata={"description": "Tage vor Treffen, durch Komma getrennt"})
    imprint_contact = fields.String()
    privacy_contact = fields.String()


class NetworkDetailSchema(NetworkSchema):
    members = fields.List(fields.Nested(MembershipSchema), metadata={
        "description": "Teilnehmende und ehemalige Kommunen (Status left) nach Name"})
    settings = fields.Nested(SettingsSchema, allow_none=True, metadata={
        "description": "Nur für die Koordination des Netzwerks und die Plattformverwaltung, sonst null"})


class PageQuery(InputSchema):
    page = fields.Integer(validate=validate.Range(1, 10_000, error="Die Seite muss zwischen 1 und 10000 liegen."),
                          metadata={"description": "Seite (ab 1, je 50)"})


def _as_dict(network, count):
    return {k: getattr(network, k) for k in ("slug", "name", "region", "description", "website", "is_open",
                                             "is_example")} | {"member_count": count}


@op("", query=PageQuery, answer=NetworkPageSchema, errors=(401, 422), doc={"x-paginated": True})
def list_networks(query):
    """The installation's networks by name, 50 per page."""
    pagination = services.all_networks(page=query.get("page") or 1, per_page=50)
    counts = services.member_counts([n.id for n in pagination.items])
    return ({"total": pagination.total, "page": pagination.page, "pages": pagination.pages,
             "networks": [_as_dict(n, counts.get(n.id, 0)) for n in pagination.items]}, 200,
            page_headers(pagination.total, pagination.page, 50, per_page_arg=False))


@op("/<slug>", answer=NetworkDetailSchema, errors=(401, 404))
def get_network(slug):
    """One network with its members; its settings for its coordinators and the platform administration."""
    network = services.get_network_or_404(slug[:60])
    rows = services.memberships_of_network(network, include_left=True)
    out = _as_dict(network, sum(1 for r in rows if r.is_active))
    out["members"] = rows
    user = api_user()
    manages = user.is_platform_admin or network.slug in user.coordinated_networks
    out["settings"] = {k: getattr(network, k) for k in SettingsSchema._declared_fields} if manages else None
    return out
