"""Forms for practices. Validation rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from network.practices.models import REUSE_STATUSES, SECTIONS, VISIBILITIES

SECTION_HINTS = {
    "situation": _l("Welches Problem hatte Ihre Kommune, was war der Anlass?"),
    "solution": _l("Was haben Sie eingeführt oder gebaut?"),
    "implementation": _l("Schritte, Meilensteine, Dauer."),
    "costs": _l("Sach- und Personalkosten, Förderung, laufender Aufwand."),
    "stakeholders": _l("Ämter, Gremien, Personalrat, Datenschutz, Bürgerschaft."),
    "vendors": _l("Welche Produkte und Dienstleister, welche Verträge oder Rahmenverträge?"),
    "pitfalls": _l("Was würden Sie heute anders machen?"),
    "transferability": _l("Was braucht eine andere Kommune, um es nachzunutzen?"),
    "contact": _l("Wer beantwortet Fragen? Name, Amt, Kontaktweg."),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PracticeForm(FlaskForm):
    title = StringField(_l("Titel"))
    summary = TextAreaField(_l("Kurzbeschreibung"), description=_l("Zwei, drei Sätze für Suchergebnisse und Listen."))
    visibility = SelectField(_l("Sichtbarkeit nach der Veröffentlichung"), choices=list(VISIBILITIES.items()),
                             validate_choice=False,
                             description=_l("Netzwerk: nur angemeldete Mitglieder. Öffentlich: alle, auch ohne Anmeldung."))
    field_id = SelectField(_l("Handlungsfeld"), validate_choice=False)
    topic_ids = MultiCheckboxField(_l("Themen"), validate_choice=False, coerce=str)
    tags = StringField(_l("Schlagwörter"), description=_l("Durch Kommas getrennt, z. B. Parken, App, Gebühren."))
    project_id = SelectField(_l("Vorhaben Ihrer Kommune"), validate_choice=False)
    version = HiddenField()


for _key, _label in SECTIONS.items():
    setattr(PracticeForm, _key, TextAreaField(_label, description=SECTION_HINTS[_key]))


class AttachmentForm(FlaskForm):
    file = FileField(_l("Datei"), description=_l("PDF, Office-Dokumente, Text/CSV oder Bilder (PNG, JPEG, GIF, WebP)."))


class ReuseForm(FlaskForm):
    status = SelectField(_l("Stand der Nachnutzung"), choices=list(REUSE_STATUSES.items()), validate_choice=False)
    note = TextAreaField(_l("Anmerkung"))
    saved_days = StringField(_l("Eingesparter Aufwand in Personentagen"))


class QuestionForm(FlaskForm):
    question = TextAreaField(_l("Ihre Frage"))


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Antwort"))


class ActionForm(FlaskForm):
    """A button-only form (publish, archive, restore, delete) that still carries CSRF and the version."""

    version = HiddenField()
