"""OZG wiring: the network blueprint (/n/<network>/ozg/…) next to the city pages, the label tables for templates."""


def _city_panel(user, city=None, **_kw):
    """A link to the city's OZG page on its municipality page (no query: the counts are on the OZG page)."""
    if city is None:
        return None
    return "ozg/_panel_city.html", {"city": city}


def init_app(app):
    """Register the network-scoped blueprint and the template globals."""
    from network.ozg import services
    from network.ozg.models import STATUS_SHAPES
    from network.ozg.views import net
    from network.core.hooks import register_panel
    app.register_blueprint(net)
    register_panel(app, "municipality", _city_panel, order=25)
    app.jinja_env.globals.update(ozg_shapes=STATUS_SHAPES, ozg_date=services.format_date_de)
    app.jinja_env.filters["ozg_tf"] = services.themenfeld_slug
