"""OZG fixtures: a small catalogue (three Themenfelder) written as CSV and imported, and a helper for statuses."""

import pytest

from network.extensions import db
from network.ozg.models import OzgService, OzgStatus
from network.ozg.services import import_catalogue

SERVICES = """ozg_id,leistung,lebenslage,themenfeld
10173,Parkausweise und Zufahrtsberechtigungen,Kfz-Besitz,Mobilität & Reisen
10446,Parkausweise für Betriebe,Logistik & Transport,Mobilität & Reisen
10160,Hundehaltung,Tierhaltung,Engagement & Hobby
10136,Mängel melden,Engagement & Beteiligung,Engagement & Hobby
10559,Meldebescheinigung und -registerauskunft,Querschnitt Bürger,Querschnitt
"""
LEIKA = """leika_schluessel,leistung,ozg_id,leika_typ
99108001000000,Bewohnerparkausweis,10173,2/3
99108001001000,Bewohnerparkausweis Erteilung,10173,2/3
nicht im LeiKa,Deichschein,10173,4
99017001000000,Hundesteuer,10160,2/3
"""


def write_catalogue(path, services=SERVICES, leika=LEIKA):
    path.mkdir(parents=True, exist_ok=True)
    (path / "leistungen.csv").write_text(services, encoding="utf-8")
    (path / "leika.csv").write_text(leika, encoding="utf-8")
    return str(path)


@pytest.fixture
def catalogue(tmp_path):
    """The small catalogue, imported: {ozg_id: OzgService}."""
    import_catalogue(write_catalogue(tmp_path / "katalog"))
    db.session.commit()
    return {s.ozg_id: s for s in db.session.query(OzgService).all()}


def make_status(city, service, **kw) -> OzgStatus:
    kw.setdefault("status", "in_progress")
    kw.setdefault("visibility", "network")
    row = OzgStatus(municipality_id=city.id, service_id=service.id, **kw)
    db.session.add(row)
    db.session.flush()
    return row
