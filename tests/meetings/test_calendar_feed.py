"""The calendar feed's secret (issue #14, finding 8): stored only as a hash, shown once, renewed or ended; a
password reset or change and a deactivation (accounts' credentials_revoked) end it for good."""

import hashlib

import sqlalchemy as sa

from network.accounts.signals import credentials_revoked
from network.core.hooks import personal_data_sources
from network.extensions import db
from network.meetings import services
from network.meetings.models import CalendarFeed
from network.meetings.setup import end_calendar_feed
from tests.meetings.conftest import new_feed_url


def _secret(url: str) -> str:
    return url.removeprefix("/calendar/").removesuffix(".ics")


def test_only_the_hash_of_the_secret_is_stored(lead_a):
    feed = services.renew_feed(lead_a)
    plain = feed.secret
    db.session.commit()
    db.session.expunge(feed)
    rows = db.session.execute(sa.text("SELECT * FROM calendar_feed")).mappings().all()
    assert len(rows) == 1 and len(plain) >= 43  # 256 bit, URL-safe
    assert rows[0]["secret_hash"] == hashlib.sha256(plain.encode()).hexdigest()
    assert all(plain not in str(v) for v in rows[0].values()), rows
    assert services.feed_of(lead_a).secret is None  # loaded again: the plain secret is nowhere
    assert services.user_for_feed(plain).id == lead_a.id
    assert services.user_for_feed(rows[0]["secret_hash"]) is None  # the hash itself opens nothing
    renewed = services.renew_feed(lead_a)
    assert renewed.secret and renewed.secret != plain
    db.session.commit()
    assert renewed.secret is None  # forgotten once the transaction that stored its hash ended


def test_address_is_shown_once_then_only_since_when(as_user, client, lead_a, fachgruppe):
    c = as_user(lead_a)
    url = new_feed_url(c)
    assert client.get(url).status_code == 200
    again = c.get("/profil").get_data(as_text=True)
    assert _secret(url) not in again and 'id="calendar-url"' not in again
    assert "Ihr Kalender-Abo besteht seit" in again and "Kalender-Abo beenden" in again


def test_renewing_kills_the_old_address_and_the_new_one_works(as_user, client, lead_a, fachgruppe):
    c = as_user(lead_a)
    old = new_feed_url(c)
    new = new_feed_url(c)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_ending_the_feed_from_the_profile(as_user, client, lead_a, fachgruppe):
    c = as_user(lead_a)
    url = new_feed_url(c)
    resp = c.post("/meine-treffen/kalender/erneuern", data={"action": "end"})
    assert resp.status_code == 302
    assert client.get(url).status_code == 404
    assert db.session.execute(sa.select(CalendarFeed)).first() is None
    page = c.get("/profil").get_data(as_text=True)
    assert "Abo-Adresse erzeugen" in page and "Ihr Kalender-Abo besteht seit" not in page


def test_revoke_service_ends_the_feed(client, lead_a, fachgruppe):
    plain = services.renew_feed(lead_a).secret
    db.session.commit()
    assert client.get(f"/calendar/{plain}.ics").status_code == 200
    services.revoke_calendar_feed(lead_a)
    services.revoke_calendar_feed(lead_a)  # nothing left to end: no error
    db.session.commit()
    assert client.get(f"/calendar/{plain}.ics").status_code == 404
    assert services.feed_of(lead_a) is None


def test_credentials_revoked_ends_the_feed_and_reactivation_brings_nothing_back(client, lead_a, staff_a,
                                                                              fachgruppe):
    assert end_calendar_feed in credentials_revoked.receivers.values()  # connected strongly by meetings' setup
    mine, other = services.renew_feed(lead_a).secret, services.renew_feed(staff_a).secret
    db.session.commit()
    lead_a.active = False
    credentials_revoked.send(user=lead_a, reason="deactivated")
    db.session.commit()
    lead_a.active = True  # reactivated: the old address stays dead
    db.session.commit()
    assert client.get(f"/calendar/{mine}.ics").status_code == 404
    assert services.feed_of(lead_a) is None
    assert client.get(f"/calendar/{other}.ics").status_code == 200  # another person's feed is untouched
    for reason in ("password_reset", "password_changed"):
        plain = services.renew_feed(staff_a).secret
        db.session.commit()
        credentials_revoked.send(user=staff_a, reason=reason)
        db.session.commit()
        assert client.get(f"/calendar/{plain}.ics").status_code == 404, reason


def test_personal_data_export_has_neither_secret_nor_hash(lead_a, fachgruppe):
    plain = services.renew_feed(lead_a).secret
    db.session.commit()
    stored = db.session.execute(sa.select(CalendarFeed.secret_hash)).scalar_one()
    exported = str([s["export"](lead_a) for s in personal_data_sources()])
    assert plain not in exported and stored not in exported
    assert "calendar_feed" in exported
