"""The command-sync record: the hash of the slash-command tree last synced to each scope."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.settings import DatabaseSettings
from bot.store import open_store
from tests.support.world import db_rows

T0 = datetime(2026, 1, 1, tzinfo=UTC)
GUILD_SCOPE = "guild:1042112345678901234"


async def test_each_scope_keeps_the_hash_of_its_last_sync(store, db_path):
    assert await store.synced_tree_hash("global") is None

    await store.record_synced_tree("global", "a1", T0)
    await store.record_synced_tree(GUILD_SCOPE, "b2", T0)
    await store.record_synced_tree("global", "c3", T0 + timedelta(hours=1))

    assert await store.synced_tree_hash("global") == "c3"
    assert await store.synced_tree_hash(GUILD_SCOPE) == "b2"
    assert await store.synced_tree_hash("guild:1") is None
    assert db_rows(db_path, "SELECT scope, synced_at FROM command_sync ORDER BY scope") == [
        ("global", "2026-01-01T01:00:00.000000Z"),
        (GUILD_SCOPE, "2026-01-01T00:00:00.000000Z"),
    ]


async def test_the_record_survives_a_restart(db_path):
    first = await open_store(DatabaseSettings(path=db_path))
    await first.record_synced_tree(GUILD_SCOPE, "b2", T0)
    await first.close()
    second = await open_store(DatabaseSettings(path=db_path))
    try:
        assert await second.synced_tree_hash(GUILD_SCOPE) == "b2"
    finally:
        await second.close()


@pytest.mark.parametrize("scope", ["", "guild", "guild:", "guild:0", "guild:12a", "Global", "guild:-1"])
async def test_a_scope_is_global_or_one_guild(store, scope):
    with pytest.raises(sqlite3.IntegrityError):
        await store.record_synced_tree(scope, "a1", T0)
    assert await store.synced_tree_hash(scope) is None
