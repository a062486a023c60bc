"""Forms of the contact pages. The rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    function = StringField(_l("Funktion"), description=_l("Zum Beispiel Digitallotse/Digitallotsin, IT-Leitung, "
                                                          "Datenschutz."))
    phone = StringField(_l("Telefon (dienstlich)"))
    languages = StringField(_l("Sprachen"), description=_l("Zum Beispiel Deutsch, Englisch, Französisch."))
    topic = SelectMultipleField(_l("Themen"), coerce=str, validate_choice=False)
    field = SelectMultipleField(_l("Handlungsfelder des Netzwerks"), coerce=str, validate_choice=False)
    city_field = SelectMultipleField(_l("Eigene Handlungsfelder der Kommune"), coerce=str, validate_choice=False)
    ozg = SelectMultipleField(_l("OZG-Themenfelder"), coerce=str, validate_choice=False)
    tags = StringField(_l("Weitere Stichworte"), description=_l("Durch Kommas getrennt, z. B. e-Akte, LoRaWAN."))
    networks = _Checkboxes(_l("Sichtbar für die Mitglieder dieser Netzwerke"), coerce=str, validate_choice=False,
                           description=_l("Ohne Auswahl sieht niemand Ihr Profil. Sie können die Freigabe jederzeit "
                                          "zurücknehmen."))


class MarkForm(FlaskForm):
    profiles = _Checkboxes(_l("Ansprechpersonen für dieses Thema"), coerce=str, validate_choice=False)


class ActionForm(FlaskForm):
    """CSRF only (delete)."""
