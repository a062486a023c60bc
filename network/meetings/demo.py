"""Demo data: Plenum, Fachgruppe and project groups; the meetings on record as history; example meetings.

History (shared/data/readi.md): kick-off 2019-02-21 Ettlingen; declaration of intent 2019-10-11 Rastatt;
7th Fachgruppe 2020-06-23 online, hosted by Rheinstetten; Plenum 2020-10-08 Bruchsal (HubWerk01); 3rd Plenum
and 19th Fachgruppe 2022 in Bühl. The day in 2022 and every time of day are not on record: the 2022 meetings
are put on 2022-07-01 and flagged ``date_uncertain`` (pages show only the year); times are 10:00-13:00.
Everything else (upcoming meetings, the poll, agenda, minutes, action items) is example data.
"""

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from network.extensions import db
from network.meetings.ical import BERLIN
from network.meetings.models import (ActionItem, AgendaItem, Body, BodyCity, BodyPerson, Decision, Meeting,
                                     PollSlot, PollVote, Rsvp)

HISTORY = [
    # body kind, number, title, date, host, address, online, uncertain, decision
    ("plenum", None, "Auftakttreffen des Städtenetzes", date(2019, 2, 21), "Ettlingen", "Ettlingen", False, False,
     "Die Kommunen gründen ein Netzwerk für die gemeinsame Digitalisierung."),
    ("plenum", 1, "1. Plenum: Unterzeichnung der Willensbekundung", date(2019, 10, 11), "Rastatt", "Rastatt", False,
     False, "Die Willensbekundung zur interkommunalen Zusammenarbeit ist unterzeichnet."),
    ("fachgruppe", 7, "7. Fachgruppentreffen", date(2020, 6, 23), "Rheinstetten", "", True, False, None),
    ("plenum", 2, "2. Plenum: Verlängerung der Willensbekundung", date(2020, 10, 8), "Bruchsal",
     "Bruchsal, HubWerk01", False, False, "Die Willensbekundung wird verlängert."),
    ("plenum", 3, "3. Plenum", date(2022, 7, 1), "Bühl", "Bühl", False, True, None),
    ("fachgruppe", 19, "19. Fachgruppentreffen", date(2022, 7, 1), "Bühl", "Bühl", False, True, None),
]

PROJECT_GROUPS = ["e-akte", "parkraummanagement", "open-data-portal"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=BERLIN)


def seed() -> dict:
    """Idempotent: nothing happens when the Fachgruppe exists already."""
    from network.accounts.models import User
    from network.municipalities.models import Municipality
    from network.networks.services import active_member_clause, network_by_slug
    from network.core.current import default_network_slug
    from network.topics.models import LeadClaim, Participation, Topic

    # the demo bodies belong to the default network: its member (and guest) cities take part
    network = network_by_slug(default_network_slug())
    if network is None:
        return {"meeting bodies": 0, "meetings": 0}
    if db.session.execute(sa.select(Body.id).where(Body.network_id == network.id,
                                                   Body.name == "Fachgruppe Digitalisierung")).first():
        return {"meeting bodies": 0, "meetings": 0}
    cities = {c.name: c for c in db.session.execute(sa.select(Municipality).where(
        active_member_clause(network.id, Municipality.id)).order_by(Municipality.name)).scalars()}
    if not cities:
        return {"meeting bodies": 0, "meetings": 0}
    # only the accounts of the network's cities: a city of another network never sits in re@di's bodies
    city_ids = [c.id for c in cities.values()]
    leads = {u.municipality_id: u for u in db.session.execute(sa.select(User).where(
        User.role == "lead", User.municipality_id.in_(city_ids)).order_by(User.id)).scalars()}
    staff = {u.municipality_id: u for u in db.session.execute(sa.select(User).where(
        User.role == "staff", User.municipality_id.in_(city_ids)).order_by(User.id)).scalars()}
    bodies = {}

    def body(kind, name, description, city_ids, person_ids, topic_id=None, example=False):
        b = Body(network_id=network.id, kind=kind, name=name, description=description, topic_id=topic_id,
                 is_example=example)
        db.session.add(b)
        db.session.flush()
        for cid in city_ids:
            db.session.add(BodyCity(body_id=b.id, municipality_id=cid))
        for uid in person_ids:
            db.session.add(BodyPerson(body_id=b.id, user_id=uid))
        return b

    all_ids = [c.id for c in cities.values()]
    bodies["plenum"] = body("plenum", "Plenum der Oberbürgermeisterinnen und Oberbürgermeister",
                            "Die Stadtspitzen der Mitgliedskommunen, etwa einmal im Jahr.", all_ids, [])
    bodies["fachgruppe"] = body("fachgruppe", "Fachgruppe Digitalisierung",
                                "Die Digitalisierungsbeauftragten steuern das Netzwerk, alle paar Monate.", all_ids,
                                [u.id for u in leads.values()])
    count = 2
    for slug in PROJECT_GROUPS:
        topic = db.session.execute(sa.select(Topic).where(Topic.network_id == network.id,
                                                          Topic.slug == slug)).scalar()
        if topic is None:
            continue
        lead = db.session.execute(sa.select(LeadClaim.municipality_id).where(
            LeadClaim.topic_id == topic.id, LeadClaim.kind == "lead", LeadClaim.status == "confirmed")).scalar()
        parts = list(db.session.execute(sa.select(Participation.municipality_id).where(
            Participation.topic_id == topic.id)).scalars())
        members = sorted({m for m in [lead, *parts] if m in city_ids})
        bodies[slug] = body("projektgruppe", f"Projektgruppe {topic.name}", f"Die Projektgruppe zum Thema {topic.name}.",
                            members, [], topic_id=topic.id, example=True)
        count += 1

    meetings = 0
    for kind, number, title, day, host, address, online, uncertain, decision in HISTORY:
        m = Meeting(body_id=bodies[kind].id, number=number, title=title, status="scheduled",
                    host_municipality_id=cities[host].id if host in cities else None, address=address,
                    online_url="https://konferenz.example/fachgruppe" if online else "",
                    starts_at=_at(day, 10), ends_at=_at(day, 13), date_uncertain=uncertain,
                    description="Uhrzeit nicht überliefert." if not uncertain else
                    "Tag und Uhrzeit im Jahr 2022 nicht überliefert.")
        db.session.add(m)
        db.session.flush()
        meetings += 1
        if decision:
            db.session.add(Decision(meeting_id=m.id, text=decision))
            m.minutes_status = "published"
            m.minutes = f"# {title}\n\n{decision}"
            m.minutes_published_at = m.ends_at

    # --- example data (Beispieldaten), relative to today ---------------------------------------------
    today = date.today()
    fg = bodies["fachgruppe"]
    names = sorted(cities)
    last = Meeting(body_id=fg.id, number=33, title="33. Fachgruppentreffen", status="scheduled",
                   host_municipality_id=cities.get("Gaggenau", cities[names[0]]).id, address="Rathaus, Hauptstraße 71",
                   room="Sitzungssaal", starts_at=_at(today - timedelta(days=40), 10),
                   ends_at=_at(today - timedelta(days=40), 13), is_example=True,
                   minutes_status="published", minutes_published_at=_at(today - timedelta(days=35), 9),
                   minutes="# 33. Fachgruppentreffen\n\n*Beispieldaten*\n\n## Berichte aus den Projektgruppen\n\n"
                           "- e-Akte: Pilot im Hauptamt läuft.\n- Parkraummanagement: Sensoren ausgeschrieben.\n")
    db.session.add(last)
    db.session.flush()
    db.session.add(Decision(meeting_id=last.id, text="Die Fachgruppe richtet ein gemeinsames Open-Data-Portal ein "
                                                     "(Beispieldaten)."))
    first_city = cities.get("Ettlingen", cities[names[0]])
    db.session.add(ActionItem(meeting_id=last.id, text="Leistungsbeschreibung e-Akte an alle verteilen",
                              municipality_id=first_city.id, due_date=today + timedelta(days=10)))
    db.session.add(ActionItem(meeting_id=last.id, text="Termin mit dem Rechenzentrum vereinbaren",
                              municipality_id=cities.get("Bühl", cities[names[-1]]).id,
                              due_date=today + timedelta(days=20)))
    nxt = Meeting(body_id=fg.id, number=34, title="34. Fachgruppentreffen", status="scheduled",
                  host_municipality_id=cities.get("Rastatt", cities[names[0]]).id, address="Rathaus Rastatt",
                  room="Großer Sitzungssaal", starts_at=_at(today + timedelta(days=21), 10),
                  ends_at=_at(today + timedelta(days=21), 13), capacity=20,
                  proposal_cutoff=_at(today + timedelta(days=14), 23, 59), is_example=True)
    db.session.add(nxt)
    db.session.flush()
    for pos, (t, mins) in enumerate([("Begrüßung durch die Gastgeberin", 10), ("Berichte aus den Projektgruppen", 45),
                                     ("Gemeinsamer Förderantrag", 30)], start=1):
        db.session.add(AgendaItem(meeting_id=nxt.id, title=t, duration_minutes=mins, position=pos, status="accepted"))
    for cid, u in list(staff.items())[:4]:
        db.session.add(Rsvp(meeting_id=nxt.id, user_id=u.id, response="yes", yes_since=_at(today, 9)))
    meetings += 2
    poll = Meeting(body_id=bodies["plenum"].id, number=4, title="4. Plenum", status="polling",
                   host_municipality_id=cities.get("Stutensee", cities[names[-1]]).id, address="Stutensee",
                   is_example=True, description="Terminumfrage (Beispieldaten).")
    db.session.add(poll)
    db.session.flush()
    slots = []
    for offset in (45, 52, 59):
        s = PollSlot(meeting_id=poll.id, starts_at=_at(today + timedelta(days=offset), 14),
                     ends_at=_at(today + timedelta(days=offset), 17))
        db.session.add(s)
        slots.append(s)
    db.session.flush()
    for i, u in enumerate(list(leads.values())[:5]):
        for j, s in enumerate(slots):
            db.session.add(PollVote(slot_id=s.id, user_id=u.id, answer=("yes", "maybe", "no")[(i + j) % 3]))
    meetings += 1
    if "e-akte" in bodies:
        pg = bodies["e-akte"]
        db.session.add(Meeting(body_id=pg.id, number=1, title="1. Treffen Projektgruppe e-Akte", status="scheduled",
                               host_municipality_id=first_city.id, online_url="https://konferenz.example/e-akte",
                               starts_at=_at(today + timedelta(days=10), 9, 30),
                               ends_at=_at(today + timedelta(days=10), 11), is_example=True))
        meetings += 1
    db.session.flush()
    return {"meeting bodies": count, "meetings": meetings}
