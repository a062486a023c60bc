"""`make run` on another port: the scheduler (inventory digests and every other mail) links to that port."""

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from flask import url_for

from network import create_app
from network.core.scheduler import job_context

ROOT = Path(__file__).resolve().parents[2]

# stands in for `flask`: records the address each process was given instead of serving
FAKE_FLASK = """#!/bin/sh
[ "$1" = run ] && sleep 1
echo "$STAEDTENETZ_PUBLIC_URL|$*" >> "$FAKE_FLASK_LOG"
"""


def _make_run(tmp_path, **env_extra):
    if shutil.which("make") is None:
        pytest.skip("make fehlt")
    fake = tmp_path / "flask"
    fake.write_text(FAKE_FLASK)
    fake.chmod(0o755)
    log = tmp_path / "calls.log"
    env = {k: v for k, v in os.environ.items() if k != "STAEDTENETZ_PUBLIC_URL"}
    env.update(FAKE_FLASK_LOG=str(log), **env_extra)
    # -o db: no migration or demo data; a session of its own because the recipe ends with `kill 0`
    proc = subprocess.Popen(["make", "-s", "-C", str(ROOT), "-o", "db", "run", "PORT=5817", f"FLASK={fake}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    return sorted(line.split("|", 1) for line in log.read_text().splitlines())


def test_make_run_passes_its_port_to_the_scheduler_and_the_web_process(tmp_path):
    calls = _make_run(tmp_path)
    assert calls == [["http://127.0.0.1:5817", "network scheduler"],
                     ["http://127.0.0.1:5817", "run --host 127.0.0.1 --port 5817"]]


def test_make_run_keeps_an_address_the_user_set(tmp_path):
    calls = _make_run(tmp_path, STAEDTENETZ_PUBLIC_URL="https://netz.example.de")
    assert [url for url, _cmd in calls] == ["https://netz.example.de", "https://netz.example.de"]


def test_scheduler_jobs_link_to_the_address_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STAEDTENETZ_PUBLIC_URL", "http://127.0.0.1:5817")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "t",
                      "RATELIMIT_ENABLED": False, "UPLOAD_FOLDER": str(tmp_path)})
    with job_context(app):
        assert url_for("inventory.overview", _external=True).startswith("http://127.0.0.1:5817/")
