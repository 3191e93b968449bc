"""Every SQL statement Concord runs, behind named async methods.

The store is split by domain (one mixin per module) over one aiosqlite connection.
"""

from __future__ import annotations

from bot.store.digests import DigestQueries
from bot.store.polls import PollQueries
from bot.store.positions import PositionQueries


class Store(PositionQueries, PollQueries, DigestQueries):
    """The one store: open it with `await Store.open(path)`, close it with `await store.close()`."""


__all__ = ["Store"]
