"""Forms for meetings. Validation lives in the services; forms carry fields, labels and CSRF."""

from flask_babel import lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm
from wtforms import (FieldList, Form, FormField, HiddenField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)

from network.meetings.models import BODY_KINDS, RSVP_RESPONSES


class BodyForm(FlaskForm):
    kind = SelectField(_l("Art"), choices=list(BODY_KINDS.items()), validate_choice=False)
    name = StringField(_l("Name"))
    description = TextAreaField(_l("Beschreibung"))
    topic_id = SelectField(_l("Thema (nur Projektgruppen)"), validate_choice=False)
    #: the member cities by name, one per line (a network can have over 1,000: no checkbox per city)
    cities = TextAreaField(_l("Mitgliedskommunen"),
                           description=_l("Eine Kommune pro Zeile, so geschrieben wie im Städtenetz (z. B. "
                                          "„Ettlingen“). Nur Mitgliedskommunen des Netzwerks."))
    #: ids as well (older clients and scripts); the form shows only the names
    city_ids = SelectMultipleField(_l("Mitgliedskommunen"), validate_choice=False, coerce=str)
    #: the member persons, one per line: an e-mail address or "Name <address>" (thousands of accounts: no checkbox
    #: per person; the form suggests at most 20 while typing)
    persons = TextAreaField(_l("Mitglieder (Personen)"),
                            description=_l("Eine Person pro Zeile: die E-Mail-Adresse oder „Name <E-Mail-Adresse>“. "
                                           "Nur Konten der Kommunen und der Koordination des Netzwerks. Sie erhalten "
                                           "Einladungen, Erinnerungen und Protokolle. Für Kommunen ohne eingetragene "
                                           "Person erhält die IT-Leitung sie."))
    #: ids as well (older clients and scripts); the form shows only the lines
    person_ids = SelectMultipleField(_l("Mitglieder (Personen)"), validate_choice=False, coerce=str)
    version = HiddenField()


class MeetingForm(FlaskForm):
    number = StringField(_l("Laufende Nummer"), render_kw={"inputmode": "numeric"})
    title = StringField(_l("Titel"))
    #: a select of the body's cities up to services.SELECT_LIMIT of them, else the typed name (host_city)
    host_id = SelectField(_l("Gastgebende Kommune"), validate_choice=False)
    host_city = StringField(_l("Gastgebende Kommune"),
                            description=_l("Name einer Mitgliedskommune des Gremiums, z. B. „Ettlingen“. Leer lassen, "
                                           "wenn noch offen."), render_kw={"autocomplete": "off"})
    date = StringField(_l("Tag"), render_kw={"type": "date"},
                       description=_l("Leer lassen, um stattdessen eine Terminumfrage zu starten."))
    start_time = StringField(_l("Beginn (Uhrzeit)"), render_kw={"type": "time"},
                             description=_l("Nötig, wenn ein Tag angegeben ist."))
    end_time = StringField(_l("Ende (Uhrzeit)"), render_kw={"type": "time"},
                           description=_l("Nötig, wenn ein Tag angegeben ist."))
    address = StringField(_l("Adresse"), description=_l("Oder ein Online-Link (unten)."))
    room = StringField(_l("Raum"))
    online_url = StringField(_l("Online-Link"), render_kw={"type": "url"},
                             description=_l("Zum Beispiel der Link zur Videokonferenz."))
    capacity = StringField(_l("Höchstzahl Teilnehmende"), render_kw={"inputmode": "numeric"},
                           description=_l("Weitere Zusagen kommen auf die Warteliste."))
    cutoff_date = StringField(_l("Einsendeschluss für Tagesordnungspunkte"), render_kw={"type": "date"})
    cutoff_time = StringField(_l("Einsendeschluss (Uhrzeit)"), render_kw={"type": "time"})
    description = TextAreaField(_l("Hinweise zur Einladung"))
    version = HiddenField()


class SlotRowForm(Form):
    """One proposed date: a row of the poll's slot form (no CSRF of its own)."""
    date = StringField(_l("Tag"), render_kw={"type": "date"})
    start_time = StringField(_l("Beginn (Uhrzeit)"), render_kw={"type": "time"})
    end_time = StringField(_l("Ende (Uhrzeit)"), render_kw={"type": "time"})


#: empty rows the poll's slot form offers (empty rows are ignored)
SLOT_ROWS = 5


class SlotForm(FlaskForm):
    """Several dates in one form (rows slots-0-date, slots-0-start_time, …), optionally repeated weekly."""
    slots = FieldList(FormField(SlotRowForm), min_entries=SLOT_ROWS, max_entries=SLOT_ROWS)
    repeat_weeks = SelectField(_l("Wöchentlich wiederholen"), default="0", validate_choice=False,
                               description=_l("Kopiert die eingegebenen Termine in die folgenden Wochen "
                                              "(gleicher Wochentag, gleiche Uhrzeit)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.repeat_weeks.choices = [("0", _l("nicht wiederholen"))] + [
            (str(n), ngettext("in der folgenden Woche", "in den folgenden %(num)s Wochen", n)) for n in range(1, 9)]

    def rows(self) -> list[dict]:
        return [{"date": r.form.date.data, "start_time": r.form.start_time.data, "end_time": r.form.end_time.data}
                for r in self.slots]

    def apply_row_errors(self, errors: dict) -> dict:
        """Messages keyed slots-<i>-<field> go beside that row's field; the others come back."""
        rest = {}
        for k, message in errors.items():
            parts = k.split("-", 2)
            if len(parts) == 3 and parts[0] == "slots" and parts[1].isdigit() and int(parts[1]) < len(self.slots):
                row = self.slots[int(parts[1])].form
                target = parts[2] if parts[2] in row._fields else "date"
                row._fields[target].errors = list(row._fields[target].errors or []) + [message]
            elif k == "repeat_weeks":
                self.repeat_weeks.errors = list(self.repeat_weeks.errors or []) + [message]
            else:
                rest[k] = message
        return rest


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Titel"))
    #: the presenting city by name (a text field with suggestions, no select of every member city)
    presenter_city = StringField(_l("Vortragende Kommune"),
                                 description=_l("Name einer Mitgliedskommune, z. B. „Ettlingen“."),
                                 render_kw={"list": "presenter-city-list", "autocomplete": "off"})
    #: an id as well (older clients and scripts); the form shows only the name
    presenter_municipality_id = HiddenField()
    presenter_name = StringField(_l("Vortragende Person"))
    duration_minutes = StringField(_l("Dauer in Minuten"), render_kw={"inputmode": "numeric"}, default="15")
    topic_id = SelectField(_l("Thema"), validate_choice=False)
    practice_id = SelectField(_l("Praxisbericht verknüpfen"), validate_choice=False,
                              description=_l("Die neuesten Praxisberichte; mit der Suche darüber finden Sie ältere."))
    link_path = StringField(_l("Oder Link auf ein Vorhaben"),
                            description=_l("Pfad einer Seite dieses Städtenetzes, z. B. /vorhaben/7."))
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
    #: a select of the body's cities up to services.SELECT_LIMIT of them, else the typed name (action_city_name)
    action_city = SelectField(_l("Verantwortliche Kommune"), validate_choice=False)
    action_city_name = StringField(_l("Verantwortliche Kommune"),
                                   description=_l("Name einer Mitgliedskommune des Gremiums, z. B. „Ettlingen“."),
                                   render_kw={"autocomplete": "off"})
    due_date = StringField(_l("Fällig am"), render_kw={"type": "date"})


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Begründung"), description=_l("Steht in der Absage an alle Eingeladenen."))
