"""`flask network seed-demo`: the nine member cities of re@di, a coordinator, a lead and staff per city."""

import click
import sqlalchemy as sa
from flask import current_app

from network.core.cli import network_cli
from network.extensions import db

DEMO_PASSWORD = "Demo-Passwort-2026"
COORDINATOR_EMAIL = "koordination@staedtenetz.example"
PLATFORM_ADMIN_EMAIL = "plattform@staedtenetz.example"

#: the default network: public facts (shared/data/readi.md); the same values as the migration that created it
READI = {
    "name": "re@di – regional.digital",
    "region": "Landkreise Karlsruhe und Rastatt, Stadtkreis Baden-Baden",
    "description": ("Neun Städte rund um Karlsruhe und Rastatt mit Baden-Baden teilen sich die Arbeit der "
                    "Digitalisierung: Eine Stadt übernimmt die Federführung für ein Thema und stellt ihre "
                    "Erfahrungen den anderen als gute Praxis zur Verfügung. Start 2019 in Ettlingen, "
                    "Willensbekundung im Oktober 2019 in Rastatt."),
    "is_open": False,
}

#: public facts (shared/data/readi.md): name, kind, district, website
CITIES = [
    ("Baden-Baden", "stadtkreis", "", "https://www.baden-baden.de"),
    ("Bretten", "grosse_kreisstadt", "Landkreis Karlsruhe", "https://www.bretten.de"),
    ("Bruchsal", "grosse_kreisstadt", "Landkreis Karlsruhe", "https://www.bruchsal.de"),
    ("Bühl", "grosse_kreisstadt", "Landkreis Rastatt", "https://www.buehl.de"),
    ("Ettlingen", "grosse_kreisstadt", "Landkreis Karlsruhe", "https://www.ettlingen.de"),
    ("Gaggenau", "grosse_kreisstadt", "Landkreis Rastatt", "https://www.gaggenau.de"),
    ("Rastatt", "grosse_kreisstadt", "Landkreis Rastatt", "https://www.rastatt.de"),
    ("Rheinstetten", "grosse_kreisstadt", "Landkreis Karlsruhe", "https://www.rheinstetten.de"),
    ("Stutensee", "grosse_kreisstadt", "Landkreis Karlsruhe", "https://www.stutensee.de"),
]


#: Leinfelden-Echterdingen's five fields of action (shared/data/readi.md)
FIELDS_OF_ACTION = [
    "Infrastruktur und Standortentwicklung",
    "Nachhaltigkeit und Mobilität",
    "Bildung, Kultur, Ehrenamt",
    "Digitaler Kulturwandel in der Verwaltung",
    "Digitale Bürgerdienste",
]

#: the network's topics (real names); field index, lead city (invented: "Beispieldaten") or None = open
TOPICS = [
    ("e-Akte", 3, "Ettlingen", "Elektronische Aktenführung in der Verwaltung."),
    ("e-Posteingang", 3, "Bruchsal", "Eingehende Post digital erfassen, verteilen und bearbeiten."),
    ("e-Payment", 4, "Baden-Baden", "Gebühren und Entgelte online bezahlen."),
    ("E-Mobilität", 1, "Rastatt", "Ladeinfrastruktur und elektrische Fahrzeugflotten."),
    ("Parkraummanagement", 1, "Bühl", "Parkraum digital erfassen, lenken und abrechnen."),
    ("Engagement-Plattform", 2, "Gaggenau", "Eine Plattform für Ehrenamt und Bürgerbeteiligung."),
    ("IoT / LoRaWAN (Open Region Mittelbaden)", 0, "Rheinstetten", "Ein gemeinsames Funknetz für Sensoren."),
    ("Open-Data-Portal", 0, "Stutensee", "Offene Daten der Kommunen an einem Ort."),
    ("Online-Bürgerservice", 4, "Bretten", "Verwaltungsleistungen online nach dem OZG."),
    ("Low-Code", 3, None, "Fachanwendungen mit Low-Code-Werkzeugen selbst bauen."),
    ("Intranet", 3, None, "Ein modernes Intranet für die Beschäftigten."),
    ("Projektmanagement", 3, None, "Gemeinsame Methoden und Werkzeuge für Digitalisierungsprojekte."),
]


def ensure_default_network():
    """The installation's default network (DEFAULT_NETWORK): re@di, with public facts from shared/data/readi.md."""
    from network.networks.models import Network
    slug = current_app.config.get("DEFAULT_NETWORK", "readi")
    network = db.session.execute(sa.select(Network).where(Network.slug == slug)).scalar_one_or_none()
    if network is None:
        network = Network(slug=slug, **READI)
        db.session.add(network)
        db.session.flush()
    return network


def seed_demo() -> dict:
    """Create the demo network; returns counts. Idempotent: existing rows are kept."""
    from datetime import datetime, timezone

    from network.accounts.models import User
    from network.core import audit
    from network.municipalities.models import Municipality, make_slug

    created = {"municipalities": 0, "users": 0}
    admitted = datetime(2019, 10, 11, 10, 0, tzinfo=timezone.utc)  # Willensbekundung in Rastatt

    def ensure_user(email, name, **kw):
        if db.session.execute(sa.select(User.id).where(User.email == email)).first():
            return
        user = User(email=email, name=name, **kw)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        created["users"] += 1

    from network.networks.models import Network, NetworkMembership, NetworkRole
    readi = ensure_default_network()
    ensure_user(COORDINATOR_EMAIL, "Netzwerkkoordination", role="lead")
    ensure_user(PLATFORM_ADMIN_EMAIL, "Plattformverwaltung", role="lead", is_platform_admin=True)
    db.session.flush()
    coordinator_id = db.session.execute(sa.select(User.id).where(User.email == COORDINATOR_EMAIL)).scalar_one()
    if not db.session.execute(sa.select(NetworkRole.id).where(NetworkRole.user_id == coordinator_id,
                                                              NetworkRole.network_id == readi.id)).first():
        db.session.add(NetworkRole(network_id=readi.id, user_id=coordinator_id, role="coordinator"))
    for name, kind, district, website in CITIES:
        slug = make_slug(name)
        city = db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()
        if city is None:
            city = Municipality(slug=slug, name=name, kind=kind, district=district, website=website,
                                status="member", admitted_at=admitted)
            db.session.add(city)
            db.session.flush()
            audit.record(None, "municipality.admitted", obj=city, summary=f"{name} ins Netzwerk aufgenommen (Demo)")
            created["municipalities"] += 1
        if not db.session.execute(sa.select(NetworkMembership.id).where(
                NetworkMembership.network_id == readi.id, NetworkMembership.municipality_id == city.id)).first():
            db.session.add(NetworkMembership(network_id=readi.id, municipality_id=city.id, status="member",
                                             joined_at=admitted))
        ensure_user(f"lead@{slug}.example", f"Digitalisierung {name}", role="lead", municipality_id=city.id)
        ensure_user(f"staff@{slug}.example", f"Mitarbeitende {name}", role="staff", municipality_id=city.id)
    db.session.flush()
    created.update(_seed_topics(readi))
    # later domains: network/<domain>/demo.py with seed() -> {label: count}, in DOMAINS order
    import importlib
    import importlib.util

    from network import DOMAINS
    for domain in DOMAINS:
        if importlib.util.find_spec(f"network.{domain}") and importlib.util.find_spec(f"network.{domain}.demo"):
            created.update(importlib.import_module(f"network.{domain}.demo").seed())
            db.session.flush()
    return created


def add_example_topic(network, field, name: str, description: str, lead=None, *, slug: str | None = None):
    """An active example topic of ``network``; with ``lead`` (a city) also its confirmed lead claim and the history
    step. Flushed, so the caller may use its id."""
    from network.municipalities.models import make_slug
    from network.topics.models import LeadClaim, LeadEvent, Topic

    topic = Topic(network_id=network.id, slug=slug or make_slug(name), name=name, description=description,
                  field_id=field.id, status="active", is_example=True)
    db.session.add(topic)
    db.session.flush()
    if lead is not None:
        claim = LeadClaim(topic_id=topic.id, municipality_id=lead.id, kind="lead", status="confirmed",
                          note="Beispieldaten")
        db.session.add(claim)
        db.session.flush()
        db.session.add(LeadEvent(topic_id=topic.id, claim_id=claim.id, municipality_id=lead.id,
                                 action="confirmed", reason="Beispieldaten der Demo"))
    return topic


def _seed_topics(network) -> dict:
    """Fields of action and topics of ``network`` (re@di); leads and participations are invented and flagged as
    example data, and only the network's own cities take part."""
    from network.municipalities.models import Municipality, make_slug
    from network.networks.services import active_member_clause
    from network.topics.models import FieldOfAction, Participation, Topic

    counts = {"fields_of_action": 0, "topics": 0}
    cities = {c.name: c for c in db.session.execute(sa.select(Municipality).where(
        active_member_clause(network.id, Municipality.id)).order_by(Municipality.name)).scalars()}
    names = sorted(cities)
    fields = []
    for position, name in enumerate(FIELDS_OF_ACTION, start=1):
        slug = make_slug(name)
        field = db.session.execute(sa.select(FieldOfAction).where(
            FieldOfAction.network_id == network.id, FieldOfAction.slug == slug)).scalar_one_or_none()
        if field is None:
            field = FieldOfAction(network_id=network.id, slug=slug, name=name, position=position * 10)
            db.session.add(field)
            counts["fields_of_action"] += 1
        fields.append(field)
    db.session.flush()
    for index, (name, field_index, lead_name, description) in enumerate(TOPICS):
        slug = make_slug(name)
        if db.session.execute(sa.select(Topic.id).where(Topic.network_id == network.id,
                                                        Topic.slug == slug)).first():
            continue
        lead = cities.get(lead_name)
        topic = add_example_topic(network, fields[field_index], name, description, lead, slug=slug)
        counts["topics"] += 1
        # two more cities take part in each project group
        for offset, status in ((1, "participating"), (4, "interested")):
            other = cities.get(names[(index + offset) % len(names)]) if names else None
            if other is not None and other is not lead:
                db.session.add(Participation(topic_id=topic.id, municipality_id=other.id, status=status))
    db.session.flush()
    return counts


#: German names for the counts the domains' demo seeds return
LABELS = {"projects": "Vorhaben", "status_reports": "Sachstandsberichte", "practices": "Praxisberichte",
          "practice_revisions": "Fassungen", "practice_reuse": "Nachnutzungen", "practice_questions": "Fragen",
          "meeting bodies": "Gremien", "meetings": "Treffen", "funding_calls": "Förderaufrufe",
          "funding_applications": "Verbundanträge", "ozg_statuses": "OZG-Stände",
          "strategies": "Digitalstrategien", "contact_profiles": "Kontaktprofile"}


def is_empty() -> bool:
    """True when no city exists yet (make run seeds only then)."""
    from network.municipalities.models import Municipality
    return db.session.execute(sa.select(Municipality.id).limit(1)).first() is None


@network_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Nur wenn die Datenbank noch keine Kommune enthält.")
def seed_demo_command(if_empty):
    """Load the demo network (refused in production)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo-Daten werden in Produktion nicht geladen (ENV_NAME=production).")
    if if_empty and not is_empty():
        click.echo("Datenbank enthält bereits Daten; keine Demo-Daten geladen.")
        return
    counts = seed_demo()
    db.session.commit()
    click.echo(f"Demo-Daten: {counts['municipalities']} Kommunen, {counts['users']} Konten, "
               f"{counts['fields_of_action']} Handlungsfelder, {counts['topics']} Themen angelegt"
               + "".join(f", {LABELS.get(label, label)}: {n}" for label, n in counts.items()
                         if label not in ("municipalities", "users", "fields_of_action", "topics"))
               + f". Passwort aller Demo-Konten: {DEMO_PASSWORD}")
