"""The weekly digest lists the status reports that followed cities published in the week, only those the member
may see, and only for members who chose the digest for "Neuer Sachstandsbericht" (the default)."""

from datetime import timedelta

from network.core.hooks import digest_sections
from network.core.models import utcnow
from network.extensions import db
from network.interest import services as interest
from network.interest.models import Follow
from network.inventory import services


def _freeze(lead, year, visibility="network"):
    report = services.freeze_report(lead, {"year": year, "visibility": visibility})
    db.session.commit()
    return report


def _reports(sections):
    return [i.title for s in sections if s.key == "reports" for i in s.items]


def test_digest_lists_visible_reports_of_followed_cities(app, lead_a, lead_b, staff_b, city_a, city_b, fields):
    shared = _freeze(lead_a, 2024)
    _freeze(lead_a, 2025, visibility="city")  # city-only: never in another city's digest
    _freeze(lead_b, 2024)  # city B is not followed
    now = utcnow()
    week = (now - timedelta(days=7), now + timedelta(seconds=1))
    with app.test_request_context():
        sections = digest_sections(staff_b, *week, {"municipality": {city_a.id}})
        assert _reports(sections) == ["Sachstandsbericht 2024"]
        item = next(s for s in sections if s.key == "reports").items[0]
        assert item.url.endswith(f"/vorhaben/bericht/{shared.id}") and item.url.startswith("http")
        assert item.detail == city_a.name
        # the city's own members see its city-only report too
        own = digest_sections(lead_a, *week, {"municipality": {city_a.id}})
        assert _reports(own) == ["Sachstandsbericht 2024", "Sachstandsbericht 2025"]
        # outside the week, or no city followed: no section
        assert _reports(digest_sections(staff_b, now + timedelta(seconds=1), now + timedelta(days=7),
                                        {"municipality": {city_a.id}})) == []
        assert _reports(digest_sections(staff_b, *week, {"topic": {1}})) == []


def test_weekly_digest_of_a_follower_end_to_end(app, lead_a, staff_b, city_a, fields):
    db.session.add(Follow(user_id=staff_b.id, target_type="municipality", target_id=city_a.id))
    db.session.commit()
    _freeze(lead_a, 2024)
    now = utcnow()
    with app.test_request_context():
        assert _reports(interest.build_digest(staff_b, now - timedelta(days=7), now + timedelta(seconds=1))) \
            == ["Sachstandsbericht 2024"]
        # who hears of reports at once (or not at all) does not get them again in the digest
        for mode in ("immediately", "off"):
            interest.set_preferences(staff_b, {"report.published": mode})
            db.session.commit()
            assert _reports(interest.build_digest(staff_b, now - timedelta(days=7),
                                                  now + timedelta(seconds=1))) == []
