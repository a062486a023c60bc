"""Account forms. Validation rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField

from network.accounts.models import LANGUAGES, ROLES, TOKEN_SCOPES


class LoginForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Passwort"), render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), render_kw={"autocomplete": "email"})


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Neues Passwort"), description=_l("Mindestens 10 Zeichen."),
                             render_kw={"autocomplete": "new-password"})
    password2 = PasswordField(_l("Neues Passwort wiederholen"), render_kw={"autocomplete": "new-password"})


class AcceptInviteForm(NewPasswordForm):
    name = StringField(_l("Ihr Name"), render_kw={"autocomplete": "name"})


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"autocomplete": "name"})
    language = SelectField(_l("Sprache"), choices=list(LANGUAGES.items()), validate_choice=False)


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Aktuelles Passwort"), render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("Neues Passwort"), description=_l("Mindestens 10 Zeichen."),
                             render_kw={"autocomplete": "new-password"})
    password2 = PasswordField(_l("Neues Passwort wiederholen"), render_kw={"autocomplete": "new-password"})


class TokenForm(FlaskForm):
    name = StringField(_l("Bezeichnung"), description=_l("Wofür Sie den Token verwenden, z. B. „Auswertung Excel“."))
    scope = SelectField(_l("Berechtigung"), choices=list(TOKEN_SCOPES.items()), default="read",
                        description=_l("„Nur lesen“ genügt für Auswertungen; schreiben darf ein Token nur, wenn Sie "
                                       "es ausdrücklich wählen."), validate_choice=False)
    days = SelectField(_l("Gültigkeit"), choices=[("30", _l("30 Tage")), ("90", _l("90 Tage")), ("365", _l("1 Jahr"))],
                       default="365", validate_choice=False)


class InviteForm(FlaskForm):
    name = StringField(_l("Name"))
    email = EmailField(_l("E-Mail-Adresse"))
    role = SelectField(_l("Rolle"), choices=[(k, v) for k, v in ROLES.items()], default="staff", validate_choice=False)


class RoleForm(FlaskForm):
    role = SelectField(_l("Rolle"), choices=[(k, v) for k, v in ROLES.items()], validate_choice=False)


class EmptyForm(FlaskForm):
    """Just the CSRF token, for buttons that change state."""


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), description=_l("Sechs Ziffern aus Ihrer Authenticator-App oder ein Wiederherstellungscode."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"})


class DisableTwoFactorForm(CodeForm):
    password = PasswordField(_l("Passwort"), render_kw={"autocomplete": "current-password"})
