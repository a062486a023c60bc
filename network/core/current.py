"""The network a request is in (issue #16).

Network-scoped pages live under /n/<slug>/: the URL names the network. Every other page (a city's page, a
practice, the dashboard) is in the network the user chose in the header's switcher, else in the installation's
default network (config DEFAULT_NETWORK). Only the slug is kept here, so asking costs no query; permissions compare
it with the slugs a user coordinates, which are loaded with the user.
"""

from flask import current_app, g, has_app_context, has_request_context, session

#: session key of the switcher's choice
SESSION_KEY = "network"


def default_network_slug() -> str:
    if has_app_context():
        return current_app.config.get("DEFAULT_NETWORK", "readi")
    return "readi"


def current_network_slug() -> str:
    """The slug of the network this request is in (URL, then the switcher's choice, then the default)."""
    if has_request_context():
        slug = g.get("network_slug")
        if slug:
            return slug
        chosen = session.get(SESSION_KEY)
        if chosen:
            return chosen
    return default_network_slug()


def set_request_network(slug: str) -> None:
    """Called for URLs under /n/<slug>/: this request is in that network."""
    g.network_slug = slug


# --- network-scoped blueprints (/n/<network>/…) -----------------------------------------------------------------

def scope_blueprint(bp) -> None:
    """Make a blueprint network-scoped: its url_prefix starts with /n/<network>; views never see the `network`
    argument (it becomes this request's network), and url_for() fills it in from the current network unless a
    caller passes network=… for a row of another network. Unknown networks answer 404 (networks.services)."""

    @bp.url_value_preprocessor
    def _pull_network(endpoint, values):
        if values and "network" in values:
            set_request_network(values.pop("network"))

    @bp.url_defaults
    def _add_network(endpoint, values):
        if "network" not in values:
            values["network"] = current_network_slug()


def legacy_redirects(app, prefix: str, endpoint_name: str) -> None:
    """The addresses of the single-network era (e.g. /themen/…) answer 301 (GET/HEAD) or 308 (other methods)
    with the same path under the default network (/n/<default>/themen/…); the query string is kept."""
    from flask import redirect, request

    def _redirect(rest=""):
        target = f"/n/{default_network_slug()}{prefix}/{rest}" if rest else f"/n/{default_network_slug()}{prefix}/"
        if request.query_string:
            target += "?" + request.query_string.decode("latin-1")
        return redirect(target, code=301 if request.method in ("GET", "HEAD") else 308)

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    app.add_url_rule(prefix, f"{endpoint_name}_root", _redirect, methods=methods, strict_slashes=False)
    app.add_url_rule(f"{prefix}/<path:rest>", endpoint_name, _redirect, methods=methods)
