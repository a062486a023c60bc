"""Forms of the OZG pages. The status rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField

from network.ozg.models import MATURITY, STATUSES, VISIBILITY_LABELS


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=list(STATUSES.items()), validate_choice=False)
    maturity = SelectField(_l("Reifegrad"), choices=[(str(k), v) for k, v in MATURITY.items()],
                           validate_choice=False, description=_l("Der OZG-Reifegrad von 0 bis 4."))
    solution = StringField(_l("Lösung"), description=_l("Das Produkt, Portal oder die eigene Entwicklung, z. B. "
                                                        "„service-bw“."))
    is_efa = BooleanField(_l("EfA-Nachnutzung"), description=_l("„Einer für Alle“: Die Kommune nutzt einen Dienst, "
                                                                "den ein Land oder ein Anbieter bereitstellt."))
    provider = StringField(_l("Bereitstellendes Land oder Anbieter"))
    go_live = StringField(_l("Online seit"), description=_l("Datum als TT.MM.JJJJ; bei „online“ Link oder Datum "
                                                            "angeben."))
    url = StringField(_l("Link zum Online-Dienst"), description=_l("Beginnt mit https:// oder http://"))
    project_id = SelectField(_l("Vorhaben im Inventar"), validate_choice=False)
    practice_id = SelectField(_l("Praxisbericht"), validate_choice=False)
    visibility = SelectField(_l("Sichtbarkeit"), choices=list(VISIBILITY_LABELS.items()), default="network",
                             validate_choice=False)
    version = HiddenField()


class ActionForm(FlaskForm):
    """CSRF only (the bulk table, the import's confirmation)."""


class UploadForm(FlaskForm):
    file = FileField(_l("CSV-Datei"), description=_l("Am besten der CSV-Export dieser Seite, geändert: Spalten OZG-ID "
                                                     "und Status sind nötig, die übrigen optional; UTF-8 oder "
                                                     "Windows-1252, getrennt durch Semikolon oder Komma."))
