"""SQLite pragmas: WAL and foreign keys on every connection."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def init_sqlite(app) -> None:
    """Register the connect hook once per process."""
    if getattr(init_sqlite, "_done", False):
        return
    init_sqlite._done = True

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_conn, _record):
        if dbapi_conn.__class__.__module__.startswith("sqlite3"):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
