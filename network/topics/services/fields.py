"""Fields of action: the coordination adds, renames and reorders them."""

from flask_babel import gettext as _

from network.core import audit
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db
from network.topics.models import FieldOfAction
from network.topics.services._common import MAX_TEXT, _apply_keeping_slug, _network, _unique_slug


def _check_field(c: Checker, data: dict, network_id: int, current: FieldOfAction | None = None) -> dict:
    out = {
        "name": c.text("name", data.get("name"), label=_("den Namen"), max_len=120),
        "description": c.text("description", data.get("description"), label=_("Die Beschreibung"),
                              required=False, max_len=MAX_TEXT),
    }
    try:
        out["position"] = int(data.get("position") or 0)
        if not 0 <= out["position"] <= 999:
            raise ValueError
    except (TypeError, ValueError):
        c.add("position", _("Bitte geben Sie die Reihenfolge als ganze Zahl von 0 bis 999 an."))
    if "name" not in c.errors:
        out["slug"] = _unique_slug(c, FieldOfAction, out["name"], current,
                                   _("Ein Handlungsfeld mit diesem Namen gibt es bereits."), network_id)
    return out


def create_field(actor, data: dict) -> FieldOfAction:
    """Coordinator: add a field of action to this request's network."""
    require(actor, "topic.manage")
    network = _network()
    c = Checker()
    values = _check_field(c, data, network.id)
    c.done()
    field = FieldOfAction(network_id=network.id, **values)
    db.session.add(field)
    db.session.flush()
    audit.record(actor, "field_of_action.created", obj=field, summary=f"Handlungsfeld {field.name} angelegt")
    db.session.flush()
    return field


def update_field(actor, field: FieldOfAction, data: dict) -> FieldOfAction:
    """Coordinator: rename or reorder a field of action (the slug stays stable)."""
    require(actor, "topic.manage")
    c = Checker()
    values = _check_field(c, data, field.network_id, current=field)
    c.done()
    _apply_keeping_slug(field, values)
    audit.record(actor, "field_of_action.updated", obj=field, summary=f"Handlungsfeld {field.name} geändert")
    db.session.flush()
    return field
