"""OZG wiring: the network blueprint (/n/<network>/ozg/…) next to the city pages, the label tables for templates."""


def init_app(app):
    """Register the network-scoped blueprint and the template globals."""
    from network.ozg import services
    from network.ozg.models import STATUS_SHAPES
    from network.ozg.views import net
    app.register_blueprint(net)
    app.jinja_env.globals.update(ozg_shapes=STATUS_SHAPES, ozg_date=services.format_date_de)
    app.jinja_env.filters["ozg_tf"] = services.themenfeld_slug
