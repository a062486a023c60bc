"""A city's identity provider, the email domains it claims, and the link of an account to its IdP subject."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import CreatedAt, TimestampMixin, UTCDateTime, UserOwned, Versioned, parent_fk
from network.extensions import db

#: the protocols a city can register
KINDS = {"oidc": _l("OpenID Connect"), "saml": _l("SAML 2.0")}
DEFAULT_SCOPES = "openid email profile"


class IdentityProvider(TimestampMixin, Versioned, db.Model):
    """One identity provider per city (read by the login page for any visitor: its domains are public knowledge)."""

    __tablename__ = "identity_provider"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the city whose staff log in here (one provider per city)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id", ondelete="CASCADE"), unique=True,
                                                 nullable=False)
    #: one of KINDS
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="oidc")
    #: off: the login page ignores the provider (the domains stay claimed)
    enabled: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    #: OIDC issuer (discovery at <issuer>/.well-known/openid-configuration); SAML: the IdP's entityID (from its
    #: metadata)
    issuer: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    client_id: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    #: the client secret, encrypted with Fernet (network/sso/crypto.py); never shown again
    client_secret_encrypted: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: space-separated scopes requested at login
    scopes: Mapped[str] = mapped_column(sa.String(300), nullable=False, default=DEFAULT_SCOPES)
    #: SAML: where the IdP's metadata is read ("" when it was pasted)
    metadata_url: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    #: SAML: the IdP's metadata as last read (or pasted); its signing certificate verifies the assertions
    metadata_xml: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: the claim (SAML: attribute) that lists the user's groups (Keycloak "groups", ADFS "group" or "roles")
    groups_claim: Mapped[str] = mapped_column(sa.String(100), nullable=False, default="groups")
    #: group name -> role ("lead"/"staff") for accounts created at their first login
    role_map: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    #: on: addresses of the claimed domains cannot log in with a password, and no reset mail is sent to them
    password_login_disabled: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)

    municipality = db.relationship("Municipality", lazy="joined")
    domains = db.relationship("SsoDomain", back_populates="provider", lazy="selectin", cascade="all, delete-orphan",
                              order_by="SsoDomain.domain")

    @property
    def domain_names(self) -> list[str]:
        return [d.domain for d in self.domains]


class SsoDomain(db.Model):
    """An email domain claimed by a city: unique across the installation."""

    __tablename__ = "sso_domain"
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = parent_fk("identity_provider.id")
    #: lowercase, without "@" (ettlingen.de)
    domain: Mapped[str] = mapped_column(sa.String(255), unique=True, nullable=False)

    provider = db.relationship("IdentityProvider", back_populates="domains")


class SsoIdentity(UserOwned, CreatedAt, db.Model):
    """An account's subject at its city's provider: later logins find the account by it, whatever the email."""

    __tablename__ = "sso_identity"
    __table_args__ = (sa.UniqueConstraint("provider_id", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = parent_fk("identity_provider.id")
    #: the "sub" claim
    subject: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = db.relationship("User", lazy="joined")


class SamlAssertion(db.Model):
    """A SAML assertion (or AuthnRequest answered) that logged someone in: refused when it comes again, kept until
    it has expired (replay protection)."""

    __tablename__ = "saml_assertion"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: "a:<Assertion ID>" or "r:<InResponseTo>", as issued (unique across the installation)
    key: Mapped[str] = mapped_column(sa.String(300), unique=True, nullable=False)
    #: after this the assertion is refused as expired anyway: the row may go
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True, nullable=False)


class SamlSpCredential(CreatedAt, db.Model):
    """The installation's SAML signing key and certificate, generated at first use (unless the environment names
    them: SAML_SP_KEY / SAML_SP_CERT). One row."""

    __tablename__ = "saml_sp_credential"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the private key (PEM), encrypted like the client secrets (network/sso/crypto.py)
    key_encrypted: Mapped[str] = mapped_column(sa.Text, nullable=False)
    cert_pem: Mapped[str] = mapped_column(sa.Text, nullable=False)
