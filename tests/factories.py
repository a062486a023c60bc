"""Small factories for test data (services are used where a rule matters)."""

import itertools

from network.accounts.models import User
from network.extensions import db
from network.municipalities.models import Municipality, make_slug

PASSWORD = "Richtig-Geheim-123"
_seq = itertools.count(1)


DEFAULT_NETWORK = "readi"


def make_network(slug: str = DEFAULT_NETWORK, name: str | None = None, **kw):
    """A network (the default one unless a slug is given); existing rows are returned as they are."""
    import sqlalchemy as sa

    from network.networks.models import Network
    network = db.session.execute(sa.select(Network).where(Network.slug == slug)).scalar_one_or_none()
    if network is None:
        network = Network(slug=slug, name=name or ("re@di – regional.digital" if slug == DEFAULT_NETWORK
                                                   else f"Netzwerk {slug}"), **kw)
        db.session.add(network)
        db.session.flush()
    return network


def join_network(city, network=None, status: str = "member"):
    from network.networks.models import NetworkMembership
    network = network or make_network()
    row = NetworkMembership(network_id=network.id, municipality_id=city.id, status=status)
    db.session.add(row)
    db.session.flush()
    return row


def make_city(name: str | None = None, *, network=None, networks=None, **kw) -> Municipality:
    """A city, member of the default network (or of `network` / each of `networks`; `networks=()`: of none).
    A city created with status "left" has left the default network."""
    name = name or f"Teststadt {next(_seq)}"
    city = Municipality(name=name, slug=make_slug(name), kind=kw.pop("kind", "grosse_kreisstadt"),
                        district=kw.pop("district", "Landkreis Karlsruhe"), **kw)
    db.session.add(city)
    db.session.flush()
    for each in (networks if networks is not None else [network or make_network()]):
        join_network(city, each, status="left" if city.status == "left" else "member")
    return city


def make_coordinator_role(user, network=None):
    from network.networks.models import NetworkRole
    network = network or make_network()
    db.session.add(NetworkRole(network_id=network.id, user_id=user.id, role="coordinator"))
    db.session.flush()
    db.session.expire(user, ["coordinated_slugs"])
    return user


def make_user(city=None, role: str = "staff", *, email: str | None = None, name: str | None = None,
              coordinator=False, password: str | None = PASSWORD, **kw) -> User:
    """`coordinator`: True for the default network, or a Network the user coordinates."""
    n = next(_seq)
    user = User(email=email or f"user{n}@test.example", name=name or f"Person {n}", role=role,
                municipality_id=city.id if city else None, **kw)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    if coordinator:
        make_coordinator_role(user, None if coordinator is True else coordinator)
    return user


def make_parking_services():
    """Two OZG services of "Mobilität & Reisen" as the catalogue names them: (10173 Bewohnerparkausweis & Co.,
    10446 Parkausweise für Betriebe)."""
    from network.ozg.models import OzgService
    park = OzgService(ozg_id=10173, name="Parkausweise und Zufahrtsberechtigungen", lebenslage="Kfz-Besitz",
                      themenfeld="Mobilität & Reisen")
    firms = OzgService(ozg_id=10446, name="Parkausweise für Betriebe", lebenslage="Logistik & Transport",
                       themenfeld="Mobilität & Reisen")
    db.session.add_all([park, firms])
    db.session.flush()
    return park, firms
