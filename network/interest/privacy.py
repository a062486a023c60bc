"""Data protection: Impressum and privacy texts, the personal data export and account deletion."""

import os
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from network.accounts.models import ApiToken, LoginSession, User, UserToken
from network.core import audit
from network.core.hooks import personal_data_sources
from network.core.markdown import render_markdown
from network.core.models import AuditEvent, OutboxMessage, utcnow
from network.core.permissions import require
from network.core.validation import ValidationFailed
from network.extensions import db
from network.interest.models import DigestLedger, Follow, InterestRegistration, NotificationPreference

#: the tables the core export covers itself: every table of the foundation and topics with a user column
CORE_TABLES = ("user", "login_session", "user_token", "api_token", "recovery_code", "audit_event", "outbox_message",
               "topic", "lead_claim", "lead_event", "participation")
#: the interest domain's own tables with personal data (registered as a personal-data source)
INTEREST_TABLES = ("interest_registration", "follow", "notification_preference", "digest_ledger")
#: columns never exported: secrets are hashes of tokens and passwords
SECRET_COLUMNS = {"password_hash", "key_hash", "token_hash", "withdraw_nonce", "code_hash", "totp_secret"}
#: the name an anonymised account shows, wherever its authored content appears
FORMER_MEMBER = "ehemaliges Mitglied"


# --- Impressum, Datenschutz -------------------------------------------------------------------

LEGAL_FILES = {"imprint": ("IMPRINT_MARKDOWN", "impressum.md"), "privacy": ("PRIVACY_MARKDOWN", "datenschutz.md")}


def legal_text(kind: str):
    """The operator's text as safe HTML (config key first, then instance/<file>.md); None if not configured."""
    key, filename = LEGAL_FILES[kind]
    text = current_app.config.get(key) or ""
    if not text.strip():
        path = os.path.join(current_app.instance_path, filename)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    return render_markdown(text) if text.strip() else None


def dpo_contact():
    text = current_app.config.get("DPO_CONTACT") or ""
    return render_markdown(text) if text.strip() else None


# --- export -------------------------------------------------------------------------------------

def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return None
    return value


def _user_columns(table):
    """Columns of `table` that reference user.id."""
    return [c for c in table.c if any(fk.column.table.name == "user" and fk.column.name == "id"
                                      for fk in c.foreign_keys)]


def rows_about(user, table_name: str, *, extra=None) -> list[dict]:
    """Rows of a table that reference the user (any user column), without secret columns."""
    table = db.metadata.tables[table_name]
    clauses = [c == user.id for c in _user_columns(table)]
    if table_name == "user":
        clauses = [table.c.id == user.id]
    if extra is not None:
        clauses.append(extra(table))
    if not clauses:
        return []
    cols = [c for c in table.c if c.name not in SECRET_COLUMNS]
    stmt = sa.select(*cols).where(sa.or_(*clauses))
    if "id" in table.c:
        stmt = stmt.order_by(table.c.id)
    return [{k: _jsonable(v) for k, v in row.items()} for row in db.session.execute(stmt).mappings()]


def core_export(user) -> dict:
    """What the foundation and topics hold about the user (never password or token hashes)."""
    out = {name: rows_about(user, name) for name in CORE_TABLES if name != "outbox_message"}
    # emails to the user: when and what about; the bodies (one-time links) are copies of what they received
    out["outbox_message"] = [
        {"id": m.id, "created_at": _jsonable(m.created_at), "subject": m.subject, "status": m.status,
         "sent_at": _jsonable(m.sent_at)}
        for m in db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                                    .order_by(OutboxMessage.id)).scalars()]
    for row in out["user"]:
        row["password_set"] = user.password_hash is not None
    return out


def interest_export(user) -> dict:
    """The interest domain's source: own registrations (by address), follows, preferences, digest ledger."""
    regs = rows_about(user, "interest_registration",
                      extra=lambda t: t.c.email == user.email)
    topic_rows = db.session.execute(
        sa.select(db.metadata.tables["interest_registration_topic"])
        .where(db.metadata.tables["interest_registration_topic"].c.registration_id.in_([r["id"] for r in regs]))
    ).mappings().all() if regs else []
    for r in regs:
        r["topic_ids"] = [t["topic_id"] for t in topic_rows if t["registration_id"] == r["id"]]
    # registrations the user only marked as contacted: the registrant's details are not the user's data
    regs = [r if r.get("email") == user.email else
            {k: r[k] for k in ("id", "municipality_id", "contacted_at", "contacted_by_id")} for r in regs]
    return {"interest_registration": regs,
            "follow": rows_about(user, "follow"),
            "notification_preference": rows_about(user, "notification_preference"),
            "digest_ledger": rows_about(user, "digest_ledger")}


def interest_erase(user) -> None:
    """Remove the purely personal rows of the interest domain (the contacted marks stay, anonymised)."""
    for model in (Follow, NotificationPreference, DigestLedger):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    for reg in db.session.execute(sa.select(InterestRegistration).where(
            InterestRegistration.email == user.email)).scalars():
        db.session.delete(reg)


def export_personal_data(user) -> dict:
    """Everything held about the user: the core tables and every registered personal-data source."""
    require(user, "privacy.export")
    tables = core_export(user)
    for source in personal_data_sources():
        for name, rows in (source["export"](user) or {}).items():
            tables.setdefault(name, [])
            tables[name].extend(rows)
    # no audit event: a GET writes nothing (the security suite checks it)
    return {
        "format": "staedtenetz-personal-data/1",
        "exported_at": utcnow().isoformat(),
        "user_id": user.id,
        "operator": {"network": current_app.config["NETWORK_NAME"],
                     "data_protection_officer": current_app.config.get("DPO_CONTACT") or ""},
        "tables": tables,
    }


# --- deletion -------------------------------------------------------------------------------------

def _blockers(user) -> str | None:
    if user.municipality_id and user.role == "lead" and user.municipality and user.municipality.status == "member":
        others = db.session.scalar(sa.select(sa.func.count(User.id)).where(
            User.municipality_id == user.municipality_id, User.role == "lead", User.active.is_(True),
            User.password_hash.is_not(None), User.id != user.id))
        if not others:
            return _("Sie sind die einzige Leitung von %(city)s. Bitte ernennen Sie zuerst eine andere Person Ihrer "
                     "Kommune zur Leitung (Konten verwalten), damit die Kommune handlungsfähig bleibt; danach können "
                     "Sie Ihr Konto löschen.", city=user.municipality.name)
    if user.coordinated_networks:
        from network.networks.models import NetworkRole
        # a network whose only active coordinator this user is would be left without coordination
        mine = sa.select(NetworkRole.network_id).where(NetworkRole.user_id == user.id).scalar_subquery()
        covered = db.session.scalar(sa.select(sa.func.count(sa.distinct(NetworkRole.network_id)))
                                    .join(User, User.id == NetworkRole.user_id)
                                    .where(NetworkRole.network_id.in_(mine), User.active.is_(True), User.id != user.id))
        if covered < len(user.coordinated_networks):
            return _("Sie sind das einzige Konto der Netzwerkkoordination. Bitte legen Sie zuerst ein weiteres "
                     "Koordinationskonto an.")
    return None


def deletion_blocker(user) -> str | None:
    """Why the user cannot delete the account right now (German), or None."""
    return _blockers(user)


def delete_account(user, password: str) -> None:
    """Delete one's own account: personal rows go, the user row is anonymised, authored content stays."""
    require(user, "account.delete")
    if not user.check_password(password or ""):
        raise ValidationFailed({"password": _("Das Passwort ist falsch.")})
    blocker = _blockers(user)
    if blocker:
        raise ValidationFailed({"password": blocker}, status=409)
    old_email = user.email
    for source in personal_data_sources():
        if source.get("erase"):
            source["erase"](user)
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(sa.delete(UserToken).where(UserToken.user_id == user.id))
    db.session.execute(sa.update(UserToken).where(UserToken.created_by_id == user.id).values(created_by_id=None))
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.recipient == old_email))
    # audit summaries name accounts by address; the events stay, the address goes
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.summary.contains(old_email, autoescape=True))
                       .values(summary=sa.func.replace(AuditEvent.summary, old_email, FORMER_MEMBER))
                       .execution_options(synchronize_session=False))
    user.name = FORMER_MEMBER
    user.email = f"geloescht-{user.id}-{secrets.token_hex(6)}@konto.invalid"
    user.password_hash = None
    user.active = False
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = None
    audit.record(user, "user.deleted", obj=user, municipality_id=user.municipality_id,
                 summary=f"Konto #{user.id} gelöscht (anonymisiert)")
    db.session.flush()
