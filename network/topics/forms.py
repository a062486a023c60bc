"""Forms for topics. Validation rules live in the services; forms carry fields and CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from network.topics.models import PARTICIPATION_STATUSES


class FieldOfActionForm(FlaskForm):
    name = StringField(_l("Name"))
    description = TextAreaField(_l("Beschreibung"))
    position = IntegerField(_l("Reihenfolge"), validators=[Optional()], default=0,
                            description=_l("Kleinere Zahlen stehen weiter oben."))


class TopicForm(FlaskForm):
    name = StringField(_l("Name"))
    field_id = SelectField(_l("Handlungsfeld"), validate_choice=False)
    description = TextAreaField(_l("Beschreibung"))
    version = HiddenField()


class ProposalForm(FlaskForm):
    name = StringField(_l("Name"))
    field_id = SelectField(_l("Handlungsfeld"), validate_choice=False)
    description = TextAreaField(_l("Beschreibung"))
    reason = TextAreaField(_l("Warum sollte das Netzwerk dieses Thema aufnehmen?"))


class ClaimForm(FlaskForm):
    note = TextAreaField(_l("Anmerkung"), description=_l("Zum Beispiel, was Ihre Kommune schon mitbringt."))


class DecisionForm(FlaskForm):
    decision = HiddenField()
    reason = TextAreaField(_l("Begründung"), description=_l("Bei einer Ablehnung erforderlich."))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Begründung"))


class HandoverForm(FlaskForm):
    target = SelectField(_l("An Kommune"), validate_choice=False)
    reason = TextAreaField(_l("Begründung"))


class ParticipationForm(FlaskForm):
    status = SelectField(_l("Beteiligung"), choices=list(PARTICIPATION_STATUSES.items()), validate_choice=False)
    contact_id = SelectField(_l("Ansprechperson"), validate_choice=False)
