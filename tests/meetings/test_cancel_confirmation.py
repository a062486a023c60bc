"""Cancelling a meeting asks first (issue #21, item 6): what is cancelled and how many people are told."""

from network.core.models import AuditEvent, OutboxMessage
from network.extensions import db
from network.meetings.models import Meeting
from tests.conftest import row_count


def test_cancel_shows_the_confirmation_and_changes_nothing_until_confirmed(meeting, coordinator, as_user):
    c = as_user(coordinator)
    audits, mails = row_count(AuditEvent), row_count(OutboxMessage)
    for resp in (c.get(f"/n/readi/treffen/{meeting.id}/absagen"),
                 c.post(f"/n/readi/treffen/{meeting.id}/absagen", data={"reason": "Krankheit"})):
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200
        assert "Treffen absagen?" in html and f"Das Treffen „{meeting.title}“" in html
        assert "erhalten eine Absage" in html and "Uhr)" in html
    assert 'name="reason" value="Krankheit"' in html
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "scheduled"
    assert row_count(AuditEvent) == audits and row_count(OutboxMessage) == mails
    resp = c.post(f"/n/readi/treffen/{meeting.id}/absagen", data={"reason": "Krankheit", "confirm": "1"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "cancelled"


def test_only_the_organiser_sees_the_confirmation(meeting, lead_a, as_user):
    assert as_user(lead_a).get(f"/n/readi/treffen/{meeting.id}/absagen").status_code == 403
