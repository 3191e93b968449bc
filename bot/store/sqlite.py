"""The SQLite store: one mixin per domain over one connection (see base.py)."""

from __future__ import annotations

from bot.store.digests import DigestQueries
from bot.store.polls import PollQueries
from bot.store.positions import PositionQueries


class SqliteStore(PositionQueries, PollQueries, DigestQueries):
    """Implements `bot.store.Store`; open it with `await SqliteStore.open(path)` (or `open_store`)."""
