"""Data generator for the practices search benchmark: N practices in a fresh database, in bulk.

The texts are random German municipal vocabulary (with compounds, umlauts and ß) so that stemming,
folding and compound matching have work to do. Search rows are computed exactly as the app does
(network.core.search.term_string); on PostgreSQL the tsvector is filled in one UPDATE at the end.
"""

from __future__ import annotations

import random
import time

import sqlalchemy as sa

WORDS = """
Verwaltung Digitalisierung Bürgerbüro Bürgerservice Stadtverwaltung Gemeinderat Ratsinformationssystem
Sitzungsdienst Aktenplan Akte Posteingang Rechnung Rechnungseingang Haushalt Kämmerei Kasse Gebühren Zahlung
Kartenzahlung Parkraum Parkplatz Parkplätze Parkscheine Handyparken Parkhaus Sensoren Straße Straßen
Hauptstraße Straßenbeleuchtung Beleuchtung Leuchten Fahrrad Fahrräder Radweg Radwege Lastenrad Mobilität
Ladesäulen Ladeinfrastruktur Elektromobilität Carsharing Bahnhof Busse Haltestelle Fahrplan Schule Schulen
Tablets Medienentwicklungsplan Bildung Kindergarten Kita Anmeldung Betreuungsplätze Bibliothek Museum
Tourismus Veranstaltungen Ehrenamt Vereine Beteiligung Bürgerbeteiligung Beteiligungsportal Umfrage Plattform
Portal Serviceportal Onlinezugangsgesetz Formular Formulare Antrag Anträge Bauantrag Baugenehmigung
Bauakte Bebauungsplan Geodaten Vermessung Kataster Friedhof Standesamt Meldewesen Ausweis Führerschein
Kfz-Zulassung Gewerbe Gewerbeanmeldung Wirtschaftsförderung Breitband Glasfaser WLAN Funknetz LoRaWAN
Rechenzentrum Server Cloud Datenschutz Informationssicherheit Personalrat Schulung Schulungen Fortbildung
Projekt Projekte Projektgruppe Ausschreibung Vergabe Dienstleister Rahmenvertrag Kosten Förderung Fördermittel
Zeitplan Meilenstein Einführung Umstellung Pilot Pilotprojekt Rollout Erfahrungen Stolpersteine Nachnutzung
Köln Stuttgart Karlsruhe Rastatt Ettlingen Bühl Bruchsal Bretten Gaggenau Stutensee Rheinstetten Baden-Baden
Energie Klimaschutz Photovoltaik Wärmeplanung Abfall Wertstoffhof Müllabfuhr Winterdienst Bauhof Grünflächen
Bäume Baumkataster Wasser Abwasser Kanalnetz Hochwasser Feuerwehr Katastrophenschutz Warnung Sirenen
Open Data Offene Daten Datensätze Schnittstelle Schnittstellen Software Lizenz Open Source Low-Code Intranet
Videokonferenz Homeoffice Telearbeit Arbeitsplätze Fachverfahren Dokumentenmanagement Scan Signatur
""".split()
FILLER = "und der die das mit für in im am zum zur auf aus bei nach von vor wir haben wurde wurden sehr gut neu".split()


def _sentence(rng: random.Random, n: int) -> str:
    words = []
    for _ in range(n):
        # a skewed choice: early words are more frequent (a Zipf-like vocabulary)
        pool = WORDS if rng.random() < 0.7 else FILLER
        idx = min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)
        words.append(pool[(idx * 7 + rng.randrange(3)) % len(pool)] if pool is WORDS else rng.choice(pool))
    return " ".join(words).capitalize() + "."


def generate(app, n: int, *, seed: int = 7, batch: int = 2000) -> dict:
    """Insert n published practices (and their search rows) spread over the cities, topics and fields."""
    from network.core import search as textsearch
    from network.extensions import db
    from network.municipalities.models import Municipality
    from network.practices.models import Practice, PracticeSearch, practice_topic
    from network.topics.models import FieldOfAction, Topic

    rng = random.Random(seed)
    started = time.time()
    with app.app_context():
        cities = db.session.execute(sa.select(Municipality.id)).scalars().all()
        topics = db.session.execute(sa.select(Topic.id)).scalars().all()
        fields = db.session.execute(sa.select(FieldOfAction.id)).scalars().all()
        dialect = db.engine.dialect.name
        start_id = (db.session.scalar(sa.select(sa.func.max(Practice.id))) or 0) + 1
        from datetime import datetime, timedelta, timezone
        base = datetime(2019, 2, 21, tzinfo=timezone.utc)
        for offset in range(0, n, batch):
            practices, search_rows, links = [], [], []
            for i in range(offset, min(n, offset + batch)):
                pid = start_id + i
                title = _sentence(rng, rng.randint(3, 7)).rstrip(".")
                summary = _sentence(rng, rng.randint(12, 25))
                sections = {k: " ".join(_sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(1, 3)))
                            for k in ("situation", "solution", "implementation", "pitfalls")}
                when = base + timedelta(days=rng.randint(0, 7 * 365), seconds=rng.randint(0, 86400))
                vis = "public" if rng.random() < 0.3 else "network"
                status = "draft" if rng.random() < 0.05 else "published"
                practices.append({"id": pid, "municipality_id": rng.choice(cities), "title": title[:200],
                                  "summary": summary, "sections": sections, "status": status, "visibility": vis,
                                  "field_id": rng.choice(fields), "tags": "", "is_example": False, "version": 1,
                                  "published_at": when if status == "published" else None,
                                  "created_at": when, "updated_at": when})
                body = "\n".join([summary] + list(sections.values()))
                search_rows.append({"practice_id": pid, "terms": textsearch.term_string(title, body)})
                for t in rng.sample(topics, k=min(len(topics), rng.randint(1, 2))):
                    links.append({"practice_id": pid, "topic_id": t})
            db.session.execute(sa.insert(Practice), practices)
            db.session.execute(sa.insert(PracticeSearch), search_rows)
            db.session.execute(sa.insert(practice_topic), links)
            db.session.commit()
        if dialect == "postgresql":
            db.session.execute(sa.text(
                "UPDATE practice_search s SET document = setweight(to_tsvector('german', p.title), 'A') || "
                "setweight(to_tsvector('german', p.summary || ' ' || p.sections::text), 'B') "
                "FROM practice p WHERE p.id = s.practice_id AND s.document IS NULL"))
            db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        elif dialect == "sqlite":
            db.session.execute(sa.text("INSERT INTO practice_fts(practice_fts) VALUES ('optimize')"))
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
    return {"practices": n, "seconds": round(time.time() - started, 1)}


if __name__ == "__main__":
    import argparse
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bench.search import make_app

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()
    app = make_app(args.db)
    print(generate(app, args.n))
