"""The networks demo seed: the example network Neckar-Erft beside re@di, idempotent."""

import sqlalchemy as sa

from network.extensions import db
from network.networks import services
from network.networks.models import Network


def test_demo_network_seeded_once(app):
    from network.demo import seed_demo
    seed_demo()
    db.session.commit()
    network = services.network_by_slug("neckar-erft")
    assert network.is_example and "Beispieldaten" in network.name
    rows = {m.municipality.slug: m.status for m in services.memberships_of_network(network)}
    assert rows == {"esslingen-am-neckar": "member", "leinfelden-echterdingen": "member", "erkelenz": "guest",
                    "ettlingen": "member"}
    ettlingen = next(m.municipality for m in services.memberships_of_network(network)
                     if m.municipality.slug == "ettlingen")
    assert sorted(m.network.slug for m in services.memberships_of_city(ettlingen.id)) == ["neckar-erft", "readi"]
    erkelenz = next(m.municipality for m in services.memberships_of_network(network)
                    if m.municipality.slug == "erkelenz")
    assert (erkelenz.state, erkelenz.district) == ("Nordrhein-Westfalen", "Kreis Heinsberg")
    assert [u.email for u in services.coordinators_of(network)] == ["koordination-nord@staedtenetz.example"]
    from network.networks.reading import next_meeting, topic_leads
    assert str(next_meeting(network)["kind"]) == "Fachgruppe"
    assert [(name, cities) for name, _s, cities in topic_leads(network)] == [
        ("Digitale Ratsarbeit", "Esslingen am Neckar"), ("Schul-WLAN", "Ettlingen"),
        ("Smarte Straßenbeleuchtung", "Leinfelden-Echterdingen")]
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Network))
    seed_demo()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Network)) == count
