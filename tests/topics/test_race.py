"""Two cities claim the same unclaimed topic at the same moment: exactly one pending claim."""

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User
from network.core.validation import ValidationFailed
from network.extensions import db
from network.topics import services
from network.topics.services import claims as claims_module  # claim_lead looks current_lead up here
from network.topics.models import LeadClaim, Topic
from tests.topics.conftest import claims_of


def test_parallel_claims_exactly_one_wins(app, topic, lead_a, lead_b):
    """Real threads, each with its own connection; both pass the check before either inserts."""
    ids = {"topic": topic.id, "users": [lead_a.id, lead_b.id]}
    barrier = threading.Barrier(2, timeout=20)
    results = {}
    real_current_lead = claims_module.current_lead

    def slow_current_lead(t):
        found = real_current_lead(t)
        barrier.wait()  # both threads have looked and seen no lead before either inserts
        return found

    def worker(user_id):
        with app.test_request_context():
            try:
                user = db.session.get(User, user_id)
                t = db.session.get(Topic, ids["topic"])
                try:
                    services.claim_lead(user, t)
                    db.session.commit()
                    results[user_id] = "ok"
                except ValidationFailed as exc:
                    db.session.rollback()
                    results[user_id] = (exc.status, next(iter(exc.errors.values())))
            finally:
                db.session.remove()

    claims_module.current_lead = slow_current_lead
    try:
        threads = [threading.Thread(target=worker, args=(uid,)) for uid in ids["users"]]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
    finally:
        claims_module.current_lead = real_current_lead
    assert sorted(results.values(), key=str).count("ok") == 1, results
    (loser,) = [v for v in results.values() if v != "ok"]
    assert loser[0] == 409
    assert "im selben Moment die Federführung" in loser[1]
    claims = claims_of(topic)
    assert len(claims) == 1 and claims[0].status == "pending"


def test_database_refuses_a_second_open_lead(topic, city_a, city_b):
    db.session.add(LeadClaim(topic_id=topic.id, municipality_id=city_a.id, kind="lead", status="pending"))
    db.session.commit()
    db.session.add(LeadClaim(topic_id=topic.id, municipality_id=city_b.id, kind="lead", status="confirmed"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    # closed claims do not count
    db.session.add(LeadClaim(topic_id=topic.id, municipality_id=city_b.id, kind="lead", status="withdrawn"))
    db.session.add(LeadClaim(topic_id=topic.id, municipality_id=city_b.id, kind="colead", status="pending"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(LeadClaim.id))) == 3
