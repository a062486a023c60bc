"""Query counts per page stay equal for 1 and 50 networks (issue #16): the network pages, the header's switcher
and the dashboard read a bounded number of statements however many networks the installation (and the user's
city) has. The 49 extra networks are written in two bulk statements."""

import pytest
import sqlalchemy as sa

from network.extensions import db
from tests.conftest import login

#: pages of a logged-in city lead (header switcher on each; "/" is the dashboard)
MEMBER_PAGES = ("/", "/netzwerke/", "/n/readi/", "/n/readi/themen/", "/n/readi/themen/matrix", "/n/readi/treffen/",
                "/n/readi/treffen/gremien/", "/praxis/", "/vorhaben/", "/profil")
#: pages of the coordination of re@di
COORDINATION_PAGES = ("/", "/n/readi/verwaltung/mitglieder", "/n/readi/verwaltung/einstellungen",
                      "/n/readi/verwaltung/koordination")
PUBLIC_PAGES = ("/", "/netzwerke/", "/n/readi/")


def _bulk_networks(count: int, city_ids: list[int]) -> None:
    """`count` more networks, each with the given cities as members (two INSERT statements)."""
    from network.networks.models import Network, NetworkMembership
    db.session.execute(sa.insert(Network), [
        {"slug": f"netz-{i:02d}", "name": f"Netz {i:02d}", "region": "", "description": ""} for i in range(count)])
    ids = db.session.execute(sa.select(Network.id).where(Network.slug.like("netz-%"))).scalars().all()
    db.session.execute(sa.insert(NetworkMembership), [
        {"network_id": n, "municipality_id": c, "status": "member"} for n in ids for c in city_ids])
    db.session.commit()


def _counts(app, count_queries, user, pages):
    client = app.test_client()
    if user is not None:
        login(client, user)
    out = {}
    for url in pages:
        client.get(url)  # warm: first-request caches (translations, templates) are not the page's cost
        with count_queries() as statements:
            status = client.get(url).status_code
        assert status == 200, url
        out[url] = len(statements)
    return out


@pytest.fixture
def installation(city_a, city_b, lead_a, coordinator):
    """re@di with Ettlingen and Bühl, a field and a topic, a body; Ettlingen's lead and re@di's coordination."""
    from tests.topics.conftest import make_field, make_topic
    make_topic(make_field("Digitale Bürgerdienste"), "e-Akte")
    db.session.commit()
    return {"city_ids": [city_a.id, city_b.id]}


def test_queries_per_page_are_equal_for_1_and_50_networks(app, count_queries, installation, lead_a, coordinator):
    from network.networks.models import Network
    assert db.session.scalar(sa.select(sa.func.count(Network.id))) == 1
    before = {who: _counts(app, count_queries, user, pages) for who, user, pages in (
        ("public", None, PUBLIC_PAGES), ("lead", lead_a, MEMBER_PAGES), ("coordination", coordinator,
                                                                          COORDINATION_PAGES))}
    _bulk_networks(49, installation["city_ids"])
    assert db.session.scalar(sa.select(sa.func.count(Network.id))) == 50
    after = {who: _counts(app, count_queries, user, pages) for who, user, pages in (
        ("public", None, PUBLIC_PAGES), ("lead", lead_a, MEMBER_PAGES), ("coordination", coordinator,
                                                                          COORDINATION_PAGES))}
    assert after == before
    assert min(before["lead"].values()) > 0  # the counter saw the pages' statements
    # the 50 networks are really there: the switcher offers them, the list pages through them
    client = app.test_client()
    login(client, lead_a)
    assert 'value="netz-48"' in client.get("/").get_data(as_text=True)
    assert "Netz 48" in client.get("/netzwerke/").get_data(as_text=True)
