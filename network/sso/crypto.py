"""Client secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) keyed by SSO_KEY, else derived from SECRET_KEY."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet() -> Fernet:
    key = current_app.config.get("SSO_KEY")
    if key:
        # a Fernet key as printed by Fernet.generate_key(); any other text is stretched to one
        try:
            return Fernet(key)
        except (ValueError, TypeError):
            pass
    else:
        key = "staedtenetz-sso|" + str(current_app.config["SECRET_KEY"])
    digest = hashlib.sha256(key.encode() if isinstance(key, str) else key).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    """The plain secret; "" if none is stored or the key changed (the lead enters it again)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
