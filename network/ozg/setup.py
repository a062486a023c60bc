"""OZG wiring: the network blueprint (/n/<network>/ozg/…) next to the city pages, the label tables for templates."""


def _city_panel(user, city=None, **_kw):
    """A link to the city's OZG page on its municipality page (no query: the counts are on the OZG page)."""
    if city is None:
        return None
    return "ozg/_panel_city.html", {"city": city}


def export_personal_data(user) -> dict:
    """The OZG statuses this person saved last (the status itself belongs to the city)."""
    import sqlalchemy as sa

    from network.extensions import db
    from network.ozg.models import OzgService, OzgStatus
    rows = db.session.execute(sa.select(OzgStatus, OzgService.ozg_id, OzgService.name)
                              .join(OzgService, OzgService.id == OzgStatus.service_id)
                              .where(OzgStatus.updated_by_id == user.id).order_by(OzgService.ozg_id)).all()
    return {"ozg_status": [{"ozg_id": ozg_id, "service": name, "status": row.status,
                            "updated_at": row.updated_at.isoformat() if row.updated_at else None}
                           for row, ozg_id, name in rows]}


def erase_personal_data(user) -> None:
    """A deleted account is no longer named as the last editor; the city keeps its statuses."""
    import sqlalchemy as sa

    from network.extensions import db
    from network.ozg.models import OzgStatus
    db.session.execute(sa.update(OzgStatus).where(OzgStatus.updated_by_id == user.id).values(updated_by_id=None))


def init_app(app):
    """Register the network-scoped blueprint and the template globals."""
    from network.core.hooks import register_panel, register_personal_data
    from network.ozg import services
    from network.ozg.models import STATUS_SHAPES
    from network.ozg.views import net
    app.register_blueprint(net)
    register_personal_data(app, ["ozg_status"], export_personal_data, erase_personal_data)
    register_panel(app, "municipality", _city_panel, order=25)
    app.jinja_env.globals.update(ozg_shapes=STATUS_SHAPES)
    app.jinja_env.filters["ozg_tf"] = services.themenfeld_slug
