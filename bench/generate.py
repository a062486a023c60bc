"""Data generator for the benchmarks.

Two modes:

* ``--scale demo|land|germany|tiny`` grows a database (schema from the app's migrations) to a named size:
  the demo data of ``flask network seed-demo`` first, then municipalities, networks (one very large network
  like a state association, many regional ones, some cities in more than one), users, topics with
  participating cities and leads, projects, practices (with their search rows), bodies, meetings and funding
  calls. Cities are ranked with a Zipf-Mandelbrot skew: a few large cities own hundreds of projects and
  practices, most own a handful. Rows go in with Core ``insert()`` executemany (batched VALUES on PostgreSQL).
  Every stage counts what is there and adds only the missing rows, so an interrupted run continues where it
  stopped (rerun the same command). The figures are totals, the demo rows included.

      python bench/generate.py --scale land --db sqlite --url sqlite:////tmp/land.sqlite
      python bench/generate.py --scale germany --db postgresql --url postgresql://postgres@127.0.0.1/germany

* ``-n N`` (the search bench, ``bench/search.py``): N practices added to a database that already has cities,
  fields and topics.

The texts are random German municipal vocabulary (with compounds, umlauts and ß) so that stemming, folding and
compound matching have work to do. Search rows are computed exactly as the app does
(network.core.search.term_string); on PostgreSQL the tsvector is filled in one UPDATE at the end.
"""

from __future__ import annotations

import bisect
import itertools
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

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

#: name parts of the invented municipalities (prefix + root + suffix gives 13,000+ distinct names)
PREFIXES = ["", "Ober", "Unter", "Nieder", "Alt", "Neu", "Groß", "Klein", "Hohen", "Bad ", "Sankt ", "Mittel",
            "Hinter", "Vorder", "West", "Ost", "Nord", "Süd", "Wald", "Berg", "Tal", "Mühl", "Kirch", "Stein",
            "Schön", "Rot", "Weiß", "Grün", "Lang", "Hoch"]
ROOTS = ["bach", "au", "feld", "hausen", "heim", "ingen", "dorf", "berg", "burg", "stadt", "weiler", "hofen",
         "brunn", "rode", "wald", "furt", "kirchen", "stetten", "beuren", "weil", "zell", "tal", "brück", "ach",
         "wangen", "büren", "loh", "hagen", "see", "mark", "horst", "winkel", "grund", "wiesen", "lingen"]
STEMS = ["Eich", "Buch", "Lind", "Erl", "Birk", "Hasel", "Fisch", "Wolf", "Bären", "Falken", "Hirsch", "Adler",
         "Rosen", "Sonnen", "Mond", "Kalten", "Warmen", "Sand", "Kies", "Salz", "Gold", "Silber", "Eisen",
         "Hagen", "Marien", "Peters", "Johannis", "Frieden", "Freuden", "Engel", "Otten", "Ebers", "Gunzen",
         "Wolfrats", "Heidel", "Rein", "Mosel", "Neckar", "Donau", "Main", "Lahn", "Ruhr"]
STATES = [("Baden-Württemberg", 1101), ("Bayern", 2056), ("Brandenburg", 413), ("Hessen", 421),
          ("Mecklenburg-Vorpommern", 726), ("Niedersachsen", 941), ("Nordrhein-Westfalen", 396),
          ("Rheinland-Pfalz", 2301), ("Saarland", 52), ("Sachsen", 418), ("Sachsen-Anhalt", 218),
          ("Schleswig-Holstein", 1106), ("Thüringen", 605)]
KINDS = ["gemeinde"] * 8 + ["stadt"] * 3 + ["grosse_kreisstadt"]
FUNDERS = ["eu", "bund", "land", "stiftung", "other"]
PROGRAMMES = ["Digitale Modellregion", "Smart Cities", "Breitbandförderung", "Klimaschutz kommunal",
              "Digitale Schule", "Mobilität vor Ort", "Open Data Kommunal", "Bürgerdienste digital",
              "Ehrenamt digital", "Kommunale Wärmeplanung", "Resiliente Verwaltung", "Interreg Oberrhein"]
TOPIC_NAMES = ["e-Akte", "e-Posteingang", "e-Payment", "E-Mobilität", "Parkraummanagement", "Open Data",
               "Online-Bürgerservice", "Low-Code", "Intranet", "Projektmanagement", "Schul-IT", "Geodaten",
               "Ratsinformation", "Breitband", "Smart Lighting", "Wärmeplanung", "Informationssicherheit",
               "Videokonferenz", "Beteiligungsportal", "Terminvergabe", "Friedhofsverwaltung", "Bauantrag online",
               "Kita-Anmeldung", "Sensorik", "Cloud", "Digitale Sitzung", "Personalwesen digital", "Vergabe",
               "Rechnungseingang", "Zahlungsverkehr", "Archiv", "Bibliothek digital", "Tourismus digital",
               "Feuerwehr-IT", "Bauhof-App", "Mängelmelder", "Ehrenamtsbörse", "KI in der Verwaltung",
               "Barrierefreiheit", "Dokumentenmanagement"]
FIELD_NAMES = ["Infrastruktur und Standortentwicklung", "Nachhaltigkeit und Mobilität", "Bildung, Kultur, Ehrenamt",
               "Digitaler Kulturwandel in der Verwaltung", "Digitale Bürgerdienste"]

#: named scales: totals (the demo rows included). "germany" is issue #17's installation; "land" is a tenth of
#: it (the CI size); "tiny" is for the test. networks = regional networks besides the demo's two and the big one.
SCALES = {
    "tiny": dict(municipalities=40, users=120, projects=400, practices=150, bodies=14, meetings=60,
                 funding_calls=30, networks=3, big_network=20, big_topics=6, topics_per_network=3),
    "land": dict(municipalities=1_080, users=10_000, projects=20_000, practices=10_000, bodies=100,
                 meetings=1_999, funding_calls=500, networks=30, big_network=430, big_topics=30,
                 topics_per_network=8),
    "germany": dict(municipalities=10_800, users=100_000, projects=200_000, practices=100_000, bodies=1_004,
                    meetings=19_990, funding_calls=5_000, networks=300, big_network=1_100, big_topics=40,
                    topics_per_network=8),
}
#: slug of the very large network ("Landesverband"); pages.py makes it the installation's default network
BIG_NETWORK = "landesverband"
#: Zipf-Mandelbrot offset: weight of rank r is 1 / (r + Q)
ZIPF_Q = 40
BASE = datetime(2019, 2, 21, tzinfo=UTC)


def _sentence(rng: random.Random, n: int) -> str:
    words = []
    for _ in range(n):
        # a skewed choice: early words are more frequent (a Zipf-like vocabulary)
        pool = WORDS if rng.random() < 0.7 else FILLER
        idx = min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)
        words.append(pool[(idx * 7 + rng.randrange(3)) % len(pool)] if pool is WORDS else rng.choice(pool))
    return " ".join(words).capitalize() + "."


class Progress:
    """A small progress counter on stderr (one line per stage, rewritten in place)."""

    def __init__(self, stage: str, total: int, done: int = 0):
        self.stage, self.total, self.done, self.started = stage, total, done, time.time()
        self.last = 0.0
        self.tty = sys.stderr.isatty()
        self.update(0, force=True)

    def update(self, n: int, force: bool = False) -> None:
        self.done += n
        now = time.time()
        if not force and now - self.last < (0.5 if self.tty else 10):
            return
        self.last = now
        pct = 100 * self.done / self.total if self.total else 100
        bar = "#" * int(pct / 5)
        start, end = ("\r", "") if self.tty else ("", "\n")
        sys.stderr.write(f"{start}{self.stage:<14} [{bar:<20}] {self.done:>7}/{self.total} "
                         f"{pct:5.1f} % {now - self.started:6.1f} s{end}")
        sys.stderr.flush()

    def close(self) -> None:
        self.update(0, force=True)
        if self.tty:
            sys.stderr.write("\n")


def _practice_rows(rng, pid, city, field, topics, status=None):
    """One practice (dict), its search row and its topic links, as the app would store them."""
    from network.core import search as textsearch
    title = _sentence(rng, rng.randint(3, 7)).rstrip(".")
    summary = _sentence(rng, rng.randint(12, 25))
    sections = {k: " ".join(_sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(1, 3)))
                for k in ("situation", "solution", "implementation", "pitfalls")}
    when = BASE + timedelta(days=rng.randint(0, 7 * 365), seconds=rng.randint(0, 86400))
    vis = "public" if rng.random() < 0.3 else "network"
    status = status or ("draft" if rng.random() < 0.05 else "published")
    practice = {"id": pid, "municipality_id": city, "title": title[:200], "summary": summary, "sections": sections,
                "status": status, "visibility": vis, "field_id": field, "tags": "", "is_example": False,
                "version": 1, "published_at": when if status == "published" else None,
                "created_at": when, "updated_at": when}
    body = "\n".join([summary] + list(sections.values()))
    search = {"practice_id": pid, "terms": textsearch.term_string(title, body)}
    links = [{"practice_id": pid, "topic_id": t} for t in rng.sample(topics, k=min(len(topics), rng.randint(1, 2)))]
    return practice, search, links


def bulk(db, model_or_table, rows: list[dict]) -> None:
    """Insert many rows: COPY on PostgreSQL (through psycopg's copy protocol), Core executemany elsewhere.

    COPY does not run SQLAlchemy's Python-side column defaults, so they are evaluated here once per call (every
    row gets the same created_at of the batch) for the columns the rows leave out."""
    if not rows:
        return
    table = getattr(model_or_table, "__table__", model_or_table)
    if db.engine.dialect.name != "postgresql":
        db.session.execute(sa.insert(table), rows)
        return
    from psycopg.types.json import Json
    keys = list(rows[0])
    defaults = {}
    for col in table.columns:
        if col.name in rows[0] or col.default is None or (col.primary_key and col.autoincrement):
            continue
        arg = col.default.arg
        defaults[col.name] = arg(None) if callable(arg) else arg
    json_cols = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    columns = keys + list(defaults)
    extra = tuple(defaults.values())
    conn = db.session.connection().connection.driver_connection
    names = ", ".join(f'"{c}"' for c in columns)
    with conn.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(tuple(Json(row[k]) if k in json_cols else row[k] for k in keys) + extra)


def _finish_search(db) -> None:
    """Fill PostgreSQL's tsvector for new rows and VACUUM / merge SQLite's FTS segments; planner statistics."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        # practices are inserted with explicit ids: move the sequence past them
        db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('practice', 'id'), "
                                   "(SELECT coalesce(max(id), 1) FROM practice))"))
        db.session.execute(sa.text(
            "UPDATE practice_search s SET document = setweight(to_tsvector('german', p.title), 'A') || "
            "setweight(to_tsvector('german', p.summary || ' ' || p.sections::text), 'B') "
            "FROM practice p WHERE p.id = s.practice_id AND s.document IS NULL"))
        db.session.commit()
        # VACUUM as autovacuum would soon after such a load: it sets the visibility map, without which every
        # index-only scan (the practice lists' walk over ix_practice_sortkey) fetches each row from the heap
        # (10,434 heap fetches for one page of the staff list before, 5 after); ANALYZE for the planner
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    elif dialect == "sqlite":
        db.session.execute(sa.text("INSERT INTO practice_fts(practice_fts) VALUES ('optimize')"))
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def generate(app, n: int, *, seed: int = 7, batch: int = 2000) -> dict:
    """Search bench: insert n practices (and their search rows) spread over the existing cities, topics, fields."""
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
        start_id = (db.session.scalar(sa.select(sa.func.max(Practice.id))) or 0) + 1
        progress = Progress("practices", n)
        for offset in range(0, n, batch):
            practices, search_rows, links = [], [], []
            for i in range(offset, min(n, offset + batch)):
                p, s, ln = _practice_rows(rng, start_id + i, rng.choice(cities), rng.choice(fields), topics)
                practices.append(p)
                search_rows.append(s)
                links.extend(ln)
            bulk(db, Practice, practices)
            bulk(db, PracticeSearch, search_rows)
            bulk(db, practice_topic, links)
            db.session.commit()
            progress.update(len(practices))
        progress.close()
        _finish_search(db)
    return {"practices": n, "seconds": round(time.time() - started, 1)}


# --- named scales --------------------------------------------------------------------------------------------

def make_app(url: str, **config):
    """The app on ``url`` (no scheduler, no mail), as the bench scripts use it."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from network import create_app
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "MAIL_BACKEND": "locmem",
                       "MIGRATIONS_IN_PROCESS": True,  # migrate() below runs Alembic in this process
                       "RATELIMIT_ENABLED": False, "SERVER_NAME": "bench.local", **config})


def default_url(kind: str, scale: str) -> str:
    if kind == "sqlite":
        return f"sqlite:////tmp/staedtenetz-bench-{scale}.sqlite"
    return f"postgresql://postgres@127.0.0.1:5432/staedtenetz_bench_{scale}"


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` when it does not exist (SQLite creates its file itself)."""
    u = sa.engine.make_url(url)
    if u.get_backend_name() != "postgresql":
        return
    import psycopg
    admin = u.set(database="postgres").set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (u.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{u.database}"')


def migrate(app) -> None:
    """The schema through the app's own migrations (what ``flask db upgrade`` does)."""
    import logging

    from flask_migrate import upgrade
    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _zipf_cum(n: int, q: float = ZIPF_Q) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights of ranks 0..n-1."""
    cum, total = [], 0.0
    for r in range(n):
        total += 1.0 / (r + 1 + q)
        cum.append(total)
    return cum


def _pick(rng, items, cum):
    return items[bisect.bisect_left(cum, rng.random() * cum[-1])]


def _municipality_name(i: int) -> str:
    """A unique invented name for generated city i (a bijection on the product of the name parts)."""
    n_roots, n_stems, n_pref = len(ROOTS), len(STEMS), len(PREFIXES)
    space = n_roots * n_stems * n_pref
    j = (i * 7919) % space  # 7919 is prime and does not divide space: a permutation
    pref, rest = divmod(j, n_roots * n_stems)
    stem, root = divmod(rest, n_roots)
    name = PREFIXES[pref] + (STEMS[stem].lower() if PREFIXES[pref] and not PREFIXES[pref].endswith(" ")
                             else STEMS[stem]) + ROOTS[root]
    return name if i < space else f"{name} {i // space + 1}"


class Grower:
    """Grows the database behind ``app`` to ``spec`` in resumable stages."""

    def __init__(self, app, spec: dict, seed: int = 17, batch: int = 2000):
        from network.extensions import db
        self.app, self.spec, self.seed, self.batch, self.db = app, spec, seed, batch, db
        self.timings: dict[str, float] = {}

    def rng(self, stage: str, at: int) -> random.Random:
        return random.Random(f"{self.seed}:{stage}:{at}")

    def count(self, model_or_table, *where) -> int:
        table = getattr(model_or_table, "__table__", model_or_table)
        return self.db.session.scalar(sa.select(sa.func.count()).select_from(table).where(*where)) or 0

    def run(self) -> dict:
        with self.app.app_context():
            for stage in ("demo", "networks", "municipalities", "users", "topics", "projects", "practices",
                          "bodies", "meetings", "funding"):
                started = time.time()
                getattr(self, f"stage_{stage}")()
                self.db.session.commit()
                self.timings[stage] = round(time.time() - started, 1)
            started = time.time()
            _finish_search(self.db)
            self.timings["analyze"] = round(time.time() - started, 1)
            return self.counts()

    def counts(self) -> dict:
        from network.accounts.models import User
        from network.funding.models import FundingCall
        from network.inventory.models import Project
        from network.meetings.models import Body, Meeting
        from network.municipalities.models import Municipality
        from network.networks.models import Network, NetworkMembership
        from network.practices.models import Practice
        from network.topics.models import Participation, Topic
        out = {name: self.count(model) for name, model in (
            ("municipalities", Municipality), ("users", User), ("networks", Network),
            ("memberships", NetworkMembership), ("topics", Topic), ("participations", Participation),
            ("projects", Project), ("practices", Practice), ("bodies", Body), ("meetings", Meeting),
            ("funding_calls", FundingCall))}
        big = self.db.session.scalar(sa.select(Network.id).where(Network.slug == BIG_NETWORK))
        out["big_network_members"] = self.count(NetworkMembership, NetworkMembership.network_id == big) if big else 0
        return out

    # --- stages ----------------------------------------------------------------------------------------------
    def stage_demo(self):
        """`flask network seed-demo` (only on an empty database)."""
        from network.demo import is_empty, seed_demo
        if is_empty():
            seed_demo()
            self.db.session.commit()

    def _network_slugs(self):
        return [BIG_NETWORK] + [f"region-{i + 1:03d}" for i in range(self.spec["networks"])]

    def stage_networks(self):
        """The big network and the regional ones, each with five fields of action and its topics."""
        from network.networks.models import Network
        from network.topics.models import FieldOfAction, Topic
        db = self.db
        have = set(db.session.execute(sa.select(Network.slug)).scalars())
        slugs = self._network_slugs()
        progress = Progress("networks", len(slugs), sum(1 for s in slugs if s in have))
        for index, slug in enumerate(slugs):
            if slug in have:
                continue
            rng = self.rng("network", index)
            big = slug == BIG_NETWORK
            name = "Landesverband Digitale Kommunen (Benchmark)" if big else f"Digitalregion {index:03d} (Benchmark)"
            nid = db.session.execute(sa.insert(Network).returning(Network.id), [{
                "slug": slug, "name": name, "region": "Baden-Württemberg" if big else rng.choice(STATES)[0],
                "description": _sentence(rng, 30), "is_open": True, "is_example": True,
                "digest_weekday": rng.randrange(5)}]).scalar_one()
            field_ids = db.session.execute(sa.insert(FieldOfAction).returning(FieldOfAction.id, sort_by_parameter_order=True), [
                {"network_id": nid, "slug": f"feld-{k + 1}", "name": fname, "description": "", "position": 10 * (k + 1)}
                for k, fname in enumerate(FIELD_NAMES)]).scalars().all()
            n_topics = self.spec["big_topics"] if big else self.spec["topics_per_network"]
            names = rng.sample(TOPIC_NAMES, k=min(n_topics, len(TOPIC_NAMES)))
            names += [f"Thema {k}" for k in range(len(names), n_topics)]
            bulk(db, Topic, [
                {"network_id": nid, "slug": f"thema-{k + 1}", "name": tname, "description": _sentence(rng, 12),
                 "field_id": rng.choice(field_ids), "status": "active", "proposal_reason": "",
                 "decision_reason": "", "is_example": True} for k, tname in enumerate(names)])
            db.session.commit()
            progress.update(1)
        progress.close()

    def _network_ids(self) -> tuple[int, list[int]]:
        from network.networks.models import Network
        rows = dict(self.db.session.execute(sa.select(Network.slug, Network.id)).all())
        return rows[BIG_NETWORK], [rows[s] for s in self._network_slugs()[1:]]

    def stage_municipalities(self):
        """Invented municipalities with their network memberships (same transaction: resumable per batch)."""
        from network.demo import CITIES
        from network.municipalities.models import Municipality, make_slug
        from network.networks.models import NetworkMembership
        db = self.db
        big, regional = self._network_ids()
        demo_slugs = [make_slug(c[0]) for c in CITIES]
        # the demo cities take part in the big network too (cities in more than one network)
        demo_ids = db.session.execute(sa.select(Municipality.id).where(Municipality.slug.in_(demo_slugs))).scalars().all()
        in_big = set(db.session.execute(sa.select(NetworkMembership.municipality_id).where(
            NetworkMembership.network_id == big)).scalars())
        joined = BASE
        missing = [m for m in demo_ids if m not in in_big]
        if missing:
            bulk(db, NetworkMembership, [
                {"network_id": big, "municipality_id": m, "status": "member", "joined_at": joined} for m in missing])
            db.session.commit()
        total, have = self.spec["municipalities"], self.count(Municipality)
        # generated city i has a fixed name: count how many of them are in (batches are atomic, in order)
        slugs = set(db.session.execute(sa.select(Municipality.slug)).scalars())
        existing = 0
        while make_slug(_municipality_name(existing)) in slugs:
            existing += 1
        big_quota = self.spec["big_network"] - len(demo_ids)
        progress = Progress("municipalities", total, have)
        states = [s for s, _ in STATES]
        state_cum = list(itertools.accumulate(w for _, w in STATES))
        while have < total:
            n = min(self.batch, total - have)
            rng = self.rng("municipality", existing)
            rows, plans = [], []
            for i in range(existing, existing + n):
                name = _municipality_name(i)
                in_big_network = i < big_quota
                state = "Baden-Württemberg" if in_big_network else _pick(rng, states, state_cum)
                rows.append({"slug": make_slug(name), "name": name, "kind": rng.choice(KINDS),
                             "district": f"Landkreis {STEMS[i % len(STEMS)]}{ROOTS[(i // 7) % len(ROOTS)]}",
                             "state": state, "website": "", "population": min(int(800 * rng.paretovariate(1.1)), 1_500_000),
                             "status": "member", "admitted_at": joined})
                nets = [] if (in_big_network and rng.random() < 0.5) else [regional[i % len(regional)]]
                if in_big_network:
                    nets.append(big)
                if rng.random() < 0.1:  # a second regional network, as member or guest
                    other = regional[rng.randrange(len(regional))]
                    if other not in nets:
                        nets.append(other)
                plans.append(nets)
            ids = db.session.execute(sa.insert(Municipality).returning(Municipality.id, sort_by_parameter_order=True),
                                     rows).scalars().all()
            bulk(db, NetworkMembership, [
                {"network_id": nid, "municipality_id": mid, "status": "guest" if k == 2 and rng.random() < 0.5 else "member",
                 "joined_at": joined} for mid, nets in zip(ids, plans) for k, nid in enumerate(nets)])
            db.session.commit()
            have += n
            existing += n
            progress.update(n)
        progress.close()

    def _cities_ranked(self) -> list[int]:
        """All city ids in Zipf rank order (a fixed shuffle: the largest cities are not simply the first)."""
        from network.municipalities.models import Municipality
        ids = sorted(self.db.session.execute(sa.select(Municipality.id)).scalars())
        random.Random(f"{self.seed}:rank").shuffle(ids)
        return ids

    def _city_fields(self) -> tuple[dict, dict]:
        """city id -> the field ids of its networks; field id -> the topic ids under it."""
        from network.networks.models import NetworkMembership
        from network.topics.models import FieldOfAction, Topic
        db = self.db
        fields_by_net: dict[int, list[int]] = {}
        for fid, nid in db.session.execute(sa.select(FieldOfAction.id, FieldOfAction.network_id)):
            fields_by_net.setdefault(nid, []).append(fid)
        topics_by_field: dict[int, list[int]] = {}
        for tid, fid in db.session.execute(sa.select(Topic.id, Topic.field_id)):
            topics_by_field.setdefault(fid, []).append(tid)
        city_fields: dict[int, list[int]] = {}
        for mid, nid in db.session.execute(sa.select(NetworkMembership.municipality_id, NetworkMembership.network_id)
                                           .order_by(NetworkMembership.id)):
            city_fields.setdefault(mid, []).extend(fields_by_net.get(nid, []))
        return city_fields, topics_by_field

    def stage_users(self):
        """A lead per city, staff spread over the cities with the skew (large cities have more accounts)."""
        from network.accounts.models import User
        from network.demo import DEMO_PASSWORD
        db = self.db
        template = User(email="x@example.org", name="x")
        template.set_password(DEMO_PASSWORD)  # one hash for all: argon2 per account would take hours
        cities = self._cities_ranked()
        cum = _zipf_cum(len(cities))
        total, have = self.spec["users"], self.count(User)
        progress = Progress("users", total, have)
        while have < total:
            n = min(self.batch, total - have)
            rng = self.rng("user", have)
            rows = []
            for i in range(have, have + n):
                city = cities[i % len(cities)] if i < 3 * len(cities) else _pick(rng, cities, cum)
                rows.append({"email": f"konto{i}@bench.example", "name": f"Konto {i}",
                             "password_hash": template.password_hash, "municipality_id": city,
                             "role": "lead" if i < len(cities) else "staff", "language": "de"})
            bulk(db, User, rows)
            db.session.commit()
            have += n
            progress.update(n)
        progress.close()

    def stage_topics(self):
        """Participating cities and a confirmed lead for the generated topics that have none yet."""
        from network.networks.models import Network, NetworkMembership
        from network.topics.models import LeadClaim, Participation, Topic
        db = self.db
        members: dict[int, list[int]] = {}
        for nid, mid in db.session.execute(sa.select(NetworkMembership.network_id, NetworkMembership.municipality_id)
                                           .where(NetworkMembership.status == "member")
                                           .order_by(NetworkMembership.id)):
            members.setdefault(nid, []).append(mid)
        todo = db.session.execute(
            sa.select(Topic.id, Topic.network_id).join(Network, Network.id == Topic.network_id)
            .where(Network.is_example.is_(True), Network.slug.in_(self._network_slugs()),
                   ~sa.exists().where(Participation.topic_id == Topic.id)).order_by(Topic.id)).all()
        progress = Progress("topics", len(todo))
        for k in range(0, len(todo), 50):
            parts, claims = [], []
            for tid, nid in todo[k:k + 50]:
                rng = self.rng("topic", tid)
                pool = members.get(nid, [])
                if not pool:
                    continue
                big = len(pool) > 200
                n = int(len(pool) * rng.uniform(0.02, 0.4)) if big else rng.randint(1, len(pool))
                chosen = rng.sample(pool, k=max(1, min(n, len(pool))))
                lead = chosen[0] if rng.random() < 0.7 else None
                for mid in chosen:
                    if mid != lead:
                        parts.append({"topic_id": tid, "municipality_id": mid,
                                      "status": "participating" if rng.random() < 0.7 else "interested"})
                if lead is not None:
                    claims.append({"topic_id": tid, "municipality_id": lead, "kind": "lead", "status": "confirmed",
                                   "note": "Benchmark"})
                    if lead == chosen[-1] or len(chosen) == 1:  # keep "has participations" true for resumption
                        parts.append({"topic_id": tid, "municipality_id": lead, "status": "participating"})
            if parts:
                bulk(db, Participation, parts)
            if claims:
                bulk(db, LeadClaim, claims)
            db.session.commit()
            progress.update(len(todo[k:k + 50]))
        progress.close()

    def stage_projects(self):
        """Projects with the skew, under the fields (and often a topic) of the owning city's networks."""
        from network.inventory.models import Project
        db = self.db
        cities = self._cities_ranked()
        cum = _zipf_cum(len(cities))
        city_fields, topics_by_field = self._city_fields()
        total, have = self.spec["projects"], self.count(Project)
        progress = Progress("projects", total, have)
        statuses = ["idea"] * 3 + ["in_progress"] * 4 + ["done"] * 3 + ["paused", "dropped"]
        while have < total:
            n = min(self.batch, total - have)
            rng = self.rng("project", have)
            rows = []
            for _ in range(n):
                city = _pick(rng, cities, cum)
                fields = city_fields.get(city)
                if not fields:
                    continue
                field = rng.choice(fields)
                topics = topics_by_field.get(field, [])
                start = date(rng.randint(2018, 2027), rng.randint(1, 12), 1)
                when = BASE + timedelta(days=rng.randint(0, 6 * 365))
                rows.append({"municipality_id": city, "field_id": field,
                             "topic_id": rng.choice(topics) if topics and rng.random() < 0.4 else None,
                             "is_draft": rng.random() < 0.03, "is_example": False, "version": 1,
                             "title": _sentence(rng, rng.randint(2, 5)).rstrip(".")[:200],
                             "summary": _sentence(rng, rng.randint(8, 30)), "status": rng.choice(statuses),
                             "priority": rng.choice(["high", "medium", "low"]), "start_month": start,
                             "end_month": date(min(start.year + rng.randint(0, 3), 2030), start.month, 1),
                             "department": rng.choice(["Hauptamt", "Ordnungsamt", "IT", "Bauamt", "Kämmerei"]),
                             "contact": "", "budget_eur": rng.choice([None, rng.randint(1, 500) * 1000]),
                             "funding_source": "", "visibility": rng.choice(["city"] + ["network"] * 6 + ["public"] * 3),
                             "is_lighthouse": rng.random() < 0.02, "created_at": when, "updated_at": when})
            if rows:
                bulk(db, Project, rows)
            db.session.commit()
            have += n if rows else 0
            progress.update(n)
            if not rows:
                raise RuntimeError("no city has a network with fields of action")
        progress.close()

    def stage_practices(self):
        """Practices with the skew, their search rows and topics."""
        from network.practices.models import Practice, PracticeSearch, practice_topic
        db = self.db
        cities = self._cities_ranked()
        cum = _zipf_cum(len(cities))
        city_fields, topics_by_field = self._city_fields()
        all_topics = sorted({t for ts in topics_by_field.values() for t in ts})
        total, have = self.spec["practices"], self.count(Practice)
        progress = Progress("practices", total, have)
        while have < total:
            n = min(self.batch, total - have)
            rng = self.rng("practice", have)
            start_id = (db.session.scalar(sa.select(sa.func.max(Practice.id))) or 0) + 1
            practices, search_rows, links = [], [], []
            for i in range(n):
                city = _pick(rng, cities, cum)
                fields = city_fields.get(city) or [None]
                field = rng.choice(fields)
                p, s, ln = _practice_rows(rng, start_id + i, city, field, topics_by_field.get(field) or all_topics)
                practices.append(p)
                search_rows.append(s)
                links.extend(ln)
            bulk(db, Practice, practices)
            bulk(db, PracticeSearch, search_rows)
            if links:
                bulk(db, practice_topic, links)
            db.session.commit()
            have += n
            progress.update(n)
        progress.close()

    def stage_bodies(self):
        """A plenum per generated network, then project groups of topics (the big network first) up to the total."""
        from network.meetings.models import Body, BodyCity
        from network.networks.models import Network, NetworkMembership
        from network.topics.models import Participation, Topic
        db = self.db
        total, have = self.spec["bodies"], self.count(Body)
        progress = Progress("bodies", total, have)
        nets = db.session.execute(sa.select(Network.id, Network.slug).where(
            Network.slug.in_(self._network_slugs())).order_by(Network.id)).all()
        existing = set(db.session.execute(sa.select(Body.network_id, Body.name)).all())
        plan = [(nid, "plenum", "Plenum", None) for nid, _ in nets]
        topics = db.session.execute(sa.select(Topic.id, Topic.network_id, Topic.name).where(
            Topic.network_id.in_([nid for nid, _ in nets])).order_by(Topic.network_id, Topic.id)).all()
        by_net: dict[int, list] = {}
        for tid, nid, name in topics:
            by_net.setdefault(nid, []).append((tid, name))
        # round robin over the networks, so every network gets project groups before any gets many
        depth = 0
        while any(len(v) > depth for v in by_net.values()):
            for nid, _ in nets:
                if len(by_net.get(nid, [])) > depth:
                    tid, name = by_net[nid][depth]
                    plan.append((nid, "projektgruppe", f"Projektgruppe {name}", tid))
            depth += 1
        for nid, kind, name, tid in plan:
            if have >= total:
                break
            if (nid, name) in existing:
                continue
            bid = db.session.execute(sa.insert(Body).returning(Body.id), [
                {"network_id": nid, "kind": kind, "name": name, "description": "", "topic_id": tid,
                 "is_example": True}]).scalar_one()
            if tid is not None:  # a project group: the topic's cities
                cities = db.session.execute(sa.select(Participation.municipality_id).where(
                    Participation.topic_id == tid)).scalars().all()
            else:  # the plenum: every member city of the network
                cities = db.session.execute(sa.select(NetworkMembership.municipality_id).where(
                    NetworkMembership.network_id == nid, NetworkMembership.status == "member")).scalars().all()
            if cities:
                bulk(db, BodyCity, [{"body_id": bid, "municipality_id": m} for m in cities])
            have += 1
            progress.update(1)
            if have % 50 == 0:
                db.session.commit()
        db.session.commit()
        progress.close()

    def stage_meetings(self):
        """Meetings spread over the generated bodies (a few bodies meet often), numbered per body, 2019–2027."""
        from network.meetings.models import Body, Meeting
        from network.networks.models import Network, NetworkMembership
        db = self.db
        total, have = self.spec["meetings"], self.count(Meeting)
        if have >= total:
            return
        bodies = db.session.execute(sa.select(Body.id, Body.network_id, Body.name).join(
            Network, Network.id == Body.network_id).where(Network.slug.in_(self._network_slugs()))
            .order_by(Body.id)).all()
        if not bodies:
            return
        hosts: dict[int, list[int]] = {}
        for nid, mid in db.session.execute(sa.select(NetworkMembership.network_id, NetworkMembership.municipality_id)
                                           .order_by(NetworkMembership.id)):
            hosts.setdefault(nid, []).append(mid)
        numbers = dict(db.session.execute(sa.select(Meeting.body_id, sa.func.max(Meeting.number))
                                          .group_by(Meeting.body_id)).all())
        cum = _zipf_cum(len(bodies), q=10)
        progress = Progress("meetings", total, have)
        now = datetime(2026, 12, 1, tzinfo=UTC)
        while have < total:
            n = min(self.batch, total - have)
            rng = self.rng("meeting", have)
            rows = []
            for _ in range(n):
                bid, nid, bname = _pick(rng, bodies, cum)
                number = numbers.get(bid, 0) + 1
                numbers[bid] = number
                starts = BASE + timedelta(days=rng.randint(0, 8 * 365), hours=rng.randint(8, 16))
                past = starts < now
                rows.append({"body_id": bid, "number": number, "title": f"{number}. Treffen {bname}"[:200],
                             "status": "scheduled" if rng.random() < 0.95 else "cancelled",
                             "host_municipality_id": rng.choice(hosts.get(nid) or [None]),
                             "address": "Rathaus, Marktplatz 1", "room": "Großer Sitzungssaal",
                             "description": _sentence(rng, 15), "starts_at": starts,
                             "ends_at": starts + timedelta(hours=2),
                             "minutes": _sentence(rng, 40) if past else "",
                             "minutes_status": "published" if past else "none",
                             "minutes_published_at": starts + timedelta(days=7) if past else None,
                             "is_example": True})
            bulk(db, Meeting, rows)
            db.session.commit()
            have += n
            progress.update(n)
        progress.close()

    def stage_funding(self):
        """Funding calls of the installation's catalogue, with deadlines and fields of action."""
        from network.funding.models import FundingCall, FundingDeadline, call_field
        from network.topics.models import FieldOfAction
        db = self.db
        fields = db.session.execute(sa.select(FieldOfAction.id).order_by(FieldOfAction.id)).scalars().all()
        total, have = self.spec["funding_calls"], self.count(FundingCall)
        progress = Progress("funding calls", total, have)
        while have < total:
            n = min(500, total - have)
            rng = self.rng("funding", have)
            rows = []
            for i in range(have, have + n):
                year = rng.randint(2019, 2027)
                rows.append({"title": f"{rng.choice(PROGRAMMES)} {year} – Aufruf {i}"[:200],
                             "funder": rng.choice(FUNDERS), "funder_name": "Fördergeber (Benchmark)",
                             "url": "", "summary": _sentence(rng, 25), "eligibility": _sentence(rng, 10),
                             "joint_allowed": rng.random() < 0.5, "rate": rng.choice([None, 50, 70, 80, 90]),
                             "opens_on": date(year, rng.randint(1, 12), 1), "source": "", "is_example": True})
            ids = db.session.execute(sa.insert(FundingCall).returning(FundingCall.id, sort_by_parameter_order=True),
                                     rows).scalars().all()
            deadlines, links = [], []
            for cid, row in zip(ids, rows):
                for k in range(rng.randint(1, 2)):
                    deadlines.append({"call_id": cid, "label": "Antragsfrist" if k == 0 else "Verwendungsnachweis",
                                      "due_on": row["opens_on"] + timedelta(days=60 + 300 * k + rng.randint(0, 90))})
                for fid in rng.sample(fields, k=min(len(fields), rng.randint(1, 2))):
                    links.append({"call_id": cid, "field_id": fid})
            bulk(db, FundingDeadline, deadlines)
            bulk(db, call_field, links)
            db.session.commit()
            have += n
            progress.update(n)
        progress.close()


def grow(url: str, scale: str | dict, *, seed: int = 17) -> dict:
    """Create (if needed), migrate and grow the database at ``url`` to ``scale``; returns counts and timings."""
    started = time.time()
    ensure_database(url)
    app = make_app(url)
    t = time.time()
    migrate(app)
    migrated = round(time.time() - t, 1)
    if scale == "demo":
        with app.app_context():
            from network.demo import is_empty, seed_demo
            from network.extensions import db
            if is_empty():
                seed_demo()
                db.session.commit()
            grower = Grower(app, {})
            counts = grower.counts()
            db.engine.dispose()
        return {"scale": "demo", "counts": counts, "seconds": round(time.time() - started, 1),
                "timings": {"migrate": migrated}}
    spec = SCALES[scale] if isinstance(scale, str) else scale
    grower = Grower(app, spec, seed=seed)
    counts = grower.run()
    with app.app_context():
        from network.extensions import db
        db.engine.dispose()
    return {"scale": scale if isinstance(scale, str) else "custom", "counts": counts,
            "seconds": round(time.time() - started, 1), "timings": {"migrate": migrated, **grower.timings}}


def main(argv=None) -> None:
    import argparse
    import json

    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--scale", choices=["demo", *SCALES])
    parser.add_argument("--url", help="database URL (default: a file under /tmp or staedtenetz_bench_<scale>)")
    parser.add_argument("--seed", type=int, default=17)
    for key in SCALES["land"]:
        parser.add_argument(f"--{key.replace('_', '-')}", type=int, dest=key,
                            help=f"override the scale's {key}")
    parser.add_argument("-n", type=int, help="search bench mode: N practices into an existing or new database")
    args = parser.parse_args(argv)
    if args.n is not None:
        from bench.search import make_app as search_app
        from bench.search import setup
        app = search_app(args.db, args.url)
        with app.app_context():
            from network.extensions import db
            empty = not sa.inspect(db.engine).has_table("practice")
        if empty:  # a new database: migrations and the demo cities, fields and topics first
            setup(app)
        print(generate(app, args.n))
        return
    if not args.scale:
        parser.error("--scale or -n is needed")
    scale = args.scale
    overrides = {k: getattr(args, k) for k in SCALES["land"] if getattr(args, k) is not None}
    if overrides:
        if scale == "demo":
            parser.error("demo is the demo data; overrides need land, germany or tiny")
        scale = {**SCALES[scale], **overrides}
    url = args.url or default_url(args.db, args.scale)
    result = grow(url, scale, seed=args.seed)
    result["url"] = sa.engine.make_url(url).render_as_string(hide_password=True)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
