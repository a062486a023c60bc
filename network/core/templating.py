"""Template globals and filters."""

from flask import current_app
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from network.core.hooks import panels
from network.core.permissions import can


def init_templating(app):
    """Expose can(), dates in Europe/Berlin and the UI language to every template."""

    @app.context_processor
    def globals_():
        return {
            "can": lambda perm, obj=None: can(current_user, perm, obj),
            "network_name": current_app.config["NETWORK_NAME"],
            "ui_lang": str(get_locale() or "de"),
            "panels": lambda slot, **kw: panels(slot, current_user, **kw),
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions,
        }

    from network.core.markdown import render_markdown
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = lambda v, fmt="medium": format_datetime(v, fmt) if v else "–"
    app.jinja_env.filters["date"] = lambda v, fmt="medium": format_date(v, fmt) if v else "–"
    app.jinja_env.add_extension("jinja2.ext.do")  # {% do list.append(...) %}: the header builds its menu groups
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
