"""Demo data of the networks domain: a second, invented network (Beispieldaten) beside re@di.

Cities, districts, states and websites are public facts; the network itself, its memberships, accounts, topics,
leads, body and meetings are invented and marked as example data. Idempotent: nothing happens when the network
exists already. Called by network/demo.py's loop (DOMAINS order).
"""

from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from network.extensions import db

SLUG = "neckar-erft"
NETWORK = {
    "name": "Digitale Zukunftskommunen Neckar-Erft (Beispieldaten)",
    "region": "Landkreis Esslingen, Landkreis Karlsruhe und Kreis Heinsberg",
    "description": ("*Beispieldaten:* Dieses Netzwerk ist erfunden und zeigt, wie mehrere Städtenetze in einer "
                    "Installation arbeiten. Ettlingen nimmt an beiden Netzwerken teil, Erkelenz ist Gast."),
    "is_open": True,
    "is_example": True,
}
COORDINATOR_EMAIL = "koordination-nord@staedtenetz.example"

#: public facts: name, kind, district, state, website; then the (invented) membership status
CITIES = [
    ("Esslingen am Neckar", "grosse_kreisstadt", "Landkreis Esslingen", "Baden-Württemberg",
     "https://www.esslingen.de", "member"),
    ("Leinfelden-Echterdingen", "grosse_kreisstadt", "Landkreis Esslingen", "Baden-Württemberg",
     "https://www.leinfelden-echterdingen.de", "member"),
    ("Erkelenz", "stadt", "Kreis Heinsberg", "Nordrhein-Westfalen", "https://www.erkelenz.de", "guest"),
]
#: a city of re@di that takes part in this network too (created by network/demo.py)
SHARED_CITY = "ettlingen"

#: fields of action named by the state programme digital@bw (shared/data/readi.md)
FIELDS_OF_ACTION = ["Mobilität", "Bildung", "Verwaltung", "Energie und Nachhaltigkeit"]

#: invented topics: name, field index, lead city slug (None = open), description
TOPICS = [
    ("Digitale Ratsarbeit", 2, "esslingen-am-neckar", "Sitzungsdienst und Gremienarbeit ohne Papier."),
    ("Smarte Straßenbeleuchtung", 3, "leinfelden-echterdingen", "Leuchten, die nach Bedarf dimmen und Störungen melden."),
    ("Schul-WLAN", 1, "ettlingen", "Gemeinsame Ausschreibung für das WLAN der Schulen."),
    ("Mobilitätsplattform", 0, None, "Bus, Rad und Carsharing in einer Auskunft."),
]


def _at(day: date, hour: int) -> datetime:
    from network.meetings.ical import BERLIN
    return datetime.combine(day, time(hour, 0), tzinfo=BERLIN).astimezone(timezone.utc)


def seed() -> dict:
    from network.accounts.models import User
    from network.meetings.models import Body, BodyCity, BodyPerson, Meeting
    from network.municipalities.models import Municipality, make_slug
    from network.networks.models import Network, NetworkMembership, NetworkRole
    from network.topics.models import FieldOfAction

    counts = {"Netzwerke": 0}
    if db.session.execute(sa.select(Network.id).where(Network.slug == SLUG)).first():
        return counts
    from network.demo import DEMO_PASSWORD, add_example_topic
    network = Network(slug=SLUG, **NETWORK)
    db.session.add(network)
    db.session.flush()
    counts["Netzwerke"] = 1
    joined = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)

    def user(email, name, **kw):
        found = db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()
        if found is None:
            found = User(email=email, name=name, **kw)
            found.set_password(DEMO_PASSWORD)
            db.session.add(found)
            db.session.flush()
        return found

    cities, leads = {}, {}
    for name, kind, district, state, website, status in CITIES:
        slug = make_slug(name)
        city = db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()
        if city is None:
            city = Municipality(slug=slug, name=name, kind=kind, district=district, state=state, website=website,
                                status="member", admitted_at=joined)
            db.session.add(city)
            db.session.flush()
        cities[slug] = (city, status)
    shared = db.session.execute(sa.select(Municipality).where(Municipality.slug == SHARED_CITY)).scalar_one_or_none()
    if shared is not None:
        cities[SHARED_CITY] = (shared, "member")
    for slug, (city, status) in cities.items():
        if not db.session.execute(sa.select(NetworkMembership.id).where(
                NetworkMembership.network_id == network.id, NetworkMembership.municipality_id == city.id)).first():
            db.session.add(NetworkMembership(network_id=network.id, municipality_id=city.id, status=status,
                                             joined_at=joined))
        leads[slug] = user(f"lead@{slug}.example", f"Digitalisierung {city.name}", role="lead",
                           municipality_id=city.id)
        user(f"staff@{slug}.example", f"Mitarbeitende {city.name}", role="staff", municipality_id=city.id)
    coordinator = user(COORDINATOR_EMAIL, "Koordination Neckar-Erft (Beispieldaten)", role="lead")
    db.session.add(NetworkRole(network_id=network.id, user_id=coordinator.id, role="coordinator"))
    counts["Kommunen im Netzwerk Neckar-Erft"] = len(cities)

    fields = []
    for position, name in enumerate(FIELDS_OF_ACTION, start=1):
        field = FieldOfAction(network_id=network.id, slug=make_slug(name), name=name, position=position * 10)
        db.session.add(field)
        fields.append(field)
    db.session.flush()
    counts["Themen im Netzwerk Neckar-Erft"] = 0
    for name, field_index, lead_slug, description in TOPICS:
        lead = cities[lead_slug][0] if lead_slug in cities else None
        add_example_topic(network, fields[field_index], name, description, lead)
        counts["Themen im Netzwerk Neckar-Erft"] += 1

    body = Body(network_id=network.id, kind="fachgruppe", name="Fachgruppe Neckar-Erft (Beispieldaten)",
                description="Die Digitalisierungsbeauftragten des Netzwerks (Beispieldaten).", is_example=True)
    db.session.add(body)
    db.session.flush()
    for slug, (city, _status) in cities.items():
        db.session.add(BodyCity(body_id=body.id, municipality_id=city.id))
        db.session.add(BodyPerson(body_id=body.id, user_id=leads[slug].id))
    # the network's coordination sits in its body too (people of a body: its cities' accounts and coordinators)
    db.session.add(BodyPerson(body_id=body.id, user_id=coordinator.id))
    today = date.today()
    esslingen = cities["esslingen-am-neckar"][0]
    le = cities["leinfelden-echterdingen"][0]
    db.session.add(Meeting(body_id=body.id, number=1, title="1. Fachgruppentreffen Neckar-Erft", status="scheduled",
                           host_municipality_id=esslingen.id, address="Altes Rathaus, Esslingen am Neckar",
                           starts_at=_at(today + timedelta(days=30), 10), ends_at=_at(today + timedelta(days=30), 13),
                           is_example=True, description="Beispieldaten."))
    db.session.add(Meeting(body_id=body.id, number=2, title="2. Fachgruppentreffen Neckar-Erft", status="scheduled",
                           host_municipality_id=le.id, online_url="https://konferenz.example/neckar-erft",
                           starts_at=_at(today + timedelta(days=90), 14), ends_at=_at(today + timedelta(days=90), 16),
                           is_example=True, description="Beispieldaten (online)."))
    counts["Treffen im Netzwerk Neckar-Erft"] = 2
    db.session.flush()
    return counts
