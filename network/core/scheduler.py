"""APScheduler in its own process, guarded by a leader lock so a second scheduler waits."""

import contextlib
import logging
import os
import signal

import sqlalchemy as sa
from apscheduler.schedulers.blocking import BlockingScheduler
from filelock import FileLock
from flask import current_app

from network.extensions import db

log = logging.getLogger(__name__)

#: arbitrary but fixed key of the PostgreSQL advisory lock
ADVISORY_KEY = 0x53744E65  # "StNe"


def register_job(app, job_id: str, func, *, seconds_config: str | None = None, seconds: int = 60,
                 cron: dict | None = None) -> None:
    """Domains register their periodic tasks here in create_app()."""
    app.extensions.setdefault("network_jobs", []).append(
        {"id": job_id, "func": func, "seconds_config": seconds_config, "seconds": seconds, "cron": cron}
    )


@contextlib.contextmanager
def leader_lock(app):
    """Block until this process is the only scheduler on the database."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        conn = engine.connect()
        try:
            log.info("waiting for the scheduler advisory lock")
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_KEY})
            conn.commit()
            yield
        finally:
            with contextlib.suppress(Exception):
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                conn.commit()
            conn.close()
    else:
        path = os.path.join(app.instance_path, "scheduler.lock")
        db_path = engine.url.database or ""
        if db_path:
            path = db_path + ".scheduler.lock"
        log.info("waiting for the scheduler file lock %s", path)
        with FileLock(path):
            yield


def job_context(app):
    """Jobs build absolute links in mails: without SERVER_NAME they use PUBLIC_URL as the site's address."""
    if app.config.get("SERVER_NAME"):
        return app.app_context()
    return app.test_request_context("/", base_url=app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000")


def _wrap(app, func, job_id):
    def run():
        with job_context(app):
            try:
                result = func()
                if result and (not isinstance(result, dict) or any(result.values())):
                    log.info("job %s: %s", job_id, result)
            except Exception as exc:
                from network.core.health import is_outage
                if is_outage(exc):  # the database is away: this run is lost, the next one resumes
                    log.warning("job %s: database unavailable (%s); next run as scheduled", job_id,
                                exc.__class__.__name__)
                else:
                    log.exception("job %s failed", job_id)
                with contextlib.suppress(Exception):
                    db.session.rollback()
            finally:
                with contextlib.suppress(Exception):
                    db.session.remove()
    return run


def build_scheduler(app) -> BlockingScheduler:
    """A scheduler with every registered job, each in its own app context."""
    sched = BlockingScheduler(timezone="Europe/Berlin")
    for job in app.extensions.get("network_jobs", []):
        kwargs = {"id": job["id"], "max_instances": 1, "coalesce": True, "replace_existing": True}
        if job["cron"]:
            sched.add_job(_wrap(app, job["func"], job["id"]), "cron", **job["cron"], **kwargs)
        else:
            seconds = app.config.get(job["seconds_config"], job["seconds"]) if job["seconds_config"] else job["seconds"]
            sched.add_job(_wrap(app, job["func"], job["id"]), "interval", seconds=seconds,
                          next_run_time=__import__("datetime").datetime.now(), **kwargs)
    return sched


def run_scheduler(app) -> None:
    """Take the leader lock, then run the jobs until SIGTERM/SIGINT."""
    with leader_lock(app):
        log.info("scheduler is leader")
        print("scheduler: leader lock acquired", flush=True)
        sched = build_scheduler(app)

        def stop(signum, frame):
            if sched.running:
                sched.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        db.session.remove()
        sched.start()
