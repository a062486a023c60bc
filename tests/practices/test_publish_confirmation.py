"""Publishing a practice asks first and names its audience (issue #21, item 6)."""

from network.core.models import AuditEvent
from network.extensions import db
from network.practices.models import Practice
from tests.conftest import row_count
from tests.practices.conftest import write


def test_publish_names_the_audience_and_changes_nothing_until_confirmed(login_as, staff_a, lead_a):
    p = write(staff_a, "WLAN in Schulen")
    c = login_as(lead_a)
    audits = row_count(AuditEvent)
    for resp in (c.get(f"/praxis/{p.id}/veroeffentlichen"),
                 c.post(f"/praxis/{p.id}/veroeffentlichen", data={"version": str(p.version)})):
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200
        assert "Praxisbericht veröffentlichen?" in html
        assert "alle angemeldeten Mitglieder der Netzwerke" in html and "re@di – regional.digital" in html
        assert f'name="version" value="{p.version}"' in html
    db.session.expire_all()
    assert db.session.get(Practice, p.id).status == "draft" and row_count(AuditEvent) == audits
    resp = c.post(f"/praxis/{p.id}/veroeffentlichen", data={"version": str(p.version), "confirm": "1"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Practice, p.id).status == "published"


def test_public_practice_says_anyone_reads_it(login_as, staff_a, lead_a):
    p = write(staff_a, "Offene Daten", visibility="public")
    html = login_as(lead_a).get(f"/praxis/{p.id}/veroeffentlichen").get_data(as_text=True)
    assert "jede und jeder" in html and "auch ohne Anmeldung" in html
