"""Helpers the interest services share: signed link tokens, absolute URLs, yes-values, the city look-up."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import URLSafeSerializer

from network.extensions import db
from network.municipalities.models import Municipality

#: the value of the city field that addresses the whole network
NETWORK = "netzwerk"
MAX_TEXT = 2000
PAGE_SIZE = 50
BERLIN = ZoneInfo("Europe/Berlin")


def serializer(salt: str) -> URLSafeSerializer:
    """The signer of one kind of login-free link (the salt keeps the kinds apart)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def absolute(path: str) -> str:
    """An absolute URL for a path of this site (also in scheduler jobs: needs SERVER_NAME there)."""
    if path.startswith(("http://", "https://")):
        return path
    return url_for("main.index", _external=True).rstrip("/") + path


def truthy(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "y", "yes", "true", "on", "ja")


def city_by_slug(slug):
    """The municipality with this slug, or None."""
    return db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()
