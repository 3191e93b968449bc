"""`python -m bot erase --guild ID --user ID` on a seeded database, through the CLI's main()."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.cli import main
from bot.core.consensus import Reaction
from bot.settings import DatabaseSettings
from bot.store import open_store
from tests.support.erasure import traces
from tests.support.world import db_rows

GUILD, ELSEWHERE = 4242, 5151
GONE, STAYS = 872_364_551_203_948_001, 872_364_551_203_948_002
T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def seed(db) -> None:
    store = await open_store(DatabaseSettings(path=db))
    try:
        for guild in (GUILD, ELSEWHERE):
            await store.set_profile(guild, GONE, "academia", "weog", T0)
            await store.record_position(guild, "gaps", GONE, "Quentin Erasmus", "some", "Leaving soon.", T0)
            await store.record_position(guild, "gaps", STAYS, "Stays Here", "none", "Staying.", T0)
        statements = db_rows(db, "SELECT id, author_id FROM statements WHERE guild_id = ?", GUILD)
        mine = next(sid for sid, author in statements if author == GONE)
        theirs = next(sid for sid, author in statements if author == STAYS)
        await store.react(GUILD, theirs, GONE, Reaction.AGREE, T0 + timedelta(minutes=1))
        await store.react(GUILD, mine, STAYS, Reaction.PASS, T0 + timedelta(minutes=1))
        poll = await store.create_poll(
            guild_id=GUILD,
            channel_id=1,
            created_by=GONE,
            question="Erase?",
            options=["Yes", "No"],
            theme=None,
            secret=False,
            hide_results=False,
            max_choices=1,
            now=T0,
            closes_at=T0 + timedelta(days=1),
            ballot_seed=None,
        )
        await store.cast_vote(GUILD, poll.id, GONE, 0, "academia", T0)
        await store.set_digest_channel(GUILD, 2, GONE, T0)
    finally:
        await store.close()


def test_erase_removes_the_member_from_one_server_and_says_what_it_erased(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CONCORD_BALLOT_KEY", raising=False)
    db = tmp_path / "concord.db"
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n')
    asyncio.run(seed(db))

    assert main(["erase", "--config", str(config), "--guild", str(GUILD), "--user", str(GONE)]) == 0

    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"erased user {GONE} in guild {GUILD}: ")
    assert "positions 1" in line and "poll_votes 1" in line and "polls 1" in line and "digest_channels 1" in line
    assert "reactions 2" in line  # hers, and the one to her statement
    assert db_rows(db, "SELECT user_id FROM positions WHERE guild_id = ?", GUILD) == [(STAYS,)]
    assert db_rows(db, "SELECT agrees FROM statements WHERE guild_id = ? AND author_id = ?", GUILD, STAYS) == [(0,)]
    assert db_rows(db, "SELECT created_by FROM polls") == [(0,)]
    assert db_rows(db, "SELECT updated_by FROM digest_channels") == [(0,)]
    # the other server keeps her: the files still hold her id and name only there
    assert db_rows(db, "SELECT count(*) FROM positions WHERE guild_id = ? AND user_id = ?", ELSEWHERE, GONE) == [(1,)]
    assert not (tmp_path / "concord.ballot-key").exists()  # no secret poll: no key file made


def test_erase_overwrites_what_it_deletes(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CONCORD_BALLOT_KEY", raising=False)
    db = tmp_path / "concord.db"
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n')
    asyncio.run(seed(db))
    for guild in (GUILD, ELSEWHERE):
        assert main(["erase", "--config", str(config), "--guild", str(guild), "--user", str(GONE)]) == 0
    assert traces(db, GONE, "Quentin Erasmus") == []
    assert traces(db, STAYS, "Stays Here")  # the scan does find who is still there


def test_erase_without_a_database_is_one_line(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "missing.db"}"\n')
    assert main(["erase", "--config", str(config), "--guild", "1", "--user", "2"]) == 2
    assert "no database at" in capsys.readouterr().err


async def test_erasure_overwrites_freed_pages_even_where_sqlite_does_not_by_default(tmp_path):
    """This machine's SQLite overwrites deleted content by default; many builds do not. The erasure
    turns `secure_delete` on itself, so the scan above holds wherever the bot runs."""
    db = tmp_path / "concord.db"
    await seed(db)
    store = await open_store(DatabaseSettings(path=db))
    try:
        writer = store.db  # type: ignore[attr-defined]
        await writer.execute("PRAGMA secure_delete = OFF")
        await store.erase_member(GUILD, GONE, None)
        async with writer.execute("PRAGMA secure_delete") as cursor:
            assert (await cursor.fetchone())[0] == 1
    finally:
        await store.close()
    assert db_rows(db, "SELECT count(*) FROM positions WHERE guild_id = ? AND user_id = ?", GUILD, GONE) == [(0,)]
