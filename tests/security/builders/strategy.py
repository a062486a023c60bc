"""Digitalstrategie world (issue #19, part 1): for each city a city-only strategy whose vision is a canary (audience
CITY: the city and the coordination read the strategy page), a council decision, a document and an own field of
action. Write routes act on city A as its lead."""

import io

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from network.extensions import db
from network.inventory.models import CityField
from network.strategy import services
from network.strategy.models import CouncilDecision, Strategy, StrategyDocument
from tests.security.world import CITY, FORM_DATA, builder

ENDPOINTS = ("strategy.",)
PDF = b"%PDF-1.4\n%strategie\n"


class _Rewinding(io.BytesIO):
    """The gates send one FORM_DATA dict several times; the test client closes uploaded files after a request."""

    def close(self):
        self.seek(0)


@builder
def strategy_world(w):
    for tag in ("a", "b"):
        lead = getattr(w, f"lead_{tag}")
        city = lead.municipality
        secret = w.new_canary()
        services.save_strategy(lead, city, {"vision": f"Leitbild {secret}", "visibility": "city"}, version=0)
        w.canary(secret, "strategy.vision (city only)", city=city.slug, audience=CITY)
        decision = services.add_decision(lead, city, {"decided_on": "27.03.2019", "title": "Gemeinderat"})
        doc = services.add_document(lead, city, "Strategie", FileStorage(io.BytesIO(PDF), filename="s.pdf"))
        field = services.add_field(lead, city, {"name": "Digitale Bürgerdienste", "description": ""})
        w.arg("slug", city.slug, city=city.slug, endpoints=ENDPOINTS)
        w.arg("decision_id", decision.id, city=city.slug, endpoints=ENDPOINTS)
        w.arg("document_id", doc.id, city=city.slug, endpoints=ENDPOINTS)
        w.arg("field_id", field.id, city=city.slug, endpoints=ENDPOINTS)
        w.objects.update({f"strategy_decision_{tag}": decision, f"strategy_doc_{tag}": doc,
                          f"strategy_field_{tag}": field})
    db.session.commit()
    w.arg("slug", "gibt-es-nicht", endpoints=ENDPOINTS)
    for endpoint in ("strategy.edit", "strategy.add_decision", "strategy.delete_decision", "strategy.upload",
                     "strategy.delete_document", "strategy.add_field", "strategy.edit_field",
                     "strategy.delete_field"):
        w.target("slug", w.city_a.slug, endpoint=endpoint)
    w.target("decision_id", w.strategy_decision_a.id, endpoint="strategy.delete_decision")
    w.target("document_id", w.strategy_doc_a.id, endpoint="strategy.delete_document")
    for endpoint in ("strategy.edit_field", "strategy.delete_field"):
        w.target("field_id", w.strategy_field_a.id, endpoint=endpoint)


def _version(w):
    db.session.expire_all()
    return str(db.session.execute(sa.select(Strategy.version).where(Strategy.municipality_id == w.city_a.id))
               .scalar_one())


def _count(w, model):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(model.id)).where(model.municipality_id == w.city_a.id))


FORM_DATA.update({
    "strategy.edit": lambda w: {"vision": "Neues Leitbild", "visibility": "city", "version": _version(w)},
    "strategy.add_decision": lambda w: {"beschluss-decided_on": "01.02.2020", "beschluss-title": "Kreistag"},
    "strategy.delete_decision": lambda w: {"confirm": "1"},
    "strategy.upload": lambda w: {"dokument-title": "Neu", "dokument-file": (_Rewinding(PDF), "neu.pdf")},
    "strategy.delete_document": lambda w: {"confirm": "1"},
    "strategy.add_field": lambda w: {"feld-name": "Bildung", "feld-description": "Schulen"},
    "strategy.edit_field": lambda w: {"name": "Bürgerdienste online", "description": "", "position": "5"},
    "strategy.delete_field": lambda w: {"confirm": "1"},
})


def mass_assignment_cases(Case) -> list:
    """The strategy rows of test_mass_assignment.MASS_ASSIGNMENT."""
    def vision(w):
        db.session.expire_all()
        return db.session.execute(sa.select(Strategy.vision).where(Strategy.municipality_id == w.city_a.id)
                                  ).scalar_one() == "Neues Leitbild"

    def field_name(w):
        db.session.expire_all()
        return db.session.get(CityField, w.strategy_field_a.id).name == "Bürgerdienste online"

    return [
        Case("strategy.edit", "lead_a", vision),
        Case("strategy.add_decision", "lead_a", lambda w: _count(w, CouncilDecision) == 2),
        Case("strategy.delete_decision", "lead_a", lambda w: _count(w, CouncilDecision) == 0),
        Case("strategy.upload", "lead_a", lambda w: _count(w, StrategyDocument) == 2),
        Case("strategy.delete_document", "lead_a", lambda w: _count(w, StrategyDocument) == 0),
        Case("strategy.add_field", "lead_a", lambda w: _count(w, CityField) == 2),
        Case("strategy.edit_field", "lead_a", field_name),
        Case("strategy.delete_field", "lead_a", lambda w: _count(w, CityField) == 0),
    ]


def xss_fields(ctx, payloads) -> list[str]:
    """Payloads as the vision, decisions and own fields of the payload city's public strategy."""
    from datetime import date

    from network.municipalities.models import Municipality
    city = db.session.execute(sa.select(Municipality).where(Municipality.slug == "xss")).scalar_one()
    db.session.add(Strategy(municipality_id=city.id, vision="\n\n".join(payloads), visibility="public"))
    for i, p in enumerate(payloads):
        text = p.strip() or "leer"
        db.session.add(CouncilDecision(municipality_id=city.id, decided_on=date(2019, 3, 27), title=text[:300]))
        db.session.add(CityField(municipality_id=city.id, name=f"{i} {text}"[:120], description=text[:500]))
    ctx["stats"]["strategy.vision/council_decision.title/city_field"] += len(payloads)
    db.session.flush()
    return ["/strategie/xss/", "/vorhaben/xss/?felder=eigene"]


def xss_clean_up():
    from network.municipalities.models import Municipality
    cities = sa.select(Municipality.id).where(sa.or_(Municipality.slug == "xss", Municipality.slug.like("xss-%")))
    for model in (CouncilDecision, CityField, StrategyDocument, Strategy):
        db.session.execute(sa.delete(model).where(model.municipality_id.in_(cities)))
