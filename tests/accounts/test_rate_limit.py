"""Flask-Limiter on login and password reset (memory storage here, Redis in production)."""

import pytest

from network import create_app
from network.extensions import limiter


@pytest.fixture
def restore_limiter():
    """Flask-Limiter is one global object; give the session app its disabled state back."""
    before = limiter.enabled
    yield
    limiter.reset()
    limiter.enabled = before


def test_login_and_reset_are_rate_limited(database_url, restore_limiter):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute", "RATELIMIT_RESET": "2 per minute",
                      "MAIL_BACKEND": "locmem"})
    client = app.test_client()
    codes = [client.post("/anmelden", data={"email": "x@ettlingen.test", "password": "falsch"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    resp = client.post("/anmelden", data={"email": "x@ettlingen.test", "password": "falsch"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 429 and "Zu viele Versuche" in body and "Vorgangsnummer" in body
    assert client.get("/anmelden").status_code == 200  # only POST is limited
    codes = [client.post("/passwort-vergessen", data={"email": "x@ettlingen.test"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
