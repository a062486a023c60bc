"""Access-matrix rows of the Digitalstrategie (issue #19, part 1). City A has a network-visible strategy with a
decision, a document and an own field of action; city B a city-only strategy (another city's private strategy
answers 404). Reading follows the strategy's visibility; writing is for the city's lead only (staff and the
coordination 403, another city's lead 404)."""

import io
from datetime import date

from werkzeug.datastructures import FileStorage

from network.core import files
from network.extensions import db
from network.inventory.models import CityField
from network.strategy.models import CouncilDecision, Strategy, StrategyDocument
from tests.access import Case

PUBLIC = {"strategy.page", "strategy.download"}

#: the city's lead writes; staff and the coordination 403, another city's lead 404
OWN_LEAD = {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 403}
#: a network-visible strategy: every member and the coordination, not the public
NETWORK = {"anonymous": 404, "staff_a": 200, "lead_a": 200, "lead_b": 200, "coordinator": 200}


def build(w):
    a, b = w["city_a"], w["city_b"]
    db.session.add(Strategy(municipality_id=a.id, vision="Leitbild", visibility="network"))
    db.session.add(Strategy(municipality_id=b.id, vision="privat", visibility="city"))
    decision = CouncilDecision(municipality_id=a.id, decided_on=date(2019, 3, 27), title="Gemeinderat")
    saved = files.save_upload(FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "s.pdf"), allowed=files.DOCUMENT_TYPES)
    doc = StrategyDocument(municipality_id=a.id, title="Strategie", storage_name=saved.storage_name,
                           original_name=saved.original_name, content_type=saved.content_type, size=saved.size,
                           sha256=saved.sha256)
    field = CityField(municipality_id=a.id, name="Eigenes Feld")
    db.session.add_all([decision, doc, field])
    db.session.flush()
    return {"strategy_decision": decision, "strategy_doc": doc, "strategy_field": field}


ROWS = [
    Case("strategy.page", "GET", lambda w: "/strategie/ettlingen/", NETWORK),
    Case("strategy.page", "GET", lambda w: "/strategie/buehl/",
         {"anonymous": 404, "staff_a": 404, "lead_a": 404, "lead_b": 200, "coordinator": 200}),
    Case("strategy.download", "GET", lambda w: f"/strategie/ettlingen/dokumente/{w['strategy_doc'].id}", NETWORK),
    Case("strategy.edit", "GET", lambda w: "/strategie/ettlingen/bearbeiten", OWN_LEAD),
    # the form's default visibility is valid; without the version the save is stale (409)
    Case("strategy.edit", "POST", lambda w: "/strategie/ettlingen/bearbeiten", {**OWN_LEAD, "lead_a": 409}),
    Case("strategy.add_decision", "POST", lambda w: "/strategie/ettlingen/beschluesse", {**OWN_LEAD, "lead_a": 422}),
    Case("strategy.delete_decision", "POST",
         lambda w: f"/strategie/ettlingen/beschluesse/{w['strategy_decision'].id}/loeschen", OWN_LEAD),
    Case("strategy.upload", "POST", lambda w: "/strategie/ettlingen/dokumente", {**OWN_LEAD, "lead_a": 422}),
    Case("strategy.delete_document", "POST",
         lambda w: f"/strategie/ettlingen/dokumente/{w['strategy_doc'].id}/loeschen", OWN_LEAD),
    Case("strategy.add_field", "POST", lambda w: "/strategie/ettlingen/handlungsfelder", {**OWN_LEAD, "lead_a": 422}),
    Case("strategy.edit_field", "GET", lambda w: f"/strategie/ettlingen/handlungsfelder/{w['strategy_field'].id}",
         OWN_LEAD),
    Case("strategy.edit_field", "POST", lambda w: f"/strategie/ettlingen/handlungsfelder/{w['strategy_field'].id}",
         {**OWN_LEAD, "lead_a": 422}),
    Case("strategy.delete_field", "POST",
         lambda w: f"/strategie/ettlingen/handlungsfelder/{w['strategy_field'].id}/loeschen", OWN_LEAD),
]
