"""Forms of the strategy pages. The rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from network.strategy.models import VISIBILITY_LABELS


class StrategyForm(FlaskForm):
    vision = TextAreaField(_l("Leitbild"), description=_l("Markdown ist möglich: **fett**, *kursiv*, Listen mit -, "
                                                          "Überschriften mit ##, Links als [Text](https://…)."))
    visibility = SelectField(_l("Sichtbarkeit"), choices=list(VISIBILITY_LABELS.items()), default="network",
                             validate_choice=False,
                             description=_l("Gilt für Leitbild, Beschlüsse und Dokumente."))
    version = HiddenField()


class DecisionForm(FlaskForm):
    decided_on = StringField(_l("Datum des Beschlusses"), description=_l("TT.MM.JJJJ, z. B. 27.03.2019"))
    title = StringField(_l("Gremium und Beschluss"), description=_l("Zum Beispiel „Gemeinderat: ettlingen.digital "
                                                                    "zustimmend zur Kenntnis genommen“"))


class DocumentForm(FlaskForm):
    title = StringField(_l("Titel des Dokuments"))
    file = FileField(_l("Datei"), description=_l("PDF, Word, OpenDocument oder Text; erkannt am Inhalt."))


class FieldForm(FlaskForm):
    name = StringField(_l("Name des Handlungsfelds"))
    description = TextAreaField(_l("Kurze Beschreibung"), description=_l("Höchstens 500 Zeichen."))
    position = StringField(_l("Reihenfolge"), description=_l("Kleinere Zahlen stehen weiter oben."))


class ActionForm(FlaskForm):
    """CSRF only (delete buttons)."""
