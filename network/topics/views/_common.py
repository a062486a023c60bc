"""What several topics pages share: the topic form with its choices, and its data."""

from flask_babel import gettext as _

from network.topics import services


def field_choices():
    """The fields of action as select choices, with an empty first entry."""
    return [("", _("Bitte wählen"))] + [(str(f.id), f.name) for f in services.fields_of_action()]


def topic_form(form_class, **kwargs):
    """A topic or proposal form with the fields of action to choose from."""
    form = form_class(**kwargs)
    form.field_id.choices = field_choices()
    return form


def topic_data(form):
    """The service's input from a topic or proposal form."""
    return {"name": form.name.data, "description": form.description.data, "field_id": form.field_id.data}
