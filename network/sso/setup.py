"""Wiring of the single sign-on domain: its personal data (an account's subject at its city's provider)."""

import sqlalchemy as sa

from network.core.hooks import register_personal_data
from network.extensions import db


def export_personal_data(user) -> dict:
    from network.sso.models import IdentityProvider, SsoIdentity
    rows = db.session.execute(
        sa.select(SsoIdentity, IdentityProvider.issuer).join(IdentityProvider, IdentityProvider.id == SsoIdentity.provider_id)
        .where(SsoIdentity.user_id == user.id)).all()
    return {"sso_identity": [{"issuer": issuer, "subject": row.subject, "since": row.created_at.isoformat(),
                              "last_login": row.last_login_at.isoformat() if row.last_login_at else None}
                             for row, issuer in rows]}


def erase_personal_data(user) -> None:
    """A deleted account is no longer linked to its subject at the provider."""
    from network.sso.models import SsoIdentity
    db.session.execute(sa.delete(SsoIdentity).where(SsoIdentity.user_id == user.id))


def init_app(app) -> None:
    register_personal_data(app, ["sso_identity"], export_personal_data, erase_personal_data)
