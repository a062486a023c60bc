"""The real app for browser and security tests: gunicorn, the scheduler and an SMTP sink on loopback."""

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from aiosmtpd.controller import Controller

from tests.dbutil import migrated_database_url

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)


class SinkHandler:
    """Keeps every message the app sends."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(msg["subject"]), "message": msg,
                                  "text": _text_of(msg), "raw": envelope.content.decode("utf-8", "replace")})
        return "250 OK"


def _text_of(msg):
    part = msg.get_body(preferencelist=("plain",)) if msg.is_multipart() else msg
    return part.get_content() if part is not None else ""


class SmtpSink:
    """aiosmtpd on a free loopback port."""

    def __init__(self):
        self.handler = SinkHandler()
        from tests.conftest import free_port
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def wait_for(self, to: str, subject_contains: str = "", timeout: float = 30, after: int = 0):
        """The first message to `to` (index >= after) whose subject contains the text."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for m in self.messages[after:]:
                if to.lower() in [t.lower() for t in m["to"]] and subject_contains in m["subject"]:
                    return m
            time.sleep(0.2)
        raise AssertionError(f"no mail to {to} with '{subject_contains}' within {timeout}s; got {[ (m['to'], m['subject']) for m in self.messages]}")

    @staticmethod
    def link_in(message) -> str:
        m = re.search(r"https?://\S+", message["text"])
        assert m, "no link in mail"
        return m.group(0)


class LiveApp:
    """A running app: base_url, the SMTP sink and the database URL."""

    def __init__(self, *, extra_env=None, seed=True):
        self.extra_env = extra_env or {}
        self.seed = seed
        self.procs = []

    def _env(self):
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": self.database_url,
            "STAEDTENETZ_SECRET_KEY": "live-test-secret",
            "STAEDTENETZ_MAIL_BACKEND": "smtp",
            "STAEDTENETZ_MAIL_SERVER": "127.0.0.1",
            "STAEDTENETZ_MAIL_PORT": str(self.sink.port),
            "STAEDTENETZ_SCHEDULER_OUTBOX_SECONDS": "1",
            "STAEDTENETZ_RATELIMIT_ENABLED": "false",
            # tests change rows behind the app's back (fixtures, restored snapshots): no result cache
            "STAEDTENETZ_RESULT_CACHE_SECONDS": "0",
            # the single sign-on flow's identity provider runs on loopback over http (tests/e2e/test_sso_flow.py)
            "STAEDTENETZ_SSO_ALLOW_HTTP": "true",
            "PYTHONUNBUFFERED": "1",
        })
        if getattr(self, "instance_path", None):  # uploads and locks of this live app stay its own
            env["STAEDTENETZ_INSTANCE_PATH"] = self.instance_path
        env.update(self.extra_env)
        return env

    def flask(self, *args, check=True):
        """Run `flask --app wsgi ...` against this app's database."""
        return subprocess.run([os.path.join(BIN, "flask"), "--app", "wsgi", *args], cwd=ROOT, env=self._env(),
                              capture_output=True, text=True, check=check, timeout=300)

    def start(self):
        from tests.conftest import free_port
        self.sink = SmtpSink().start()
        self.instance_path = tempfile.mkdtemp(prefix="staedtenetz-live-")
        self.database_url = migrated_database_url("live")
        if self.seed:
            self.flask("network", "seed-demo")
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        env = self._env()
        env["STAEDTENETZ_SERVER_NAME"] = f"127.0.0.1:{self.port}"
        self.log_dir = os.path.join(ROOT, "build", "live-logs")
        os.makedirs(self.log_dir, exist_ok=True)
        web_log = open(os.path.join(self.log_dir, f"gunicorn-{self.port}.log"), "w")
        sched_log = open(os.path.join(self.log_dir, f"scheduler-{self.port}.log"), "w")
        self.procs.append(subprocess.Popen(
            [os.path.join(BIN, "gunicorn"), "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT, start_new_session=True))
        self.procs.append(subprocess.Popen(
            [os.path.join(BIN, "flask"), "--app", "wsgi", "network", "scheduler"],
            cwd=ROOT, env=env, stdout=sched_log, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except Exception:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the live app did not start; see build/live-logs/")

    def stop(self):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        self.procs = []
        if getattr(self, "sink", None):
            self.sink.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def launch_browser(playwright):
    """Debian's Chromium, headless; a missing browser fails the run loudly."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError("Chromium fehlt unter /usr/bin/chromium – die Browser-Tests dürfen nicht übersprungen werden.")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
