"""Access-matrix rows of the interest domain: a confirmed registration to city A (reg_a), one to the whole
network (reg_net), its withdraw link, and staff A's digest unsubscribe link."""

import time

from network.extensions import db
from tests.access import Case, logged_in, own_city_admin, same

#: the public form, its links (double opt-in, withdrawal, unsubscribe), the legal pages and the public API
PUBLIC = {"interest.register", "interest.sent", "interest.confirm", "interest.withdraw", "interest.unsubscribe",
          "interest.imprint", "interest.privacy_page", "interest_public_api.register"}


def build(w):
    from network.core.models import utcnow
    from network.interest import services
    from network.interest.models import InterestRegistration
    reg_a = InterestRegistration(name="Erika Muster", email="erika@example.org", municipality_id=w["city_a"].id,
                                 withdraw_nonce="n" * 16, confirmed_at=utcnow(), kind="citizen")
    reg_net = InterestRegistration(name="Nina Netz", email="nina@example.org", municipality_id=None,
                                   withdraw_nonce="m" * 16, confirmed_at=utcnow(), kind="company")
    db.session.add_all([reg_a, reg_net])
    db.session.flush()
    return {"reg_a": reg_a, "reg_net": reg_net, "withdraw_a": services.withdraw_token(reg_a),
            "unsubscribe_staff_a": services.unsubscribe_token(w["staff_a"].id, "digest")}


def _registration(w):
    from network.interest.services import form_started_token
    return {"name": "Max Muster", "email": "max@example.org", "kind": "citizen", "municipality": "ettlingen",
            "consent": "y", "started": form_started_token(time.time() - 60)}


_SETTINGS = {"pref_topic_lead_changed": "weekly", "pref_practice_published": "weekly",
             "pref_meeting_scheduled": "weekly", "pref_minutes_published": "weekly",
             "pref_funding_call_published": "weekly", "digest": "y"}

LEADS = {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 200, "coordinator": 200}

ROWS = [
    Case("interest.register", "GET", lambda w: "/mitmachen", same(200)),
    Case("interest.register", "POST", lambda w: "/mitmachen", same(302), data=_registration),
    Case("interest.sent", "GET", lambda w: "/mitmachen/gesendet", same(200)),
    Case("interest.confirm", "GET", lambda w: "/mitmachen/bestaetigen/ungueltig", same(404)),
    Case("interest.confirm", "POST", lambda w: "/mitmachen/bestaetigen/ungueltig", same(404)),
    Case("interest.withdraw", "GET", lambda w: f"/mitmachen/zuruecknehmen/{w['withdraw_a']}", same(200)),
    Case("interest.withdraw", "GET", lambda w: "/mitmachen/zuruecknehmen/ungueltig", same(404)),
    Case("interest.unsubscribe", "GET", lambda w: f"/benachrichtigungen/abbestellen/{w['unsubscribe_staff_a']}",
         same(200)),
    Case("interest.unsubscribe", "POST", lambda w: "/benachrichtigungen/abbestellen/ungueltig", same(404)),
    Case("interest.imprint", "GET", lambda w: "/impressum", same(200)),
    Case("interest.privacy_page", "GET", lambda w: "/datenschutz", same(200)),
    # the lead sees the own city's registrations; the coordination all, also those to the network
    Case("interest.registrations", "GET", lambda w: "/interessensbekundungen/", LEADS),
    Case("interest.registrations", "GET", lambda w: "/interessensbekundungen/?kommune=ettlingen", own_city_admin()),
    Case("interest.registrations", "GET", lambda w: "/interessensbekundungen/?kommune=netzwerk",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 403, "coordinator": 200}),
    Case("interest.registrations_csv", "GET", lambda w: "/interessensbekundungen.csv", LEADS),
    Case("interest.registrations_csv", "GET", lambda w: "/interessensbekundungen.csv?kommune=ettlingen",
         own_city_admin()),
    Case("interest.mark_contacted", "POST", lambda w: f"/interessensbekundungen/{w['reg_a'].id}/kontaktiert",
         own_city_admin(302), data=lambda w: {"contacted": "1"}),
    Case("interest.mark_contacted", "POST", lambda w: f"/interessensbekundungen/{w['reg_net'].id}/kontaktiert",
         {"anonymous": 302, "staff_a": 403, "lead_a": 404, "lead_b": 404, "coordinator": 302},
         data=lambda w: {"contacted": "1"}),
    Case("interest.follow", "POST", lambda w: "/folgen", logged_in(302),
         data=lambda w: {"type": "municipality", "id": str(w["city_a"].id)}),
    Case("interest.settings", "GET", lambda w: "/profil/benachrichtigungen", logged_in()),
    Case("interest.settings", "POST", lambda w: "/profil/benachrichtigungen", logged_in(302), data=lambda w: _SETTINGS),
    Case("interest.export", "GET", lambda w: "/profil/daten.json", logged_in()),
    Case("interest.delete_account", "GET", lambda w: "/profil/konto-loeschen", logged_in()),
    Case("interest.delete_account", "POST", lambda w: "/profil/konto-loeschen", logged_in(422),
         data=lambda w: {"password": "falsch"}),
    # API: registering is public; the rest needs a token
    Case("interest_public_api.register", "POST", lambda w: "/api/v1/interest", same(422)),
    Case("interest_api.city_registrations", "GET", lambda w: "/api/v1/municipalities/ettlingen/interest",
         {"anonymous": 401, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 200}),
    Case("interest_api.get_follows", "GET", lambda w: "/api/v1/me/follows", logged_in(200, anon=401)),
    Case("interest_api.put_follows", "PUT", lambda w: "/api/v1/me/follows", logged_in(200, anon=401)),
    Case("interest_api.export", "GET", lambda w: "/api/v1/me/export", logged_in(200, anon=401)),
]
