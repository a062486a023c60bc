"""Load benchmark (issue #15): gunicorn with 4 workers on PostgreSQL, loopback only, bounded.

Mixed workload: 80 % page views as logged-in staff (start page, inventory, topics, practices, meetings, a
project), 20 % writes (half through the HTML form "Neues Vorhaben" with its CSRF token, half through
POST /api/v1/municipalities/<slug>/projects with a personal token). Steps of 10/25/50/100/200 requests per
second, each held for --duration seconds (default 60). Arrivals are open-loop (a fixed schedule): latency is
measured from the *scheduled* start, so a server that falls behind shows it in the percentiles instead of
slowing the client down (no coordinated omission). At most --max-inflight requests are outstanding; a request
that cannot start because of that bound counts as "dropped".

    .venv/bin/python bench/load.py                     # all steps, 60 s each
    .venv/bin/python bench/load.py --steps 10,50 --duration 20
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
PG_ADMIN = os.environ.get("STAEDTENETZ_BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "Demo-Passwort-2026"
PAGES = ("/", "/vorhaben/{slug}/", "/themen/", "/praxis/", "/treffen/", "/vorhaben/projekt/{project}")


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(q / 100 * (len(values) - 1)))))
    return values[k]


class Bench:
    def __init__(self, args):
        self.args = args
        self.procs = []
        self.db_name = f"staedtenetz_load_{secrets.token_hex(4)}"
        self.url = PG_ADMIN.rsplit("/", 1)[0] + "/" + self.db_name
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"  # loopback only
        self.env = dict(os.environ, DATABASE_URL=self.url, STAEDTENETZ_SECRET_KEY="load-bench",
                        STAEDTENETZ_RATELIMIT_ENABLED="false", STAEDTENETZ_MAIL_BACKEND="locmem",
                        STAEDTENETZ_SERVER_NAME=f"127.0.0.1:{self.port}", PYTHONPATH=ROOT)

    # --- setup / teardown ------------------------------------------------------------------
    def setup(self):
        import psycopg
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        flask = [os.path.join(BIN, "flask"), "--app", "wsgi"]
        subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        subprocess.run(flask + ["network", "seed-demo"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.tokens, self.cities, self.field_ids, self.project_ids = self._prepare()
        log = open(os.path.join(self.args.log_dir, "load-gunicorn.log"), "w")
        self.procs.append(subprocess.Popen(
            [os.path.join(BIN, "gunicorn"), "-w", str(self.args.workers), "-b", f"127.0.0.1:{self.port}",
             "--timeout", "60", "wsgi:app"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True))
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start; see load-gunicorn.log")
        self.sessions = [self._login(email) for email in self.staff_emails]

    def _prepare(self):
        """API tokens for the staff accounts, the fields of action and a few projects to view."""
        code = (
            "import json, sqlalchemy as sa\n"
            "from network import create_app\n"
            "from network.extensions import db\n"
            "from network.accounts.models import User\n"
            "from network.accounts.services import create_api_token\n"
            "from network.topics.models import FieldOfAction\n"
            "from network.inventory.models import Project\n"
            "app = create_app()\n"
            "with app.test_request_context():\n"
            "    staff = db.session.execute(sa.select(User).where(User.role == 'staff').order_by(User.id)).scalars().all()\n"
            "    out = {'staff': [], 'fields': [f.id for f in db.session.execute(sa.select(FieldOfAction)).scalars()]}\n"
            "    for u in staff:\n"
            "        _t, plain = create_api_token(u, 'Lasttest')\n"
            "        out['staff'].append([u.email, u.municipality.slug, plain])\n"
            "    db.session.commit()\n"
            "    for email, slug, _p in out['staff'][:3]:\n"
            "        pass\n"
            "    print(json.dumps(out))\n"
        )
        res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=self.env, check=True, capture_output=True,
                             text=True)
        import json
        data = json.loads(res.stdout.strip().splitlines()[-1])
        self.staff_emails = [s[0] for s in data["staff"]]
        tokens = {s[0]: s[2] for s in data["staff"]}
        cities = {s[0]: s[1] for s in data["staff"]}
        return tokens, cities, data["fields"], []

    def _login(self, email):
        s = requests.Session()
        s.email = email
        page = s.get(self.base + "/anmelden", timeout=30).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        r = s.post(self.base + "/anmelden", data={"csrf_token": token, "email": email, "password": PASSWORD},
                   allow_redirects=False, timeout=30)
        assert r.status_code == 302, (email, r.status_code)
        # one project per staff member to view (created through the API, as a write would)
        r = s.post(self.base + f"/api/v1/municipalities/{self.cities[email]}/projects",
                   headers={"Authorization": f"Bearer {self.tokens[email]}"},
                   json={"title": "Lasttest-Vorhaben", "field_id": self.field_ids[0], "status": "idea"}, timeout=30)
        s.project = r.json().get("id") if r.status_code == 201 else None
        s.lock = threading.Lock()
        return s

    def teardown(self):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=30)
            except Exception:
                pass
        try:
            import psycopg
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        except Exception:
            pass

    # --- one request -------------------------------------------------------------------------
    def _one(self, rnd: random.Random):
        s = rnd.choice(self.sessions)
        slug = self.cities[s.email]
        kind = rnd.random()
        if kind < 0.8:
            path = rnd.choice(PAGES)
            if "{project}" in path and not s.project:
                path = "/"
            return "page", s.get(self.base + path.format(slug=slug, project=s.project), timeout=30,
                                  allow_redirects=False)
        if kind < 0.9:  # the HTML form, with the CSRF token of its page (two requests, timed together)
            form = s.get(self.base + f"/vorhaben/{slug}/neu", timeout=30)
            m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
            if not m:
                return "form", form
            return "form", s.post(self.base + f"/vorhaben/{slug}/neu", timeout=30, allow_redirects=False, data={
                "csrf_token": m.group(1), "title": f"Formular {rnd.randint(1, 10**6)}",
                "field_id": str(rnd.choice(self.field_ids)), "status": "idea", "priority": "medium",
                "visibility": "network", "budget_eur": "25.000", "summary": "Lasttest"})
        return "api", requests.post(self.base + f"/api/v1/municipalities/{slug}/projects", timeout=30,
                                    headers={"Authorization": f"Bearer {self.tokens[s.email]}"},
                                    json={"title": f"API {rnd.randint(1, 10**6)}", "field_id": rnd.choice(self.field_ids),
                                          "status": "idea", "visibility": "network"})

    def step(self, rate: int) -> dict:
        duration = self.args.duration
        total = int(rate * duration)
        latencies, statuses, kinds = [], collections.Counter(), collections.Counter()
        lock = threading.Lock()
        inflight = threading.Semaphore(self.args.max_inflight)
        dropped = 0
        start = time.perf_counter() + 0.2

        def run(scheduled, seed):
            rnd = random.Random(seed)
            try:
                kind, resp = self._one(rnd)
                code = resp.status_code
                ok = code < 400
            except requests.RequestException as exc:
                kind, code, ok = "error", type(exc).__name__, False
            finally:
                inflight.release()
            elapsed = time.perf_counter() - scheduled
            with lock:
                latencies.append(elapsed)
                kinds[kind] += 1
                if not ok:
                    statuses[str(code)] += 1

        with ThreadPoolExecutor(max_workers=self.args.max_inflight) as pool:
            for i in range(total):
                scheduled = start + i / rate
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                if not inflight.acquire(blocking=False):
                    dropped += 1
                    continue
                pool.submit(run, scheduled, i)
        wall = time.perf_counter() - start
        done = len(latencies)
        return {"target": rate, "sent": total - dropped, "done": done, "dropped": dropped,
                "achieved": done / wall if wall else 0.0, "p50": _percentile(latencies, 50) * 1000,
                "p95": _percentile(latencies, 95) * 1000, "p99": _percentile(latencies, 99) * 1000,
                "errors": dict(statuses), "mix": dict(kinds)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", default="10,25,50,100,200", help="requests per second, comma separated")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds each step is held (default 60)")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    ap.add_argument("--max-inflight", type=int, default=64, help="bound on outstanding requests (default 64)")
    ap.add_argument("--log-dir", default=os.path.join(ROOT, "build"))
    args = ap.parse_args(argv)
    os.makedirs(args.log_dir, exist_ok=True)
    steps = [int(s) for s in args.steps.split(",") if s.strip()]
    if max(steps) > 1000 or args.duration > 600:
        ap.error("bounded benchmark: at most 1000 req/s and 600 s per step")
    bench = Bench(args)
    rows = []
    try:
        t0 = time.time()
        bench.setup()
        print(f"setup {time.time() - t0:.0f} s; {len(bench.sessions)} staff sessions; gunicorn "
              f"{args.workers} workers on {bench.base}; {args.duration:.0f} s per step", flush=True)
        print("| target req/s | achieved req/s | p50 ms | p95 ms | p99 ms | dropped | errors by status | mix |")
        print("|---|---|---|---|---|---|---|---|", flush=True)
        for rate in steps:
            r = bench.step(rate)
            rows.append(r)
            errors = ", ".join(f"{k}: {v}" for k, v in sorted(r["errors"].items())) or "0"
            mix = ", ".join(f"{k} {v}" for k, v in sorted(r["mix"].items()))
            print(f"| {rate} | {r['achieved']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | "
                  f"{r['dropped']} | {errors} | {mix} |", flush=True)
            time.sleep(2)
    finally:
        bench.teardown()
    return rows


if __name__ == "__main__":
    main()
