"""Core world: cities A (Ettlingen) and B (Bühl), their people, tokens, audit events and mails.

Every person's name and email is a canary; objects are created through the services wherever a
service exists, so that audit events and outbox messages are the real ones.
"""

import re

import sqlalchemy as sa

from network.accounts import services as accounts
from network.accounts.models import ApiToken, User
from network.core import audit
from network.core.models import OutboxMessage
from network.extensions import db
from tests import factories
from tests.security.world import (CITY, CITY_ADMIN, COORDINATOR, FORM_DATA, NOBODY, SELF, Principal, builder)

NEW_PASSWORD = "Ganz-Neues-Passwort-42"
#: endpoints whose <slug> is a city's slug
CITY_ENDPOINTS = ("municipalities.", "municipalities_api.")


def _link_token(recipient: str, path: str) -> str:
    """The token of the newest /<path>/<token> link mailed to `recipient`."""
    body = db.session.execute(
        sa.select(OutboxMessage.body_text).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id.desc())
    ).scalars().first()
    m = re.search(rf"/{path}/([A-Za-z0-9_\-]+)", body or "")
    assert m, f"no /{path}/ link in the mail to {recipient}"
    return m.group(1)


def mail_links(w, principal):
    """Tokens of the links in the principal's own emails (the only ones it may know)."""
    if principal.user is None:
        return ["ungueltig"]
    bodies = db.session.execute(
        sa.select(OutboxMessage.body_text).where(OutboxMessage.recipient == principal.email)).scalars().all()
    found = re.findall(r"/(?:einladung|passwort-zuruecksetzen)/([A-Za-z0-9_\-]+)", "\n".join(bodies))
    return ["ungueltig", *found]


@builder
def core(w):
    city_a = factories.make_city("Ettlingen", district="Landkreis Karlsruhe", website="https://www.ettlingen.de")
    city_b = factories.make_city("Bühl", district="Landkreis Rastatt", website="https://www.buehl.de")
    w.objects.update(city_a=city_a, city_b=city_b)

    def person(city, role, **kw):
        name, email = w.new_canary(), f"{w.new_canary()}@{city.slug if city else 'netz'}.example"
        user = factories.make_user(city, role, email=email, name=name, **kw)
        if city is not None:
            w.canary(name, "user.name", city=city.slug, audience=CITY)
            w.canary(email, "user.email", city=city.slug, audience=CITY)
        w.canary(user.password_hash, "user.password_hash", city=getattr(city, "slug", None), audience=NOBODY,
                 expect_seen=False)
        return user

    def token(user, city):
        name = w.new_canary()
        row, plain = accounts.create_api_token(user, name)
        w.canary(name, "token.name", city=city.slug if city else None, audience=(SELF, CITY_ADMIN), owner=user.email)
        w.canary(plain, "token.value", city=city.slug if city else None, audience=NOBODY, expect_seen=False)
        w.arg("token_id", row.id, city=city.slug if city else None)
        return row, plain

    coordinator = factories.make_user(None, "lead", coordinator=True, name="Netzwerkkoordination",
                                      email=f"{w.new_canary()}@netz.example")
    w.objects["coordinator"] = coordinator

    for tag, city in (("a", city_a), ("b", city_b)):
        slug = city.slug
        lead, staff, colleague, former = (person(city, "lead"), person(city, "staff"), person(city, "staff"),
                                          person(city, "staff"))
        accounts.set_active(lead, former, False)
        invited_name, invited_email = w.new_canary(), f"{w.new_canary()}@{slug}.example"
        invited = accounts.invite_user(lead, city, email=invited_email, name=invited_name, role="staff")
        w.canary(invited_name, "user.name", city=slug, audience=CITY)
        w.canary(invited_email, "user.email", city=slug, audience=CITY)
        invite_token = _link_token(invited_email, "einladung")
        w.canary(invite_token, "mail.invite_link", city=slug, audience=SELF, owner=invited_email, expect_seen=False)
        accounts.request_password_reset(staff.email)
        reset_token = _link_token(staff.email, "passwort-zuruecksetzen")
        w.canary(reset_token, "mail.reset_link", city=slug, audience=SELF, owner=staff.email,
                 expect_seen=(tag == "a"))  # staff_a is a principal and reads its own mail; staff_b is not
        _t, lead_plain = token(lead, city)
        _t, staff_plain = token(staff, city)
        summary = w.new_canary()
        audit.record(lead, "test.canary", municipality_id=city.id, summary=f"Vermerk {summary}")
        w.canary(summary, "audit.summary", city=slug, audience=CITY_ADMIN)
        for u in (lead, staff, colleague, former, invited):
            w.arg("user_id", u.id, city=slug)
        w.arg("slug", slug, city=slug, endpoints=CITY_ENDPOINTS)
        w.objects.update({f"lead_{tag}": lead, f"staff_{tag}": staff, f"colleague_{tag}": colleague,
                          f"former_{tag}": former, f"invited_{tag}": invited,
                          f"invite_token_{tag}": invite_token, f"reset_token_{tag}": reset_token,
                          f"lead_{tag}_token": lead_plain, f"staff_{tag}_token": staff_plain})

    summary = w.new_canary()
    audit.record(coordinator, "test.network_canary", summary=f"Netzwerkvermerk {summary}")
    w.canary(summary, "audit.summary", city=None, audience=COORDINATOR)
    coord_token, coord_plain = token(coordinator, None)
    db.session.commit()

    w.arg("slug", "gibt-es-nicht", endpoints=CITY_ENDPOINTS)
    w.arg("user_id", 999999)
    w.arg("token_id", 999999)
    w.arg_provider("token", mail_links)
    # state-changing requests (CSRF gate) act on city A; the coordinator may do all of them
    for endpoint in ("municipalities.edit", "municipalities.users", "municipalities.set_role",
                     "municipalities.set_active", "municipalities.resend_invite", "municipalities.membership"):
        w.target("slug", city_a.slug, endpoint=endpoint)
    w.target("user_id", w.invited_a.id)
    w.target("token_id", coord_token.id)
    w.target("token", w.invite_token_a, endpoint="accounts.accept_invite")
    w.target("token", w.reset_token_a, endpoint="accounts.reset_password")

    w.principals = {
        "anonymous": Principal("anonymous"),
        "staff_a": Principal("staff_a", w.staff_a, w.staff_a_token),
        "lead_a": Principal("lead_a", w.lead_a, w.lead_a_token),
        "lead_b": Principal("lead_b", w.lead_b, w.lead_b_token),
        "coordinator": Principal("coordinator", coordinator, coord_plain),
    }


# valid form data per POST endpoint (the CSRF gate's control request must get past the CSRF check)
FORM_DATA.update({
    "accounts.login": lambda w: {"email": w.staff_a.email, "password": factories.PASSWORD},
    "accounts.logout": lambda w: {},
    "accounts.forgot_password": lambda w: {"email": w.staff_a.email},
    "accounts.accept_invite": lambda w: {"name": "Neue Person", "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    "accounts.reset_password": lambda w: {"password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    "accounts.profile": lambda w: {"name": "Neuer Name", "language": "de"},
    "accounts.change_password": lambda w: {"pw-current_password": factories.PASSWORD, "pw-password": NEW_PASSWORD,
                                           "pw-password2": NEW_PASSWORD},
    "accounts.tokens": lambda w: {"name": "Auswertung", "scope": "read", "days": "90"},
    "accounts.revoke_token": lambda w: {},
    # two-factor authentication: nobody in the world has it, so the control requests end in a 302 or a 409
    "accounts.login_code": lambda w: {"code": "123456"},
    "accounts.twofa": lambda w: {"code": "123456"},
    "accounts.twofa_codes": lambda w: {"codes-code": "123456"},
    "accounts.twofa_disable": lambda w: {"off-password": factories.PASSWORD, "off-code": "123456"},
    "accounts.twofa_reset": lambda w: {},
    "main.language": lambda w: {"lang": "en", "next": "/"},
    "municipalities.new": lambda w: {"name": "Gaggenau", "kind": "grosse_kreisstadt", "district": "Landkreis Rastatt",
                                     "website": "https://www.gaggenau.de", "population": "29000",
                                     "lead_name": "Gabi Gaggenau", "lead_email": "lead@gaggenau.example"},
    "municipalities.edit": lambda w: {"name": "Ettlingen", "kind": "grosse_kreisstadt", "district": "Landkreis Karlsruhe",
                                      "website": "https://www.ettlingen.de", "population": "39000"},
    "municipalities.users": lambda w: {"name": "Nina Neu", "email": "nina@ettlingen.example", "role": "staff"},
    "municipalities.set_role": lambda w: {"role": "lead"},
    "municipalities.set_active": lambda w: {"active": "0"},
    "municipalities.resend_invite": lambda w: {},
    "municipalities.membership": lambda w: {"member": "0", "reason": "Beschluss des Gemeinderats"},
})


def all_users():
    return db.session.execute(sa.select(User)).scalars().all()


def all_tokens():
    return db.session.execute(sa.select(ApiToken)).scalars().all()
