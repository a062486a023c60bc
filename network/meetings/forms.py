"""Forms for meetings. Validation lives in the services; forms carry fields, labels and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField

from network.meetings.models import BODY_KINDS, RSVP_RESPONSES


class BodyForm(FlaskForm):
    kind = SelectField(_l("Art"), choices=list(BODY_KINDS.items()), validate_choice=False)
    name = StringField(_l("Name"))
    description = TextAreaField(_l("Beschreibung"))
    topic_id = SelectField(_l("Thema (nur Projektgruppen)"), validate_choice=False)
    city_ids = SelectMultipleField(_l("Mitgliedskommunen"), validate_choice=False, coerce=str)
    person_ids = SelectMultipleField(_l("Mitglieder (Personen)"), validate_choice=False, coerce=str,
                                     description=_l("Sie erhalten Einladungen, Erinnerungen und Protokolle. Für "
                                                    "Kommunen ohne eingetragene Person erhält die IT-Leitung sie."))
    version = HiddenField()


class MeetingForm(FlaskForm):
    number = StringField(_l("Laufende Nummer"), render_kw={"inputmode": "numeric"})
    title = StringField(_l("Titel"))
    host_id = SelectField(_l("Gastgebende Kommune"), validate_choice=False)
    date = StringField(_l("Tag"), render_kw={"type": "date"},
                       description=_l("Leer lassen, um stattdessen eine Terminumfrage zu starten."))
    start_time = StringField(_l("Beginn (Uhrzeit)"), render_kw={"type": "time"})
    end_time = StringField(_l("Ende (Uhrzeit)"), render_kw={"type": "time"})
    address = StringField(_l("Adresse"))
    room = StringField(_l("Raum"))
    online_url = StringField(_l("Online-Link"), render_kw={"type": "url"},
                             description=_l("Zum Beispiel der Link zur Videokonferenz."))
    capacity = StringField(_l("Höchstzahl Teilnehmende"), render_kw={"inputmode": "numeric"},
                           description=_l("Weitere Zusagen kommen auf die Warteliste."))
    cutoff_date = StringField(_l("Einsendeschluss für Tagesordnungspunkte"), render_kw={"type": "date"})
    cutoff_time = StringField(_l("Einsendeschluss (Uhrzeit)"), render_kw={"type": "time"})
    description = TextAreaField(_l("Hinweise zur Einladung"))
    version = HiddenField()


class SlotForm(FlaskForm):
    date = StringField(_l("Tag"), render_kw={"type": "date"})
    start_time = StringField(_l("Beginn (Uhrzeit)"), render_kw={"type": "time"})
    end_time = StringField(_l("Ende (Uhrzeit)"), render_kw={"type": "time"})


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Titel"))
    presenter_municipality_id = SelectField(_l("Vortragende Kommune"), validate_choice=False)
    presenter_name = StringField(_l("Vortragende Person"))
    duration_minutes = StringField(_l("Dauer in Minuten"), render_kw={"inputmode": "numeric"}, default="15")
    topic_id = SelectField(_l("Thema"), validate_choice=False)
    link_path = StringField(_l("Link auf Praxisbericht oder Vorhaben"),
                            description=_l("Pfad einer Seite dieses Städtenetzes, z. B. /praxis/12 oder /vorhaben/7."))
    link_label = StringField(_l("Bezeichnung des Links"))


class RsvpForm(FlaskForm):
    response = RadioField(_l("Ihre Antwort"), choices=list(RSVP_RESPONSES.items()), validate_choice=False)
    note = StringField(_l("Anmerkung"), description=_l("Zum Beispiel: komme später, bringe eine Kollegin mit."))


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Protokoll (Markdown)"),
                            description=_l("Überschriften mit #, Listen mit -, Fettdruck mit **Text**."))
    version = HiddenField()


class DecisionForm(FlaskForm):
    decision_text = TextAreaField(_l("Beschluss"))


class ActionItemForm(FlaskForm):
    action_text = TextAreaField(_l("Aufgabe"))
    action_city = SelectField(_l("Verantwortliche Kommune"), validate_choice=False)
    due_date = StringField(_l("Fällig am"), render_kw={"type": "date"})


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Begründung"), description=_l("Steht in der Absage an alle Eingeladenen."))
