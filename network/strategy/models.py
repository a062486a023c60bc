"""A city's Digitalstrategie: the strategy (vision, visibility), its council decisions and documents. The city's
own fields of action are inventory.models.CityField (projects carry them)."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import (
    ChoiceLabel,
    CityOwned,
    CreatedAt,
    ExampleFlag,
    StoredFile,
    TimestampMixin,
    Versioned,
)
from network.extensions import db

VISIBILITY_LABELS = {
    "city": _l("nur eigene Kommune"),
    "network": _l("Netzwerk"),
    "public": _l("öffentlich"),
}


class Strategy(CityOwned, TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Digitalstrategie: one per city; its visibility covers the decisions and documents too."""

    __tablename__ = "strategy"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", name="uq_strategy_city"),
        sa.CheckConstraint("visibility in ('city','network','public')", name="visibility"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the vision (Leitbild), Markdown rendered sanitised
    vision: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: who may read it: the own city, the networks of the city, or the public
    visibility: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="network")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)

    municipality = db.relationship("Municipality", lazy="joined", innerjoin=True)

    visibility_label = ChoiceLabel("visibility", VISIBILITY_LABELS)


class CouncilDecision(CityOwned, ExampleFlag, db.Model):
    """A council decision on the strategy, e.g. "Gemeinderat, 27.03.2019: ettlingen.digital zustimmend zur
    Kenntnis genommen"."""

    __tablename__ = "council_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the day of the decision
    decided_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    #: body and what was decided, one line
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)


class StrategyDocument(CityOwned, StoredFile, CreatedAt, db.Model):
    """A document of the strategy (the strategy PDF, a council paper), checked by content like every upload."""

    __tablename__ = "strategy_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: what the reader sees, e.g. "Digitalstrategie 2030"
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: generated name in the upload folder (core.files)
    storage_name: Mapped[str] = mapped_column(sa.String(40), nullable=False, unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(160), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
