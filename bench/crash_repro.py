"""Looking for the cause of the SIGSEGV of issue #17: any checkout of the app under gunicorn, N requests to one
address from a few client threads, then gunicorn's log is read for what happened to the workers.

Unlike bench/crashes.py (the regression bench: this checkout, exit 1 on a crash) it runs another checkout (e.g. the
code before the paging, which the crash happened with, in a `git worktree`) and lets gunicorn's worker timeout be
set, so that workers are aborted in the middle of a request (the "worker killed while psycopg waits in C" suspect).
Workers run with PYTHONFAULTHANDLER=1: a crashing worker writes its Python stack into the log.

    git worktree add /tmp/old edefdce && ln -s "$PWD/.venv" /tmp/old/.venv
    python bench/crash_repro.py --checkout /tmp/old --path "/praxis/suche?q=Verwaltung" --timeout 1 -n 200

Prints one JSON line: statuses, worker timeouts, signals, "Fatal Python error" and "Segmentation fault" counts.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench.generate import BIG_NETWORK, default_url  # noqa: E402
from bench.pages import _free_port  # noqa: E402


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", default=ROOT, help="the app's checkout to serve (with its .venv)")
    parser.add_argument("--db", default="postgresql", choices=["sqlite", "postgresql"])
    parser.add_argument("--scale", default="germany")
    parser.add_argument("--path", default="/praxis/")
    parser.add_argument("--timeout", default="30", help="gunicorn's worker timeout in seconds")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("-n", "--requests", type=int, default=800)
    args = parser.parse_args(argv)
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=args.checkout, DATABASE_URL=default_url(args.db, args.scale),
               STAEDTENETZ_SECRET_KEY="crash-repro", STAEDTENETZ_DEFAULT_NETWORK=BIG_NETWORK,
               STAEDTENETZ_RATELIMIT_ENABLED="false", PYTHONFAULTHANDLER="1")
    log_path = os.path.join(ROOT, "bench", "results", f"crash-repro-{args.timeout}.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [os.path.join(args.checkout, ".venv", "bin", "gunicorn"), "-w", str(args.workers), "-b",
             f"127.0.0.1:{port}", "--timeout", args.timeout, "wsgi:app"],
            cwd=args.checkout, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except (OSError, urllib.error.URLError):
                time.sleep(0.5)
        statuses: collections.Counter = collections.Counter()
        lock, left = threading.Lock(), [args.requests]

        def client():
            while True:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                try:
                    with urllib.request.urlopen(base + args.path, timeout=300) as resp:
                        resp.read()
                        status = resp.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except OSError as exc:
                    status = type(exc).__name__
                with lock:
                    statuses[status] += 1

        started = time.time()
        threads = [threading.Thread(target=client) for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        os.killpg(proc.pid, 15)
        proc.wait(60)
    text = open(log_path).read()
    result = {"checkout": args.checkout, "path": args.path, "timeout": args.timeout, "requests": args.requests,
              "seconds": round(time.time() - started), "statuses": {str(k): v for k, v in statuses.items()},
              "worker_timeouts": len(re.findall(r"WORKER TIMEOUT", text)),
              "aborted_in_psycopg_wait": len(re.findall(r"wait_c", text)),
              # SIGTERM: the shutdown at the end; SIGABRT/SIGKILL: timeouts; anything else is a crash
              "signals": dict(collections.Counter(sig for sig in re.findall(r"was sent (SIG\w+)", text)
                                                  if sig != "SIGTERM")),
              "terminated_by_signal": len(re.findall(r"terminated due to signal", text)),
              "fatal_python_errors": len(re.findall(r"Fatal Python error", text)),
              "segmentation_faults": len(re.findall(r"Segmentation fault", text)), "log": log_path}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
