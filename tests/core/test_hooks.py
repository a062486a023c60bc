"""Extension points between domains (network/core/hooks.py): panels render where their slot is, with ctx."""

from datetime import datetime, timezone

import pytest

from network.core import hooks


@pytest.fixture
def panel_template(app):
    """A panel template served from memory (no file in templates/)."""
    from jinja2 import ChoiceLoader, DictLoader
    original = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader({"_test/panel.html": "<p>Panel {{ ctx.word }}</p>"}), original])
    yield "_test/panel.html"
    app.jinja_env.loader = original


@pytest.mark.parametrize("slot,url", [("dashboard", "/"), ("profile", "/profil"), ("footer", "/"),
                                      ("municipality", "/kommunen/ettlingen")])
def test_panel_renders_in_its_slot_with_its_context(app, client, login_as, lead_a, panel_template, slot, url):
    seen = []

    def panel(user, **kw):
        seen.append((user.email, sorted(kw)))
        return (panel_template, {"word": f"kan-{slot}"})

    registry = hooks._registry(app)["panels"]
    saved = {k: list(v) for k, v in registry.items()}
    try:
        hooks.register_panel(app, slot, panel)
        hooks.register_panel(app, slot, panel)  # registering twice adds it once
        login_as(lead_a)
        html = client.get(url).get_data(as_text=True)
    finally:
        registry.clear()
        registry.update(saved)
    assert html.count(f"<p>Panel kan-{slot}</p>") == 1
    assert seen and seen[0][0] == lead_a.email
    if slot == "municipality":
        assert seen[0][1] == ["city"]
    if slot == "dashboard":  # what the page read for its panels (issue #17)
        assert seen[0][1] == ["known"]


def test_panel_returning_none_renders_nothing_and_digest_skips_empty_sections(app, client, login_as, lead_a):
    registry = hooks._registry(app)
    saved_panels, saved_digest = dict(registry["panels"]), list(registry["digest"])
    try:
        hooks.register_panel(app, "dashboard", lambda user, **kw: None)
        hooks.register_digest_section(app, lambda user, since, until, follows: hooks.DigestSection("a", "A"), order=1)
        hooks.register_digest_section(app, lambda user, since, until, follows: hooks.DigestSection(
            "b", "B", [hooks.DigestItem("x", "http://localhost/x")]), order=2)
        login_as(lead_a)
        assert client.get("/").status_code == 200
        now = datetime.now(timezone.utc)
        assert [s.key for s in hooks.digest_sections(lead_a, now, now)] == ["b"]
    finally:
        registry["panels"], registry["digest"] = saved_panels, saved_digest


def test_dashboard_panel_column_is_read_with_the_page_counts(app, client, login_as, lead_a, count_queries):
    """A panel column's one-row select rides on the dashboard's counts statement (no statement of its own) and
    reaches the panels and the waiting sources as known["key.column"] (issue #17)."""
    import sqlalchemy as sa

    from network.accounts.models import User
    registry = hooks._registry(app)
    saved_panels = {k: list(v) for k, v in registry["panels"].items()}
    saved_columns = {k: dict(v) for k, v in registry.setdefault("panel_columns", {}).items()}
    saved_waiting = list(registry["waiting"])
    seen = {}

    def panel(user, known=None, **_kw):
        seen["panel"] = known.get("test.accounts.n")

    def waiting(user, known=None):
        seen["waiting"] = known.get("test.accounts.n")
        return []

    try:
        login_as(lead_a)
        client.get("/")
        with count_queries() as before:
            client.get("/")
        hooks.register_panel(app, "dashboard", panel)
        hooks.register_waiting(app, waiting)
        hooks.register_panel_column(app, "dashboard", "test.accounts", lambda user, _row: sa.select(
            sa.func.count(User.id).label("n")).where(User.municipality_id == user.municipality_id))
        with count_queries() as after:
            assert client.get("/").status_code == 200
    finally:
        registry["panels"].clear()
        registry["panels"].update(saved_panels)
        registry["panel_columns"] = saved_columns
        registry["waiting"] = saved_waiting
    assert seen == {"panel": 1, "waiting": 1}
    assert len(after) == len(before)
