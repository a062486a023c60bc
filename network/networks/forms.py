"""Forms of the networks domain: creating a network, its settings, members and coordinators."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TextAreaField, URLField

from network.municipalities.forms import AdmitForm


class _NetworkFields(FlaskForm):
    name = StringField(_l("Name des Netzwerks"))
    region = StringField(_l("Region"), description=_l("z. B. „Landkreise Karlsruhe und Rastatt“"))
    description = TextAreaField(_l("Beschreibung"), description=_l("Erscheint auf der öffentlichen Seite des "
                                                                   "Netzwerks (Markdown)."))
    website = URLField(_l("Website"), description=_l("z. B. https://www.netzwerk.de"))
    is_open = BooleanField(_l("Offen: Kommunen können um Aufnahme bitten"), default=True)


class NetworkForm(_NetworkFields):
    slug = StringField(_l("Kurzadresse"), description=_l("Kleinbuchstaben, Ziffern und Bindestriche; leer lassen, "
                                                         "um sie aus dem Namen zu bilden. Erscheint in Adressen "
                                                         "(/n/kurzadresse/)."))
    coordinator_name = StringField(_l("Name der Koordination"),
                                   description=_l("Nur nötig, wenn die Person noch kein Konto hat."))
    coordinator_email = EmailField(_l("E-Mail-Adresse der Koordination"),
                                   description=_l("Sie erhält eine Einladung, die 72 Stunden gültig ist."))


class SettingsForm(_NetworkFields):
    auto_confirm_claims = BooleanField(_l("Federführungen ohne Bestätigung der Koordination übernehmen"))
    digest_weekday = SelectField(_l("Wochentag der Interessen-Zusammenfassung"), validate_choice=False, choices=[
        ("0", _l("Montag")), ("1", _l("Dienstag")), ("2", _l("Mittwoch")), ("3", _l("Donnerstag")),
        ("4", _l("Freitag")), ("5", _l("Samstag")), ("6", _l("Sonntag"))])
    reminder_days = StringField(_l("Erinnerungen vor Treffen (Tage)"),
                                description=_l("Bis zu fünf Zahlen zwischen 1 und 60, durch Komma getrennt, z. B. 7,1"))
    imprint_contact = TextAreaField(_l("Impressum"))
    privacy_contact = TextAreaField(_l("Datenschutzhinweise"))
    version = HiddenField()


STATUS_CHOICES = [("member", _l("Mitglied")), ("guest", _l("Gast"))]


class JoinForm(FlaskForm):
    """Admit a city that is already in the installation."""
    municipality = HiddenField(_l("Kommune"))
    status = SelectField(_l("Aufnehmen als"), choices=STATUS_CHOICES, default="member", validate_choice=False)


class AdmitNewForm(AdmitForm):
    """Admit a new city (master data and its first lead) as member or guest."""
    status = SelectField(_l("Aufnehmen als"), choices=STATUS_CHOICES, default="member", validate_choice=False,
                         description=_l("Gäste lesen mit und nehmen an Treffen teil, übernehmen aber keine "
                                        "Federführung."))


class LeaveForm(FlaskForm):
    reason = TextAreaField(_l("Begründung"), description=_l("Wird im Protokoll festgehalten, z. B. der Beschluss "
                                                            "des Gemeinderats."))


class CoordinatorForm(FlaskForm):
    name = StringField(_l("Name"), description=_l("Nur nötig, wenn die Person noch kein Konto hat."))
    email = EmailField(_l("E-Mail-Adresse"))
