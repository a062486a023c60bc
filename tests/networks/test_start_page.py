"""The public start page (#21, item 11): per network who leads which topic, the latest public practices and the
next meetings (date and kind only), a few items each with a link to the network's page; bounded statements."""

import re
from datetime import timedelta

import sqlalchemy as sa

from network.core.models import utcnow
from network.extensions import db
from network.networks.reading import START_LEADS, START_PRACTICES


def _world(city_a, city_b, lead_a, coordinator, topics=2, practices=2, meetings=2):
    from network.meetings import services as msvc
    from network.practices.models import Practice
    from tests.topics.conftest import give_lead, make_field, make_topic
    field = make_field("Digitale Bürgerdienste")
    for i in range(topics):
        give_lead(make_topic(field, f"Thema {i:02d}"), city_a if i % 2 == 0 else city_b)
    for i in range(practices):
        db.session.add(Practice(municipality_id=city_a.id, author_id=lead_a.id, title=f"Bericht {i:02d}",
                                status="published", visibility="public",
                                published_at=utcnow() - timedelta(days=i)))
    db.session.add(Practice(municipality_id=city_a.id, author_id=lead_a.id, title="Intern", status="published",
                            visibility="network", published_at=utcnow()))
    body = msvc.create_body(coordinator, {"kind": "plenum", "name": "Plenum", "description": "",
                                              "city_ids": [str(city_a.id), str(city_b.id)]})
    from tests.meetings.conftest import future, meeting_data
    for i in range(meetings):
        msvc.create_meeting(coordinator, body, meeting_data(future(10 + i), number=str(i + 1),
                                                                title=f"Geheimes Treffen {i}"))
    db.session.commit()


def test_start_page_shows_leads_practices_and_meetings(client, city_a, city_b, lead_a, coordinator):
    _world(city_a, city_b, lead_a, coordinator)
    html = client.get("/").get_data(as_text=True)
    section = re.search(r'<section[^>]*data-network="readi">(.*?)</section>', html, re.S).group(1)
    assert "Thema 00: Ettlingen" in section and "Thema 01: Bühl" in section
    assert "Bericht 00" in section and "Bericht 01" in section and "Intern" not in section
    assert section.count("(Plenum)") == 2 and "Geheimes Treffen" not in html  # titles are the members' business
    assert 'href="/n/readi/#h-leads"' in section and 'href="/n/readi/#h-practices"' in section


def test_lists_are_bounded_and_statements_do_not_grow(client, city_a, city_b, lead_a, coordinator, count_queries):
    _world(city_a, city_b, lead_a, coordinator, topics=1, practices=1, meetings=1)
    client.get("/")
    with count_queries() as few:
        assert client.get("/").status_code == 200
    from network.practices.models import Practice
    from tests.topics.conftest import give_lead, make_field, make_topic
    field = make_field("Mehr")
    for i in range(START_LEADS + 3):
        give_lead(make_topic(field, f"Weiteres {i:02d}"), city_a)
    db.session.add_all([Practice(municipality_id=city_a.id, author_id=lead_a.id, title=f"Mehr {i}",
                                 status="published", visibility="public", published_at=utcnow())
                        for i in range(START_PRACTICES + 3)])
    db.session.commit()
    with count_queries() as many:
        html = client.get("/").get_data(as_text=True)
    assert len(many) == len(few) <= 10, [len(few), len(many)]
    section = re.search(r'<section[^>]*data-network="readi">(.*?)</section>', html, re.S).group(1)
    assert section.count(": Ettlingen</li>") + section.count(": Bühl</li>") == START_LEADS
    assert section.count('href="/praxis/') == START_PRACTICES
