"""Every SQL statement Concord runs, behind a Protocol of named async methods.

`Store` (bot/store/interface.py) is what cogs, services and tools are typed against; `open_store`
opens the SQLite implementation, `SqliteStore` (one mixin per domain over a writer and a reader
connection). Tests and tools may pass another opener wherever one is taken (`create_bot`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.store.base import StoreUnavailable
from bot.store.group_commit import WriteFailed
from bot.store.interface import (
    CommandSyncStore,
    DigestChannel,
    DigestStore,
    MemberDataStore,
    PollStore,
    PositionKey,
    PositionStore,
    ProfileStore,
    StatementStore,
    Store,
    Voter,
)
from bot.store.sqlite import SqliteStore

if TYPE_CHECKING:
    from bot.settings import DatabaseSettings

OpenStore = Callable[["DatabaseSettings"], Awaitable[Store]]


async def open_store(settings: DatabaseSettings) -> Store:
    """Open (creating if needed) the database file the settings name and bring it up to date."""
    return await SqliteStore.open(settings.path)


__all__ = [
    "CommandSyncStore",
    "DigestChannel",
    "DigestStore",
    "MemberDataStore",
    "OpenStore",
    "PollStore",
    "PositionKey",
    "PositionStore",
    "ProfileStore",
    "SqliteStore",
    "StatementStore",
    "Store",
    "StoreUnavailable",
    "Voter",
    "WriteFailed",
    "open_store",
]
