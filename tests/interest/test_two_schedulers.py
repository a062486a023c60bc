"""Two real scheduler processes on one database: the weekly digest reaches each member exactly once."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.dbutil import migrated_database_url
from tests.live import ROOT, SmtpSink

pytestmark = pytest.mark.slow
BIN = os.path.dirname(sys.executable)

SEED = """
from datetime import timedelta
from network import create_app
from network.core.models import utcnow
from network.extensions import db
from network.interest.models import Follow
from network.topics.models import LeadEvent
from tests import factories
from tests.topics.conftest import make_field, make_topic
app = create_app()
with app.app_context():
    city = factories.make_city("Ettlingen")
    topic = make_topic(make_field("Digitale Bürgerdienste"), "e-Akte")
    for i in range(3):
        user = factories.make_user(city, "staff", email=f"p{i}@ettlingen.example")
        db.session.add(Follow(user_id=user.id, target_type="topic", target_id=topic.id))
    db.session.add(LeadEvent(topic_id=topic.id, municipality_id=city.id, action="confirmed",
                             created_at=utcnow() - timedelta(days=1)))
    db.session.commit()
"""


def test_two_schedulers_send_each_digest_once():
    sink = SmtpSink().start()
    url = migrated_database_url("digest")
    env = dict(os.environ, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="x", STAEDTENETZ_MAIL_BACKEND="smtp",
               STAEDTENETZ_MAIL_PORT=str(sink.port), STAEDTENETZ_SCHEDULER_OUTBOX_SECONDS="1",
               STAEDTENETZ_INTEREST_JOB_SECONDS="1", STAEDTENETZ_INTEREST_DIGEST_WEEKDAY="0",
               STAEDTENETZ_INTEREST_DIGEST_HOUR="0", STAEDTENETZ_SERVER_NAME="staedtenetz.test")
    flask = [os.path.join(BIN, "flask"), "--app", "wsgi"]
    subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, timeout=60)
    procs = [subprocess.Popen(flask + ["network", "scheduler"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True) for _ in range(2)]
    try:
        deadline = time.time() + 60
        while time.time() < deadline and len(sink.messages) < 3:
            time.sleep(0.3)
        time.sleep(4)  # several more job runs of the leader; the second process waits for the lock
        # one of them stops (if it led, the standby takes over and runs the digest job again this week)
        os.killpg(procs[0].pid, signal.SIGTERM)
        procs[0].communicate(timeout=15)
        time.sleep(6)
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.communicate()
        sink.stop()
    digests = sorted(m["to"][0] for m in sink.messages if "Wochenübersicht" in m["subject"])
    assert digests == [f"p{i}@ettlingen.example" for i in range(3)], [(m["to"], m["subject"]) for m in sink.messages]
