"""Meeting pages show their times in the one format of issue #21 item 16 (German and English)."""

from network.extensions import db
from network.meetings import services
from tests.meetings.conftest import berlin, meeting_data


def test_meeting_page_shows_the_span_in_both_languages(coordinator, fachgruppe, city_a, lead_a, as_user):
    """German "Di., 15.01.2030, 10:00–13:00 Uhr", English "Tue 15 Jan 2030, 10:00–13:00"; no seconds, no zone."""
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(berlin(2030, 1, 15, 10), host_id=str(city_a.id)))
    db.session.commit()
    c = as_user(lead_a)
    html = c.get(f"/n/readi/treffen/{m.id}").get_data(as_text=True)
    assert "Di., 15.01.2030, 10:00–13:00 Uhr" in html
    assert "10:00:00" not in html and "Mitteleuropäische" not in html
    c.post("/sprache", data={"lang": "en", "next": "/"})
    html = c.get(f"/n/readi/treffen/{m.id}").get_data(as_text=True)
    assert "Tue 15 Jan 2030, 10:00–13:00" in html and "1/15/30" not in html
