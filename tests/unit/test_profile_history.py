"""Digests rebuilt later (reports, resumed posts) group participants by their profile at the digest's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiosqlite

from bot.core.digest import build_digest
from bot.migrate import MIGRATIONS_DIR, migrate
from bot.settings import Settings
from tests.support.world import db_rows

T0 = datetime(2012, 11, 1, 5, 0, tzinfo=UTC)
GUILD = 1_042_112_345_678_901_234
ANA, BEN = 1_042_112_999_999_999_991, 1_042_112_999_999_999_992


async def test_every_profile_change_is_kept_in_order(store, db_path):
    await store.set_profile(GUILD, ANA, "academia", "weog", T0)
    await store.set_profile(GUILD, ANA, "civil-society", None, T0 + timedelta(days=1))
    rows = db_rows(db_path, "SELECT user_id, stakeholder, region FROM profile_history ORDER BY id")
    assert rows == [(ANA, "academia", "weog"), (ANA, "civil-society", None)]
    assert (await store.get_profile(GUILD, ANA)).stakeholder == "civil-society"


async def test_a_digest_rebuilt_later_uses_the_profiles_of_its_time(store):
    settings = Settings.load(None, privacy={"min_group": 1})
    await store.set_profile(GUILD, ANA, "academia", "african", T0)
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam.", T0)
    await store.record_position(GUILD, "gaps", BEN, "Ben", "none", None, T0)
    taken = T0 + timedelta(hours=1)
    await store.set_profile(GUILD, ANA, "government", "weog", T0 + timedelta(days=2))
    await store.set_profile(GUILD, BEN, "private-sector", None, T0 + timedelta(days=2))

    then = build_digest(settings, await store.digest_source(GUILD, ["gaps"], taken), "now", taken)
    later = T0 + timedelta(days=3)
    now = build_digest(settings, await store.digest_source(GUILD, ["gaps"], later), "now", later)

    gaps_then = next(theme for theme in then.themes if theme.slug == "gaps")
    gaps_now = next(theme for theme in now.themes if theme.slug == "gaps")
    assert {(g.group, g.total) for g in gaps_then.by_stakeholder} == {("academia", 1), ("undeclared", 1)}
    assert {(g.group, g.total) for g in gaps_now.by_stakeholder} == {("government", 1), ("private-sector", 1)}


async def test_the_migration_backfills_existing_profiles(tmp_path):
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path) as db:
        await migrate(db, _only_first(tmp_path))
        await db.execute(
            "INSERT INTO profiles VALUES (?, ?, 'academia', 'weog', '2012-10-01T00:00:00.000000Z')", (GUILD, ANA)
        )
        await db.commit()
        await migrate(db)
    assert db_rows(path, "SELECT guild_id, user_id, at, stakeholder, region FROM profile_history") == [
        (GUILD, ANA, "2012-10-01T00:00:00.000000Z", "academia", "weog")
    ]


def _only_first(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("00[123]_*.sql")):
        (folder / path.name).write_text(path.read_text())
    return folder
