"""Ansprechpersonen world (issue #19, part 3): in each city one profile published to re@di (function is a canary,
audience NETWORK) and one unpublished profile (function is a canary only its owner may see: SELF). City A leads a
topic; its lead names the published profile for it. Write routes: one's own profile (staff_a), the topic's marks
(lead_a)."""

import sqlalchemy as sa

from network.contacts import services
from network.contacts.models import ContactProfile, TopicContact
from network.extensions import db
from network.networks.models import Network
from tests import factories
from tests.security.world import FORM_DATA, NETWORK, SELF, builder
from tests.topics.conftest import give_lead, make_field, make_topic

ENDPOINTS = ("contacts.",)


@builder
def contacts_world(w):
    readi = db.session.execute(sa.select(Network).where(Network.slug == "readi")).scalar_one()
    field = make_field("Ansprechpersonen-Feld")
    topic = make_topic(field, "Ansprechpersonen-Thema")
    give_lead(topic, w.city_a)
    for tag, unpublished_owner in (("a", w.staff_a), ("b", w.lead_b)):
        city = unpublished_owner.municipality
        colleague = factories.make_user(city, "staff", email=f"lotse@{city.slug}.example", name=f"Lotse {city.name}")
        public = w.new_canary()
        published = services.save_profile(colleague, {"function": f"Digitallotse {public}",
                                                      "networks": [str(readi.id)]})
        w.canary(public, "contact_profile.function (published to re@di)", city=city.slug, audience=NETWORK)
        secret = w.new_canary()
        hidden = services.save_profile(unpublished_owner, {"function": f"Datenschutz {secret}"})
        w.canary(secret, "contact_profile.function (unpublished)", city=city.slug, audience=SELF,
                 owner=unpublished_owner.email)
        for profile in (published, hidden):
            w.arg("profile_id", profile.id, city=city.slug, endpoints=ENDPOINTS)
        w.objects[f"contact_published_{tag}"] = published
    db.session.commit()
    w.arg("topic_id", topic.id, endpoints=ENDPOINTS)
    w.target("topic_id", topic.id, endpoint="contacts.topic")
    w.objects["contact_topic"] = topic


def _profile(w, user):
    db.session.expire_all()
    return db.session.execute(sa.select(ContactProfile).where(ContactProfile.user_id == user.id)).scalar_one_or_none()


FORM_DATA.update({
    "contacts.edit": lambda w: {"function": "IT-Leitung (neu)", "phone": "07243 101-0", "languages": "Deutsch",
                                "tags": "LoRaWAN"},
    "contacts.delete": lambda w: {"confirm": "1"},
    "contacts.topic": lambda w: {"profiles": [str(w.contact_published_a.id)]},
})


def mass_assignment_cases(Case) -> list:
    """The contact rows of test_mass_assignment.MASS_ASSIGNMENT."""
    def marked(w):
        db.session.expire_all()
        return db.session.execute(sa.select(TopicContact.id).where(
            TopicContact.topic_id == w.contact_topic.id)).first() is not None

    return [
        Case("contacts.edit", "staff_a", lambda w: _profile(w, w.staff_a).function == "IT-Leitung (neu)"),
        Case("contacts.delete", "staff_a", lambda w: _profile(w, w.staff_a) is None),
        Case("contacts.topic", "lead_a", marked),
    ]


def xss_fields(ctx, payloads) -> list[str]:
    """Payloads as the function, languages and tags of profiles in the payload city, published to re@di."""
    from network.accounts.models import User
    from network.contacts.models import ContactNetwork, ContactSubject
    from network.municipalities.models import Municipality
    city = db.session.execute(sa.select(Municipality).where(Municipality.slug == "xss")).scalar_one()
    readi = db.session.execute(sa.select(Network).where(Network.slug == "readi")).scalar_one()
    for i, p in enumerate(payloads):
        text = p.strip() or "leer"
        user = User(email=f"kontakt{i}@xss-test.example", name=f"Kontakt {i}", municipality_id=city.id, role="staff")
        db.session.add(user)
        db.session.flush()
        profile = ContactProfile(user_id=user.id, municipality_id=city.id, function=text[:120],
                                 languages=text[:200], phone="0721 1")
        profile.subjects = [ContactSubject(kind="tag", label=text[:160])]
        profile.networks = [ContactNetwork(network_id=readi.id)]
        db.session.add(profile)
    ctx["stats"]["contact_profile.function/languages/subject"] += len(payloads)
    db.session.flush()
    return ["/ansprechpersonen/?kommune=xss"]


def xss_clean_up():
    from network.accounts.models import User
    from network.contacts.models import ContactNetwork, ContactSubject
    users = sa.select(User.id).where(User.email.like("kontakt%@xss-test.example"))
    profiles = sa.select(ContactProfile.id).where(ContactProfile.user_id.in_(users))
    for model in (ContactSubject, ContactNetwork, TopicContact):
        db.session.execute(sa.delete(model).where(model.profile_id.in_(profiles)))
    db.session.execute(sa.delete(ContactProfile).where(ContactProfile.user_id.in_(users)))  # core removes the users
