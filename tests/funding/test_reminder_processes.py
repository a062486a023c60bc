"""Two reminder runs in separate processes at the same moment (e.g. a scheduler and an operator's
`flask network funding-reminders`, or two schedulers during a failover): every reminder goes out once."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from tests.dbutil import migrated_database_url
from tests.live import ROOT

pytestmark = pytest.mark.slow
BIN = os.path.dirname(sys.executable)

SEED = """
from datetime import timedelta
from network import create_app
from network.extensions import db
from network.funding.models import FundingCall, FundingDeadline, FundingInterest, berlin_today
from tests import factories
app = create_app()
with app.app_context():
    cities = [factories.make_city(n) for n in ("Ettlingen", "Bühl", "Rastatt")]
    for c in cities:
        for i in range(3):
            factories.make_user(c, "lead", email=f"lead{i}@{c.slug}.example")
    for k in range(10):
        call = FundingCall(title=f"Aufruf {k}", funder="land")
        call.deadlines = [FundingDeadline(label="Antrag", due_on=berlin_today() + timedelta(days=2 + k))]
        db.session.add(call)
        db.session.flush()
        for c in cities:
            db.session.add(FundingInterest(call_id=call.id, municipality_id=c.id))
    db.session.commit()
"""


def test_two_processes_send_each_reminder_once():
    url = migrated_database_url("funding-rem")
    env = dict(os.environ, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="x", STAEDTENETZ_MAIL_BACKEND="locmem",
               PYTHONPATH=ROOT)
    flask = [os.path.join(BIN, "flask"), "--app", "wsgi"]
    subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, timeout=120)
    procs = [subprocess.Popen(flask + ["network", "funding-reminders"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    expected = 10 * 3 * 3  # 10 deadlines within 30 days x 3 cities x 3 leads
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        ledger = conn.execute(sa.text("SELECT count(*) FROM funding_reminder")).scalar()
        mails = conn.execute(sa.text("SELECT recipient, subject FROM outbox_message")).all()
    engine.dispose()
    assert ledger == expected
    assert len(mails) == expected and len(set(mails)) == expected
    sent = sum(int(o.split("Erinnerungen gesendet: ")[1].split(",")[0]) for o, _e in outs)
    assert sent == expected, outs
    print("split:", [o.strip().splitlines()[-1] for o, _e in outs])
