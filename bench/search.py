"""Search benchmark: N practices on SQLite and on PostgreSQL; median and p95 latency per query type.

Each database is fresh (SQLite: a file under /tmp; PostgreSQL: a throwaway database on 127.0.0.1:5432, trust
auth, like the tests). The timing covers services.search() for a logged-in staff member of another city: the
visibility filter, the match, ranking, the first result page with snippets and the four facet counts.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: query type -> queries (each is run REPEAT times, round-robin)
QUERY_TYPES = {
    "ein Wort": ["Verwaltung", "Portal", "Schule"],
    "Wortform (Stamm)": ["Fahrrädern", "Anträgen", "Schulungen"],
    "Umlaut gefaltet": ["koln", "Strasse", "Burgerburo"],
    "Kompositumteil": ["Beteiligung", "Beleuchtung", "Zahlung"],
    "Phrase": ['"offene Daten"', '"open source"', '"digitalisierung verwaltung"'],
    "zwei Wörter": ["Parkraum Sensoren", "Schule Tablets", "Kasse Gebühren"],
    "Ausschluss": ["Portal -Schule", "Verwaltung -Kasse", "Fahrrad -Bahnhof"],
    "seltenes Wort": ["Sirenen", "Baumkataster", "Wertstoffhof"],
    "mit Filter": ["Verwaltung"],
    "leere Suche (Liste)": [""],
}
REPEAT = 21


def make_app(kind: str, url: str | None = None):
    from network import create_app
    if kind == "sqlite":
        url = url or f"sqlite:////tmp/bench-practices-{uuid.uuid4().hex[:8]}.sqlite"
    else:
        url = url or _new_pg_database()
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_NAME": "bench.local",
                       "TESTING": True, "MAIL_BACKEND": "locmem"})


def _new_pg_database() -> str:
    import psycopg
    name = f"bench_practices_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop(app) -> None:
    from network.extensions import db
    with app.app_context():
        url = db.engine.url
        db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(url.database + suffix)
            except FileNotFoundError:
                pass
    else:
        import psycopg
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def setup(app) -> None:
    """Schema plus the nine cities, a staff account each, the fields of action and topics."""
    from network.accounts.models import User
    from network.extensions import db
    from network.municipalities.models import Municipality, make_slug
    from network.networks.models import Network, NetworkMembership
    from network.topics.models import FieldOfAction, Topic
    with app.app_context():
        db.create_all()
        network = Network(slug="readi", name="re@di – regional.digital")
        db.session.add(network)
        db.session.flush()
        for name in ("Baden-Baden", "Bretten", "Bruchsal", "Bühl", "Ettlingen", "Gaggenau", "Rastatt",
                     "Rheinstetten", "Stutensee"):
            city = Municipality(name=name, slug=make_slug(name), kind="grosse_kreisstadt", district="")
            db.session.add(city)
            db.session.flush()
            db.session.add(NetworkMembership(network_id=network.id, municipality_id=city.id, status="member"))
            db.session.add(User(email=f"staff@{city.slug}.example", name=f"Staff {name}", role="staff",
                                municipality_id=city.id))
        fields = []
        for i, name in enumerate(("Infrastruktur", "Mobilität", "Bildung", "Verwaltung", "Bürgerservice")):
            field = FieldOfAction(network_id=network.id, slug=make_slug(name), name=name, position=i)
            db.session.add(field)
            fields.append(field)
        db.session.flush()
        for i, name in enumerate(("e-Akte", "e-Posteingang", "e-Payment", "E-Mobilität", "Parkraummanagement",
                                  "Engagement-Plattform", "IoT / LoRaWAN", "Open-Data-Portal",
                                  "Online-Bürgerservice", "Low-Code", "Intranet", "Projektmanagement")):
            db.session.add(Topic(network_id=network.id, slug=make_slug(name), name=name,
                                 field_id=fields[i % len(fields)].id))
        db.session.commit()


def measure(app) -> dict:
    import sqlalchemy as sa

    from network.accounts.models import User
    from network.extensions import db
    from network.practices import services
    out = {}
    with app.test_request_context():
        user = db.session.execute(sa.select(User).where(User.email == "staff@buehl.example")).scalar_one()
        for kind, queries in QUERY_TYPES.items():
            filters = services.Filters(city="ettlingen", year=2022) if kind == "mit Filter" else None
            services.search(user, queries[0], filters)  # warm up
            times, totals = [], []
            for i in range(REPEAT):
                q = queries[i % len(queries)]
                t0 = time.perf_counter()
                result = services.search(user, q, filters)
                times.append((time.perf_counter() - t0) * 1000)
                totals.append(result.total)
                db.session.rollback()
            times.sort()
            out[kind] = {"median_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
                         "hits": f"{min(totals)}–{max(totals)}"}
    return out


def run(kind: str, n: int) -> dict:
    from bench.generate import generate
    app = make_app(kind)
    try:
        setup(app)
        gen = generate(app, n)
        return {"generate": gen, "queries": measure(app)}
    finally:
        drop(app)


def table(results: dict) -> str:
    kinds = list(results)
    lines = ["| Abfragetyp | " + " | ".join(f"{k}: Median / p95 (ms) | {k}: Treffer" for k in kinds) + " |",
             "|---|" + "---|---|" * len(kinds)]
    for qtype in QUERY_TYPES:
        cells = []
        for k in kinds:
            r = results[k]["queries"][qtype]
            cells += [f"{r['median_ms']} / {r['p95_ms']}", r["hits"]]
        lines.append(f"| {qtype} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--repeat", type=int, default=REPEAT, help="runs per query type")
    args = parser.parse_args()
    REPEAT = args.repeat
    results = {}
    for kind in args.db or ["sqlite", "postgresql"]:
        print(f"== {kind}: generating {args.n} practices ...", flush=True)
        results[kind] = run(kind, args.n)
        print(f"   generated in {results[kind]['generate']['seconds']} s", flush=True)
        for qtype, r in results[kind]["queries"].items():
            print(f"   {qtype:24s} median {r['median_ms']:8.1f} ms   p95 {r['p95_ms']:8.1f} ms   hits {r['hits']}",
                  flush=True)
    print()
    print(table(results))
