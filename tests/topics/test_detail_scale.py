"""The topic page at scale: participants, history and the topic's projects are paged (20 a page, counts shown),
the same statements at 3 and 60 cities, the handover choices only for the lead city's leads and, in a large
network, behind a search."""

import re

from network.extensions import db
from network.topics.models import LeadEvent, Participation
from network.topics.services import HANDOVER_SELECT_LIMIT
from tests import factories
from tests.inventory.conftest import make_project
from tests.topics.conftest import give_lead

URL = "/n/readi/themen/e-akte"


def _grow(topic, field, cities, n):
    while len(cities) < n:
        city = factories.make_city(f"Gruppenstadt {len(cities):03d}")
        cities.append(city)
        db.session.add(Participation(topic_id=topic.id, municipality_id=city.id, status="participating"))
        db.session.add(LeadEvent(topic_id=topic.id, municipality_id=city.id, action="claimed", reason=f"Grund {len(cities):03d}"))
        make_project(city, field, topic_id=topic.id, title=f"Vorhaben {len(cities):03d}")
    db.session.commit()


def _group_rows(html):
    section = html.split('id="h-group"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row" class="kern-table__cell">(.*?)</th>', section)


def _projects(html):
    return re.findall(r">(Vorhaben \d+)</a>", html)


def _every_panel_has_something(topic, field, city_a, lead_a, staff_a, coordinator):
    """A practice, a project group with its next meeting, a funding call and a contact person on the topic, and the
    users follow it: every panel of the page reads (the most statements the page can cost)."""
    from network.contacts.models import ContactNetwork, ContactProfile
    from network.interest.models import Follow
    from network.meetings import services as meetings
    from tests.funding.conftest import make_call
    from tests.meetings.conftest import future, meeting_data
    from tests.practices.conftest import write
    profile = ContactProfile(user_id=lead_a.id, municipality_id=city_a.id, function="IT-Leitung")
    profile.networks = [ContactNetwork(network_id=topic.network_id)]
    db.session.add(profile)
    for user in (lead_a, staff_a, coordinator):
        db.session.add(Follow(user_id=user.id, target_type="topic", target_id=topic.id))
    make_call(title="Digitale Zukunft", fields=[field], topics=[topic])
    db.session.commit()
    write(staff_a, "Praxis zur e-Akte", publish_as=lead_a, topics=[topic])
    group = meetings.create_body(coordinator, {"kind": "projektgruppe", "name": "Projektgruppe e-Akte",
                                               "topic_id": topic.id, "city_ids": [city_a.id],
                                               "person_ids": [lead_a.id]})
    db.session.flush()
    meetings.create_meeting(coordinator, group, meeting_data(future(), title="Auftakt e-Akte"))
    db.session.commit()


def test_topic_page_is_paged_with_the_same_statements_at_3_and_60_cities(sign_in, count_queries, topic, field,
                                                                           city_a, lead_a, staff_a, coordinator):
    give_lead(topic, city_a)
    db.session.commit()
    _every_panel_has_something(topic, field, city_a, lead_a, staff_a, coordinator)
    cities = []
    _grow(topic, field, cities, 3)
    clients = {"lead": sign_in(lead_a), "staff": sign_in(staff_a), "coordinator": sign_in(coordinator)}
    c = clients["lead"]

    def measure(role):
        clients[role].get(URL)
        with count_queries() as statements:
            resp = clients[role].get(URL)
        assert resp.status_code == 200
        return len(statements), resp.get_data(as_text=True)

    small = {role: measure(role)[0] for role in clients}
    page = measure("lead")[1]
    assert len(_group_rows(page)) == 3 and "3 Kommunen sind beteiligt." in page
    for shown in ("Praxis zur e-Akte", "Auftakt e-Akte", "Digitale Zukunft", "IT-Leitung", "Nicht mehr folgen"):
        assert shown in page, shown
    _grow(topic, field, cities, 60)
    large = {role: measure(role)[0] for role in clients}
    page = measure("lead")[1]
    print(f"topic page statements at 3 / 60 cities: {small} / {large}")
    assert small == large
    # issue #17: at most 10 for every role with every panel showing. A lead's 10: the login session (with the user's
    # networks: the request's network, the gate and the switcher), the topic with its claims, the own participation
    # and the follow state (a panel column), 20 participants, 20 history steps, the contact and handover choices
    # (one statement), and the panels: contact persons, projects, practices, project groups with their next
    # meeting, funding calls with their deadlines. Staff: the same; the coordination: the network instead of the
    # choices.
    assert max(large.values()) <= 10, large
    first = _group_rows(page)
    assert len(first) == 20 and "60 Kommunen sind beteiligt." in page and "1–20 von 60" in page
    assert len(_projects(page)) == 20 and "60 sichtbare Vorhaben." in page
    assert len(re.findall(r">Grund \d+<", page)) == 20  # the history: 20 of 61 steps
    history = c.get(URL + "?verlauf=3").get_data(as_text=True)
    assert len(re.findall(r">Grund \d+<", history)) == 20 and "41–60 von 60" in history
    second = c.get(URL + "?beteiligte=2").get_data(as_text=True)
    assert len(_group_rows(second)) == 20 and not set(first) & set(_group_rows(second))
    assert "21–40 von 60" in second and 'rel="prev"' in second
    assert _projects(second) == _projects(page)  # the other sections stay on their first page
    more = c.get(URL + "?vorhaben=3").get_data(as_text=True)
    assert len(_projects(more)) == 20 and not set(_projects(more)) & set(_projects(page))
    past = c.get(URL + "?vorhaben=9&beteiligte=x&verlauf=-1")
    assert past.status_code == 200
    assert "Noch keine sichtbaren Vorhaben zu diesem Thema." in past.get_data(as_text=True)


def test_handover_choices_only_for_the_lead_and_searchable_in_a_large_network(sign_in, count_queries, topic,
                                                                             city_a, city_b, lead_a, staff_a,
                                                                             lead_b):
    give_lead(topic, city_a)
    db.session.commit()
    staff_page = sign_in(staff_a).get(URL).get_data(as_text=True)
    assert 'name="handover-target"' not in staff_page and "Bühl" not in staff_page
    other_page = sign_in(lead_b).get(URL).get_data(as_text=True)
    assert 'name="handover-target"' not in other_page
    c = sign_in(lead_a)
    small = c.get(URL).get_data(as_text=True)
    assert 'name="handover-target"' in small and ">Bühl</option>" in small and 'name="uebergabe_suche"' not in small
    for i in range(HANDOVER_SELECT_LIMIT):
        factories.make_city(f"Übergabestadt {i:03d}")
    db.session.commit()
    large = c.get(URL).get_data(as_text=True)
    assert 'name="uebergabe_suche"' in large and 'name="handover-target"' not in large
    found = c.get(URL + "?uebergabe_suche=B%C3%BChl").get_data(as_text=True)
    assert ">Bühl</option>" in found and "Übergabestadt" not in found
    many = c.get(URL + "?uebergabe_suche=bergabestadt").get_data(as_text=True)
    select = many.split('name="handover-target"')[1].split("</select>")[0]
    assert select.count("<option value=") - 1 == 50 and "ersten 50 Treffer" in many
    none = c.get(URL + "?uebergabe_suche=zzz").get_data(as_text=True)
    assert "Keine Mitgliedskommune passt zu „zzz“." in none
    # a bad target still answers with the German message next to the field
    resp = c.post(URL + "/federfuehrung/uebergeben", data={"handover-target": "999999"})
    assert resp.status_code == 422
    assert "Bitte wählen Sie eine Mitgliedskommune" in resp.get_data(as_text=True)
    resp = c.post(URL + "/federfuehrung/uebergeben", data={"handover-target": str(city_b.id)})
    assert resp.status_code == 302
