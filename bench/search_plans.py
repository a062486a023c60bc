"""The statements of the practices list and search pages, one by one, with their plans (issue #17).

In-process with the app's test client on a database grown by bench/generate.py: for each search shape (the list
and a rare and a common word, as staff and anonymous) every statement the request sends, its time, and its plan
(PostgreSQL: EXPLAIN (ANALYZE, BUFFERS); SQLite: EXPLAIN QUERY PLAN). Also the hits of each shape, so that two
databases grown with the same seed can be compared (--hits FILE writes them).

    python bench/search_plans.py --scale germany --db postgresql
    python bench/search_plans.py --scale germany --db sqlite --brief      # times only, no plans
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time

import sqlalchemy as sa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench.generate import BIG_NETWORK, default_url  # noqa: E402
from bench.pages import COMMON, PASSWORD, RARE, STAFF_EMAIL, bench_config  # noqa: E402

SHAPES = [("Liste", "/praxis/"), ("selten", f"/praxis/suche?q={RARE}"), ("häufig", f"/praxis/suche?q={COMMON}")]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--scale", default="germany")
    parser.add_argument("--url")
    parser.add_argument("--brief", action="store_true", help="times only, no plans")
    parser.add_argument("--hits", help="write the hits of every shape (JSON) to this file")
    args = parser.parse_args(argv)
    url = args.url or default_url(args.db, args.scale)
    from network import create_app
    from network.extensions import db
    app = create_app(bench_config(url, "readi"))
    with app.app_context():
        from network.networks.models import Network
        if db.session.scalar(sa.select(Network.slug).where(Network.slug == BIG_NETWORK)):
            app.config["DEFAULT_NETWORK"] = BIG_NETWORK
        engine = db.engine
    app.config["WTF_CSRF_ENABLED"] = False
    clients = {"anonym": app.test_client(), "Mitarbeitende": app.test_client()}
    assert clients["Mitarbeitende"].post("/anmelden", data={"email": STAFF_EMAIL, "password": PASSWORD}
                                         ).status_code == 302
    seen: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["t0"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters, (time.perf_counter() - conn.info["t0"]) * 1000))

    hits = {}
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        for who, client in clients.items():
            for shape, path in SHAPES:
                client.get(path)  # warm-up
                seen.clear()
                t0 = time.perf_counter()
                html = client.get(path).get_data(as_text=True)
                total = (time.perf_counter() - t0) * 1000
                statements = list(seen)
                found = re.search(r'role="status">([^<]*)<', html)
                hits[f"{shape} ({who})"] = {"status": found.group(1) if found else "",
                                            "hits": re.findall(r'id="hit-(\d+)"', html)}
                print(f"\n## {shape} ({who}) {path}: {total:.0f} ms, {len(statements)} statements, "
                      f"{hits[f'{shape} ({who})']['status']!r}")
                for statement, params, ms in statements:
                    head = " ".join(statement.split())[:110]
                    print(f"  {ms:8.1f} ms  {head}")
                    if args.brief or ms < 5 or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue
                    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if args.db == "postgresql" else "EXPLAIN QUERY PLAN "
                    with engine.connect() as conn:
                        rows = conn.exec_driver_sql(prefix + statement, params).all()
                    for row in rows:
                        print("           | " + (row[0] if args.db == "postgresql" else f"{row[1]:>4} {row[-1]}"))
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    if args.hits:
        with open(args.hits, "w") as f:
            json.dump(hits, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
