"""A real OpenID Connect provider on loopback for the single sign-on tests (issue #18).

``OidcProvider`` runs tests/idp/provider.mjs (npm's certified ``oidc-provider``) with node, one client and the
accounts a test gives; ``accounts`` can be rewritten between two logins (the provider reads them at every login).
``BrowserlessLogin`` walks a login through the provider's own pages with ``requests`` (its login form, its
redirects) and hands the answer to our app's test client.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from html import unescape
from urllib.parse import urljoin

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "provider.mjs")

CLIENT_ID = "staedtenetz-test"
CLIENT_SECRET = "test-secret-der-stadt-ettlingen"

#: the accounts of the test provider: two of Ettlingen (a lead by group, a staff member) and one of Bruchsal
ACCOUNTS = {
    "anna.leitung@ettlingen.de": {"name": "Anna Leitung", "groups": ["staedtenetz-leitung", "verwaltung"]},
    "sami.mitarbeit@ettlingen.de": {"name": "Sami Mitarbeit", "groups": ["verwaltung"]},
    "hans.fremd@bruchsal.de": {"name": "Hans Fremd", "groups": ["staedtenetz-leitung"]},
}


def node() -> str:
    path = shutil.which("node") or shutil.which("nodejs")
    if not path:
        raise RuntimeError("node fehlt: `make test-deps` bzw. .ci/run installieren nodejs")
    return path


class OidcProvider:
    """oidc-provider on a free loopback port; ``issuer`` is its address."""

    def __init__(self, redirect_uris, post_logout_redirect_uris, accounts=None):
        from tests.conftest import free_port
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.redirect_uris = list(redirect_uris)
        self.post_logout_redirect_uris = list(post_logout_redirect_uris)
        self.dir = tempfile.mkdtemp(prefix="staedtenetz-idp-")
        self.accounts_file = os.path.join(self.dir, "accounts.json")
        self.set_accounts(accounts or ACCOUNTS)
        self.proc = None

    def set_accounts(self, accounts: dict) -> None:
        tmp = self.accounts_file + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(accounts, fh)
        os.replace(tmp, self.accounts_file)

    def start(self):
        env = dict(os.environ, IDP_PORT=str(self.port), IDP_ACCOUNTS=self.accounts_file, IDP_CLIENTS=json.dumps([{
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": self.redirect_uris,
            "post_logout_redirect_uris": self.post_logout_redirect_uris}]))
        self.log = open(os.path.join(self.dir, "provider.log"), "w")
        self.proc = subprocess.Popen([node(), SCRIPT], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.issuer + "/.well-known/openid-configuration", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        with open(os.path.join(self.dir, "provider.log")) as fh:
            raise RuntimeError("oidc-provider did not start:\n" + fh.read()[-2000:])

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None


def form_of(html: str, base: str):
    """The first form of a provider page: its absolute action and its inputs (name -> value)."""
    m = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
    assert m, html[:1000]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", m.group(2)):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return urljoin(base, unescape(m.group(1))), fields


def follow_provider(session, url: str, app_prefix: str, *, login: str | None = None, max_hops: int = 12):
    """Follow the provider's redirects from ``url`` (submitting its login form with ``login`` when it shows one)
    until it sends the browser back to our app (a URL starting with ``app_prefix``); returns that URL, or the last
    provider response when it stops on a page of its own."""
    response = None
    for _ in range(max_hops):
        if url.startswith(app_prefix):
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        if login is not None and 'name="login"' in response.text:
            action, fields = form_of(response.text, url)
            fields.update({"login": login, "password": "egal"})
            response = session.post(action, data=fields, allow_redirects=False, timeout=10)
            assert response.is_redirect, response.text[:1000]
            url = urljoin(action, response.headers["Location"])
            login = None
            continue
        return response
    raise AssertionError("too many redirects at the provider")
