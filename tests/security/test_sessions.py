"""Sessions: an old cookie stops working after logout, password change and deactivation; every
cookie is HttpOnly and SameSite=Lax (and Secure when the app runs behind https)."""

import re

from network.extensions import db
from tests import factories
from tests.security.test_csrf import _csrf_token

SESSION_COOKIE = "staedtenetz_session"
HOST = "staedtenetz.test"


def _logged_in(app, user):
    client = app.test_client()
    resp = client.post("/anmelden", data={"email": user.email, "password": factories.PASSWORD})
    assert resp.status_code == 302
    return client


def _cookie(client):
    c = client.get_cookie(SESSION_COOKIE, domain=HOST)
    assert c is not None, "no session cookie"
    return c.value


def _with_cookie(app, value):
    """A fresh browser that only has the given (old) session cookie."""
    client = app.test_client()
    client.set_cookie(SESSION_COOKIE, value, domain=HOST)
    return client


def _is_logged_in(client) -> bool:
    resp = client.get("/profil")
    if resp.status_code == 302:
        assert "/anmelden" in resp.headers["Location"]
        return False
    assert resp.status_code == 200, resp.status_code
    return True


def test_old_cookie_is_refused_after_logout(app, world):
    client = _logged_in(app, world.staff_a)
    old = _cookie(client)
    assert _is_logged_in(_with_cookie(app, old))
    assert client.post("/abmelden").status_code == 302
    assert not _is_logged_in(_with_cookie(app, old)), "a copied cookie still works after logout"


def test_other_sessions_end_with_a_password_change(app, world):
    here, elsewhere = _logged_in(app, world.staff_a), _logged_in(app, world.staff_a)
    old_elsewhere = _cookie(elsewhere)
    resp = here.post("/profil/passwort", data={"pw-current_password": factories.PASSWORD,
                                               "pw-password": "Ganz-Neues-Passwort-42",
                                               "pw-password2": "Ganz-Neues-Passwort-42"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    assert _is_logged_in(here), "the browser that changed the password stays logged in"
    assert not _is_logged_in(elsewhere), "another browser's session survived the password change"
    assert not _is_logged_in(_with_cookie(app, old_elsewhere))


def test_all_sessions_end_with_a_password_reset(app, world):
    client = _logged_in(app, world.staff_a)
    old = _cookie(client)
    resp = app.test_client().post(f"/passwort-zuruecksetzen/{world.reset_token_a}",
                                  data={"password": "Ganz-Neues-Passwort-42", "password2": "Ganz-Neues-Passwort-42"})
    assert resp.status_code == 302
    assert not _is_logged_in(_with_cookie(app, old))


def test_cookie_and_token_are_refused_after_deactivation(app, world):
    staff = _logged_in(app, world.staff_a)
    old = _cookie(staff)
    bearer = {"Authorization": f"Bearer {world.staff_a_token}"}
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 200
    lead = _logged_in(app, world.lead_a)
    resp = lead.post(f"/kommunen/ettlingen/konten/{world.staff_a.id}/aktiv", data={"active": "0"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert world.staff_a.active is False
    assert not _is_logged_in(staff)
    assert not _is_logged_in(_with_cookie(app, old))
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    # reactivation does not bring the old session back
    lead.post(f"/kommunen/ettlingen/konten/{world.staff_a.id}/aktiv", data={"active": "1"})
    assert not _is_logged_in(_with_cookie(app, old))


def test_login_issues_a_new_session(app, world):
    """No session fixation: the cookie from before the login is not the logged-in one."""
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    token = _csrf_token(client, "/anmelden")
    before = _cookie(client)
    resp = client.post("/anmelden", data={"email": world.staff_a.email, "password": factories.PASSWORD,
                                          "csrf_token": token})
    assert resp.status_code == 302
    assert _cookie(client) != before
    assert not _is_logged_in(_with_cookie(app, before))


def _set_cookies(app, world, scheme="http"):
    """Every Set-Cookie header of the flows that set cookies: first visit, login, language, logout."""
    app.config["WTF_CSRF_ENABLED"] = True
    client, headers = app.test_client(), []
    client.environ_base["wsgi.url_scheme"] = scheme
    client.environ_base["HTTP_REFERER"] = f"{scheme}://{HOST}/"  # Flask-WTF checks it on https

    def keep(resp):
        headers.extend(resp.headers.getlist("Set-Cookie"))
        return resp

    resp = keep(client.get("/anmelden"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', resp.get_data(as_text=True)).group(1)
    keep(client.post("/sprache", data={"lang": "en", "next": "/", "csrf_token": token}))
    keep(client.post("/anmelden", data={"email": world.staff_a.email, "password": factories.PASSWORD,
                                        "csrf_token": token}))
    token = _csrf_token(client, "/")
    keep(client.post("/sprache", data={"lang": "de", "next": "/", "csrf_token": token}))
    keep(client.post("/abmelden", data={"csrf_token": token}))
    assert len(headers) >= 3, headers
    return headers


def _flags(header):
    return {p.strip().split("=")[0].lower(): (p.split("=", 1)[1].strip() if "=" in p else True)
            for p in header.split(";")[1:]}


def test_every_cookie_is_httponly_and_samesite_lax(app, world):
    headers = _set_cookies(app, world)
    for h in headers:
        flags = _flags(h)
        assert flags.get("httponly") is True, f"cookie without HttpOnly: {h}"
        assert str(flags.get("samesite", "")).lower() == "lax", f"cookie without SameSite=Lax: {h}"
        assert "secure" not in flags  # plain http in tests; see the https variant below


def test_cookies_are_secure_behind_https(make_app, world):
    secure_app = make_app(PREFERRED_URL_SCHEME="https")
    headers = _set_cookies(secure_app, world, "https")
    for h in headers:
        flags = _flags(h)
        assert flags.get("secure") is True and flags.get("httponly") is True, f"cookie without Secure: {h}"
        assert str(flags.get("samesite", "")).lower() == "lax", h
    resp = secure_app.test_client().get("/", base_url="https://staedtenetz.test")
    assert re.match(r"max-age=\d{7,}", resp.headers.get("Strict-Transport-Security", ""))
