"""Migration f16a00000001 (issue #16) moves the single-network data into re@di without loss, and back."""

import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from tests.dbutil import new_database_url
from tests.live import ROOT

BIN = os.path.dirname(sys.executable)
BEFORE = "e14b2fa00001"
NETWORKS = "f16a00000001"
pytestmark = pytest.mark.slow


def _flask(url, *args):
    env = dict(os.environ, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="x")
    res = subprocess.run([os.path.join(BIN, "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stdout + res.stderr
    return res


def _engine(url):
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def _snapshot(conn) -> dict:
    """Row counts and the content that must survive the round trip."""
    return {
        "municipality": conn.execute(sa.text("SELECT slug, name, status FROM municipality ORDER BY slug")).all(),
        "user": conn.execute(sa.text('SELECT email, role, municipality_id FROM "user" ORDER BY email')).all(),
        "field": conn.execute(sa.text("SELECT slug, name FROM field_of_action ORDER BY slug")).all(),
        "topic": conn.execute(sa.text("SELECT slug, name, field_id FROM topic ORDER BY slug")).all(),
        "body": conn.execute(sa.text("SELECT name, kind FROM body ORDER BY name")).all(),
    }


def test_single_network_data_moves_into_readi_and_back():
    url = new_database_url("netmig")
    _flask(url, "db", "upgrade", BEFORE)
    engine = _engine(url)
    now = datetime(2024, 5, 1, tzinfo=timezone.utc)
    with engine.begin() as conn:
        for i, (slug, status) in enumerate([("ettlingen", "member"), ("buehl", "member"), ("bretten", "left")], 1):
            conn.execute(sa.text(
                "INSERT INTO municipality (id, slug, name, kind, district, state, website, status, admitted_at, "
                "created_at, updated_at) VALUES (:id, :slug, :name, 'grosse_kreisstadt', '', 'Baden-Württemberg', "
                "'', :status, :now, :now, :now)"), {"id": i, "slug": slug, "name": slug.title(), "status": status,
                                                    "now": now})
        conn.execute(sa.text(
            'INSERT INTO "user" (id, email, name, role, municipality_id, is_coordinator, active, language, '
            "failed_logins, created_at, updated_at) VALUES "
            "(1, 'k@x.example', 'Koordination', 'lead', NULL, :t, :t, 'de', 0, :now, :now), "
            "(2, 'l@x.example', 'Leitung', 'lead', 1, :f, :t, 'de', 0, :now, :now)"),
            {"t": True, "f": False, "now": now})
        conn.execute(sa.text(
            "INSERT INTO field_of_action (id, slug, name, description, position, created_at, updated_at) "
            "VALUES (1, 'verwaltung', 'Verwaltung', '', 0, :now, :now)"), {"now": now})
        conn.execute(sa.text(
            "INSERT INTO topic (id, slug, name, description, field_id, status, proposal_reason, decision_reason, "
            "is_example, version, created_at, updated_at) VALUES (1, 'e-akte', 'e-Akte', '', 1, 'active', '', '', "
            ":f, 1, :now, :now)"), {"f": False, "now": now})
        conn.execute(sa.text(
            "INSERT INTO body (id, kind, name, description, is_example, version, created_at, updated_at) "
            "VALUES (1, 'fachgruppe', 'Fachgruppe', '', :f, 1, :now, :now)"), {"f": False, "now": now})
        before = _snapshot(conn)

    _flask(url, "db", "upgrade")
    with engine.connect() as conn:
        assert _snapshot(conn) == before
        networks = conn.execute(sa.text("SELECT id, slug, name FROM network")).all()
        assert [(n.slug, n.name) for n in networks] == [("readi", "re@di – regional.digital")]
        readi = networks[0].id
        members = conn.execute(sa.text(
            "SELECT m.slug, n.status, n.network_id FROM network_membership n JOIN municipality m "
            "ON m.id = n.municipality_id ORDER BY m.slug")).all()
        assert [(r.slug, r.status, r.network_id) for r in members] == [
            ("bretten", "left", readi), ("buehl", "member", readi), ("ettlingen", "member", readi)]
        roles = conn.execute(sa.text("SELECT user_id, network_id, role FROM network_role")).all()
        assert [tuple(r) for r in roles] == [(1, readi, "coordinator")]
        for table in ("field_of_action", "topic", "body"):
            assert conn.execute(sa.text(f"SELECT DISTINCT network_id FROM {table}")).scalars().all() == [readi]

    _flask(url, "db", "downgrade", BEFORE)
    with engine.connect() as conn:
        assert _snapshot(conn) == before
        coordinators = conn.execute(sa.text('SELECT email FROM "user" WHERE is_coordinator = :t'), {"t": True})
        assert coordinators.scalars().all() == ["k@x.example"]
        assert "network" not in sa.inspect(conn).get_table_names()
    engine.dispose()


def test_downgrade_refuses_while_a_second_network_exists():
    url = new_database_url("netmig2")
    _flask(url, "db", "upgrade", NETWORKS)
    engine = _engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO network (slug, name, region, description, website, is_open, auto_confirm_claims, "
            "digest_weekday, reminder_days, imprint_contact, privacy_contact, is_example, version, created_at, "
            "updated_at) VALUES ('nord', 'Nord', '', '', '', :t, :f, 0, '7,1', '', '', :f, 1, :now, :now)"),
            {"t": True, "f": False, "now": datetime.now(timezone.utc)})
    engine.dispose()
    env = dict(os.environ, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="x")
    res = subprocess.run([os.path.join(BIN, "flask"), "--app", "wsgi", "db", "downgrade", BEFORE], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=180)
    assert res.returncode != 0 and "einziges Netzwerk" in res.stderr
