"""Forms for funding. Validation rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, FileField, FieldList, Form, FormField, HiddenField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)

from network.funding.models import APPLICATION_STATUSES, FUNDERS
from network.funding.services import MAX_DEADLINES

#: the documented range of every amount field (services.MAX_AMOUNT); the services answer outside it in German
AMOUNT_RANGE = _l("0 bis 999.999.999.999,99 €, z. B. 10.000 oder 1.234,56.")


class DeadlineForm(Form):
    label = StringField(_l("Bezeichnung der Frist"), description=_l("Zum Beispiel Interessenbekundung oder Vollantrag."))
    due_on = StringField(_l("Datum der Frist"), description=_l("Gilt bis 23:59 Uhr deutscher Zeit."),
                         render_kw={"type": "date", "autocomplete": "off"})


class CallForm(FlaskForm):
    title = StringField(_l("Programm"))
    funder = SelectField(_l("Fördergeber"), choices=[("", _l("Bitte wählen"))] + list(FUNDERS.items()),
                         validate_choice=False)
    funder_name = StringField(_l("Fördermittelgeber (Name)"), description=_l("Zum Beispiel das zuständige Ministerium."))
    url = StringField(_l("Link zum Aufruf"), description=_l("Beginnt mit https://"))
    summary = TextAreaField(_l("Zusammenfassung"))
    eligibility = TextAreaField(_l("Wer darf sich bewerben?"))
    joint_allowed = BooleanField(_l("Interkommunale Anträge (Verbundanträge) sind zulässig"))
    rate = StringField(_l("Fördersatz in Prozent"), description=_l("0 bis 100, z. B. 65 oder 62,5."))
    min_amount = StringField(_l("Mindestbetrag in Euro"), description=AMOUNT_RANGE)
    max_amount = StringField(_l("Höchstbetrag in Euro"), description=AMOUNT_RANGE)
    opens_on = StringField(_l("Bewerbung möglich ab"), description=_l("Leer, wenn schon offen."),
                           render_kw={"type": "date"})
    deadlines = FieldList(FormField(DeadlineForm), min_entries=MAX_DEADLINES, max_entries=MAX_DEADLINES)
    field_ids = SelectMultipleField(_l("Handlungsfelder"), validate_choice=False)
    topic_ids = SelectMultipleField(_l("Themen"), validate_choice=False)
    source = StringField(_l("Quelle"), description=_l("Wo die Angaben herkommen, z. B. Förderdatenbank des Bundes."))
    checked_on = StringField(_l("Zuletzt geprüft am"), render_kw={"type": "date"})
    version = HiddenField()


class InterestForm(FlaskForm):
    interested = HiddenField()
    note = StringField(_l("Anmerkung"), description=_l("Zum Beispiel, welches Vorhaben Ihre Kommune einreichen möchte."))


class ApplicationForm(FlaskForm):
    title = StringField(_l("Titel des Antrags"))
    description = TextAreaField(_l("Worum geht es?"))
    requested_amount = StringField(_l("Beantragter Betrag in Euro"), description=AMOUNT_RANGE)


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=list(APPLICATION_STATUSES.items()), validate_choice=False)
    requested_amount = StringField(_l("Beantragter Betrag in Euro"), description=AMOUNT_RANGE)
    granted_amount = StringField(_l("Bewilligter Betrag in Euro"),
                                 description=_l("Nur beim Status „bewilligt“; 0 bis 999.999.999.999,99 €."))
    version = HiddenField()


class PartnerForm(FlaskForm):
    municipality_id = SelectField(_l("Kommune"), validate_choice=False)


class AnswerForm(FlaskForm):
    decision = HiddenField()


class ShareForm(FlaskForm):
    share_amount = StringField(_l("Eigenanteil in Euro"), description=AMOUNT_RANGE)
    share_note = TextAreaField(_l("Beitrag Ihrer Kommune"))


class ItemForm(FlaskForm):
    title = StringField(_l("Aufgabe"))
    municipality_id = SelectField(_l("Verantwortliche Kommune"), validate_choice=False)
    due_on = StringField(_l("Fällig am"), render_kw={"type": "date"})


class ToggleForm(FlaskForm):
    done = HiddenField()


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Notiz"))


class DocumentForm(FlaskForm):
    file = FileField(_l("Datei"), description=_l("PDF, Office-Dokumente, Text oder Bilder; höchstens 20 MB."))
