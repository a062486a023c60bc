"""Demo contact profiles: the demo accounts of a few re@di cities publish a profile to re@di. Everything here is
invented example data (is_example, shown as "Beispieldaten"): the accounts are demo accounts, the functions,
phone numbers and subjects are made up; only city names and OZG Themenfelder are real."""

import sqlalchemy as sa

from network.extensions import db

#: account email, function, phone, languages, OZG Themenfelder, tags
PROFILES = [
    ("lead@ettlingen.example", "Digitalisierungsbeauftragte/r", "07243 101-0", "Deutsch, Englisch",
     ["Mobilität & Reisen"], ["ettlingen.digital", "Bewohnerparken"]),
    ("staff@ettlingen.example", "Digitallotse/Digitallotsin", "07243 101-1", "Deutsch, Französisch",
     ["Querschnitt"], ["e-Akte"]),
    ("lead@buehl.example", "IT-Leitung", "07223 935-0", "Deutsch", ["Mobilität & Reisen"],
     ["Bewohnerparkausweis"]),
    ("staff@bruchsal.example", "Datenschutz", "07251 79-0", "Deutsch", [], ["DSGVO"]),
]


def seed() -> dict:
    """Create the demo profiles once (idempotent), published to re@di; returns counts."""
    from network.accounts.models import User
    from network.contacts.models import ContactNetwork, ContactProfile, ContactSubject
    from network.networks.models import Network
    readi = db.session.execute(sa.select(Network).where(Network.slug == "readi")).scalar_one_or_none()
    if readi is None:
        return {"contact_profiles": 0}
    users = {u.email: u for u in db.session.execute(sa.select(User).where(
        User.email.in_([p[0] for p in PROFILES]))).scalars()}
    count = 0
    for email, function, phone, languages, themenfelder, tags in PROFILES:
        user = users.get(email)
        if user is None or user.municipality_id is None or db.session.execute(
                sa.select(ContactProfile.id).where(ContactProfile.user_id == user.id)).first():
            continue
        profile = ContactProfile(user_id=user.id, municipality_id=user.municipality_id, function=function,
                                 phone=phone, languages=languages, is_example=True)
        profile.subjects = [ContactSubject(kind="ozg", label=t) for t in themenfelder] + \
                           [ContactSubject(kind="tag", label=t) for t in tags]
        profile.networks = [ContactNetwork(network_id=readi.id)]
        db.session.add(profile)
        count += 1
    db.session.flush()
    return {"contact_profiles": count}
