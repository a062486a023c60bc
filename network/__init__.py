"""Städtenetz: create_app() is the only place that wires things together."""

import logging
import os
import secrets

from urllib.parse import urlsplit

from flask import Flask, g, request, session
from flask_login import current_user
from werkzeug.exceptions import SecurityError


class StaedtenetzFlask(Flask):
    """Flask whose absolute URLs always name the configured public address, never the request's Host."""

    def create_url_adapter(self, request):
        public = self.config.get("PUBLIC_URL")
        try:
            adapter = super().create_url_adapter(request)
        except SecurityError as exc:
            if request is None or not public:
                raise
            # a Host outside TRUSTED_HOSTS: the request answers 400; its error page builds links from PUBLIC_URL
            request.routing_exception = exc
            request.host = urlsplit(public).netloc
            adapter = self.url_map.bind(request.host, script_name=request.script_root or "/", path_info=request.path)
        if adapter is not None and public:
            # only building uses these two; matching ignores the server name without host matching
            parts = urlsplit(public)
            adapter.url_scheme, adapter.server_name = parts.scheme, parts.netloc
        return adapter


def _public_address(app: Flask) -> None:
    """PUBLIC_URL (or SERVER_NAME) is the one address in links; production trusts only its host."""
    server_name = app.config.get("SERVER_NAME")
    if not app.config.get("PUBLIC_URL"):
        if app.config["ENV_NAME"] == "production" and not server_name:
            raise RuntimeError("PUBLIC_URL fehlt: In Produktion muss STAEDTENETZ_PUBLIC_URL die öffentliche Adresse "
                               "nennen (z. B. https://staedtenetz.example.org).")
        app.config["PUBLIC_URL"] = (f"{app.config.get('PREFERRED_URL_SCHEME') or 'http'}://{server_name}"
                                    if server_name else "http://127.0.0.1:5000")
    app.config["PUBLIC_URL"] = app.config["PUBLIC_URL"].rstrip("/")
    if app.config["ENV_NAME"] == "production" and app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["PUBLIC_URL"]).hostname]
    hops = {k: int(app.config.get(f"PROXY_FIX_X_{k.upper()}") or 0) for k in ("for", "proto", "host", "port", "prefix")}
    if any(hops.values()):
        # the client address (rate limits, throttling) and scheme come from the proxy's headers only if configured
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops["for"], x_proto=hops["proto"], x_host=hops["host"],
                                x_port=hops["port"], x_prefix=hops["prefix"])


def _secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError(
            "SECRET_KEY fehlt: In Produktion muss STAEDTENETZ_SECRET_KEY oder instance/config.py ihn setzen."
        )
    path = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(path):
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fh:
            fh.write(secrets.token_hex(32))
    with open(path) as fh:
        app.config["SECRET_KEY"] = fh.read().strip()


def _database_url(app: Flask) -> None:
    url = app.config.get("DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "staedtenetz.sqlite")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        opts = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        opts.setdefault("connect_args", {"timeout": 30})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opts
    elif url.startswith("postgresql"):
        connect = {}
        if app.config.get("DATABASE_CONNECT_TIMEOUT"):
            # an unreachable database host answers 503 after this many seconds instead of hanging a worker
            connect["connect_timeout"] = int(app.config["DATABASE_CONNECT_TIMEOUT"])
        if app.config.get("POSTGRES_SESSION_OPTIONS"):
            connect["options"] = app.config["POSTGRES_SESSION_OPTIONS"]
        opts = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        opts.setdefault("connect_args", connect)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opts


def _runs_migrations(app: Flask) -> bool:
    """Whether this process may run migrations: the ``flask`` CLI (``flask db upgrade``, ``flask run``), the tests, or
    a caller that asks (``MIGRATIONS_IN_PROCESS``, e.g. bench/generate.py). A web worker (gunicorn imports ``wsgi``
    outside any command) never migrates and so never imports Alembic: 11 MB and a quarter second less per worker."""
    import click
    return click.get_current_context(silent=True) is not None or app.testing \
        or bool(app.config.get("MIGRATIONS_IN_PROCESS"))


#: the domains in dependency order; each may have models, permissions, views (bp), api (blp), cli, setup, demo
DOMAINS = ("main", "accounts", "municipalities", "sso", "networks", "topics", "inventory", "practices", "meetings",
           "funding", "interest", "ozg", "strategy", "contacts")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, instance/config.py, STAEDTENETZ_* env, test_config."""
    app = StaedtenetzFlask(__name__, instance_relative_config=True, template_folder="../templates",
                instance_path=os.environ.get("STAEDTENETZ_INSTANCE_PATH") or None)
    # ids in URLs are database integers: a larger number is the id 0, which no row has (404 from the loader),
    # never a database error. (Refusing it in the converter made werkzeug answer 405 where the address has routes
    # for other methods.)
    from werkzeug.routing import IntegerConverter

    class DatabaseIdConverter(IntegerConverter):
        def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
            super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

        def to_python(self, value):
            number = super().to_python(value)
            return number if number <= 2**31 - 1 else 0

    app.url_map.converters["int"] = DatabaseIdConverter
    app.config.from_object("network.config.DefaultConfig")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("STAEDTENETZ")
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    _secret_key(app)
    _database_url(app)
    _public_address(app)
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

    from network.extensions import api, babel, csrf, db, limiter, login_manager, mail

    db.init_app(app)
    if _runs_migrations(app):
        from flask_migrate import Migrate

        from network.core.cli import allow_relative_downgrade
        Migrate(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                render_as_batch=True, compare_type=True)
        allow_relative_downgrade()
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Europe/Berlin")
    api.init_app(app)

    from network.core.sqlite import init_sqlite
    init_sqlite(app)
    _init_login(app, login_manager)

    from network.core.errors import init_errors
    from network.core.security import init_security
    from network.core.templating import init_templating
    init_security(app)
    init_errors(app)
    init_templating(app)
    from network.core.requestguard import init_request_guard
    init_request_guard(app)  # size limit, hostile JSON, invalid UTF-8: before CSRF and every view

    # domains: models first so that Alembic sees every table, then permissions, blueprints, APIs, setup
    import importlib
    import importlib.util

    from network.core.permissions import extend_permissions

    def domain_module(domain, sub):
        if importlib.util.find_spec(f"network.{domain}") is None:
            return None
        name = f"network.{domain}.{sub}"
        return importlib.import_module(name) if importlib.util.find_spec(name) else None

    from network.core import models as _cm  # noqa: F401
    for domain in DOMAINS:
        domain_module(domain, "models")
    for domain in DOMAINS:
        if (mod := domain_module(domain, "permissions")) is not None:
            extend_permissions(mod.PERMISSIONS)
    for domain in DOMAINS:
        if (mod := domain_module(domain, "views")) is not None:
            app.register_blueprint(mod.bp)
    for domain in DOMAINS:
        if (mod := domain_module(domain, "api")) is not None:
            api.register_blueprint(mod.blp)
    from network.core.apidoc import init_docs
    init_docs(app)
    for domain in DOMAINS:
        domain_module(domain, "cli")  # adds commands to the `network` group
        if (mod := domain_module(domain, "setup")) is not None:
            mod.init_app(app)  # jobs, panels, calendar sources, digest sections (see core/hooks.py)

    from network.core.cli import network_cli
    from network import demo as _demo  # noqa: F401  (adds seed-demo)
    app.cli.add_command(network_cli)

    from network.core.outbox import deliver_outbox
    from network.core.scheduler import register_job
    register_job(app, "outbox", deliver_outbox, seconds_config="SCHEDULER_OUTBOX_SECONDS")

    # last: every view function registered above answers through the one request boundary
    from network.core.boundary import init_boundary
    init_boundary(app)

    return app


def _select_locale():
    # while the database is away (503 page) the user cannot be loaded: the session's choice or German
    if not g.get("_database_unavailable"):
        try:
            if getattr(current_user, "is_authenticated", False):
                return current_user.language
        except Exception as exc:
            from network.core.health import is_outage
            if not is_outage(exc):
                raise
            g._database_unavailable = True
    # German first: anonymous visitors get German unless they chose English with the switch
    lang = session.get("lang")
    return lang if lang in ("de", "en") else "de"


def _init_login(app: Flask, login_manager) -> None:
    from flask_babel import lazy_gettext as _l

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # sessions are server-side rows, see LoginSession

    @login_manager.user_loader
    def load_user(key):
        if request.path.startswith("/api/"):
            return None  # the API takes bearer tokens only, never the cookie
        from network.accounts.services import load_session
        from network.networks.access import session_load_options
        return load_session(key, session_load_options())

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import flash, redirect, url_for
        from network.core.errors import render_error
        if request.path.startswith("/api/"):
            return render_error(401)
        flash(str(login_manager.login_message), "info")
        return redirect(url_for("accounts.login", next=request.full_path if request.query_string else request.path))
