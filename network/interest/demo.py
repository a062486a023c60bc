"""Demo data: a few confirmed registrations of interest (invented, marked as examples), and follows."""

import secrets

import sqlalchemy as sa

from network.accounts.models import User
from network.core.models import utcnow
from network.extensions import db
from network.interest.models import Follow, InterestRegistration
from network.municipalities.models import Municipality
from network.topics.models import Topic

#: invented registrations: (city slug or None for the network, name, kind, organisation, topic names, message)
REGISTRATIONS = [
    ("ettlingen", "Beispiel: Verein Digitale Nachbarschaft", "association", "Digitale Nachbarschaft e. V. (Beispiel)",
     ["Open-Data-Portal"], "Beispieldaten: Wir möchten Open Data für Vereine nutzbar machen."),
    ("ettlingen", "Beispiel: Max Mustermann", "citizen", "", ["Online-Bürgerservice"],
     "Beispieldaten: Ich teste gern neue Online-Dienste der Stadt."),
    ("buehl", "Beispiel: Softwarehaus Mittelbaden", "company", "Softwarehaus Mittelbaden GmbH (Beispiel)",
     ["Parkraummanagement", "IoT / LoRaWAN (Open Region Mittelbaden)"],
     "Beispieldaten: Wir haben Sensorik für Parkplätze im Angebot."),
    (None, "Beispiel: Hochschule am Oberrhein", "science", "Hochschule (Beispiel)", ["Low-Code"],
     "Beispieldaten: Studierende könnten ein Low-Code-Projekt begleiten."),
]


def seed() -> dict:
    """Idempotent: registrations are keyed by their example address."""
    created = 0
    topics = dict(db.session.execute(sa.select(Topic.name, Topic)).all())
    for i, (slug, name, kind, org, topic_names, message) in enumerate(REGISTRATIONS):
        email = f"beispiel-interesse-{i + 1}@example.org"
        if db.session.execute(sa.select(InterestRegistration.id).where(InterestRegistration.email == email)).first():
            continue
        city = db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none() \
            if slug else None
        if slug and city is None:
            continue
        reg = InterestRegistration(municipality_id=city.id if city else None, name=name, email=email, kind=kind,
                                   organisation=org, message=message, confirmed_at=utcnow(),
                                   withdraw_nonce=secrets.token_hex(16))
        reg.topics = [topics[n] for n in topic_names if n in topics]
        db.session.add(reg)
        created += 1
    follows = 0
    staff = db.session.execute(sa.select(User).where(User.email == "staff@ettlingen.example")).scalar_one_or_none()
    akte = topics.get("e-Akte")
    if staff is not None and akte is not None and not db.session.execute(sa.select(Follow.id).where(
            Follow.user_id == staff.id, Follow.target_type == "topic", Follow.target_id == akte.id)).first():
        db.session.add(Follow(user_id=staff.id, target_type="topic", target_id=akte.id))
        follows += 1
    db.session.flush()
    return {"Interessensbekundungen (Beispiele)": created, "Folgen (Beispiele)": follows}
