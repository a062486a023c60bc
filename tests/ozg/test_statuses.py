"""The status rules (German messages, nothing written), who may write, optimistic locking, visibility."""

from datetime import date, timedelta

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from network.core.boundary import Conflict
from network.core.validation import ValidationFailed
from network.extensions import db
from network.ozg import services
from network.ozg.models import OzgStatus
from tests.conftest import row_count
from tests.inventory.conftest import make_project
from tests.ozg.conftest import make_status
from tests.topics.conftest import make_field


def _errors(actor, city, **data):
    with pytest.raises(ValidationFailed) as exc:
        services.save_status(actor, city, data.pop("service"), data, version=0)
    db.session.rollback()
    return exc.value.errors


def test_status_rules(lead_a, city_a, catalogue):
    park = catalogue[10173]
    future = (date.today() + timedelta(days=30)).strftime("%d.%m.%Y")
    assert _errors(lead_a, city_a, service=park, status="fertig")["status"].startswith("Bitte wählen Sie einen Status")
    assert _errors(lead_a, city_a, service=park, status="online")["url"].startswith(
        "Für den Status „online“ geben Sie bitte den Link")
    assert "Zukunft" in _errors(lead_a, city_a, service=park, status="online", go_live=future)["go_live"]
    assert _errors(lead_a, city_a, service=park, status="planned", maturity="5")["maturity"] == \
        "Der Reifegrad muss eine ganze Zahl von 0 bis 4 sein."
    assert _errors(lead_a, city_a, service=park, status="planned", maturity="-1")["maturity"]
    assert _errors(lead_a, city_a, service=park, status="planned", is_efa="ja")["provider"] == \
        "Bei EfA-Nachnutzung nennen Sie bitte das bereitstellende Land oder den Anbieter."
    assert "https://" in _errors(lead_a, city_a, service=park, status="online", url="javascript:alert(1)")["url"]
    assert "TT.MM.JJJJ" in _errors(lead_a, city_a, service=park, status="planned", go_live="31.02.2025")["go_live"]
    assert _errors(lead_a, city_a, service=park, status="planned", solution="a\nb")["solution"]
    assert _errors(lead_a, city_a, service=park, status="planned", visibility="alle")["visibility"]
    assert row_count(OzgStatus) == 0
    # "online" with a link, or with a date up to today, is fine
    row = services.save_status(lead_a, city_a, park, {"status": "online", "url": "https://www.ettlingen.de/park",
                                                      "maturity": "3", "is_efa": True, "provider": "Baden-Württemberg",
                                                      "go_live": date.today().strftime("%d.%m.%Y")}, version=0)
    db.session.commit()
    assert (row.status, row.maturity, row.is_efa, row.go_live) == ("online", 3, True, date.today())


def test_links_to_projects_and_practices_are_checked(lead_a, city_a, city_b, catalogue):
    field = make_field("Digitale Bürgerdienste")
    own = make_project(city_a, field, title="Parkraum digital")
    foreign = make_project(city_b, field, title="Parken in Bühl")
    db.session.commit()
    park = catalogue[10173]
    assert _errors(lead_a, city_a, service=park, status="planned", project_id=str(foreign.id))["project_id"] == \
        "Dieses Vorhaben gibt es im Inventar Ihrer Kommune nicht."
    assert _errors(lead_a, city_a, service=park, status="planned", practice_id="999999")["practice_id"]
    row = services.save_status(lead_a, city_a, park, {"status": "planned", "project_id": str(own.id)}, version=0)
    assert row.project_id == own.id


def test_only_the_own_city_writes(staff_a, lead_b, coordinator, city_a, catalogue):
    park = catalogue[10173]
    row = services.save_status(staff_a, city_a, park, {"status": "planned"}, version=0)
    db.session.commit()
    assert row.version == 1 and row.updated_by_id == staff_a.id
    with pytest.raises(NotFound):
        services.save_status(lead_b, city_a, park, {"status": "online"}, version=1)
    with pytest.raises(Forbidden):
        services.save_status(coordinator, city_a, park, {"status": "online"}, version=1)


def test_a_stale_version_changes_nothing(lead_a, staff_a, city_a, catalogue):
    park = catalogue[10173]
    services.save_status(lead_a, city_a, park, {"status": "planned"}, version=0)
    db.session.commit()
    with pytest.raises(Conflict):
        services.save_status(staff_a, city_a, park, {"status": "in_progress"}, version=0)  # read before lead saved
    db.session.rollback()
    assert db.session.get(OzgStatus, 1).status == "planned"


def test_visibility_follows_the_row(lead_a, lead_b, staff_b, city_a, city_b, catalogue):
    make_status(city_a, catalogue[10173], status="online", url="https://a.example/", visibility="city",
                solution="Geheime Lösung")
    make_status(city_a, catalogue[10160], status="planned", visibility="network")
    db.session.commit()
    assert set(services.visible_statuses(lead_b, city_a)) == {catalogue[10160].id}
    assert set(services.visible_statuses(lead_a, city_a)) == {catalogue[10173].id, catalogue[10160].id}
    from flask_login import AnonymousUserMixin
    assert services.visible_statuses(AnonymousUserMixin(), city_a) == {}
