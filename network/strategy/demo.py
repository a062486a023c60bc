"""Demo Digitalstrategien. Real (public facts, shared/data/readi.md and the cities' own publications): Ettlingen's
council decision of 27 March 2019 on "ettlingen.digital", Leinfelden-Echterdingen's five fields of action. Invented
and shown as "Beispieldaten": the wording of the visions, the descriptions, and Erkelenz' nine field names (its
strategy has nine fields; their exact titles are not in the seed documents)."""

from datetime import date

import sqlalchemy as sa

from network.extensions import db

ETTLINGEN_VISION = """Mit **ettlingen.digital** will Ettlingen Verwaltung, Stadtgesellschaft und Wirtschaft
Schritt für Schritt digital verbinden:

- Dienstleistungen der Stadt rund um die Uhr online,
- eine papierarme Verwaltung mit e-Akte und e-Posteingang,
- gemeinsam mit den Städten von re@di statt allein.

Die „Dokumentation Digitalisierung“ wird jedes Jahr fortgeschrieben (Beispieldaten)."""

#: city name -> (vision or None, visibility, vision invented?, [(field, description, invented?)], [(day, title)])
STRATEGIES = {
    "Ettlingen": (ETTLINGEN_VISION, "network", True, [], [
        (date(2019, 3, 27), "Gemeinderat: ettlingen.digital zustimmend zur Kenntnis genommen")]),
    "Leinfelden-Echterdingen": (None, "network", False, [
        ("Infrastruktur und Standortentwicklung", "Breitband, WLAN, digitale Standortpolitik", False),
        ("Nachhaltigkeit und Mobilität", "Vernetzte Mobilität, Energie und Umwelt", False),
        ("Bildung, Kultur, Ehrenamt", "Schulen, Bibliothek, Vereine und Engagement", False),
        ("Digitaler Kulturwandel in der Verwaltung", "Neue Arbeitsformen und Kompetenzen", False),
        ("Digitale Bürgerdienste", "Verwaltungsleistungen online", False),
    ], []),
    "Erkelenz": ("Erkelenz gestaltet den digitalen Wandel mit einem Leitbild, neun Handlungsfeldern und einer "
                 "Roadmap priorisierter Projekte (Beispieldaten).", "network", True,
                 [(name, "", True) for name in (
                     "Verwaltung", "Bürgerservice", "Bildung", "Wirtschaft", "Mobilität", "Energie und Umwelt",
                     "Gesundheit und Soziales", "Kultur und Freizeit", "Infrastruktur")], []),
}


def seed() -> dict:
    """Create the demo strategies once (idempotent); returns counts."""
    from network.inventory.models import CityField
    from network.municipalities.models import Municipality
    from network.strategy.models import CouncilDecision, Strategy

    cities = {c.name: c for c in db.session.execute(sa.select(Municipality).where(
        Municipality.name.in_(STRATEGIES))).scalars()}
    count = 0
    for name, (vision, visibility, invented, fields, decisions) in STRATEGIES.items():
        city = cities.get(name)
        if city is None or db.session.execute(sa.select(Strategy.id).where(
                Strategy.municipality_id == city.id)).first():
            continue
        db.session.add(Strategy(municipality_id=city.id, vision=vision or "", visibility=visibility,
                                is_example=invented))
        for position, (field, description, fake) in enumerate(fields, start=1):
            db.session.add(CityField(municipality_id=city.id, name=field, description=description,
                                     position=position * 10, is_example=fake))
        for day, title in decisions:
            db.session.add(CouncilDecision(municipality_id=city.id, decided_on=day, title=title))
        count += 1
    db.session.flush()
    return {"strategies": count}
