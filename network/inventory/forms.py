"""Forms for the inventory. Validation rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from network.inventory.models import PRIORITIES, STATUSES, VISIBILITY_LABELS


class ProjectForm(FlaskForm):
    title = StringField(_l("Titel"))
    summary = TextAreaField(_l("Zusammenfassung"), description=_l("Markdown ist möglich: **fett**, *kursiv*, Listen "
                                                                  "mit -, Links als [Text](https://…)."))
    field_id = SelectField(_l("Handlungsfeld"), validate_choice=False)
    topic_id = SelectField(_l("Thema"), validate_choice=False)
    city_field_id = SelectField(_l("Eigenes Handlungsfeld"), validate_choice=False,
                                description=_l("Aus der Digitalstrategie Ihrer Kommune (optional)."))
    status = SelectField(_l("Status"), choices=list(STATUSES.items()), validate_choice=False)
    priority = SelectField(_l("Priorität"), choices=list(PRIORITIES.items()), default="medium",
                           validate_choice=False)
    start_month = StringField(_l("Geplanter Beginn"), description=_l("Monat und Jahr, z. B. 03/2026"))
    end_month = StringField(_l("Geplantes Ende"), description=_l("Monat und Jahr, z. B. 12/2027"))
    department = StringField(_l("Zuständiges Amt"))
    contact = StringField(_l("Ansprechperson"))
    budget_eur = StringField(_l("Geschätzte Kosten (Euro)"), description=_l("Ganze Euro von 0 bis 1.000.000.000.000, z. B. 25.000"))
    funding_source = StringField(_l("Finanzierung"), description=_l("Zum Beispiel Haushalt oder ein Förderprogramm"))
    visibility = SelectField(_l("Sichtbarkeit"), choices=list(VISIBILITY_LABELS.items()), default="network",
                             validate_choice=False)
    is_lighthouse = BooleanField(_l("Leuchtturmprojekt"))
    version = HiddenField()


class ActionForm(FlaskForm):
    """A button with CSRF (release, delete, discard)."""

    version = HiddenField()


class UploadForm(FlaskForm):
    file = FileField(_l("CSV-Datei"), description=_l("UTF-8 oder Windows-1252, getrennt durch Semikolon oder Komma, "
                                                     "erste Zeile mit den Spaltennamen, höchstens 10.000 Zeilen."))


class ReportForm(FlaskForm):
    year = StringField(_l("Jahr"))
    #: the hints name the year and today's date: the view sets them (see reports._freeze_hints)
    title = StringField(_l("Titel"))
    visibility = SelectField(_l("Sichtbarkeit"), choices=list(VISIBILITY_LABELS.items()), default="network",
                             validate_choice=False)
    note = TextAreaField(_l("Vorwort"), description=_l("Optional, Markdown ist möglich."))
    confirm_past = BooleanField(_l("Ja, der Bericht für ein früheres Jahr soll den heutigen Stand enthalten."),
                                description=_l("Nur nötig, wenn Sie ein früheres Jahr als das laufende angeben."))
