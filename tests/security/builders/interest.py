"""Interest world: confirmed registrations to city A, to city B and to the whole network, each with canaries
in name, email and message (audience: the addressed city's lead and the coordination; the network's: the
coordination only); an unconfirmed registration (its confirmation link is the registrant's secret, no
principal knows it), follows and preferences of staff A and lead A.

State-changing requests use: an unconfirmed registration's confirmation token (confirm), the withdraw link of
city A's registration (withdraw), staff A's digest unsubscribe link (unsubscribe), city A's registration
(mark contacted), city A's page (follow).
"""

import re
import time

import sqlalchemy as sa

from network.core.models import OutboxMessage
from network.extensions import db
from network.interest import services
from network.interest.models import Follow, InterestRegistration, NotificationPreference
from tests.security.world import CITY_ADMIN, COORDINATOR, FORM_DATA, builder

ENDPOINTS = ("interest.", "interest_api.", "interest_public_api.")


def _confirm_token(email):
    body = db.session.execute(sa.select(OutboxMessage.body_text).where(OutboxMessage.recipient == email)
                              .order_by(OutboxMessage.id.desc())).scalars().first()
    return re.search(r"/mitmachen/bestaetigen/([A-Za-z0-9_\-]+)", body).group(1)


def _registration(w, slug, audience, city):
    name, message = w.new_canary(), w.new_canary()
    email = f"{w.new_canary()}@buerger.example"
    services.register_interest({"name": name, "email": email, "kind": "association", "organisation": "Verein",
                                "municipality": slug, "message": f"Wir helfen {message}", "consent": True},
                               check_timing=False)
    reg = services.confirm_registration(_confirm_token(email))
    for text, kind in ((name, "interest.name"), (email, "interest.email"), (message, "interest.message")):
        w.canary(text, kind, city=city, audience=audience)
    return reg


@builder
def interest_world(w):
    reg_a = _registration(w, w.city_a.slug, CITY_ADMIN, w.city_a.slug)
    reg_b = _registration(w, w.city_b.slug, CITY_ADMIN, w.city_b.slug)
    reg_net = _registration(w, services.NETWORK, COORDINATOR, None)
    # unconfirmed: nobody sees it (its token is only in the registrant's mail)
    services.register_interest({"name": "Noch Unbestätigt", "email": "offen@buerger.example", "kind": "citizen",
                                "municipality": w.city_a.slug, "consent": True}, check_timing=False)
    pending_token = _confirm_token("offen@buerger.example")
    db.session.add(Follow(user_id=w.staff_a.id, target_type="municipality", target_id=w.city_a.id))
    db.session.add(Follow(user_id=w.lead_a.id, target_type="municipality", target_id=w.city_b.id))
    db.session.add(NotificationPreference(user_id=w.lead_a.id, kind="topic.lead_changed", mode="immediately"))
    db.session.commit()
    withdraw_a = services.withdraw_token(reg_a)
    unsubscribe = services.unsubscribe_token(w.staff_a.id, "digest")
    w.objects.update(reg_a=reg_a, reg_a_id=reg_a.id, reg_b=reg_b, reg_net=reg_net, interest_pending_token=pending_token,
                     interest_withdraw_a=withdraw_a, interest_unsubscribe=unsubscribe)
    for reg, city in ((reg_a, w.city_a.slug), (reg_b, w.city_b.slug), (reg_net, None)):
        w.arg("registration_id", reg.id, city=city)
    w.arg("registration_id", 999999)
    w.arg("token", withdraw_a, endpoints=("interest.withdraw",))
    w.arg("token", unsubscribe, endpoints=("interest.unsubscribe",))
    w.arg("token", "ungueltig", endpoints=ENDPOINTS)
    for slug in (w.city_a.slug, w.city_b.slug, "gibt-es-nicht"):
        w.arg("slug", slug, endpoints=("interest_api.",))
    w.target("registration_id", reg_a.id)
    w.target("token", pending_token, endpoint="interest.confirm")
    w.target("token", withdraw_a, endpoint="interest.withdraw")
    w.target("token", unsubscribe, endpoint="interest.unsubscribe")
    w.target("slug", w.city_a.slug, endpoint="interest_api.city_registrations")


FORM_DATA.update({
    "interest.register": lambda w: {"name": "Max Muster", "email": "max@example.org", "kind": "citizen",
                                    "municipality": "ettlingen", "consent": "y", "message": "Gerne",
                                    "started": services.form_started_token(time.time() - 60)},
    "interest.confirm": lambda w: {},
    "interest.withdraw": lambda w: {},
    "interest.unsubscribe": lambda w: {},
    "interest.mark_contacted": lambda w: {"contacted": "1"},
    "interest.follow": lambda w: {"type": "municipality", "id": str(w.city_b.id)},
    "interest.settings": lambda w: {"pref_topic_lead_changed": "immediately", "pref_practice_published": "weekly",
                                    "pref_meeting_scheduled": "weekly", "pref_minutes_published": "off",
                                    "pref_funding_call_published": "weekly", "digest": "y"},
    "interest.delete_account": lambda w: {"password": _password()},
    "interest_public_api.register": lambda w: {"name": "Api Person", "email": "api@example.org", "kind": "company",
                                               "municipality": "ettlingen", "consent": True},
    "interest_api.put_follows": lambda w: {"follows": [{"type": "municipality", "id": w.city_b.id}],
                                           "preferences": {"minutes.published": "off"}},
})


def _password():
    from tests import factories
    return factories.PASSWORD


def _reg(email):
    db.session.expire_all()
    return db.session.execute(sa.select(InterestRegistration).where(InterestRegistration.email == email)
                              ).scalar_one_or_none()


def _follows(user_id):
    return sorted((f.target_type, f.target_id) for f in db.session.execute(
        sa.select(Follow).where(Follow.user_id == user_id)).scalars())


def _pref(user_id, kind):
    return db.session.execute(sa.select(NotificationPreference.mode).where(
        NotificationPreference.user_id == user_id, NotificationPreference.kind == kind)).scalar_one_or_none()


def mass_assignment_cases(Case) -> list:
    """The interest rows of test_mass_assignment.MASS_ASSIGNMENT."""
    from network.accounts.models import User

    def registered(w):
        reg = _reg("max@example.org")
        return reg is not None and reg.municipality_id == w.city_a.id and reg.confirmed_at is None

    def confirmed(w):
        reg = _reg("offen@buerger.example")
        return reg is not None and reg.confirmed_at is not None

    def deleted(w):
        db.session.expire_all()
        user = db.session.get(User, w.staff_a.id)
        return user.name == "ehemaliges Mitglied" and not user.active

    return [
        Case("interest.register", "anonymous", registered),
        Case("interest.confirm", "anonymous", confirmed, expect_status=200),
        Case("interest.withdraw", "anonymous", lambda w: db.session.get(InterestRegistration, w.reg_a_id) is None,
             expect_status=200),
        Case("interest.unsubscribe", "anonymous", lambda w: _pref(w.staff_a.id, "digest") == "off",
             expect_status=200),
        Case("interest.mark_contacted", "lead_a",
             lambda w: db.session.get(InterestRegistration, w.reg_a_id).contacted_by_id == w.lead_a.id),
        Case("interest.follow", "staff_a", lambda w: ("municipality", w.city_b.id) in _follows(w.staff_a.id)),
        Case("interest.settings", "staff_a", lambda w: _pref(w.staff_a.id, "minutes.published") == "off"),
        # deleting the own account legitimately anonymises the address and deactivates the row
        Case("interest.delete_account", "staff_a", deleted, changes={("user", "email"), ("user", "active")}),
        Case("interest_public_api.register", "anonymous",
             lambda w: getattr(_reg("api@example.org"), "municipality_id", None) == w.city_a.id,
             expect_status=202, api=True),
        Case("interest_api.put_follows", "staff_a",
             lambda w: _follows(w.staff_a.id) == [("municipality", w.city_b.id)]
             and _pref(w.staff_a.id, "minutes.published") == "off", method="PUT", expect_status=200, api=True),
    ]


def xss_fields(ctx, payloads=None):
    """Registrations to the payload city "xss" with every payload as name, organisation and message; the
    coordinator's list shows them (50 per page), the confirmation mails (HTML) echo the name. The payload
    city's deletion cascades to them (tests/security/test_xss.py _clean_up)."""
    from network.core.models import utcnow
    from network.core.validation import ValidationFailed
    from network.municipalities.models import Municipality
    from tests.security.payloads import all_payloads

    stats = ctx["stats"]
    home = db.session.execute(sa.select(Municipality).where(Municipality.slug == "xss")).scalar_one()
    n = 0
    for i, p in enumerate(all_payloads()):
        try:
            with db.session.begin_nested():
                reg = services.register_interest(
                    {"name": p if p.strip() else f"Leer {i}", "email": f"interest{i}@xss-test.example",
                     "kind": "other", "organisation": p[:200], "message": p[:2000], "municipality": home.slug,
                     "consent": True}, check_timing=False)
                reg.confirmed_at = utcnow()
                reg.token_hash = None
            n += 1
            stats["interest.registration"] += 1
        except ValidationFailed:
            stats["skipped (too long)"] += 1
    db.session.flush()
    return [f"/interessensbekundungen/?kommune=xss&seite={page}" for page in range(1, n // services.PAGE_SIZE + 2)]
