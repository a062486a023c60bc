"""Two-factor authentication: TOTP (RFC 6238) with a QR code from our origin, one-time recovery codes."""

import hmac
import secrets
import time

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from network.accounts.credentials import LoginFailed, _count_failure, _normal, waiting_throttle
from network.accounts.models import RecoveryCode, User, hash_secret
from network.core import audit
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import require
from network.core.validation import ValidationFailed
from network.extensions import db

RECOVERY_CODES = 10
ISSUER = "Städtenetz"


def new_secret() -> str:
    """A fresh random base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def qr_svg(user: User, secret: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (rendered here, no third-party service sees the secret)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=5, title=_("QR-Code für die Authenticator-App"))


def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _totp_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step a six-digit code belongs to (now or one step either side), None if wrong or already used."""
    code = _clean(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp, now = pyotp.TOTP(secret), time.time()
    for offset in (-1, 0, 1):
        at = now + offset * totp.interval
        if hmac.compare_digest(totp.at(at), code):
            step = totp.timecode(_utc(at))
            return step if last_step is None or step > last_step else None
    return None


def _utc(ts: float):
    from datetime import datetime, timezone
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def _new_recovery_codes(user: User) -> list[str]:
    """Ten new codes (replacing all old ones); only their hashes are stored, the plain codes are shown once."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    plain = []
    for _i in range(RECOVERY_CODES):
        raw = secrets.token_hex(8)  # 64 bits: sha256 is enough for codes this random
        plain.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}-{raw[12:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_secret(raw)))
    return plain


def _wrong_code() -> str:
    return _("Der Code ist falsch oder abgelaufen. Bitte geben Sie den aktuellen Code aus Ihrer App ein.")


def enable(actor: User, secret: str, code: str) -> list[str]:
    """Switch 2FA on after the first correct code from the app; returns the ten recovery codes (shown once)."""
    require(actor, "profile.edit")
    if actor.has_2fa:
        raise ValidationFailed({"code": _("Die Zwei-Faktor-Anmeldung ist bereits eingerichtet.")}, status=409)
    if not secret:
        raise ValidationFailed({"code": _("Die Einrichtung ist abgelaufen. Bitte scannen Sie den neuen QR-Code.")})
    step = _totp_step(secret, code, None)
    if step is None:
        raise ValidationFailed({"code": _wrong_code()})
    actor.totp_secret, actor.totp_enabled_at, actor.totp_last_step = secret, utcnow(), step
    codes = _new_recovery_codes(actor)
    audit.record(actor, "user.2fa_enabled", obj=actor, summary=f"Zwei-Faktor-Anmeldung für {actor.email} eingerichtet")
    db.session.flush()
    return codes


def _check_code(user: User, code: str) -> bool:
    """A current TOTP code (each once) or an unused recovery code (then used up)."""
    step = _totp_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    cleaned = _clean(code)
    if len(cleaned) != 16:
        return False
    row = db.session.execute(sa.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_secret(cleaned),
        RecoveryCode.used_at.is_(None))).scalar_one_or_none()
    if row is None:
        return False
    row.used_at = utcnow()
    audit.record(user, "user.2fa_recovery_used", obj=user, summary=f"Wiederherstellungscode von {user.email} verwendet")
    return True


def verify_login(user: User, code: str, client: str = "") -> User:
    """The second login step: throttled like passwords, per account and client address."""
    now = utcnow()
    key = hash_secret(f"2fa:{_normal(user.email)}|{client}")
    message = _("Der Code ist falsch. Nach mehreren Fehlversuchen warten Sie bitte einen Moment.")
    throttle = waiting_throttle(key, now, message)
    if not user.active or not user.has_2fa or not _check_code(user, code):
        _count_failure(throttle, key, f"2fa:{_normal(user.email)}", now)
        raise LoginFailed(message)
    if throttle is not None:
        db.session.delete(throttle)
    db.session.flush()
    return user


def regenerate_codes(actor: User, code: str) -> list[str]:
    """Ten new recovery codes (the old ones stop working); needs a current code from the app."""
    require(actor, "profile.edit")
    if not actor.has_2fa:
        raise ValidationFailed({"code": _("Die Zwei-Faktor-Anmeldung ist nicht eingerichtet.")}, status=409)
    step = _totp_step(actor.totp_secret, code, actor.totp_last_step)
    if step is None:
        raise ValidationFailed({"code": _wrong_code()})
    actor.totp_last_step = step
    codes = _new_recovery_codes(actor)
    audit.record(actor, "user.2fa_codes_renewed", obj=actor, summary=f"Neue Wiederherstellungscodes für {actor.email}")
    db.session.flush()
    return codes


def _switch_off(user: User) -> None:
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(actor: User, password: str, code: str) -> None:
    """Switch 2FA off: needs the password AND a current code (or a recovery code)."""
    require(actor, "profile.edit")
    if not actor.has_2fa:
        raise ValidationFailed({"code": _("Die Zwei-Faktor-Anmeldung ist nicht eingerichtet.")}, status=409)
    errors = {}
    if not actor.check_password(password or ""):
        errors["password"] = _("Das Passwort ist falsch.")
    if not _check_code(actor, code):
        errors["code"] = _wrong_code()
    if errors:
        raise ValidationFailed(errors)
    _switch_off(actor)
    audit.record(actor, "user.2fa_disabled", obj=actor, summary=f"Zwei-Faktor-Anmeldung für {actor.email} abgeschaltet")
    db.session.flush()


def reset(actor: User, user: User) -> None:
    """Coordination: switch a person's 2FA off (lost phone); audited, the person gets a mail."""
    if not getattr(actor, "is_coordinator", False):
        from network.core.errors import abort_with
        abort_with(403, _("Nur die Netzwerkkoordination kann die Zwei-Faktor-Anmeldung zurücksetzen."))
    if not user.has_2fa:
        raise ValidationFailed({"code": _("Für dieses Konto ist keine Zwei-Faktor-Anmeldung eingerichtet.")},
                               status=409)
    _switch_off(user)
    audit.record(actor, "user.2fa_reset", obj=user, municipality_id=user.municipality_id,
                 summary=f"Zwei-Faktor-Anmeldung von {user.email} zurückgesetzt")
    queue_mail(user.email, "twofa_reset", subject=_("Ihre Zwei-Faktor-Anmeldung wurde zurückgesetzt"),
               locale=user.language, municipality_id=user.municipality_id, user=user, actor=actor,
               profile_link=url_for("accounts.twofa", _external=True))
    db.session.flush()


def required_for(user: User) -> bool:
    """Whether REQUIRE_2FA_FOR demands 2FA of this user's roles (and it is not set up yet)."""
    if user.has_2fa:
        return False
    roles = set(current_app.config.get("REQUIRE_2FA_FOR") or ())
    return bool(("coordinator" in roles and user.coordinated_networks)
                or (user.municipality_id and user.role in roles))
