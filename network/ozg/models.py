"""The OZG catalogue (installation-wide: OzgService, LeikaService) and a city's status per service (OzgStatus)."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import ChoiceLabel, CityOwned, ExampleFlag, TimestampMixin, Versioned, parent_fk
from network.extensions import db

#: status -> German label, in the order of progress; a service without a row is "open"
STATUSES = {
    "open": _l("offen"),
    "planned": _l("in Planung"),
    "in_progress": _l("in Umsetzung"),
    "online": _l("online"),
}
#: the shape shown beside every status (never colour alone)
STATUS_SHAPES = {"open": "○", "planned": "◔", "in_progress": "◑", "online": "●"}
#: the OZG maturity levels (Reifegrad) 0 to 4
MATURITY = {
    0: _l("0 – keine Online-Information"),
    1: _l("1 – Information online"),
    2: _l("2 – Formular zum Herunterladen"),
    3: _l("3 – Antrag online, Nachweise online"),
    4: _l("4 – vollständig digital, Bescheid online"),
}
MAX_MATURITY = 4

VISIBILITY_LABELS = {
    "city": _l("nur eigene Kommune"),
    "network": _l("Netzwerk"),
    "public": _l("öffentlich"),
}

_STATUS_CHECK = "status in ('open','planned','in_progress','online')"


class OzgService(db.Model):
    """An OZG-Leistung (Leistungsbündel) of the federal catalogue; the same for every network and city."""

    __tablename__ = "ozg_service"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the OZG-ID, e.g. 10173 (the natural key of the import)
    ozg_id: Mapped[int] = mapped_column(sa.Integer, unique=True, nullable=False)
    #: the service's name, e.g. "Parkausweise und Zufahrtsberechtigungen"
    name: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    #: Lebens- or Geschäftslage, e.g. "Kfz-Besitz"
    lebenslage: Mapped[str] = mapped_column(sa.String(200), nullable=False, index=True)
    #: one of the 14 Themenfelder, e.g. "Mobilität & Reisen"
    themenfeld: Mapped[str] = mapped_column(sa.String(120), nullable=False, index=True)

    def __repr__(self) -> str:
        return f"<OzgService {self.ozg_id} {self.name!r}>"


class LeikaService(db.Model):
    """A LeiKa-Leistung (Leistungskatalog) under an OZG service."""

    __tablename__ = "leika_service"
    __table_args__ = (sa.Index("ix_leika_service_key", "leika_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = parent_fk("ozg_service.id")
    #: the 14-digit LeiKa key; NULL for services marked "nicht im LeiKa"
    leika_key: Mapped[str | None] = mapped_column(sa.String(20))
    #: the LeiKa service's name
    name: Mapped[str] = mapped_column(sa.String(400), nullable=False)
    #: the LeiKa type (1–5, "2/3", …) as the catalogue writes it
    leika_type: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="")

    service = db.relationship("OzgService", backref=db.backref("leika", lazy="select",
                                                               order_by="LeikaService.name"))


class OzgStatus(CityOwned, TimestampMixin, ExampleFlag, Versioned, db.Model):
    """How far one city is with one OZG service: status, Reifegrad, solution, go-live, link."""

    __tablename__ = "ozg_status"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "service_id", name="uq_ozg_status_city_service"),
        sa.CheckConstraint(_STATUS_CHECK, name="status"),
        sa.CheckConstraint("maturity between 0 and 4", name="maturity"),
        sa.CheckConstraint("visibility in ('city','network','public')", name="visibility"),
        sa.Index("ix_ozg_status_service_status", "service_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("ozg_service.id", ondelete="CASCADE"), nullable=False)
    #: one of STATUSES
    status: Mapped[str] = mapped_column(sa.String(12), nullable=False, default="open")
    #: OZG Reifegrad 0–4
    maturity: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    #: the solution in use (product, portal, own development), free text
    solution: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    #: "Einer für Alle": the city reuses a service another Land or a vendor provides
    is_efa: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    #: the providing Land or vendor
    provider: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    #: when the online service went (or goes) live
    go_live: Mapped[date | None] = mapped_column(sa.Date)
    #: link to the city's online service
    url: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    #: the project of the city's inventory that implements it
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project.id", ondelete="SET NULL"), index=True)
    #: a practice (write-up) about the solution, of this or another city
    practice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("practice.id", ondelete="SET NULL"), index=True)
    #: who may read it: the own city, the networks of the city, or the public
    visibility: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="network")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)

    service = db.relationship("OzgService", lazy="joined", innerjoin=True)
    municipality = db.relationship("Municipality", lazy="joined", innerjoin=True)
    project = db.relationship("Project", lazy="select")
    practice = db.relationship("Practice", lazy="select")
    updated_by = db.relationship("User", foreign_keys=[updated_by_id])

    status_label = ChoiceLabel("status", STATUSES)
    visibility_label = ChoiceLabel("visibility", VISIBILITY_LABELS)

    @property
    def status_shape(self) -> str:
        return STATUS_SHAPES.get(self.status, "?")

    def __repr__(self) -> str:
        return f"<OzgStatus city={self.municipality_id} service={self.service_id} {self.status}>"
