"""The audit log in several networks (issue #16): each network's coordination reads its network's events and the
events of its cities' own content; another network's events stay with that network; the platform administration
reads the installation's; a lead reads the own city's."""

from flask import g

from network.core import audit
from network.core.current import set_request_network
from network.extensions import db
from network.topics import services as topics
from tests import factories
from tests.conftest import login
from tests.topics.conftest import make_field


def _audit_page(client, user):
    client.post("/abmelden")
    login(client, user)
    resp = client.get("/protokoll")
    return resp.status_code, resp.get_data(as_text=True)


def test_each_coordination_reads_its_networks_events(app, client, nord, coordinator_nord, coordinator, admin,
                                                     city_a, city_b, lead_a, lead_b):
    factories.join_network(city_a, nord)
    db.session.commit()
    # a field of action made in nord (a request under /n/nord/), one in re@di, a city event of Ettlingen (both
    # networks), a city event of Bühl (re@di only), and a private action of nord's coordination
    with app.test_request_context("/n/nord/themen/handlungsfelder"):
        set_request_network("nord")
        topics.create_field(coordinator_nord, {"name": "Nordfeld Breitband"})
        g.pop("network_slug")  # the test's app context outlives this request (g is the app context's)
    # a row of re@di written outside any /n/ request: the object names its network
    audit.record(coordinator, "field_of_action.created", obj=make_field("Readifeld Verwaltung"),
                 summary="Handlungsfeld Readifeld Verwaltung angelegt")
    audit.record(lead_a, "project.created", obj=city_a, summary="Vorhaben Ettlinger Stadtplan angelegt")
    audit.record(lead_b, "project.created", obj=city_b, summary="Vorhaben Bühler Ratsinfo angelegt")
    audit.record(coordinator_nord, "token.created", summary="API-Token Nordtoken erstellt")
    db.session.commit()

    status, readi_log = _audit_page(client, coordinator)
    assert status == 200
    assert "Readifeld Verwaltung" in readi_log and "Ettlinger Stadtplan" in readi_log and "Bühler Ratsinfo" in readi_log
    assert "Nordfeld Breitband" not in readi_log and "Nordtoken" not in readi_log

    status, nord_log = _audit_page(client, coordinator_nord)
    assert status == 200
    assert "Nordfeld Breitband" in nord_log and "Ettlinger Stadtplan" in nord_log and "Nordtoken" in nord_log
    assert "Readifeld Verwaltung" not in nord_log and "Bühler Ratsinfo" not in nord_log

    status, all_log = _audit_page(client, admin)
    assert status == 200
    assert all(text in all_log for text in ("Nordfeld Breitband", "Readifeld Verwaltung", "Bühler Ratsinfo"))

    status, own = _audit_page(client, lead_b)
    assert status == 200 and "Bühler Ratsinfo" in own and "Ettlinger Stadtplan" not in own
