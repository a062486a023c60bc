"""Configuration order, secret key handling, CLI commands."""

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from network import create_app
from network.accounts.models import ApiToken, User, hash_secret
from network.extensions import db
from network.municipalities.models import Municipality, make_slug
from tests.conftest import row_count


def test_slug_transliterates_umlauts():
    assert make_slug("Bühl") == "buehl"
    assert make_slug("Baden-Baden") == "baden-baden"
    assert make_slug("Weißenhorn a. d. Roth") == "weissenhorn-a-d-roth"
    assert make_slug("Öhringen") == "oehringen"


def test_production_refuses_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("STAEDTENETZ_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY fehlt"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": None, "DATABASE_URL": "sqlite://"})


def test_development_generates_secret_once(tmp_path, monkeypatch):
    monkeypatch.delenv("STAEDTENETZ_SECRET_KEY", raising=False)
    monkeypatch.setenv("STAEDTENETZ_INSTANCE_PATH", str(tmp_path))
    a = create_app({"SECRET_KEY": None, "DATABASE_URL": "sqlite://"})
    b = create_app({"SECRET_KEY": None, "DATABASE_URL": "sqlite://"})
    assert a.config["SECRET_KEY"] == b.config["SECRET_KEY"] and len(a.config["SECRET_KEY"]) == 64
    assert (tmp_path / "secret_key").exists()


def test_env_overrides_defaults(monkeypatch):
    monkeypatch.setenv("STAEDTENETZ_MAIL_PORT", "2525")
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_secure_cookie_with_https():
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://", "PREFERRED_URL_SCHEME": "https"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_seed_demo_and_refusal_in_production(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["network", "seed-demo"])
    assert result.exit_code == 0, result.output
    # nine cities with a lead and a staff account each, the coordination of re@di, the platform administration;
    # the example network Neckar-Erft adds three cities with a lead and a staff account each and its coordination
    assert row_count(Municipality) == 12 and row_count(User) == 27
    assert db.session.execute(sa.select(Municipality.slug).where(Municipality.name == "Bühl")).scalar() == "buehl"
    from network.networks.models import NetworkMembership
    readi = db.session.execute(sa.select(sa.func.count()).select_from(NetworkMembership).where(
        NetworkMembership.status == "member")).scalar()
    assert readi >= 9
    again = runner.invoke(args=["network", "seed-demo", "--if-empty"])
    assert "bereits Daten" in again.output and row_count(User) == 27
    app.config["ENV_NAME"] = "production"
    try:
        refused = runner.invoke(args=["network", "seed-demo"])
    finally:
        app.config["ENV_NAME"] = "development"
    assert refused.exit_code != 0 and "Produktion" in refused.output


def test_token_create_prints_token_alone_on_last_line(app, staff_a):
    result = app.test_cli_runner().invoke(args=["network", "token", "create", staff_a.email, "--name", "CI"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("stn_") and " " not in token
    assert db.session.execute(sa.select(ApiToken.token_hash)).scalar() == hash_secret(token)
    bad = app.test_cli_runner().invoke(args=["network", "token", "create", "niemand@x.example", "--name", "CI"])
    assert bad.exit_code != 0 and "Kein aktives Konto" in bad.output


def test_create_coordinator(app):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["network", "create-coordinator", "Chefin@Netz.example", "--password", "Koordi-Nation-1"])
    assert ok.exit_code == 0, ok.output
    user = db.session.execute(sa.select(User)).scalar_one()
    assert user.email == "chefin@netz.example" and user.is_coordinator and user.municipality_id is None
    dup = runner.invoke(args=["network", "create-coordinator", "chefin@netz.example", "--password", "Koordi-Nation-1"])
    assert dup.exit_code != 0 and "bereits ein Konto" in dup.output
    short = runner.invoke(args=["network", "create-coordinator", "b@netz.example", "--password", "kurz"])
    assert short.exit_code != 0 and "mindestens 10 Zeichen" in short.output
