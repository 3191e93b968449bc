"""The SQLite store and its migrations, driven directly (the service layer below the cogs)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import aiosqlite
import pytest

from bot.migrate import MIGRATIONS_DIR, available_migrations, migrate
from bot.settings import DatabaseSettings
from bot.store import open_store
from tests.support.world import db_rows

T0 = datetime(2012, 11, 8, 5, 0, tzinfo=UTC)
GUILD = 1_042_112_345_678_901_234  # real snowflakes are beyond 32 bits
OTHER = 1_042_112_345_678_909_999
USER = 1_042_112_999_999_999_999


async def test_a_fresh_database_is_migrated_to_the_latest_version(store, db_path):
    assert await store.schema_version() == len(available_migrations()) >= 1
    tables = {row[0] for row in db_rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"profiles", "positions", "position_history"} <= tables
    assert db_rows(db_path, "PRAGMA journal_mode") == [("wal",)]
    async with store.db.execute("PRAGMA foreign_keys") as cursor:
        assert (await cursor.fetchone())[0] == 1


async def test_reopening_applies_nothing_twice_and_keeps_data(db_path):
    first = await open_store(DatabaseSettings(path=db_path))
    await first.record_position(GUILD, "gaps", USER, "Ana", "some", "Kept.", T0)
    version = await first.schema_version()
    await first.close()

    second = await open_store(DatabaseSettings(path=db_path))
    try:
        assert await second.schema_version() == version
        assert (await second.get_position(GUILD, "gaps", USER)).rationale == "Kept."
    finally:
        await second.close()


async def test_a_failing_migration_leaves_the_database_at_the_previous_version(tmp_path):
    (tmp_path / "001_first.sql").write_text("CREATE TABLE first (id INTEGER PRIMARY KEY);")
    (tmp_path / "002_broken.sql").write_text("CREATE TABLE second (id INTEGER);\nINSERT INTO nowhere VALUES (1);")
    async with aiosqlite.connect(tmp_path / "m.db") as db:
        with pytest.raises(aiosqlite.OperationalError):
            await migrate(db, tmp_path)
        async with db.execute("PRAGMA user_version") as cursor:
            assert (await cursor.fetchone())[0] == 1
        async with db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
            assert [row[0] for row in await cursor.fetchall()] == ["first"]


def test_migration_files_are_numbered_without_gaps(tmp_path):
    assert [number for number, _ in available_migrations(MIGRATIONS_DIR)] == list(
        range(1, len(available_migrations()) + 1)
    )
    (tmp_path / "001_a.sql").write_text("")
    (tmp_path / "003_c.sql").write_text("")
    with pytest.raises(RuntimeError, match=r"003_c\.sql is out of sequence"):
        available_migrations(tmp_path)


async def test_ids_are_integers_and_positions_round_trip(store, db_path):
    await store.set_profile(GUILD, USER, "government", "weog", T0)
    await store.record_position(GUILD, "gaps", USER, "Ana", "some", "Because.", T0)

    assert db_rows(db_path, "SELECT typeof(guild_id), typeof(user_id), guild_id FROM positions") == [
        ("integer", "integer", GUILD)
    ]
    position = await store.get_position(GUILD, "gaps", USER)
    assert (position.user_id, position.display_name, position.stance, position.rationale) == (
        USER,
        "Ana",
        "some",
        "Because.",
    )
    assert (position.stakeholder, position.region, position.updated_at) == ("government", "weog", T0)
    assert await store.get_profile(GUILD, USER) is not None
    assert await store.get_profile(OTHER, USER) is None
    assert await store.get_position(OTHER, "gaps", USER) is None


async def test_history_records_every_change_and_withdrawal_in_order(store):
    await store.record_position(GUILD, "gaps", USER, "Ana", "none", None, T0)
    await store.record_position(GUILD, "gaps", USER, "Ana", "some", "Changed my mind.", T0 + timedelta(hours=1))
    assert await store.withdraw_position(GUILD, "gaps", USER, T0 + timedelta(hours=2))
    assert not await store.withdraw_position(GUILD, "gaps", USER, T0 + timedelta(hours=3))

    entries = await store.theme_history(GUILD, "gaps")
    assert [(e.at - T0, e.stance, e.rationale) for e in entries] == [
        (timedelta(0), "none", None),
        (timedelta(hours=1), "some", "Changed my mind."),
        (timedelta(hours=2), None, None),
    ]
    until = await store.theme_history(GUILD, "gaps", until=T0 + timedelta(minutes=59))
    assert [e.stance for e in until] == ["none"]
    assert await store.theme_history(OTHER, "gaps") == []
    assert await store.count_participants(GUILD, "gaps") == 0


async def test_list_positions_newest_first_with_filter_and_profiles(store):
    for offset, (user, stance) in enumerate([(1, "some"), (2, "none"), (3, "some")]):
        await store.record_position(GUILD, "gaps", user, f"u{user}", stance, None, T0 + timedelta(minutes=offset))
    await store.record_position(OTHER, "gaps", 9, "elsewhere", "some", None, T0)
    await store.record_position(GUILD, "igf", 1, "u1", "home", None, T0)
    await store.set_profile(GUILD, 3, "academia", None, T0)

    listed = await store.list_positions(GUILD, "gaps")
    assert [(p.user_id, p.stakeholder) for p in listed] == [(3, "academia"), (2, None), (1, None)]
    assert [p.user_id for p in await store.list_positions(GUILD, "gaps", "some")] == [3, 1]
    assert await store.count_participants(GUILD, "gaps") == 3
    assert await store.count_participants(GUILD, "gaps", "some") == 2
    assert await store.count_participants(OTHER, "gaps") == 1


async def test_a_page_of_positions_reads_only_that_page(store):
    for user in range(12):
        stance = "some" if user % 3 else "none"
        await store.record_position(GUILD, "gaps", user, f"u{user}", stance, None, T0 + timedelta(minutes=user))
    await store.record_position(OTHER, "gaps", 99, "elsewhere", "some", None, T0 + timedelta(hours=1))

    pages = [await store.list_positions(GUILD, "gaps", limit=5, offset=start) for start in (0, 5, 10)]
    assert [[p.user_id for p in page] for page in pages] == [[11, 10, 9, 8, 7], [6, 5, 4, 3, 2], [1, 0]]
    some = await store.list_positions(GUILD, "gaps", "some", limit=3, offset=3)
    assert [p.user_id for p in some] == [7, 5, 4]
    assert await store.list_positions(GUILD, "gaps", limit=5, offset=15) == []


async def test_stance_counts_group_by_current_profile_within_one_guild(store):
    for user, stance in enumerate(["some", "some", "none", "some", "widespread"]):
        await store.record_position(GUILD, "gaps", user, f"u{user}", stance, "a long rationale " * 50, T0)
    await store.set_profile(GUILD, 0, "academia", "weog", T0)
    await store.set_profile(GUILD, 1, "academia", None, T0)
    await store.set_profile(OTHER, 3, "government", None, T0)  # another server's profile counts nowhere here
    await store.record_position(OTHER, "gaps", 0, "u0", "none", None, T0)
    await store.record_position(GUILD, "igf", 0, "u0", "home", None, T0)

    assert await store.stance_counts(GUILD, "gaps") == {
        ("some", "academia"): 2,
        ("none", None): 1,
        ("some", None): 1,
        ("widespread", None): 1,
    }
    assert await store.stance_counts(OTHER, "gaps") == {("none", None): 1}
    assert await store.stance_counts(GUILD, "structures") == {}


async def test_concurrent_writes_all_land(store, db_path):
    await asyncio.gather(
        *(store.record_position(GUILD, "gaps", user, f"u{user}", "some", f"r{user}", T0) for user in range(200)),
        *(store.record_position(GUILD, "igf", USER, "Ana", "home", f"take {i}", T0) for i in range(50)),
        *(store.set_profile(GUILD, user, "academia", None, T0) for user in range(0, 200, 2)),
    )
    assert await store.count_participants(GUILD, "gaps") == 200
    assert await store.count_participants(GUILD, "igf") == 1
    assert db_rows(db_path, "SELECT count(*) FROM position_history") == [(250,)]
    assert db_rows(db_path, "SELECT count(*) FROM profiles") == [(100,)]


async def test_a_failed_transaction_is_rolled_back_and_the_store_stays_usable(store):
    with pytest.raises(RuntimeError):
        async with store.transaction() as db:
            await db.execute(
                "INSERT INTO profiles (guild_id, user_id, stakeholder, region, updated_at) VALUES (?, ?, ?, ?, ?)",
                (GUILD, USER, "government", None, "2012-11-08T05:00:00.000000Z"),
            )
            raise RuntimeError("half-way")
    assert await store.get_profile(GUILD, USER) is None
    await store.set_profile(GUILD, USER, "academia", None, T0)
    assert (await store.get_profile(GUILD, USER)).stakeholder == "academia"


async def test_the_ballot_nonce_migration_keeps_an_open_secret_polls_salt(tmp_path, db_path):
    """A secret poll open across the upgrade keeps its salt (its ballots' key) until it closes."""
    before = tmp_path / "before-006"
    before.mkdir()
    for number, path in available_migrations():
        if number < 6:
            (before / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    salt = bytes(range(32))
    async with aiosqlite.connect(db_path) as db:
        assert await migrate(db, before) == 5
        await db.execute(
            "INSERT INTO polls (guild_id, number, channel_id, created_by, question, secret, hide_results, "
            "max_choices, created_at, closes_at, salt) VALUES (?, 1, 2, 3, 'Open?', 1, 1, 1, ?, ?, ?)",
            (GUILD, "2026-01-01T00:00:00.000000Z", "2026-01-02T00:00:00.000000Z", salt),
        )
        await db.commit()
    store = await open_store(DatabaseSettings(path=db_path))
    try:
        [poll] = await store.polls_with_due_work()
        seed = await store.poll_ballot_seed(poll.id)
        assert (seed.legacy_salt, seed.nonce, seed.check) == (salt, None, None)
        assert await store.open_ballot_seeds() == {poll.id: seed}
        assert await store.close_poll(poll.id, datetime(2026, 1, 2, tzinfo=UTC))
        assert await store.poll_ballot_seed(poll.id) is None
    finally:
        await store.close()


async def test_the_store_refreshes_statistics_so_a_members_rows_are_found_by_index(db_path):
    """Statistics taken while the tables were empty (or never) are refreshed at open: the planner then
    searches a member's rows by their (guild_id, user_id) indexes, whatever the size of the forum."""
    import sqlite3 as plain
    from contextlib import closing

    from bot.settings import DatabaseSettings
    from bot.store import open_store

    await (await open_store(DatabaseSettings(path=db_path))).close()
    with closing(plain.connect(db_path)) as db:
        db.execute("DELETE FROM sqlite_stat1")
        db.executemany(
            "INSERT INTO statements (guild_id, number, theme, author_id, text, created_at) "
            "VALUES (1, ?, 'gaps', ?, ?, 'x')",
            [(n, n % 500, f"t{n}") for n in range(1, 3001)],
        )
        db.commit()
    store = await open_store(DatabaseSettings(path=db_path))
    await store.close()
    with closing(plain.connect(db_path)) as db:
        analysed = {row[0] for row in db.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'statements'")}
        plan = " ".join(
            row[3]
            for row in db.execute("EXPLAIN QUERY PLAN SELECT id FROM statements WHERE guild_id = 1 AND author_id = 7")
        )
    assert "statements_by_author" in analysed
    assert "USING INDEX statements_by_author" in plan or "USING COVERING INDEX statements_by_author" in plan


async def test_pages_across_ties_are_the_pages_of_one_sorted_list_by_offset_or_by_key(store):
    """Many positions share a moment (a burst): the order is newest first, ties by user id, and every page,
    read by its offset or from the last row of the page before, is that order's slice, with and without a
    stance, whatever the page size."""
    from bot.store import PositionKey

    moments = [T0 + timedelta(minutes=minute) for minute in (0, 0, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3)]
    users = [40, 7, 33, 2, 18, 5, 11, 29, 3, 14, 1, 21, 8]
    for user, moment in zip(users, moments, strict=True):
        stance = "some" if user % 2 else "none"
        await store.record_position(GUILD, "gaps", user, f"u{user}", stance, f"why {user}", moment)
    await store.record_position(OTHER, "gaps", 99, "elsewhere", "some", None, T0 + timedelta(minutes=3))
    by_moment = sorted(zip(moments, users, strict=True), key=lambda pair: (-pair[0].timestamp(), pair[1]))
    for stance in (None, "some", "none"):
        expected = [user for _, user in by_moment if stance is None or ("some" if user % 2 else "none") == stance]
        assert [p.user_id for p in await store.list_positions(GUILD, "gaps", stance)] == expected
        for size in (1, 2, 3, 5):
            by_offset = [
                [p.user_id for p in await store.list_positions(GUILD, "gaps", stance, limit=size, offset=start)]
                for start in range(0, len(expected) + size, size)
            ]
            assert by_offset == [expected[start : start + size] for start in range(0, len(expected) + size, size)]
            by_key, after = [], None
            while page := await store.list_positions(GUILD, "gaps", stance, limit=size, after=after):
                by_key.append([p.user_id for p in page])
                after = PositionKey.of(page[-1])
            assert by_key == [expected[start : start + size] for start in range(0, len(expected), size)]


async def test_the_positions_browser_reads_its_order_from_an_index(db_path, store):
    """No sort of the whole theme, with or without a stance (EXPLAIN QUERY PLAN of the page's statements)."""
    from bot.store.positions import _page_sql, _theme_filter

    for stance in (None, "some"):
        where, params = _theme_filter(GUILD, "gaps", stance)
        for keyset, extra in (
            ("", ()),
            ("AND p.updated_at <= ? AND (p.updated_at < ? OR p.user_id > ?)", ("x", "x", 1)),
        ):
            plan = " | ".join(
                row[3] for row in db_rows(db_path, f"EXPLAIN QUERY PLAN {_page_sql(where, keyset)}", *params, *extra, 5)
            )
            assert "TEMP B-TREE" not in plan and "positions_newest" in plan, plan
