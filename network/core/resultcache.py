"""Computed results kept per worker while the data behind them is unchanged (issue #17).

The model is a search engine's request cache (Elasticsearch's shard request cache keeps the counts and
aggregations of a search until the index next changes): the practices pages keep a search's sample (its count,
its facets and its ranked ids) under the search's key, and a page turn, a second visitor with the same question
or a reload reads it from there instead of matching and counting tens of thousands of rows again.

Valid while its *generation* holds: one row per kind of data in ``cache_generation``, which every write that
changes what a search answers moves on (``bump``, in the writing transaction, so all workers see it with the
commit). A lookup reads the generation first (one small statement) and takes an entry only if it was made in the
same generation and is younger than ``RESULT_CACHE_SECONDS`` (the upper bound for anything that changes a
result without a bump, e.g. a city's membership in a network). What a cached result names is read again through
the visibility rules when the page loads it, so an entry can at most be late, never show what the user may not see.

``RESULT_CACHE_SECONDS = 0`` (the tests' default) turns it off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db


class CacheGeneration(db.Model):
    """How often the data of a kind (e.g. "practices") changed; the result cache's validity."""

    __tablename__ = "cache_generation"
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")


#: the kinds of cached data; each has its row from the migration (cache0000001) or from create_all (below)
KINDS = ("practices",)

sa.event.listen(CacheGeneration.__table__, "after_create", sa.DDL(
    "INSERT INTO cache_generation (name, value) VALUES " + ", ".join(f"('{kind}', 0)" for kind in KINDS)))


def bump(name: str) -> None:
    """The data of kind `name` changed in this transaction: results cached before no longer count once it commits.
    An UPDATE of the kind's one row (concurrent writers wait for each other's commit there, never fail)."""
    db.session.execute(sa.update(CacheGeneration).where(CacheGeneration.name == name)
                       .values(value=CacheGeneration.value + 1))


class ResultCache:
    """A bounded least-recently-used map per worker process: key -> (generation, made at, value)."""

    def __init__(self, name: str, max_entries: int = 256):
        self.name = name
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def seconds(self) -> float:
        return float(current_app.config.get("RESULT_CACHE_SECONDS") or 0)

    def generation(self) -> int | None:
        """This kind's generation now (one statement), None when the cache is off."""
        if self.seconds() <= 0:
            return None
        # no row (a database made without it): nothing could tell when an entry ends, so nothing is cached
        return db.session.scalar(sa.select(CacheGeneration.value).where(CacheGeneration.name == self.name))

    def get(self, key, generation: int | None):
        if generation is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            made_in, made_at, value = entry
            if made_in != generation or time.monotonic() - made_at > self.seconds():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key, generation: int | None, value) -> None:
        if generation is None:
            return
        with self._lock:
            self._entries[key] = (generation, time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
