import pytest

from network.extensions import db
from tests import factories


@pytest.fixture
def admin():
    user = factories.make_user(None, "lead", email="plattform@test.example", name="Plattform",
                               is_platform_admin=True)
    db.session.commit()
    return user
