"""Safe defaults. instance/config.py, STAEDTENETZ_* environment variables and test_config override."""

from datetime import timedelta


class DefaultConfig:
    #: "development" or "production"; production refuses to start without a SECRET_KEY
    ENV_NAME = "development"
    SECRET_KEY = None
    #: DATABASE_URL selects the database; None means the SQLite file in instance/
    DATABASE_URL = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "staedtenetz_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    PREFERRED_URL_SCHEME = "http"
    WTF_CSRF_TIME_LIMIT = None  # bound to the session instead of a clock

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    #: Flask-Mailman keys; "console" prints, "smtp" delivers
    MAIL_BACKEND = "console"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Städtenetz <noreply@staedtenetz.example>"
    MAIL_TIMEOUT = 10
    OUTBOX_MAX_ATTEMPTS = 8
    OUTBOX_BATCH = 100

    #: seconds between outbox runs of the scheduler
    SCHEDULER_OUTBOX_SECONDS = 60

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_RESET = "5 per minute;20 per hour"
    RATELIMIT_ENABLED = True
    #: failed logins in a row before an account is locked for LOGIN_LOCK_MINUTES
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15

    INVITATION_HOURS = 72
    RESET_HOURS = 1

    API_TITLE = "Städtenetz API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearerAuth": []}],
        "info": {"description": "JSON-Schnittstelle des Städtenetzes. Persönliche Tokens im Profil."},
    }

    #: a city's claim on an unclaimed topic is confirmed at once instead of waiting for the coordination
    TOPICS_AUTO_CONFIRM_CLAIMS = False

    #: the public name of the network shown in the header
    NETWORK_NAME = "Städtenetz re@di – regional.digital"

    # --- practices (Praxisberichte) and shared uploads ---
    #: where uploaded files are stored (outside static/); None means instance/uploads
    UPLOAD_FOLDER = None
    #: largest accepted upload in bytes (20 MB)
    MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    #: results per page of the practice search and list
    PRACTICES_PER_PAGE = 20
