"""Single sign-on with SAML 2.0 against a real pysaml2 IdP on loopback (issue #18)."""

import sqlalchemy as sa

from network.accounts.models import User
from network.core.models import AuditEvent
from network.extensions import db


def _user(email):
    db.session.expire_all()
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


def _actions(*names):
    db.session.expire_all()
    return db.session.execute(sa.select(AuditEvent).where(AuditEvent.action.in_(names))
                              .order_by(AuditEvent.id)).scalars().all()


def test_first_login_creates_the_account_in_the_city_with_the_mapped_role(ettlingen_saml, city_a, saml_login):
    run = saml_login("anna.leitung@ettlingen.de")
    assert run.response.status_code == 302, run.response.get_data(as_text=True)[-1500:]
    anna = _user("anna.leitung@ettlingen.de")
    assert anna is not None and anna.municipality_id == city_a.id and anna.role == "lead"
