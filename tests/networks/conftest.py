import pytest

from network.extensions import db
from tests import factories


@pytest.fixture
def nord():
    """A second network ("B") with its own coordinator; Ettlingen (city A) is not in it unless a test joins it."""
    network = factories.make_network("nord", "Städtenetz Nord", region="Nordbaden")
    db.session.commit()
    return network


@pytest.fixture
def coordinator_nord(nord):
    user = factories.make_user(None, "lead", email="nord@test.example", name="Nora Nord", coordinator=nord)
    db.session.commit()
    return user


@pytest.fixture
def admin():
    user = factories.make_user(None, "lead", email="plattform@test.example", name="Plattform",
                               is_platform_admin=True)
    db.session.commit()
    return user
