"""Demo inventory: a plausible project list per member city, and Ettlingen's published "Sachstandsbericht 2025"
followed by the 2026 state (so the reports page shows what changed). Everything here is invented example data
(is_example, shown as "Beispieldaten"); only the city names, fields of action and topics are real."""

from datetime import date, datetime, timezone

import sqlalchemy as sa

from network.extensions import db

#: title, field of action (index into network.demo.FIELDS_OF_ACTION), topic name or None, status, priority,
#: start, end, department, visibility, lighthouse, funding
CATALOGUE = [
    ("E-Akte in der Kernverwaltung", 3, "e-Akte", "in_progress", "high", (2024, 1), (2026, 12), "Hauptamt",
     "network", True, "Haushalt"),
    ("Digitaler Posteingang", 3, "e-Posteingang", "idea", "high", (2026, 4), (2027, 6), "Hauptamt", "network",
     False, ""),
    ("Online-Bezahlung im Bürgerbüro", 4, "e-Payment", "done", "medium", (2023, 3), (2024, 2), "Kämmerei",
     "public", False, "Haushalt"),
    ("Ladeinfrastruktur für die Dienstflotte", 1, "E-Mobilität", "in_progress", "medium", (2025, 5), (2026, 10),
     "Tiefbauamt", "network", False, "Förderprogramm des Landes"),
    ("Digitales Parkleitsystem", 1, "Parkraummanagement", "idea", "medium", (2027, 1), (2028, 6),
     "Ordnungsamt", "network", False, ""),
    ("Ehrenamtsbörse online", 2, "Engagement-Plattform", "idea", "low", (2026, 9), (2027, 3), "Kulturamt",
     "public", False, ""),
    ("LoRaWAN-Sensoren für Pegelstände", 0, "IoT / LoRaWAN (Open Region Mittelbaden)", "in_progress", "high",
     (2025, 1), (2026, 6), "Stadtwerke", "network", True, "Haushalt"),
    ("Offene Haushaltsdaten", 0, "Open-Data-Portal", "paused", "low", (2024, 6), None, "Kämmerei", "network",
     False, ""),
    ("Antragsassistent für Wohngeld", 4, "Online-Bürgerservice", "in_progress", "high", (2025, 9), (2026, 9),
     "Sozialamt", "network", False, ""),
    ("Tablets für Grundschulen", 2, None, "done", "medium", (2022, 9), (2023, 7), "Schulverwaltung", "public",
     False, "DigitalPakt Schule"),
    ("Intranet mit Mitarbeiterportal", 3, "Intranet", "idea", "medium", (2026, 1), (2026, 12), "Personalamt",
     "city", False, ""),
    ("Smarte Straßenbeleuchtung", 0, None, "idea", "low", None, None, "Tiefbauamt", "network", False, ""),
]

#: the example network Neckar-Erft (network/networks/demo.py): the same row shape, field index into that
#: network's FIELDS_OF_ACTION, topic names of its TOPICS
NECKAR_ERFT_CATALOGUE = [
    ("Papierlose Gremienarbeit", 2, "Digitale Ratsarbeit", "in_progress", "high", (2025, 2), (2026, 12),
     "Sitzungsdienst", "network", True, "Haushalt"),
    ("Dimmbare LED-Straßenbeleuchtung", 3, "Smarte Straßenbeleuchtung", "idea", "medium", (2026, 6), (2027, 12),
     "Tiefbauamt", "network", False, ""),
    ("WLAN in allen Schulen", 1, "Schul-WLAN", "done", "high", (2023, 9), (2024, 12), "Schulverwaltung", "public",
     False, "DigitalPakt Schule"),
    ("Mobilitätsauskunft für die Stadt", 0, "Mobilitätsplattform", "idea", "low", (2027, 1), (2027, 12),
     "Stadtplanungsamt", "network", False, ""),
    ("Digitale Bauakte", 2, None, "in_progress", "medium", (2025, 6), (2026, 6), "Baurechtsamt", "network", False,
     ""),
    ("Energiemonitoring öffentlicher Gebäude", 3, None, "idea", "medium", None, None, "Gebäudemanagement", "city",
     False, ""),
]

#: Ettlingen: the state of the 2025 report; afterwards these changes make the 2026 state
ETTLINGEN_2026 = {
    "E-Akte in der Kernverwaltung": "done",
    "Digitaler Posteingang": "in_progress",
    "Smarte Straßenbeleuchtung": "dropped",
}
ETTLINGEN_NEW_2026 = ("KI-gestützte Beantwortung von Bürgeranfragen", 4, "Online-Bürgerservice", "idea", "medium",
                      (2026, 10), (2027, 9), "Hauptamt", "network", False, "")


def _project(city_id, fields, topics, row, creator_id):
    from network.inventory.models import Project
    title, fi, topic, status, prio, start, end, dept, vis, lighthouse, funding = row
    return Project(municipality_id=city_id, field_id=fields[fi].id, topic_id=topics.get(topic), title=title,
                   summary=f"{title}: Beispieldaten der Demo. *Ziel*, Vorgehen und Stand sind erfunden.",
                   status=status, priority=prio, start_month=date(*start, 1) if start else None,
                   end_month=date(*end, 1) if end else None, department=dept, contact=f"{dept}, Sachgebiet Digitales",
                   budget_eur=(25_000 + 5_000 * fi) if status != "idea" else None, funding_source=funding,
                   visibility=vis, is_lighthouse=lighthouse, is_example=True, created_by_id=creator_id,
                   updated_by_id=creator_id)


def seed() -> dict:
    """Create the demo inventory once per city (idempotent); returns counts. Each network's cities get projects in
    that network's fields of action and topics: re@di's first (a city in both keeps re@di's), then Neckar-Erft's."""
    from network.demo import FIELDS_OF_ACTION
    from network.networks import demo as networks_demo

    counts = {"projects": 0, "status_reports": 0}
    for network_slug, field_names, catalogue in ((None, FIELDS_OF_ACTION, CATALOGUE),
                                                 (networks_demo.SLUG, networks_demo.FIELDS_OF_ACTION,
                                                  NECKAR_ERFT_CATALOGUE)):
        _seed_network(counts, network_slug, field_names, catalogue)
    return counts


def _seed_network(counts: dict, network_slug: str | None, field_names, catalogue) -> None:
    """The projects of one network's cities (network_slug None: the default network)."""
    from network.accounts.models import User
    from network.core.current import default_network_slug
    from network.inventory.models import Project, ReportEntry, StatusReport
    from network.inventory.services import SNAPSHOT_FIELDS
    from network.municipalities.models import Municipality, make_slug
    from network.networks.services import active_member_clause, network_by_slug
    from network.topics.models import FieldOfAction, Topic

    network = network_by_slug(network_slug or default_network_slug())
    if network is None:
        return
    by_slug = {f.slug: f for f in db.session.execute(sa.select(FieldOfAction).where(
        FieldOfAction.network_id == network.id)).scalars()}
    fields = [by_slug.get(make_slug(name)) for name in field_names]
    if any(f is None for f in fields):
        return
    topics = {t.name: t.id for t in db.session.execute(
        sa.select(Topic).where(Topic.network_id == network.id)).scalars()}
    cities = db.session.execute(sa.select(Municipality).where(
        Municipality.status == "member", active_member_clause(network.id, Municipality.id))
        .order_by(Municipality.name)).scalars().all()
    for index, city in enumerate(cities):
        if db.session.execute(sa.select(Project.id).where(Project.municipality_id == city.id).limit(1)).first():
            continue
        lead_id = db.session.scalar(sa.select(User.id).where(User.municipality_id == city.id, User.role == "lead")
                                    .limit(1))
        # each city has two thirds of the catalogue's projects, with its own mix of statuses
        size = len(catalogue) * 2 // 3
        rows = [catalogue[(index + k) % len(catalogue)] for k in range(size)]
        # Ettlingen's full list and its status reports are written against re@di's catalogue
        reports = city.slug == "ettlingen" and catalogue is CATALOGUE
        if reports:
            rows = list(catalogue)
        for k, row in enumerate(rows):
            if not reports and k % 3 == index % 3:
                shifted = {"idea": "in_progress", "in_progress": "done", "done": "done", "paused": "idea",
                           "dropped": "dropped"}[row[3]]
                row = row[:3] + (shifted,) + row[4:]
            db.session.add(_project(city.id, fields, topics, row, lead_id))
            counts["projects"] += 1
        db.session.flush()
        if not reports:
            continue
        # the published report of 2025, then the changes of 2026
        report = StatusReport(municipality_id=city.id, year=2025, title="Sachstandsbericht 2025",
                              note="Beispieldaten der Demo: der jährliche Stand der Digitalisierung in Ettlingen.",
                              visibility="public", published_at=datetime(2025, 3, 14, 10, 0, tzinfo=timezone.utc),
                              created_by_id=lead_id, is_example=True)
        db.session.add(report)
        db.session.flush()
        projects = db.session.execute(sa.select(Project).where(Project.municipality_id == city.id,
                                                               Project.is_draft.is_(False))).unique().scalars().all()
        for p in projects:
            db.session.add(ReportEntry(report_id=report.id, project_id=p.id, field_id=p.field_id,
                                       field_name=p.field.name, field_position=p.field.position,
                                       topic_id=p.topic_id, topic_name=p.topic.name if p.topic else "",
                                       **{k: getattr(p, k) for k in SNAPSHOT_FIELDS}))
        counts["status_reports"] += 1
        for p in projects:
            if p.title in ETTLINGEN_2026:
                p.status = ETTLINGEN_2026[p.title]
        db.session.add(_project(city.id, fields, topics, ETTLINGEN_NEW_2026, lead_id))
        counts["projects"] += 1
        db.session.flush()
