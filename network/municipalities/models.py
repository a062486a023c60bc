"""Municipality: the tenant."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import ChoiceLabel, TimestampMixin, UTCDateTime
from network.extensions import db

KINDS = {
    "stadtkreis": _l("Stadtkreis"),
    "grosse_kreisstadt": _l("Große Kreisstadt"),
    "stadt": _l("Stadt"),
    "gemeinde": _l("Gemeinde"),
}

STATUSES = {
    "member": _l("Mitglied"),
    "left": _l("ausgetreten"),
}

_UMLAUTS = [("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss")]


def make_slug(name: str) -> str:
    """Lowercase ASCII slug with German transliteration: Bühl -> buehl."""
    return slugify(name, replacements=_UMLAUTS, max_length=60, word_boundary=True)


class Municipality(TimestampMixin, db.Model):
    __tablename__ = "municipality"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL name, lowercase ASCII, umlauts transliterated (buehl)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True, nullable=False)
    #: official name (Bühl)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True, nullable=False)
    #: one of KINDS
    kind: Mapped[str] = mapped_column(sa.String(30), nullable=False, default="grosse_kreisstadt")
    #: Landkreis, empty for a Stadtkreis
    district: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    #: Bundesland
    state: Mapped[str] = mapped_column(sa.String(60), nullable=False, default="Baden-Württemberg")
    website: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    #: inhabitants (optional)
    population: Mapped[int | None] = mapped_column(sa.Integer)
    #: one of STATUSES
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="member", index=True)
    #: when the city was admitted to the network
    admitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    users = db.relationship("User", back_populates="municipality", lazy="select")

    kind_label = ChoiceLabel("kind", KINDS)

    status_label = ChoiceLabel("status", STATUSES)

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"
