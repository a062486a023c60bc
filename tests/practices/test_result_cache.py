"""The practices pages' result cache (core.resultcache, issue #17): a search's count, facets and ranking are kept
per worker and served again without matching, until a practice changes (the generation moves on with the commit)
or the entry is older than RESULT_CACHE_SECONDS. An entry is per viewer (anonymous, city, coordination), and the
hits it names are read through the visibility rules again, so a late entry never shows more than allowed."""

import pytest
import sqlalchemy as sa

from network.core import resultcache
from network.extensions import db
from network.practices import services
from network.practices.models import Practice
from network.practices.services import fulltext
from tests import factories
from tests.practices.conftest import write


@pytest.fixture
def cache_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "RESULT_CACHE_SECONDS", 60)
    # the migration (or create_all) writes the kind's row; the tests empty every table after each test
    if db.session.get(resultcache.CacheGeneration, "practices") is None:
        db.session.add(resultcache.CacheGeneration(name="practices", value=0))
        db.session.commit()
    fulltext.SAMPLES.clear()
    yield fulltext.SAMPLES
    fulltext.SAMPLES.clear()


def _search(user, q="Parkraum"):
    return services.search(user, q, services.Filters(), count_limit=services.COUNT_LIMIT, facet_top=services.FACET_TOP)


def _ids(result):
    return [hit.practice.id for hit in result.hits]


def test_a_repeated_search_is_answered_from_the_cache_with_the_same_hits(cache_on, lead_a, count_queries):
    for n in range(3):
        write(lead_a, f"Parkraum digital {n}", publish_as=lead_a, visibility="public")
    with count_queries() as first:
        before = _search(lead_a)
    with count_queries() as second:
        again = _search(lead_a)
    assert _ids(again) == _ids(before) and len(_ids(before)) == 3 and again.total == before.total == 3
    assert again.facets == before.facets
    # the match (and SQLite's probe) is not sent again; the generation is read instead
    assert len(second) < len(first)
    assert any("cache_generation" in s for s in second)
    assert not any("practice_search" in s or "practice_fts" in s for s in second)


def test_a_change_of_a_practice_ends_the_cached_results(cache_on, lead_a):
    write(lead_a, "Parkraum digital", publish_as=lead_a, visibility="public")
    viewer = lead_a
    assert _search(viewer).total == 1
    new = write(lead_a, "Parkraum mit Sensoren", publish_as=lead_a, visibility="public")
    found = _search(viewer)
    assert found.total == 2 and new.id in _ids(found)
    services.archive_practice(lead_a, new)
    db.session.commit()
    # archived practices stay readable (and findable); the archive still moved the generation on
    generation = db.session.scalar(sa.select(resultcache.CacheGeneration.value)
                                   .where(resultcache.CacheGeneration.name == "practices"))
    assert generation == 5  # two practices written and published (create + publish each) and the archive
    assert _search(viewer).total == 2


def test_entries_are_per_viewer_and_never_show_more_than_allowed(cache_on, lead_a, lead_b, client):
    # a network practice of city A: its network partners read it, the anonymous visitor does not
    hidden = write(lead_a, "Parkraum im Netzwerk", publish_as=lead_a, visibility="network")
    shown = write(lead_a, "Parkraum öffentlich", publish_as=lead_a, visibility="public")
    assert set(_ids(_search(lead_a))) == {hidden.id, shown.id}
    page = client.get("/praxis/suche?q=Parkraum").get_data(as_text=True)
    assert f'id="hit-{shown.id}"' in page and f'id="hit-{hidden.id}"' not in page
    assert "1 Praxisbericht gefunden" in page
    # a change behind the cache's back (no generation): the cached sample still names the practice, but the page
    # reads its hits through the visibility rules and leaves it out
    db.session.execute(sa.update(Practice).where(Practice.id == shown.id).values(visibility="network"))
    db.session.commit()
    page = client.get("/praxis/suche?q=Parkraum").get_data(as_text=True)
    assert f'id="hit-{shown.id}"' not in page and f'id="hit-{hidden.id}"' not in page


def test_entries_expire_after_the_configured_seconds(cache_on, lead_a, monkeypatch):
    write(lead_a, "Parkraum digital", publish_as=lead_a, visibility="public")
    assert _search(lead_a).total == 1
    # a row that changes without a generation (as a city's membership would): seen once the entry is too old
    other = write(lead_a, "Parkraum zwei", publish_as=lead_a, visibility="public")
    cached = fulltext.SAMPLES._entries
    key = next(iter(cached))
    generation, made_at, value = cached[key]
    cached[key] = (db.session.scalar(sa.select(resultcache.CacheGeneration.value)
                                     .where(resultcache.CacheGeneration.name == "practices")), made_at, value)
    assert _search(lead_a).total == 1  # the (forged) current entry answers
    cached[key] = (cached[key][0], made_at - 61, value)
    found = _search(lead_a)
    assert found.total == 2 and other.id in _ids(found)


def test_without_its_row_nothing_is_cached(cache_on, lead_a, count_queries):
    db.session.delete(db.session.get(resultcache.CacheGeneration, "practices"))
    db.session.commit()
    write(lead_a, "Parkraum digital", publish_as=lead_a, visibility="public")  # the bump finds no row: no error
    assert _search(lead_a).total == 1
    with count_queries() as again:
        assert _search(lead_a).total == 1
    assert any("practice_fts" in s or "practice_search" in s for s in again) and not fulltext.SAMPLES._entries


def test_the_cache_is_bounded(app, monkeypatch):
    cache = resultcache.ResultCache("practices", max_entries=3)
    monkeypatch.setitem(app.config, "RESULT_CACHE_SECONDS", 60)
    for n in range(5):
        cache.put(("q", n), 7, n)
    assert [cache.get(("q", n), 7) for n in range(5)] == [None, None, 2, 3, 4]
    assert cache.get(("q", 4), 8) is None  # another generation
    monkeypatch.setitem(app.config, "RESULT_CACHE_SECONDS", 0)
    assert cache.generation() is None  # off: nothing is read or kept
