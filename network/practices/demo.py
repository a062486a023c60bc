"""Demo practices (Beispieldaten): a handful of published write-ups on the seeded topics, with revisions, a
reuse mark and an answered question. The cities and topics are real; the texts are invented."""

import sqlalchemy as sa

from network.accounts.models import User
from network.core.models import utcnow
from network.extensions import db
from network.municipalities.models import Municipality
from network.topics.models import Topic

#: (city slug, topic name, visibility, title, summary, sections, sections changed in the second revision)
PRACTICES = [
    ("ettlingen", "e-Akte", "network", "Einführung der E-Akte in der Kernverwaltung",
     "Schrittweise Umstellung von Papierakten auf die elektronische Akte, Amt für Amt.",
     {"situation": "Volle Aktenschränke, lange Wege zwischen den Ämtern, keine Vertretung im Homeoffice.",
      "solution": "Ein landesweit verbreitetes DMS mit **Aktenplan nach Boorberg-Muster** und Scan-Dienstleister "
                  "für den Altbestand.",
      "implementation": "- Pilot im Hauptamt (6 Monate)\n- Rollout je Amt in Wellen\n- Schulungen durch Key-User",
      "costs": "Lizenzen und Einrichtung rund 180.000 €, laufend etwa 25.000 € pro Jahr.",
      "pitfalls": "Den Aktenplan vor der Einführung bereinigen; der Personalrat früh einbinden.",
      "transferability": "Gut übertragbar für Große Kreisstädte mit ähnlicher Ämterstruktur.",
      "contact": "Digitalisierungsbeauftragte der Stadt (Beispieldaten)"},
     {"implementation": "- Pilot im Hauptamt (6 Monate)\n- Rollout je Amt in Wellen\n- Schulungen durch Key-User\n"
                        "- Abschluss der Migration 2025"}),
    ("buehl", "Parkraummanagement", "public", "Digitales Parkraummanagement mit Handyparken",
     "Parkscheine per App, Sensoren an Kurzzeitparkplätzen, weniger Parksuchverkehr in der Innenstadt.",
     {"situation": "Parksuchverkehr in der Innenstadt, Automaten mit hohem Wartungsaufwand.",
      "solution": "Handyparken über mehrere Anbieter, Sensoren melden freie Stellplätze an ein Parkleitsystem.",
      "costs": "Sensoren etwa 150 € je Stellplatz; die Anbieter tragen die App-Kosten.",
      "stakeholders": "Ordnungsamt, Stadtwerke, Gemeinderat, Einzelhandelsverband.",
      "pitfalls": "Funkabdeckung (LoRaWAN) vorab messen.",
      "transferability": "Übertragbar; das LoRaWAN der Open Region Mittelbaden kann mitgenutzt werden."},
     {"summary": None, "vendors": "Mehrere Handyparken-Anbieter über eine gemeinsame Plattform."}),
    ("baden-baden", "e-Payment", "network", "E-Payment für Gebühren im Bürgerbüro",
     "Kartenzahlung am Schalter und Online-Bezahlung von Gebühren über das Serviceportal.",
     {"situation": "Bargeldkassen in mehreren Ämtern, aufwendige Abrechnung.",
      "solution": "Anbindung eines E-Payment-Dienstleisters an das Kassenverfahren; EC- und Kreditkarte am Schalter.",
      "implementation": "Start im Bürgerbüro, danach Standesamt und Stadtbibliothek.",
      "pitfalls": "Die Buchungsschnittstelle zum Finanzverfahren braucht Zeit."},
     {"costs": "Transaktionsgebühren je Zahlung; keine Investition in eigene Hardware außer Kartenterminals."}),
    ("gaggenau", "Engagement-Plattform", "public", "Engagement-Plattform für Ehrenamt und Bürgerbeteiligung",
     "Vereine stellen Angebote ein, Bürgerinnen und Bürger finden Ehrenämter und Beteiligungsverfahren.",
     {"situation": "Viele Vereine suchen Nachwuchs, Angebote sind verstreut.",
      "solution": "Eine gemeinsame Plattform für Ehrenamtsbörse und Online-Beteiligung.",
      "stakeholders": "Vereinsring, Bürgerbüro, Pressestelle.",
      "transferability": "Die Plattform ist mandantenfähig; weitere Städte können eigene Bereiche bekommen."},
     {"pitfalls": "Redaktion einplanen: ohne Pflege veralten die Angebote schnell."}),
    ("stutensee", "Open-Data-Portal", "public", "Open-Data-Portal der Städte",
     "Offene Daten (Haushalt, Parkplätze, Ladesäulen) maschinenlesbar an einem Ort.",
     {"situation": "Daten liegen in Fachverfahren und Tabellen verteilt.",
      "solution": "Ein gemeinsames CKAN-Portal; jede Stadt pflegt ihre Datensätze selbst.",
      "vendors": "Open Source (CKAN), Betrieb durch ein kommunales Rechenzentrum (Beispieldaten)."},
     {"implementation": "Erste zwanzig Datensätze in drei Monaten, danach monatliche Ergänzungen."}),
]


def _user(email):
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


def seed() -> dict:
    """Create the demo practices once (matched by title); returns counts."""
    from flask import current_app, has_request_context
    if not has_request_context():
        # the services' German messages and links need a request (locale, url_for)
        with current_app.test_request_context():
            return seed()
    from network.practices import services
    from network.practices.models import Practice, PracticeQuestion, PracticeReuse

    counts = {"practices": 0, "practice_revisions": 0}
    for slug, topic_name, visibility, title, summary, sections, changes in PRACTICES:
        if db.session.execute(sa.select(Practice.id).where(Practice.title == title)).first():
            continue
        lead = _user(f"lead@{slug}.example")
        staff = _user(f"staff@{slug}.example") or lead
        topic = db.session.execute(sa.select(Topic).where(Topic.name == topic_name)).scalar_one_or_none()
        if lead is None:
            continue
        data = {"title": title, "summary": summary, "visibility": visibility, "sections": dict(sections),
                "topic_ids": [topic.id] if topic else [], "field_id": topic.field_id if topic else None,
                "tags": "Beispieldaten"}
        practice = services.create_practice(staff, data)
        practice.is_example = True
        second = dict(data, sections={**sections, **{k: v for k, v in changes.items() if k != "summary"}})
        services.update_practice(lead, practice, second, version=practice.version)
        services.publish_practice(lead, practice)
        counts["practices"] += 1
        counts["practice_revisions"] += 2
    db.session.flush()

    # a reuse mark and an answered question, written directly (no demo emails)
    eakte = db.session.execute(sa.select(Practice).where(Practice.title == PRACTICES[0][3])).scalar_one_or_none()
    rastatt = db.session.execute(sa.select(Municipality).where(Municipality.slug == "rastatt")).scalar_one_or_none()
    if eakte is not None and rastatt is not None and not db.session.execute(
            sa.select(PracticeReuse.id).where(PracticeReuse.practice_id == eakte.id)).first():
        db.session.add(PracticeReuse(practice_id=eakte.id, municipality_id=rastatt.id, status="adopting",
                                     note="Wir übernehmen den Aktenplan (Beispieldaten).", saved_days=20,
                                     user_id=getattr(_user("lead@rastatt.example"), "id", None)))
        counts["practice_reuse"] = 1
    parking = db.session.execute(sa.select(Practice).where(Practice.title == PRACTICES[1][3])).scalar_one_or_none()
    bretten = db.session.execute(sa.select(Municipality).where(Municipality.slug == "bretten")).scalar_one_or_none()
    if parking is not None and bretten is not None and not db.session.execute(
            sa.select(PracticeQuestion.id).where(PracticeQuestion.practice_id == parking.id)).first():
        db.session.add(PracticeQuestion(
            practice_id=parking.id, municipality_id=bretten.id,
            asked_by_id=getattr(_user("staff@bretten.example"), "id", None),
            question="Wie lange hat die Ausschreibung der Sensoren gedauert? (Beispieldaten)",
            answer="Etwa vier Monate vom Leistungsverzeichnis bis zum Zuschlag (Beispieldaten).",
            answered_by_id=getattr(_user("lead@buehl.example"), "id", None), answered_at=utcnow()))
        counts["practice_questions"] = 1
    db.session.flush()
    return counts
