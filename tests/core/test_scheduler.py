"""Two scheduler processes on one database deliver every outbox message exactly once."""

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from tests.dbutil import migrated_database_url
from tests.live import ROOT, SmtpSink

pytestmark = pytest.mark.slow
BIN = os.path.dirname(sys.executable)


def test_two_schedulers_send_each_message_once():
    sink = SmtpSink().start()
    url = migrated_database_url("sched")
    env = dict(os.environ, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="x", STAEDTENETZ_MAIL_BACKEND="smtp",
               STAEDTENETZ_MAIL_PORT=str(sink.port), STAEDTENETZ_SCHEDULER_OUTBOX_SECONDS="1",
               STAEDTENETZ_SERVER_NAME="staedtenetz.test")
    flask = [os.path.join(BIN, "flask"), "--app", "wsgi"]
    queue = (
        "from network import create_app\n"
        "from network.core.outbox import queue_mail\n"
        "from network.extensions import db\n"
        "app = create_app()\n"
        "with app.test_request_context():\n"
        "    for i in range(30):\n"
        "        queue_mail(f'p{i}@ettlingen.example', 'reset', subject=f'Nachricht {i}', "
        "user=type('U', (), {'name': 'X'})(), link='http://x')\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", queue], cwd=ROOT, env=env, check=True, timeout=60)
    logs = [open(os.path.join(ROOT, "build", f"sched-{i}.log"), "w") if os.path.isdir(os.path.join(ROOT, "build"))
            else subprocess.DEVNULL for i in range(2)]
    procs = [subprocess.Popen(flask + ["network", "scheduler"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True) for _ in range(2)]
    try:
        deadline = time.time() + 60
        while time.time() < deadline and len(sink.messages) < 30:
            time.sleep(0.3)
        time.sleep(3)  # give a doubling scheduler the chance to send again
    finally:
        outputs = []
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                out, _ = p.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                out, _ = p.communicate()
            outputs.append(out)
        sink.stop()
    subjects = sorted(m["subject"] for m in sink.messages)
    assert len(subjects) == 30, subjects
    assert len(set(subjects)) == 30
    leaders = sum("leader lock acquired" in out for out in outputs)
    assert leaders == 1, outputs  # the second one waited for the lock the whole time
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT status, attempts FROM outbox_message")).all()
    engine.dispose()
    assert rows and all(r == ("sent", 1) for r in rows)


def test_jobs_build_absolute_links_from_public_url_without_server_name(app):
    from flask import url_for

    from network.core.scheduler import job_context
    saved = app.config["SERVER_NAME"], app.config["PUBLIC_URL"]
    try:
        app.config["SERVER_NAME"] = None
        app.config["PUBLIC_URL"] = "https://staedtenetz.example.org"
        with job_context(app):
            assert url_for("accounts.login", _external=True) == "https://staedtenetz.example.org/anmelden"
        app.config["SERVER_NAME"] = "staedtenetz.test"
        with job_context(app):
            assert url_for("accounts.login", _external=True) == "http://staedtenetz.test/anmelden"
    finally:
        app.config["SERVER_NAME"], app.config["PUBLIC_URL"] = saved
