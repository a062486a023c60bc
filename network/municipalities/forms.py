"""Forms for member cities."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField, URLField

from network.municipalities.models import KINDS


class MunicipalityForm(FlaskForm):
    name = StringField(_l("Name"))
    kind = SelectField(_l("Art"), choices=[(k, v) for k, v in KINDS.items()], default="grosse_kreisstadt", validate_choice=False)
    district = StringField(_l("Landkreis"), description=_l("Leer lassen bei Stadtkreisen."))
    website = URLField(_l("Website"), description=_l("z. B. https://www.stadt.de"))
    population = StringField(_l("Einwohnerzahl"), render_kw={"inputmode": "numeric"})


class AdmitForm(MunicipalityForm):
    lead_name = StringField(_l("Name der Leitung"), description=_l("Die erste Digitalisierungsbeauftragte bzw. der erste Digitalisierungsbeauftragte der Kommune."))
    lead_email = EmailField(_l("E-Mail-Adresse der Leitung"), description=_l("Sie erhält eine Einladung, die 72 Stunden gültig ist."))


class MembershipForm(FlaskForm):
    member = HiddenField()
    reason = TextAreaField(_l("Begründung"), description=_l("Wird im Protokoll festgehalten, z. B. der Beschluss des Gemeinderats."))
