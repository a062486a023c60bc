"""Access-matrix rows of the Ansprechpersonen (issue #19, part 3). A colleague of city A has a profile published to
re@di; city A leads the topic "Intranet". The directory and profiles need a login; one's own profile is for a
city's lead and staff (the coordination keeps none: 403); naming a topic's contact persons is for a lead of the
leading city (403 for everybody else who may see the topic)."""

import sqlalchemy as sa

from network.contacts.models import ContactNetwork, ContactProfile
from network.extensions import db
from network.networks.models import Network
from network.topics.models import Topic
from tests.access import Case, logged_in

OWN = {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 200, "coordinator": 403}


def build(w):
    readi = db.session.execute(sa.select(Network).where(Network.slug == "readi")).scalar_one()
    profile = ContactProfile(user_id=w["other_staff_a"].id, municipality_id=w["city_a"].id, function="Digitallotse")
    profile.networks = [ContactNetwork(network_id=readi.id)]
    db.session.add(profile)
    led = db.session.execute(sa.select(Topic).where(Topic.name == "Intranet")).scalar_one()
    return {"contact_profile": profile, "contact_topic": led}


ROWS = [
    Case("contacts.directory", "GET", lambda w: "/ansprechpersonen/", logged_in()),
    Case("contacts.detail", "GET", lambda w: f"/ansprechpersonen/{w['contact_profile'].id}", logged_in()),
    Case("contacts.edit", "GET", lambda w: "/ansprechpersonen/mein-profil", OWN),
    # an empty form: the function is missing (422) after the access check
    Case("contacts.edit", "POST", lambda w: "/ansprechpersonen/mein-profil",
         {**OWN, "staff_a": 422, "lead_a": 422, "lead_b": 422}),
    # without confirm=1: the confirmation page
    Case("contacts.delete", "POST", lambda w: "/ansprechpersonen/mein-profil/loeschen", OWN),
    Case("contacts.topic", "GET", lambda w: f"/ansprechpersonen/thema/{w['contact_topic'].id}",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 403, "coordinator": 403}),
    Case("contacts.topic", "POST", lambda w: f"/ansprechpersonen/thema/{w['contact_topic'].id}",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 403, "coordinator": 403}),
]
