"""`flask network seed-demo`: the nine member cities of re@di, a coordinator, a lead and staff per city."""

import click
import sqlalchemy as sa
from flask import current_app

from network.core.cli import network_cli
from network.extensions import db

DEMO_PASSWORD = "Demo-Passwort-2026"
COORDINATOR_EMAIL = "koordination@staedtenetz.example"

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

    ensure_user(COORDINATOR_EMAIL, "Netzwerkkoordination", is_coordinator=True, role="lead")
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
        ensure_user(f"lead@{slug}.example", f"Digitalisierung {name}", role="lead", municipality_id=city.id)
        ensure_user(f"staff@{slug}.example", f"Mitarbeitende {name}", role="staff", municipality_id=city.id)
    db.session.flush()
    return created


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
    click.echo(f"Demo-Daten: {counts['municipalities']} Kommunen, {counts['users']} Konten angelegt. "
               f"Passwort aller Demo-Konten: {DEMO_PASSWORD}")
