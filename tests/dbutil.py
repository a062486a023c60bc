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


_TEMPLATE: dict[str, str] = {}


def migrated_database_url(label: str = "t") -> str:
    """A new database at the head migration, for tests that start the app in other processes (live app, two
    schedulers, ...). `flask db upgrade` runs once per test process into a template; each call clones it (PostgreSQL:
    CREATE DATABASE ... TEMPLATE, well under a second; SQLite: a file copy) instead of migrating again (issue #17).
    The migrations themselves are tested step by step in tests/core/test_migrations.py."""
    import shutil
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if "url" not in _TEMPLATE:
        url = new_database_url("tpl")
        env = dict(os.environ, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="template", PYTHONPATH=root)
        subprocess.run([os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "wsgi", "db", "upgrade"],
                       cwd=root, env=env, check=True, capture_output=True, timeout=300)
        _TEMPLATE["url"] = url
    template = _TEMPLATE["url"]
    if db_kind() == "postgresql":
        url = new_database_url(label)  # registers the drop at exit; replaced by the clone under the same name
        admin = os.environ.get("STAEDTENETZ_TEST_PG_ADMIN_URL", PG_ADMIN_DEFAULT)
        name, template_name = url.rsplit("/", 1)[1], template.rsplit("/", 1)[1]
        import psycopg
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}"')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        return url
    url = new_database_url(label)
    shutil.copyfile(template.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
    return url
