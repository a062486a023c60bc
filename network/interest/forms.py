"""Interest forms. Validation rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.widgets import CheckboxInput, ListWidget

from network.interest.models import EVENT_KINDS, MODES, REGISTRANT_KINDS


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RegistrationForm(FlaskForm):
    name = StringField(_l("Ihr Name"), render_kw={"autocomplete": "name"})
    email = EmailField(_l("E-Mail-Adresse"), render_kw={"autocomplete": "email"},
                       description=_l("An diese Adresse schicken wir einen Link, mit dem Sie Ihre Angaben bestätigen."))
    kind = SelectField(_l("Sie sind"), choices=[("", _l("Bitte wählen"))] + list(REGISTRANT_KINDS.items()),
                       validate_choice=False)
    organisation = StringField(_l("Organisation"), render_kw={"autocomplete": "organization"},
                               description=_l("Unternehmen, Verein oder Einrichtung, falls zutreffend."))
    municipality = SelectField(_l("Ihr Interesse richtet sich an"), validate_choice=False)
    topics = CheckboxList(_l("Themen, die Sie interessieren"), coerce=str, validate_choice=False)
    message = TextAreaField(_l("Ihre Nachricht"),
                            description=_l("Was möchten Sie einbringen? Höchstens 2000 Zeichen."))
    consent = BooleanField(_l("Ich bin einverstanden, dass meine Angaben zu diesem Zweck gespeichert und an die "
                              "gewählte Kommune (bzw. die Netzwerkkoordination) weitergegeben werden."))
    #: honeypot: hidden from people, bots fill it
    website = StringField(_l("Bitte nicht ausfüllen"), render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()


class ContactedForm(FlaskForm):
    contacted = HiddenField()
    next = HiddenField()


class PreferencesForm(FlaskForm):
    digest = BooleanField(_l("Wöchentliche Zusammenfassung per E-Mail erhalten"))


def preference_field_name(kind: str) -> str:
    return "pref_" + kind.replace(".", "_")


def make_preferences_form(prefs: dict, formdata=None):
    """The preferences form with one radio group per event kind."""

    class _Form(PreferencesForm):
        pass

    for kind, label in EVENT_KINDS.items():
        setattr(_Form, preference_field_name(kind), RadioField(label, choices=list(MODES.items()),
                                                               validate_choice=False, default=prefs.get(kind)))
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = _Form(**kwargs)
    if formdata is None or not form.is_submitted():
        form.digest.data = prefs.get("digest") != "off"
        for kind in EVENT_KINDS:
            form[preference_field_name(kind)].data = prefs.get(kind)
    return form


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Ihr Passwort zur Bestätigung"), render_kw={"autocomplete": "current-password"})
