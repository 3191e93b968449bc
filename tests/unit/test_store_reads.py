"""Reads never see another coroutine's half-done transaction: they go through a second connection.

Each test pauses one connection between two statements (a `Gate` around its `execute`) and acts on
the other while it waits, so the interleaving is fixed, with no sleeps.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.core.ballot_keys import BallotKeys
from bot.settings import DatabaseSettings
from bot.store import SqliteStore, open_store

GUILD = 1_042_112_345_678_901_234
T0 = datetime(2026, 1, 1, tzinfo=UTC)
GROUPS = ["academia", "academia", "academia", None]  # 4 voters; the lone undeclared one merges into "other"


class Gate:
    """Wraps a connection's `execute` so that the first statement starting with `prefix` waits for `open()`.

    `reached` is set when that statement is about to run; the statements before it have run.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, db: aiosqlite.Connection, prefix: str) -> None:
        self.reached = asyncio.Event()
        self._opened = asyncio.Event()
        self._armed = True
        original: Callable[..., Any] = db.execute

        def execute(sql: str, parameters: Any = None) -> Any:
            if self._armed and sql.lstrip().startswith(prefix):
                self._armed = False
                return _Held(self, original, sql, parameters)
            return original(sql, parameters)

        monkeypatch.setattr(db, "execute", execute)

    async def wait_reached(self) -> None:
        """Until the statement is held (a bound, not a pause: it fails a test whose statement never runs)."""
        async with asyncio.timeout(10):
            await self.reached.wait()

    def open(self) -> None:
        self._opened.set()

    async def wait_open(self) -> None:
        self.reached.set()
        await self._opened.wait()


class _Held:
    """A statement held at the gate; usable like aiosqlite's result (awaited, or `async with`)."""

    def __init__(self, gate: Gate, execute: Callable[..., Any], sql: str, parameters: Any) -> None:
        self._gate, self._execute, self._sql, self._parameters = gate, execute, sql, parameters
        self._cursor: aiosqlite.Cursor | None = None

    async def _run(self) -> aiosqlite.Cursor:
        await self._gate.wait_open()
        return await self._execute(self._sql, self._parameters)

    def __await__(self):
        return self._run().__await__()

    async def __aenter__(self) -> aiosqlite.Cursor:
        self._cursor = await self._run()
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        assert self._cursor is not None
        await self._cursor.close()


class Pauses:
    """The gates and background tasks of one test; at teardown every gate opens and every task is awaited,
    so a failed assertion leaves nothing half-way when the store closes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self._gates: list[Gate] = []
        self._tasks: list[asyncio.Task[Any]] = []

    def at(self, db: aiosqlite.Connection, prefix: str) -> Gate:
        gate = Gate(self._monkeypatch, db, prefix)
        self._gates.append(gate)
        return gate

    def start(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.create_task(work)
        self._tasks.append(task)
        return task

    async def finish(self) -> None:
        for gate in self._gates:
            gate.open()
        await asyncio.gather(*self._tasks, return_exceptions=True)


@pytest.fixture
async def store(db_path: Path):
    opened = await open_store(DatabaseSettings(path=db_path))
    yield opened
    await opened.close()


@pytest.fixture
async def pauses(store, monkeypatch):
    found = Pauses(monkeypatch)
    yield found
    await found.finish()


async def secret_poll_with_ballots(store) -> int:
    keys = BallotKeys(bytes(range(32)))
    seed = keys.new_seed()
    poll = await store.create_poll(
        guild_id=GUILD,
        channel_id=1,
        created_by=1,
        question="Sealed while read?",
        options=["Yes", "No"],
        theme=None,
        secret=True,
        hide_results=False,
        max_choices=1,
        now=T0,
        closes_at=T0 + timedelta(hours=1),
        ballot_seed=seed,
    )
    for user, group in enumerate(GROUPS):
        await store.cast_vote(GUILD, poll.id, keys.voter_key(poll.id, seed, user), user % 2, group, T0)
    return poll.id


async def test_a_read_during_a_seal_sees_the_poll_open_with_its_ballots_or_closed_with_its_counts(store, pauses):
    """The seal is paused after it erased the secret ballots and before it marks the poll closed.

    Before the reader connection, every read shared the writer connection and saw that half-done
    state: the poll still open, its ballots already gone, so `/poll results` counted zero voters.
    The last assertion of the paused block reads through the writer to show that state is real.
    """
    poll_id = await secret_poll_with_ballots(store)
    gate = pauses.at(store.db, "UPDATE polls SET closed_at")
    sealing = pauses.start(store.close_poll(poll_id, T0 + timedelta(minutes=30)))
    await gate.wait_reached()

    during = await store.get_poll_by_id(poll_id)
    assert during is not None and not during.is_closed
    assert sum((await store.poll_counts(during)).voters.values()) == len(GROUPS)
    assert await store.count_voters(during) == len(GROUPS)
    assert (await store.get_poll(GUILD, during.number)) == during
    assert await store.closed_polls(GUILD, None, T0 + timedelta(hours=2)) == []
    half_done = await store._live_counts(store.db, during)  # what a read on the shared connection saw
    assert half_done.voters == {}

    gate.open()
    assert await sealing
    after = await store.get_poll_by_id(poll_id)
    assert after is not None and after.is_closed
    assert (await store.poll_counts(after)).voters == {
        "other": 4
    }  # academia joins the lone voter in Other (secondary suppression)
    [closed] = await store.closed_polls(GUILD, None, T0 + timedelta(hours=2))
    assert closed.voters == len(GROUPS)


async def test_a_poll_read_before_its_seal_is_counted_from_the_seal_once_it_committed(store, pauses):
    """`/poll results` reads the poll, then its counts: a seal can commit in between. The counts follow the
    database, not the earlier read (the live ballots of a secret poll are gone once sealed)."""
    poll_id = await secret_poll_with_ballots(store)
    gate = pauses.at(store.db, "UPDATE polls SET closed_at")
    sealing = pauses.start(store.close_poll(poll_id, T0 + timedelta(minutes=30)))
    await gate.wait_reached()
    before = await store.get_poll_by_id(poll_id)
    gate.open()
    assert await sealing

    assert before is not None and not before.is_closed
    assert (await store.poll_counts(before)).voters == {
        "other": 4
    }  # academia joins the lone voter in Other (secondary suppression)
    assert await store.count_voters(before) == len(GROUPS)


async def test_a_read_of_several_statements_sees_one_moment(store, pauses):
    """A digest's data is read in one read transaction: a position committed while the read is half-way
    is in none of its parts (read statement by statement, the names would already include it)."""
    await store.set_profile(GUILD, 1, "academia", None, T0)
    await store.record_position(GUILD, "gaps", 1, "Ana", "some", "First.", T0)
    gate = pauses.at(store.reader, "SELECT user_id, display_name")
    reading = pauses.start(store.digest_source(GUILD, ["gaps"], T0 + timedelta(days=1)))
    await gate.wait_reached()
    await store.set_profile(GUILD, 2, "government", None, T0 + timedelta(minutes=1))
    await store.record_position(GUILD, "gaps", 2, "Ben", "none", "Second.", T0 + timedelta(minutes=1))
    gate.open()
    source = await reading

    assert [entry.user_id for entry in source.histories["gaps"]] == [1]
    assert set(source.profiles) == {1}
    assert source.names == {1: "Ana"}
    assert set((await store.digest_source(GUILD, ["gaps"], T0 + timedelta(days=1))).names) == {1, 2}


async def test_the_log_is_emptied_after_a_seal_while_a_read_holds_a_snapshot(
    store, pauses, db_path, monkeypatch, caplog
):
    """The truncating checkpoint must wait for every reader to leave the log. The store's reader is held
    half-way through a snapshot taken before the seal; the truncation waits for the reader's lock instead
    of giving up. (The writer's busy timeout is set to 0 here so that a checkpoint that did not wait
    would fail at once rather than after five seconds of retries.)"""
    poll_id = await secret_poll_with_ballots(store)
    async with store.db.execute("PRAGMA busy_timeout = 0") as cursor:
        await cursor.fetchall()
    gate = pauses.at(store.reader, "SELECT poll_id, label FROM poll_options")
    reading = pauses.start(store.get_poll_by_id(poll_id))
    await gate.wait_reached()  # the reader's snapshot is open: it sees the poll as it was before the seal

    sealed = asyncio.Event()
    commit = store.db.commit

    async def commit_then_signal() -> None:
        await commit()
        sealed.set()

    monkeypatch.setattr(store.db, "commit", commit_then_signal)
    with caplog.at_level(logging.WARNING, logger="bot.store.polls"):
        sealing = pauses.start(store.close_poll(poll_id, T0 + timedelta(minutes=30)))
        await sealed.wait()  # committed; the truncation comes next, while the snapshot is still open
        gate.open()
        before = await reading
        assert await sealing

    assert before is not None and not before.is_closed
    assert db_path.with_name(db_path.name + "-wal").stat().st_size == 0
    assert "not truncated" not in caplog.text


async def test_the_reader_refuses_writes(store):
    with pytest.raises(aiosqlite.OperationalError, match="readonly"):
        await store.reader.execute("DELETE FROM polls")


async def test_an_in_memory_database_is_refused():
    with pytest.raises(ValueError, match="database file"):
        await SqliteStore.open(":memory:")
