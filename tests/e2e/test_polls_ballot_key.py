"""Secret ballots the database alone cannot open, even while the poll is open.

A copy of the database files taken while a secret poll is open (the main file and its write-ahead log,
as a backup would take them) links no ballot to any member: nothing in the copy, tried as a key, gives
any member's stored hash. With the server secret from the key file beside the database, it does: that
is what the guarantee rests on, and its limit.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

from bot.ballot_key import key_file_path
from bot.config_values import parse_secret
from bot.core.ballot_keys import BallotKeys, BallotSeed, poll_key, voter_key
from tests.support.polls import open_poll, replies_to, sql
from tests.support.world import embed_text, restart

HOUR = 3600


def copy_database(db_path: Path, folder: Path) -> Path:
    """The database as a backup taken now would hold it: the file and its write-ahead log."""
    folder.mkdir()
    for suffix in ("", "-wal"):
        source = db_path.with_name(db_path.name + suffix)
        if source.exists():
            shutil.copyfile(source, folder / source.name)
    return folder / db_path.name


def everything_in(database: Path) -> list[object]:
    """Every value of every row of every table."""
    with closing(sqlite3.connect(database)) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [value for table in tables for row in db.execute(f'SELECT * FROM "{table}"') for value in row]


async def test_a_copy_of_an_open_secret_polls_database_links_no_ballot_to_a_member_without_the_secret(
    world, db_path, tmp_path
):
    poll = await open_poll(world, secret=True, hours=2)
    voters = world.members[:3]
    for member, answer in zip(voters, ["Yes", "No", "Yes"], strict=True):
        await member.click(poll, label=answer)
    members = [member.id for member in (*world.members, world.facilitator)]

    copy = copy_database(db_path, tmp_path / "backup")
    with closing(sqlite3.connect(copy)) as db:
        [(poll_id, nonce, check, salt)] = db.execute("SELECT id, ballot_nonce, ballot_check, salt FROM polls")
        stored = {key for (key,) in db.execute("SELECT voter_key FROM poll_ballots")}
    assert len(stored) == len(voters) and salt is None and nonce is not None

    # Without the secret: every value in the copy, as the poll's key or as the secret itself, matches no one.
    candidates = {value for value in everything_in(copy) if isinstance(value, bytes)}
    candidates |= {str(value).encode() for value in everything_in(copy) if value is not None}
    assert nonce in candidates and check in candidates
    for candidate in candidates:
        for member in members:
            assert voter_key(candidate, poll_id, member) not in stored
            assert voter_key(poll_key(candidate, poll_id, nonce), poll_id, member) not in stored

    # With the secret (the key file beside the database): each voter's ballot is found, and only theirs.
    key_file = key_file_path(db_path)
    secret = parse_secret(key_file.read_text(encoding="ascii"))
    assert secret not in b"".join(path.read_bytes() for path in copy.parent.iterdir())
    keys = BallotKeys(secret)
    seed = BallotSeed(nonce=nonce, check=check)
    assert {keys.voter_key(poll_id, seed, member.id) for member in voters} == stored
    assert not {keys.voter_key(poll_id, seed, member) for member in members[len(voters) :]} & stored

    # After close, even the secret links nothing: the nonce is gone with the ballots.
    await world.env.advance_time(2 * HOUR)
    await world.bot.tick()
    closed = copy_database(db_path, tmp_path / "after-close")
    assert not any(value in (nonce, check, *stored) for value in everything_in(closed))
    assert sql(db_path, "SELECT salt, ballot_nonce, ballot_check FROM polls") == [(None, None, None)]


async def test_the_key_file_is_written_once_for_its_owner_alone_and_kept_across_restarts(world, db_path, settings):
    key_file = key_file_path(db_path)
    assert key_file == db_path.with_name("concord.ballot-key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    written = key_file.read_text(encoding="ascii")
    assert len(parse_secret(written)) == 32
    poll = await open_poll(world, secret=True)
    await world.members[0].click(poll, label="Yes")
    await restart(world.env, settings)
    assert key_file.read_text(encoding="ascii") == written
    res = await world.members[0].click(poll, label="No")  # the same voter after the restart
    assert res.response.content.startswith("Your vote on poll #1 is changed to **No** (it was **Yes**)")


async def test_a_secret_poll_created_before_ballot_keys_keeps_its_salt_until_it_closes(world, db_path):
    """An upgrade while a secret poll is open: its ballots were keyed by the salt in the database, and stay so."""
    poll = await open_poll(world, secret=True, hours=1)
    [(poll_id,)] = sql(db_path, "SELECT id FROM polls")
    salt = bytes(range(64, 96))
    early = world.members[0]
    with closing(sqlite3.connect(db_path)) as db, db:  # the poll as the earlier Concord left it
        db.execute("UPDATE polls SET salt = ?, ballot_nonce = NULL, ballot_check = NULL WHERE id = ?", (salt, poll_id))
        db.execute(
            "INSERT INTO poll_ballots (poll_id, voter_key, position, stakeholder) VALUES (?, ?, 0, NULL)",
            (poll_id, voter_key(salt, poll_id, early.id)),
        )
    res = await early.click(poll, label="No")
    assert res.response.content.startswith("Your vote on poll #1 is changed to **No** (it was **Yes**)")
    await world.members[1].click(poll, label="No")
    assert {key for (key,) in sql(db_path, "SELECT voter_key FROM poll_ballots")} == {
        voter_key(salt, poll_id, member.id) for member in world.members[:2]
    }
    await world.env.advance_time(HOUR)
    await world.bot.tick()
    assert sql(db_path, "SELECT salt, closed_at IS NOT NULL FROM polls") == [(None, 1)]
    [posted] = replies_to(world, poll)
    assert "No: 2 (100%)" in embed_text(posted.embeds[0]) and "Voters: 2" in embed_text(posted.embeds[0])
