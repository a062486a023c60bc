"""Demo OZG statuses: a few services per re@di city. Everything here is invented example data (is_example, shown as
"Beispieldaten"); only the catalogue (OZG-IDs, names) and the city names are real. Loads the shipped catalogue
first if it is missing (make run loads it before, with `flask network ozg-import`)."""

from datetime import date

import sqlalchemy as sa

from network.extensions import db

#: city, OZG-ID, status, Reifegrad, solution, EfA, provider, go-live, url
STATUSES = [
    ("Bühl", 10173, "online", 3, "Bewohnerparkausweis online", True, "Baden-Württemberg", date(2024, 4, 1),
     "https://www.buehl.de/"),
    ("Bühl", 10160, "in_progress", 2, "Hundesteuer-Anmeldung", False, "", None, ""),
    ("Ettlingen", 10559, "online", 3, "Meldebescheinigung online", True, "Baden-Württemberg", date(2023, 10, 1),
     "https://www.ettlingen.de/"),
    ("Ettlingen", 10173, "planned", 1, "", False, "", None, ""),
    ("Ettlingen", 10136, "online", 2, "Mängelmelder", False, "", date(2022, 6, 1), "https://www.ettlingen.de/"),
    ("Bruchsal", 10019, "in_progress", 2, "Kita-Portal", False, "", None, ""),
    ("Bruchsal", 10173, "in_progress", 2, "Bewohnerparkausweis", True, "Baden-Württemberg", None, ""),
    ("Rastatt", 10092, "online", 3, "Wohngeld-Antrag online", True, "Nordrhein-Westfalen", date(2024, 1, 15),
     "https://www.rastatt.de/"),
    ("Baden-Baden", 10519, "planned", 1, "Virtuelles Bauamt", True, "Mecklenburg-Vorpommern", None, ""),
    ("Stutensee", 10160, "online", 3, "Hundesteuer online", False, "", date(2023, 3, 1), "https://www.stutensee.de/"),
]


def seed() -> dict:
    """Create the demo statuses once (idempotent); returns counts."""
    from network.municipalities.models import Municipality
    from network.ozg.models import OzgService, OzgStatus
    from network.ozg.services import import_catalogue

    if db.session.execute(sa.select(OzgService.id).limit(1)).first() is None:
        import_catalogue()
    services = {s.ozg_id: s for s in db.session.execute(sa.select(OzgService).where(
        OzgService.ozg_id.in_({row[1] for row in STATUSES}))).scalars()}
    cities = {c.name: c for c in db.session.execute(sa.select(Municipality).where(
        Municipality.name.in_({row[0] for row in STATUSES}))).scalars()}
    count = 0
    for name, ozg_id, status, maturity, solution, efa, provider, go_live, url in STATUSES:
        city, service = cities.get(name), services.get(ozg_id)
        if city is None or service is None:
            continue
        if db.session.execute(sa.select(OzgStatus.id).where(OzgStatus.municipality_id == city.id,
                                                            OzgStatus.service_id == service.id)).first():
            continue
        db.session.add(OzgStatus(municipality_id=city.id, service_id=service.id, status=status, maturity=maturity,
                                 solution=solution, is_efa=efa, provider=provider, go_live=go_live, url=url,
                                 visibility="network", is_example=True))
        count += 1
    db.session.flush()
    return {"ozg_statuses": count}
