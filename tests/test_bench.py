"""The page bench can be rerun: generate.py grows a database to a (tiny) scale and pages.py measures every page.

No gunicorn here: the test checks the generator's row counts and skew, that a second run adds nothing
(resumable), and that pages.py's in-process measurement returns one row per page with its SQL statements.
"""

import pytest
import sqlalchemy as sa

from tests.dbutil import db_kind

pytestmark = pytest.mark.skipif(db_kind() == "postgresql",
                                reason="the bench's own SQLite database; the PostgreSQL pass would run the same")

TINY = dict(municipalities=30, users=80, projects=300, practices=60, bodies=10, meetings=40, funding_calls=12,
            networks=2, big_network=15, big_topics=4, topics_per_network=2)


def test_generate_tiny_scale_then_measure_every_page(tmp_path):
    from bench import generate, pages

    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    result = generate.grow(url, TINY)
    counts = result["counts"]
    for key in ("municipalities", "users", "projects", "practices", "bodies", "meetings", "funding_calls"):
        assert counts[key] == TINY[key], key
    assert counts["big_network_members"] == TINY["big_network"]
    # demo networks (2) + the big one + the regional ones; some cities take part in more than one
    assert counts["networks"] == 2 + 1 + TINY["networks"]
    assert counts["memberships"] > counts["municipalities"]

    app = generate.make_app(url)
    again = generate.Grower(app, TINY).run()  # resumable: everything is there, nothing is added
    assert again == counts
    with app.app_context():
        from network.extensions import db
        per_city = db.session.execute(sa.text(
            "SELECT count(*) FROM project GROUP BY municipality_id ORDER BY 1 DESC")).scalars().all()
        db.engine.dispose()
    assert per_city[0] >= 3 * per_city[-1]  # skewed (Zipf-Mandelbrot): the largest city has far more than the smallest

    from network import create_app
    bench_app = create_app(pages.bench_config(url, generate.BIG_NETWORK))
    page_rows, chosen = pages.page_list(bench_app)
    assert chosen["network"] == generate.BIG_NETWORK and chosen["meeting"] and chosen["topic"] and chosen["city"]
    measured = pages.count_statements(bench_app, page_rows)
    with bench_app.app_context():
        from network.extensions import db
        db.engine.dispose()
    assert [r["name"] for r in measured] == [p["name"] for p in page_rows]
    for row in measured:
        assert row["status"] == 200, row
        assert row["statements"] > 0, row
        assert row["html_bytes"] > 0, row
    assert "Worker RSS" in pages.markdown({
        "scale": "tiny", "db": "sqlite", "when": "now", "runs": 1, "workers": 2, "floor_median_ms": 1.0,
        "load_average": (0.0, 0.0, 0.0), "worker_rss_mb": [1.0], "floor_worker_rss_mb": [1.0], "chosen": chosen,
        "pages": [{**r, "median_ms": 2.0, "ratio": 2.0, "http_statuses": [200]} for r in measured]})


def test_crash_bench_reads_worker_deaths_from_gunicorns_log():
    from bench.crashes import read_log
    boot = "[INFO] Booting worker with pid: 1\n" * 4
    assert read_log(boot + "[INFO] Handling signal: term\n[INFO] Worker exiting (pid: 1)\n", 4)["crashes"] == 0
    crashed = read_log(boot + "Fatal Python error: Segmentation fault\n[ERROR] Worker (pid:12) was sent SIGSEGV!\n"
                       "[INFO] Booting worker with pid: 9\n", 4)
    assert crashed["crashes"] == 1 and crashed["signals"] == {"SIGSEGV": 1} and crashed["respawns"] == 1
    assert read_log(boot + "[ERROR] Worker (pid:3) exited with code 139\n", 4)["error_exits"] == {"139": 1}
