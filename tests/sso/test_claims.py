"""What verified claims may do (issue #18), without a provider: the rules of trust of login_with_claims."""

import pytest

from network.accounts.models import User
from network.extensions import db
from network.sso import services
from tests import factories
from tests.conftest import row_count
from tests.sso.conftest import provider_data


@pytest.fixture
def provider(allow_http, city_a, lead_a):
    p = services.save_provider(lead_a, city_a, provider_data("https://login.ettlingen.de", domains="ettlingen.de"))
    db.session.commit()
    return p


def claims(**kw):
    out = {"sub": "abc-1", "email": "Mia@Ettlingen.de", "email_verified": True, "name": "Mia Muster",
           "groups": ["verwaltung"]}
    out.update(kw)
    return {k: v for k, v in out.items() if v is not None}


@pytest.mark.parametrize("bad, code", [
    (dict(sub=None), "claims"),
    (dict(sub="x" * 300), "claims"),
    (dict(email=None), "claims"),
    (dict(email="keine-adresse"), "claims"),
    (dict(email_verified=False), "email_unverified"),
    (dict(email="mia@ettlingen.de.evil.example"), "foreign_domain"),
    (dict(email="mia@sub.ettlingen.de"), "foreign_domain"),
])
def test_bad_claims_are_refused_and_nothing_is_written(provider, bad, code):
    before = row_count(User)
    with pytest.raises(services.SsoRefused) as exc:
        services.login_with_claims(provider, claims(**bad))
    assert exc.value.code == code and exc.value.message
    db.session.rollback()
    assert row_count(User) == before


def test_email_is_lowercased_control_characters_leave_the_name_and_groups_map_to_lead(provider, city_a):
    user = services.login_with_claims(provider, claims(name="Mia\u0000 \n Muster", groups="staedtenetz-leitung"))
    assert user.email == "mia@ettlingen.de" and user.name == "Mia Muster" and user.role == "lead"
    assert user.municipality_id == city_a.id


def test_a_later_login_keeps_the_role_and_takes_over_a_new_email_of_the_domain(provider):
    first = services.login_with_claims(provider, claims())
    db.session.commit()
    again = services.login_with_claims(provider, claims(email="mia.muster@ettlingen.de",
                                                        groups=["staedtenetz-leitung"]))
    assert again.id == first.id and again.email == "mia.muster@ettlingen.de" and again.role == "staff"


def test_a_new_email_that_another_account_has_is_refused(provider, city_a):
    services.login_with_claims(provider, claims())
    factories.make_user(city_a, "staff", email="belegt@ettlingen.de", name="Belegt")
    db.session.commit()
    with pytest.raises(services.SsoRefused) as exc:
        services.login_with_claims(provider, claims(email="belegt@ettlingen.de"))
    assert exc.value.code == "email_taken"


def test_no_new_accounts_for_a_city_that_left(provider, city_a):
    city_a.status = "left"
    db.session.commit()
    with pytest.raises(services.SsoRefused) as exc:
        services.login_with_claims(provider, claims())
    assert exc.value.code == "city_left"
