"""Strategy wiring: a link on the city page, personal data (who recorded decisions and documents)."""

import sqlalchemy as sa


def _city_panel(user, city=None, **_kw):
    """A link to the city's Digitalstrategie on its municipality page: for the own city, or when the visitor may
    read it (one query)."""
    if city is None:
        return None
    if getattr(user, "is_authenticated", False) and getattr(user, "municipality_id", None) == city.id:
        return "strategy/_panel_city.html", {"city": city}
    from network.core.tenancy import scope
    from network.extensions import db
    from network.strategy.models import Strategy
    found = db.session.execute(scope(Strategy, user).where(Strategy.municipality_id == city.id)
                               .with_only_columns(Strategy.id).limit(1)).first()
    return ("strategy/_panel_city.html", {"city": city}) if found else None


def export_personal_data(user) -> dict:
    """The decisions and documents this person recorded, and the strategies they saved last."""
    from network.extensions import db
    from network.strategy.models import CouncilDecision, Strategy, StrategyDocument
    decisions = db.session.execute(sa.select(CouncilDecision.id, CouncilDecision.title, CouncilDecision.decided_on)
                                   .where(CouncilDecision.created_by_id == user.id)).all()
    docs = db.session.execute(sa.select(StrategyDocument.id, StrategyDocument.title, StrategyDocument.created_at)
                              .where(StrategyDocument.uploaded_by_id == user.id)).all()
    strategies = db.session.execute(sa.select(Strategy.id, Strategy.municipality_id)
                                    .where(Strategy.updated_by_id == user.id)).all()
    return {"council_decision": [{"id": i, "title": t, "decided_on": d.isoformat()} for i, t, d in decisions],
            "strategy_document": [{"id": i, "title": t, "created_at": c.isoformat()} for i, t, c in docs],
            "strategy": [{"id": i, "municipality_id": m} for i, m in strategies]}


def erase_personal_data(user) -> None:
    """The city keeps its strategy; a deleted account is no longer named as its author."""
    from network.extensions import db
    from network.strategy.models import CouncilDecision, Strategy, StrategyDocument
    db.session.execute(sa.update(CouncilDecision).where(CouncilDecision.created_by_id == user.id)
                       .values(created_by_id=None))
    db.session.execute(sa.update(StrategyDocument).where(StrategyDocument.uploaded_by_id == user.id)
                       .values(uploaded_by_id=None))
    db.session.execute(sa.update(Strategy).where(Strategy.updated_by_id == user.id).values(updated_by_id=None))


def init_app(app):
    from network.core.hooks import register_panel, register_personal_data
    register_personal_data(app, ["strategy", "council_decision", "strategy_document"], export_personal_data,
                           erase_personal_data)
    register_panel(app, "municipality", _city_panel, order=22)
