"""Page bench: every main page of the app against a floor app, on a database grown by bench/generate.py.

Two gunicorn servers (2 sync workers each, loopback only) run side by side: the app on the given database and
the floor app (``bench/floor.py``: Flask + SQLAlchemy, one indexed query, a tiny page) on a database of the
same kind. Each run requests page, floor, next page, floor, ... so both see the same machine load; a page's
median is divided by the median of the floor requests of the same runs. Separately, in-process with the app's
test client, every page is requested once more while an SQLAlchemy event counts its statements. Printed per
page: median ms, ratio to the floor, growth over the demo scale (when ``bench/results/pages-demo-<db>.json``
exists or ``--demo`` names a result file), SQL statements, HTML size; at the end the resident memory of every
gunicorn worker of the app (from /proc). A Markdown table goes to stdout, the JSON to bench/results/.

    python bench/generate.py --scale land --db sqlite                 # once (resumable)
    python bench/pages.py --scale land --db sqlite                    # the database generate.py made
    python bench/pages.py --scale demo --db postgresql --runs 5

The installation's default network is the generated "Landesverband" (about 1,100 members at Germany scale)
when it exists (STAEDTENETZ_DEFAULT_NETWORK), so the anonymous pages and the staff account's pages are read in
the big network; at demo scale it is re@di.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

import sqlalchemy as sa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench.generate import BIG_NETWORK, default_url

BIN = os.path.dirname(sys.executable)
RESULTS = os.path.join(ROOT, "bench", "results")
#: the demo account that reads the pages as staff (its city is in re@di and, when generated, the big network)
STAFF_EMAIL = "staff@ettlingen.example"
PASSWORD = "Demo-Passwort-2026"
RARE, COMMON = "Sirenen", "Verwaltung"


def page_list(app) -> tuple[list[dict], dict]:
    """The pages to measure, as [{name, path, who}], and the objects chosen (network, topic, city, meeting)."""
    from network.accounts.models import User
    from network.extensions import db
    from network.inventory.models import Project
    from network.meetings.models import Body, BodyCity, Meeting
    from network.municipalities.models import Municipality
    from network.networks.models import Network, NetworkMembership
    from network.topics.models import Participation, Topic
    with app.app_context():
        slug = db.session.scalar(sa.select(Network.slug).where(Network.slug == BIG_NETWORK)) \
            or app.config.get("DEFAULT_NETWORK", "readi")
        net_id = db.session.scalar(sa.select(Network.id).where(Network.slug == slug))
        topic = db.session.execute(
            sa.select(Topic.slug, sa.func.count(Participation.id).label("n"))
            .outerjoin(Participation, Participation.topic_id == Topic.id)
            .where(Topic.network_id == net_id).group_by(Topic.id, Topic.slug)
            .order_by(sa.desc("n"), Topic.id).limit(1)).first()
        members = sa.select(NetworkMembership.municipality_id).where(NetworkMembership.network_id == net_id)
        city = db.session.execute(
            sa.select(Municipality.slug, sa.func.count(Project.id).label("n"))
            .join(Project, Project.municipality_id == Municipality.id)
            .where(Municipality.id.in_(members)).group_by(Municipality.id, Municipality.slug)
            .order_by(sa.desc("n"), Municipality.id).limit(1)).first()
        staff_city = db.session.scalar(sa.select(User.municipality_id).where(User.email == STAFF_EMAIL))
        meeting = db.session.scalar(  # the latest meeting of a body the staff account's city belongs to
            sa.select(Meeting.id).join(Body, Body.id == Meeting.body_id).where(
                Body.network_id == net_id,
                Body.id.in_(sa.select(BodyCity.body_id).where(BodyCity.municipality_id == staff_city)))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1))
    chosen = {"network": slug, "topic": topic[0] if topic else None, "topic_participants": topic[1] if topic else 0,
              "city": city[0] if city else None, "city_projects": city[1] if city else 0, "meeting": meeting}
    n = f"/n/{slug}"
    pages = [
        ("Startseite (anonym)", "/", "anon"),
        ("Dashboard (Mitarbeitende)", "/", "staff"),
        ("Kommunen /kommunen/", "/kommunen/", "staff"),
        ("Themenmatrix", f"{n}/themen/matrix", "staff"),
        ("Thema (größtes)", f"{n}/themen/{chosen['topic']}", "staff"),
        ("Bestand /vorhaben/", "/vorhaben/", "staff"),
        ("Bestand einer großen Stadt", f"/vorhaben/{chosen['city']}/", "staff"),
        ("Praxisberichte (Mitarbeitende)", "/praxis/", "staff"),
        ("Praxisberichte (anonym)", "/praxis/", "anon"),
        (f"Suche seltenes Wort „{RARE}“ (Mitarbeitende)", f"/praxis/suche?q={RARE}", "staff"),
        (f"Suche häufiges Wort „{COMMON}“ (Mitarbeitende)", f"/praxis/suche?q={COMMON}", "staff"),
        (f"Suche seltenes Wort „{RARE}“ (anonym)", f"/praxis/suche?q={RARE}", "anon"),
        (f"Suche häufiges Wort „{COMMON}“ (anonym)", f"/praxis/suche?q={COMMON}", "anon"),
        ("Treffen", f"{n}/treffen/", "staff"),
        ("ein Treffen", f"{n}/treffen/{chosen['meeting']}", "staff"),
        ("Förderradar", "/foerderung/", "staff"),
        ("Netzwerkseite /n/<slug>/", f"{n}/", "anon"),
    ]
    return [{"name": a, "path": b, "who": c} for a, b, c in pages], chosen


def bench_config(url: str, default_network: str) -> dict:
    return {"DATABASE_URL": url, "SECRET_KEY": "bench-pages", "MAIL_BACKEND": "locmem",
            "RATELIMIT_ENABLED": False, "DEFAULT_NETWORK": default_network}


def count_statements(app, pages: list[dict]) -> list[dict]:
    """In-process (the app's test client): status, SQL statements and HTML bytes of every page, one request each
    after a warm-up request (so caches filled on the first hit do not count)."""
    from network.extensions import db
    app.config["WTF_CSRF_ENABLED"] = False
    clients = {"anon": app.test_client(), "staff": app.test_client()}
    resp = clients["staff"].post("/anmelden", data={"email": STAFF_EMAIL, "password": PASSWORD})
    if resp.status_code != 302:
        raise RuntimeError(f"login of {STAFF_EMAIL} failed ({resp.status_code})")
    counter = {"n": 0}

    def count(*_args, **_kw):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    rows = []
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for page in pages:
            client = clients[page["who"]]
            client.get(page["path"])
            counter["n"] = 0
            resp = client.get(page["path"])
            rows.append({**page, "status": resp.status_code, "statements": counter["n"],
                         "html_bytes": len(resp.get_data())})
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return rows


# --- gunicorn ------------------------------------------------------------------------------------------------

def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn process group on loopback; stopped with SIGTERM to its own group."""

    def __init__(self, target: str, env: dict, workers: int, log_path: str):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [os.path.join(BIN, "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "300",
             target], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, timeout: float = 180) -> None:
        import requests
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn ended early; see {self.log.name}")
            try:
                if requests.get(self.base + "/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer; see {self.log.name}")

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of the workers (children of the master), from /proc."""
        out = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                if ppid != self.proc.pid:
                    continue
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            out.append(round(int(line.split()[1]) / 1024, 1))
            except (OSError, ValueError, IndexError):
                continue
        return sorted(out)

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


def _login(base: str):
    import requests
    s = requests.Session()
    page = s.get(base + "/anmelden", timeout=60).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = s.post(base + "/anmelden", data={"csrf_token": token, "email": STAFF_EMAIL, "password": PASSWORD},
               allow_redirects=False, timeout=60)
    if r.status_code != 302:
        raise RuntimeError(f"login over HTTP failed ({r.status_code})")
    return s


def timed_runs(app_base: str, floor_base: str, pages: list[dict], runs: int) -> dict:
    """Alternate page and floor requests; per page the page times and the floor times of the same runs (ms)."""
    import random

    import requests
    sessions = {"anon": requests.Session(), "staff": _login(app_base)}
    floor = requests.Session()
    times = {p["name"]: [] for p in pages}
    floors = {p["name"]: [] for p in pages}
    statuses = {p["name"]: set() for p in pages}
    rng = random.Random(3)
    for page in pages:  # warm-up: imports, template compilation, connection pools
        sessions[page["who"]].get(app_base + page["path"], timeout=600)
        floor.get(floor_base + "/floor/1", timeout=60)
    for run in range(runs):
        order = list(pages)
        rng.shuffle(order)
        for page in order:
            t = time.perf_counter()
            r = sessions[page["who"]].get(app_base + page["path"], timeout=600, allow_redirects=False)
            times[page["name"]].append((time.perf_counter() - t) * 1000)
            statuses[page["name"]].add(r.status_code)
            t = time.perf_counter()
            floor.get(floor_base + f"/floor/{rng.randint(1, 10_000)}", timeout=60)
            floors[page["name"]].append((time.perf_counter() - t) * 1000)
        sys.stderr.write(f"\rrun {run + 1}/{runs}")
        sys.stderr.flush()
    sys.stderr.write("\n")
    return {"times": times, "floors": floors, "statuses": {k: sorted(v) for k, v in statuses.items()}}


def _floor_url(url: str) -> str:
    u = sa.engine.make_url(url)
    if u.get_backend_name() == "sqlite":
        return "sqlite:////tmp/staedtenetz-bench-floor.sqlite"
    from bench.generate import ensure_database
    floor = u.set(database="staedtenetz_bench_floor")
    s = floor.render_as_string(hide_password=False)
    ensure_database(s)
    return s


def run(url: str, scale: str, db_kind: str, runs: int, workers: int = 2, demo_file: str | None = None,
        only: str = "") -> dict:
    from bench.generate import make_app
    app0 = make_app(url)
    with app0.app_context():
        from network.extensions import db
        from network.networks.models import Network
        big = db.session.scalar(sa.select(Network.slug).where(Network.slug == BIG_NETWORK))
        db.engine.dispose()
    default_network = big or "readi"
    from network import create_app
    app = create_app(bench_config(url, default_network))
    pages, chosen = page_list(app)
    if only:  # e.g. --only Suche,Praxis: just the pages whose name contains one of these
        words = [w.strip().lower() for w in only.split(",") if w.strip()]
        pages = [p for p in pages if any(w in p["name"].lower() for w in words)]
    sys.stderr.write(f"counting statements of {len(pages)} pages in-process …\n")
    counted = count_statements(app, pages)
    with app.app_context():
        db.engine.dispose()

    os.makedirs(RESULTS, exist_ok=True)
    floor_url = _floor_url(url)
    from bench.floor import create_app as floor_app
    floor_app(floor_url)  # the floor's table, filled once here (not by two workers at a time)
    env = dict(os.environ, PYTHONPATH=ROOT, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="bench-pages",
               STAEDTENETZ_RATELIMIT_ENABLED="false", STAEDTENETZ_MAIL_BACKEND="locmem",
               STAEDTENETZ_DEFAULT_NETWORK=default_network, FLOOR_DATABASE_URL=floor_url)
    app_server = Server("wsgi:app", env, workers, os.path.join(RESULTS, f"gunicorn-app-{scale}-{db_kind}.log"))
    floor_server = Server("bench.floor:create_app()", env, workers,
                          os.path.join(RESULTS, f"gunicorn-floor-{scale}-{db_kind}.log"))
    try:
        app_server.wait()
        floor_server.wait()
        sys.stderr.write(f"timing {runs} runs of {len(pages)} pages, interleaved with the floor …\n")
        timed = timed_runs(app_server.base, floor_server.base, pages, runs)
        rss = app_server.worker_rss_mb()
        floor_rss = floor_server.worker_rss_mb()
    finally:
        app_server.stop()
        floor_server.stop()

    demo = _load_demo(demo_file, db_kind) if scale != "demo" else None
    rows = []
    for c in counted:
        ms = statistics.median(timed["times"][c["name"]])
        floor_ms = statistics.median(timed["floors"][c["name"]])
        row = {**c, "median_ms": round(ms, 1), "floor_ms": round(floor_ms, 2), "ratio": round(ms / floor_ms, 1),
               "http_statuses": timed["statuses"][c["name"]], "times_ms": [round(t, 1) for t in timed["times"][c["name"]]]}
        if demo and c["name"] in demo:
            row["growth"] = round(ms / demo[c["name"]]["median_ms"], 1)
            row["demo_statements"] = demo[c["name"]]["statements"]
        rows.append(row)
    all_floor = [t for v in timed["floors"].values() for t in v]
    return {"scale": scale, "db": db_kind, "url": sa.engine.make_url(url).render_as_string(hide_password=True),
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "runs": runs, "workers": workers,
            "default_network": default_network, "chosen": chosen, "floor_median_ms": round(statistics.median(all_floor), 2),
            "worker_rss_mb": rss, "floor_worker_rss_mb": floor_rss, "load_average": os.getloadavg(), "pages": rows}


def _load_demo(path: str | None, db_kind: str) -> dict | None:
    path = path or os.path.join(RESULTS, f"pages-demo-{db_kind}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        data = json.load(f)
    return {p["name"]: p for p in data["pages"]}


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def markdown(result: dict) -> str:
    lines = [f"### {result['scale']} on {result['db']} ({result['when']}, {result['runs']} runs, "
             f"{result['workers']} sync workers, floor median {result['floor_median_ms']} ms, "
             f"load average {result['load_average'][0]:.1f})", "",
             "| page | median ms | × floor | growth over demo | SQL statements | HTML | status |",
             "|---|---|---|---|---|---|---|"]
    for r in result["pages"]:
        growth = f"{r['growth']}×" if "growth" in r else "–"
        statements = str(r["statements"])
        if "demo_statements" in r and r["demo_statements"] != r["statements"]:
            statements += f" (demo {r['demo_statements']})"
        lines.append(f"| {r['name']} | {r['median_ms']:.0f} | {r['ratio']}× | {growth} | {statements} | "
                     f"{_size(r['html_bytes'])} | {'/'.join(map(str, r['http_statuses']))} |")
    lines += ["", f"Worker RSS after the bench (MB): app {result['worker_rss_mb']}, floor {result['floor_worker_rss_mb']}. "
              f"Chosen: {json.dumps(result['chosen'], ensure_ascii=False)}"]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--scale", default="demo", help="label of the database (and the default URL's name)")
    parser.add_argument("--url", help="database URL (default: the one generate.py uses for --scale/--db)")
    parser.add_argument("--runs", type=int, default=11, help="timed requests per page (default 11)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--demo", help="demo result JSON for the growth column "
                                       "(default bench/results/pages-demo-<db>.json)")
    parser.add_argument("--generate", action="store_true", help="run generate.py for --scale first")
    parser.add_argument("--only", default="", help="only the pages whose name contains one of these (e.g. Suche,Praxis); "
                                                   "the result file then gets the suffix -only")
    args = parser.parse_args(argv)
    url = args.url or default_url(args.db, args.scale)
    if args.generate:
        from bench.generate import SCALES, grow
        grow(url, args.scale if args.scale in ("demo", *SCALES) else "demo")
    result = run(url, args.scale, args.db, args.runs, args.workers, args.demo, args.only)
    os.makedirs(RESULTS, exist_ok=True)
    out = os.path.join(RESULTS, f"pages-{args.scale}-{args.db}{'-only' if args.only else ''}.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
    with open(out[:-5] + ".md", "w") as f:
        f.write(markdown(result) + "\n")
    print(markdown(result))
    print(f"\n(JSON: {os.path.relpath(out, ROOT)})")


if __name__ == "__main__":
    main()
