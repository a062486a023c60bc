"""Throwaway test databases: a SQLite file or a fresh PostgreSQL database per run."""

import atexit
import os
import secrets
import tempfile

PG_ADMIN_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"


def db_kind() -> str:
    return os.environ.get("STAEDTENETZ_TEST_DB", "sqlite")


def new_database_url(label: str = "t") -> str:
    """Create an empty database and return its URL; it is dropped when the process exits."""
    if db_kind() == "postgresql":
        import psycopg
        admin = os.environ.get("STAEDTENETZ_TEST_PG_ADMIN_URL", PG_ADMIN_DEFAULT)
        name = f"staedtenetz_{label}_{secrets.token_hex(4)}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
            # throwaway data: commits need not wait for the disk (every test commits several times)
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')

        def drop():
            try:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:
                pass

        atexit.register(drop)
        base = admin.rsplit("/", 1)[0]
        return f"{base}/{name}"
    tmp = tempfile.mkdtemp(prefix=f"staedtenetz-{label}-")
    return "sqlite:///" + os.path.join(tmp, "test.sqlite")
