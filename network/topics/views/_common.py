"""What several topics pages share: choices and data of the topic form, the first message of a service error."""

from flask_babel import gettext as _

from network.topics import services


def field_choices():
    """The fields of action as select choices, with an empty first entry."""
    return [("", _("Bitte wählen"))] + [(str(f.id), f.name) for f in services.fields_of_action()]


def topic_data(form):
    """The service's input from a topic or proposal form."""
    return {"name": form.name.data, "description": form.description.data, "field_id": form.field_id.data}


def first_message(exc) -> str:
    """The first German message of a service error (shown above a page with several forms)."""
    return next(iter(exc.errors.values()), "")
