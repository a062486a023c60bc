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
    #: the site's public address (scheme://host[:port]): every absolute link (mails, .ics, Atom, Location) is
    #: built from it, never from the request's Host header. Unset: scheme://SERVER_NAME, else
    #: http://127.0.0.1:5000; required in production (or SERVER_NAME)
    PUBLIC_URL = None
    #: hosts a request may name (Flask); None: in production only PUBLIC_URL's host, elsewhere any
    TRUSTED_HOSTS = None
    #: number of reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host/-Port/-Prefix;
    #: 0 (default) ignores those headers. With PROXY_FIX_X_FOR the rate limits key on the real client address.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0
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
    #: failed logins per (email address, client address) without a wait; after that the pair waits
    #: LOGIN_THROTTLE_BASE_SECONDS, doubling with every further failure, at most LOGIN_THROTTLE_MAX_SECONDS.
    #: There is no lock-out: the owner at another address, or with a reset link, always gets in.
    #: roles that must set up two-factor authentication at their next login: any of "coordinator", "lead",
    #: "staff" (production: ["coordinator", "lead"]; the demo default is off so the demo accounts stay easy)
    REQUIRE_2FA_FOR: list = []
    #: how long the second login step (the code after the password) waits before the password is asked again
    TWOFA_PENDING_SECONDS = 300
    LOGIN_THROTTLE_FREE_FAILURES = 3
    LOGIN_THROTTLE_BASE_SECONDS = 2
    LOGIN_THROTTLE_MAX_SECONDS = 900
    #: API token lifetime (days) preselected when a token is created (30, 90 or 365)
    API_TOKEN_DEFAULT_DAYS = 365

    INVITATION_HOURS = 72
    RESET_HOURS = 1

    API_TITLE = "Städtenetz API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    #: the API's single-network addresses (before issue #16) are deprecated since and answer until (README, API)
    API_LEGACY_DEPRECATED_ON = "2026-11-15"
    API_LEGACY_SUNSET_ON = "2027-12-31"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearerAuth": []}],
        "info": {"description": "JSON-Schnittstelle des Städtenetzes. Persönliche Tokens im Profil."},
    }

    #: a city's claim on an unclaimed topic is confirmed at once instead of waiting for the coordination
    TOPICS_AUTO_CONFIRM_CLAIMS = False

    #: the public name of the installation shown in the header (each network has its own name, issue #16)
    NETWORK_NAME = "Städtenetz re@di – regional.digital"
    #: slug of the network that pages outside /n/<slug>/ are in until a user picks another in the switcher;
    #: the addresses of the single-network era redirect there
    DEFAULT_NETWORK = "readi"

    # --- inventory (Vorhaben) ---
    #: the largest CSV a city may import (data rows and bytes)
    INVENTORY_IMPORT_MAX_ROWS = 10_000
    INVENTORY_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    #: how often the scheduler forgets unfinished CSV uploads (older than a day)
    SCHEDULER_INVENTORY_PURGE_SECONDS = 3600
    # --- interest (issue #9): registrations, following, digests, privacy -------------------
    #: a public registration sent faster than this after the form was shown counts as a bot
    INTEREST_MIN_FILL_SECONDS = 3
    #: the double opt-in link is valid this long; unconfirmed registrations are deleted after it
    INTEREST_CONFIRM_DAYS = 7
    #: Flask-Limiter rule for the public form and POST /api/v1/interest (per client address)
    RATELIMIT_INTEREST = "5 per minute;30 per hour"
    #: seconds between runs of the interest jobs (purge of unconfirmed registrations, weekly digest)
    INTEREST_JOB_SECONDS = 900
    #: the weekly digest goes out from this weekday (0 = Monday) and hour (Europe/Berlin) on, once per ISO week
    INTEREST_DIGEST_WEEKDAY = 0
    INTEREST_DIGEST_HOUR = 7
    #: Impressum and Datenschutzerklärung in Markdown; empty: instance/impressum.md, instance/datenschutz.md
    IMPRINT_MARKDOWN = ""
    PRIVACY_MARKDOWN = ""
    #: contact of the data-protection officer (Markdown), shown on the privacy page and in the export
    DPO_CONTACT = ""
    # --- meetings -------------------------------------------------------------------------
    #: how often the reminder job runs (seconds)
    MEETING_REMINDER_SECONDS = 300
    #: responsible cities are reminded this many days before an action item is due
    MEETING_ACTION_DUE_DAYS = 3
    #: minutes published within this many days are announced by the reminder job
    MEETING_MINUTES_NOTICE_DAYS = 14
    #: minutes reserved at the top of an agenda for the open action items of the previous meeting
    MEETING_CARRIED_MINUTES = 10
    #: the domain part of iCalendar UIDs (meeting-<id>@<domain>); default: SERVER_NAME
    MEETINGS_ICAL_DOMAIN = None
    #: ORGANIZER address of invitations (.ics); default: none
    MEETINGS_ORGANIZER_EMAIL = None
    # --- funding ---
    #: reminders go out this many days before each funding deadline (interested cities, application members)
    FUNDING_REMINDER_DAYS = (30, 14, 3)
    #: how often the scheduler looks for due funding reminders
    FUNDING_REMINDER_SECONDS = 3600
    # --- practices (Praxisberichte) and shared uploads ---
    #: where uploaded files are stored (outside static/); None means instance/uploads
    UPLOAD_FOLDER = None
    #: largest accepted upload in bytes (20 MB)
    MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    #: results per page of the practice search and list
    PRACTICES_PER_PAGE = 20
    #: seconds a worker keeps a practices search's count, facets and ranking (core.resultcache); any change of a
    #: practice ends them at once, this bounds what changes without one (a city joining a network); 0: off
    RESULT_CACHE_SECONDS = 60
    # --- failure behaviour (issue #15) ---
    #: largest request body in bytes (413 before the body is read); multipart uploads: MAX_UPLOAD_BYTES + overhead
    MAX_CONTENT_LENGTH = 1024 * 1024
    #: room for the other form fields next to an upload of MAX_UPLOAD_BYTES
    UPLOAD_OVERHEAD_BYTES = 1024 * 1024
    #: JSON bodies: deepest nesting and longest integer accepted (400 with the error envelope beyond)
    JSON_MAX_DEPTH = 64
    JSON_MAX_INT_DIGITS = 100
    #: a message left in "sending" (the sender died between the SMTP handshake and recording the result) is
    #: sent again only after this many seconds; it keeps its Message-ID, so receivers can drop the copy
    OUTBOX_SENDING_GRACE_SECONDS = 600
    #: PostgreSQL: seconds to wait for a connection before answering 503
    DATABASE_CONNECT_TIMEOUT = 5
    #: PostgreSQL: settings of every connection (libpq "options"). JIT compilation is off: it pays for itself on long
    #: analytical queries, and this app's statements are short; at Germany scale it added 15–20 ms of compiling to
    #: searches of 35–55 ms (bench/README.md, issue #17)
    POSTGRES_SESSION_OPTIONS = "-c jit=off"
    # --- single sign-on (issue #18) ---
    #: Fernet key for the identity providers' client secrets (STAEDTENETZ_SSO_KEY); unset: derived from SECRET_KEY
    #: (then changing SECRET_KEY means entering the client secrets again)
    SSO_KEY = None
    #: seconds to wait for a city's identity provider (discovery, token, keys) before "nicht erreichbar"
    SSO_HTTP_TIMEOUT = 10
    #: seconds a provider's discovery document and keys are kept in this process
    SSO_METADATA_SECONDS = 300
    #: plain http issuers (loopback test providers); production needs https
    SSO_ALLOW_HTTP = False
    #: SAML: the SP's signing key and certificate, PEM text or a file path (STAEDTENETZ_SAML_SP_KEY/_CERT); unset:
    #: a pair is generated at first use and stored in the database (the key encrypted like the client secrets)
    SAML_SP_KEY = None
    SAML_SP_CERT = None
    #: SAML: the xmlsec1 binary (unset: found on PATH); seconds of clock skew accepted; largest IdP metadata
    SAML_XMLSEC_BINARY = None
    SAML_CLOCK_SKEW_SECONDS = 60
    SAML_METADATA_MAX_BYTES = 1024 * 1024
