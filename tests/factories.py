"""Small factories for test data (services are used where a rule matters)."""

import itertools

from network.accounts.models import User
from network.extensions import db
from network.municipalities.models import Municipality, make_slug

PASSWORD = "Richtig-Geheim-123"
_seq = itertools.count(1)


def make_city(name: str | None = None, **kw) -> Municipality:
    name = name or f"Teststadt {next(_seq)}"
    city = Municipality(name=name, slug=make_slug(name), kind=kw.pop("kind", "grosse_kreisstadt"),
                        district=kw.pop("district", "Landkreis Karlsruhe"), **kw)
    db.session.add(city)
    db.session.flush()
    return city


def make_user(city=None, role: str = "staff", *, email: str | None = None, name: str | None = None,
              coordinator: bool = False, password: str | None = PASSWORD, **kw) -> User:
    n = next(_seq)
    user = User(email=email or f"user{n}@test.example", name=name or f"Person {n}", role=role,
                municipality_id=city.id if city else None, is_coordinator=coordinator, **kw)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
