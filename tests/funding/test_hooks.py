"""What other pages show: dashboard and topic panels, calendar entries, digest section, personal data."""

from datetime import date, datetime, timedelta, timezone

from network.core import hooks
from network.extensions import db
from network.funding import services
from network.funding.models import FundingInterest, berlin_today
from tests.funding.conftest import make_call


def test_dashboard_shows_deadlines_of_interest_and_invitations(client, login_as, lead_a, lead_b, call):
    other = make_call("Fremd")
    db.session.add(FundingInterest(call_id=call.id, municipality_id=lead_b.municipality_id))
    app_ = services.create_application(lead_a, call, {"title": "Portal"})
    services.invite_partner(lead_a, app_, lead_b.municipality_id)
    db.session.commit()
    login_as(lead_b)
    html = client.get("/").get_data(as_text=True)
    assert "Förderfristen Ihrer Kommune" in html
    assert "Digitale Zukunft" in html and "Fremd" not in html
    assert "Einladung zum Verbundantrag „Portal“ von Ettlingen beantworten" in html
    assert other.id


def test_topic_panel_lists_open_calls(client, login_as, staff_a, call, topic):
    make_call("Vorbei", deadlines=[("A", berlin_today() - timedelta(days=3))], topics=[topic])
    db.session.commit()
    login_as(staff_a)
    html = client.get(f"/n/readi/themen/{topic.slug}").get_data(as_text=True)
    assert "Offene Förderaufrufe zu diesem Thema" in html
    assert "Digitale Zukunft" in html and "Vorbei" not in html


def test_calendar_entries_are_all_day_and_only_for_the_own_city(lead_a, staff_a, lead_b, joint, call):
    item = services.add_checklist_item(lead_a, joint, {"title": "Kostenplan", "due_on": berlin_today() + timedelta(days=5)})
    db.session.commit()
    entries = hooks.calendar_entries(staff_a)
    by_uid = {e.uid: e for e in entries}
    d = call.deadlines[0]
    entry = by_uid[f"funding-deadline-{d.id}@staedtenetz"]
    assert entry.start == d.due_on and entry.end == d.due_on + timedelta(days=1)
    assert isinstance(entry.start, date) and not isinstance(entry.start, datetime)
    assert "Digitale Zukunft" in entry.summary
    assert f"funding-item-{item.id}@staedtenetz" in by_uid
    from tests import factories
    stranger = factories.make_user(factories.make_city("Rastatt"), "lead", email="x@rastatt.test")
    assert hooks.calendar_entries(stranger) == []


def test_digest_lists_deadlines_in_the_next_30_days(lead_a, call):
    soon = make_call("Bald", deadlines=[("Antrag", berlin_today() + timedelta(days=10))])
    far = make_call("Fern", deadlines=[("Antrag", berlin_today() + timedelta(days=90))])
    for c in (soon, far):
        db.session.add(FundingInterest(call_id=c.id, municipality_id=lead_a.municipality_id))
    db.session.commit()
    now = datetime.now(timezone.utc)
    sections = hooks.digest_sections(lead_a, now - timedelta(days=7), now, {})
    funding = next(s for s in sections if s.key == "funding")
    assert [i.title for i in funding.items] == ["Bald"]


def test_personal_data_export_and_erase(lead_a, joint):
    from network.funding.models import FundingReminder
    db.session.add(FundingReminder(key="deadline:1:30:user:x", user_id=lead_a.id))
    db.session.commit()
    source = next(s for s in hooks.personal_data_sources() if "funding_reminder" in s["tables"])
    data = source["export"](lead_a)
    assert data["funding_application"][0]["title"] == "Gemeinsames Bürgerportal"
    assert len(data["funding_reminder"]) == 1
    source["erase"](lead_a)
    db.session.commit()
    assert source["export"](lead_a)["funding_reminder"] == []


def test_municipality_page_lists_the_citys_interests_for_members_only(client, login_as, staff_b, lead_a, call):
    services.set_interest(lead_a, call, True)
    db.session.commit()
    assert "prüft eine Bewerbung für" not in client.get("/kommunen/ettlingen").get_data(as_text=True)  # public
    login_as(staff_b)
    html = client.get("/kommunen/ettlingen").get_data(as_text=True)
    assert "Ettlingen prüft eine Bewerbung für" in html and "Digitale Zukunft" in html
    assert "prüft eine Bewerbung für" not in client.get("/kommunen/buehl").get_data(as_text=True)
