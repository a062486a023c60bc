"""Segfault regression bench (issue #17): the anonymous practice list 10,000 times across 4 gunicorn workers.

A worker on PostgreSQL at Germany scale once died with SIGSEGV in libpython while serving anonymous
``GET /praxis/``. This runs gunicorn (4 sync workers, ``PYTHONFAULTHANDLER=1`` so that a crashing worker writes
its Python stack to the log) on a database grown by bench/generate.py, sends the requests from a few client
threads, and then reads gunicorn's log: workers that died by a signal ("was sent SIG…", "terminated due to
signal"), exited with an error code, or were booted again beyond the first four, and any "Fatal Python error".
Prints a summary, writes bench/results/crashes-<scale>-<db>.json and exits 1 when a worker crashed.

    python bench/crashes.py --scale germany --db postgresql              # 10,000 requests
    python bench/crashes.py --scale land --db sqlite --requests 2000 --generate
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import threading
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench.generate import BIG_NETWORK, default_url  # noqa: E402
from bench.pages import RESULTS, Server  # noqa: E402

_SIGNAL = re.compile(r"was sent (SIG\w+)|terminated due to signal (\d+)")
_EXIT = re.compile(r"exited with code (\d+)")
_BOOT = re.compile(r"Booting worker with pid")


def read_log(text: str, workers: int) -> dict:
    """What gunicorn's log says about the workers (before the bench stopped them)."""
    signals = Counter(a or b for a, b in _SIGNAL.findall(text))
    exits = Counter(code for code in _EXIT.findall(text) if code != "0")
    boots = len(_BOOT.findall(text))
    fatal = text.count("Fatal Python error")
    crashes = sum(n for sig, n in signals.items() if sig not in ("SIGTERM", "15")) + sum(exits.values())
    return {"signals": dict(signals), "error_exits": dict(exits), "boots": boots, "respawns": max(0, boots - workers),
            "fatal_python_errors": fatal, "crashes": max(crashes, fatal, boots - workers)}


def hammer(base: str, path: str, total: int, threads: int) -> dict:
    """`total` GETs of `path` from `threads` client threads (a session each); status counts and timings."""
    import requests
    lock = threading.Lock()
    state = {"sent": 0, "statuses": Counter(), "errors": Counter(), "ms": []}

    def work():
        session = requests.Session()
        while True:
            with lock:
                if state["sent"] >= total:
                    return
                state["sent"] += 1
                n = state["sent"]
            t = time.perf_counter()
            try:
                r = session.get(base + path, timeout=120, allow_redirects=False)
                key, bucket = r.status_code, "statuses"
            except requests.RequestException as exc:
                key, bucket = type(exc).__name__, "errors"
                session = requests.Session()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                state[bucket][key] += 1
                state["ms"].append(ms)
            if n % 500 == 0:
                sys.stderr.write(f"\r{n}/{total}")
                sys.stderr.flush()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    start = time.time()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    sys.stderr.write("\n")
    ms = sorted(state["ms"])
    return {"requests": len(ms), "seconds": round(time.time() - start, 1),
            "statuses": {str(k): v for k, v in state["statuses"].items()},
            "errors": dict(state["errors"]), "median_ms": round(ms[len(ms) // 2], 1) if ms else None,
            "p99_ms": round(ms[int(len(ms) * 0.99)], 1) if ms else None}


def run(url: str, scale: str, db_kind: str, total: int, workers: int, threads: int, path: str) -> dict:
    import sqlalchemy as sa

    from bench.generate import make_app
    app = make_app(url)
    with app.app_context():
        from network.extensions import db
        from network.networks.models import Network
        big = db.session.scalar(sa.select(Network.slug).where(Network.slug == BIG_NETWORK))
        db.engine.dispose()
    os.makedirs(RESULTS, exist_ok=True)
    log_path = os.path.join(RESULTS, f"gunicorn-crashes-{scale}-{db_kind}.log")
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONFAULTHANDLER="1", DATABASE_URL=url,
               STAEDTENETZ_SECRET_KEY="bench-crashes", STAEDTENETZ_RATELIMIT_ENABLED="false",
               STAEDTENETZ_MAIL_BACKEND="locmem", STAEDTENETZ_DEFAULT_NETWORK=big or "readi")
    server = Server("wsgi:app", env, workers, log_path)
    try:
        server.wait()
        load = hammer(server.base, path, total, threads)
        rss = server.worker_rss_mb()
        time.sleep(1)  # let the master log a worker that died with the last request
        server.log.flush()
        with open(log_path, errors="replace") as f:
            log = read_log(f.read(), workers)
    finally:
        server.stop()
    return {"scale": scale, "db": db_kind, "path": path, "workers": workers, "client_threads": threads,
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_average": os.getloadavg()[0],
            "worker_rss_mb": rss, "log": os.path.relpath(log_path, ROOT), **load, **log}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="postgresql", choices=["sqlite", "postgresql"])
    parser.add_argument("--scale", default="land")
    parser.add_argument("--url")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--path", default="/praxis/")
    parser.add_argument("--generate", action="store_true", help="run generate.py for --scale first")
    args = parser.parse_args(argv)
    url = args.url or default_url(args.db, args.scale)
    if args.generate:
        from bench.generate import SCALES, grow
        grow(url, args.scale if args.scale in ("demo", *SCALES) else "demo")
    result = run(url, args.scale, args.db, args.requests, args.workers, args.threads, args.path)
    out = os.path.join(RESULTS, f"crashes-{args.scale}-{args.db}.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))
    print(f"\n{result['crashes']} worker crash(es) in {result['requests']} requests "
          f"({result['seconds']} s, statuses {result['statuses']}, errors {result['errors']})")
    sys.exit(1 if result["crashes"] else 0)


if __name__ == "__main__":
    main()
