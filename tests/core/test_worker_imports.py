"""What a web worker loads (issue #17: worker memory): gunicorn imports `wsgi` outside any command, and such a
process never migrates, so it does not import Alembic (11 MB per worker); pysaml2 (16 MB) and Authlib with requests
(9 MB) come with the first single sign-on through a provider. The flask CLI still has `flask db`."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _run(code: str, tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, STAEDTENETZ_INSTANCE_PATH=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/w.sqlite",
               STAEDTENETZ_SECRET_KEY="worker-imports")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_web_worker_imports_neither_alembic_nor_pysaml2(tmp_path):
    done = _run("import sys, wsgi; assert wsgi.app.url_map; "
                "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'flask_migrate', 'saml2', 'authlib', 'requests'}))",
                tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_cli_still_migrates(tmp_path):
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    env = dict(os.environ, STAEDTENETZ_INSTANCE_PATH=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/c.sqlite")
    heads = subprocess.run([flask, "--app", "wsgi", "db", "heads"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert heads.returncode == 0 and "(head)" in heads.stdout, heads.stdout + heads.stderr
