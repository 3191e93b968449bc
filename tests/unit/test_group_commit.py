"""Group commit at the store: concurrent writes share one transaction, each caller confirmed after its commit,
and a write that fails does not take the others with it."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.ballot_keys import BallotKeys
from bot.core.polls import ClickKind
from bot.store import WriteFailed
from bot.store.group_commit import Batch
from tests.support.world import db_rows

T0 = datetime(2012, 11, 8, 5, 0, tzinfo=UTC)
GUILD = 1_042_112_345_678_901_234
KEYS = BallotKeys(bytes(range(32)))


async def open_poll(store, *, max_choices: int = 1):
    return await store.create_poll(
        guild_id=GUILD,
        channel_id=2,
        created_by=3,
        question="Group commit?",
        options=["Yes", "No", "Not yet"],
        theme=None,
        secret=False,
        hide_results=False,
        max_choices=max_choices,
        now=T0,
        closes_at=T0 + timedelta(hours=1),
        ballot_seed=None,
    )


async def test_a_failing_write_in_a_batch_loses_nothing_of_the_others(store, db_path):
    def half_then_broken(batch: Batch) -> None:
        batch.conn.execute(
            "INSERT INTO profiles (guild_id, user_id, stakeholder, region, updated_at) "
            "VALUES (?, 9, 'academia', NULL, ?)",
            (GUILD, "2012-11-08T05:00:00.000000Z"),
        )
        batch.conn.execute("INSERT INTO no_such_table VALUES (1)")

    results = await asyncio.gather(
        *(store.record_position(GUILD, "gaps", user, f"u{user}", "some", f"r{user}", T0) for user in range(50)),
        store._write(half_then_broken),
        *(store.record_position(GUILD, "gaps", user, f"u{user}", "some", f"r{user}", T0) for user in range(50, 100)),
        return_exceptions=True,
    )
    assert isinstance(results[50], WriteFailed)
    assert all(change.changed and change.first for change in results[:50] + results[51:])
    assert await store.count_participants(GUILD, "gaps") == 100
    assert db_rows(db_path, "SELECT count(*) FROM position_history") == [(100,)]
    assert db_rows(db_path, "SELECT count(*) FROM profiles") == [(0,)], "the failed write left nothing half-done"
    assert db_rows(db_path, "SELECT count(*), max(number) FROM statements") == [(100, 100)], "numbers never skip"


async def test_an_error_other_than_the_database_reaches_its_caller_alone(store):
    def bug(batch: Batch) -> None:
        raise KeyError("a bug in one write")

    results = await asyncio.gather(
        store.record_position(GUILD, "gaps", 1, "u1", "some", "why", T0), store._write(bug), return_exceptions=True
    )
    assert isinstance(results[1], KeyError) and results[0].changed
    assert (await store.get_position(GUILD, "gaps", 1)).rationale == "why"


async def test_each_caller_is_confirmed_only_after_its_commit(store, db_path):
    """As soon as a vote returns, another connection (another process, a crash's survivor) sees it."""
    poll = await open_poll(store)
    seen: list[bool] = []

    async def vote_then_look(user: int) -> None:
        outcome = await store.vote(GUILD, poll.id, user, user % 3, T0, KEYS)
        assert outcome.click is not None and outcome.click.kind is ClickKind.RECORDED
        with sqlite3.connect(db_path) as other:
            found = other.execute("SELECT position FROM poll_votes WHERE poll_id = ? AND user_id = ?", (poll.id, user))
            seen.append(found.fetchall() == [(user % 3,)])

    await asyncio.gather(*(vote_then_look(user) for user in range(300)))
    assert seen == [True] * 300


async def test_concurrent_votes_by_one_member_apply_in_order_and_keep_the_last(store, db_path):
    poll = await open_poll(store)
    clicks = [0, 2, 1, 1, 2]
    outcomes = await asyncio.gather(*(store.vote(GUILD, poll.id, 7, choice, T0, KEYS) for choice in clicks))
    kinds = [outcome.click.kind for outcome in outcomes]
    assert kinds == [ClickKind.RECORDED, ClickKind.CHANGED, ClickKind.CHANGED, ClickKind.CONFIRMED, ClickKind.CHANGED]
    assert [outcome.click.previous for outcome in outcomes] == [
        frozenset(),
        frozenset({0}),
        frozenset({2}),
        frozenset({1}),
        frozenset({1}),
    ]
    assert db_rows(db_path, "SELECT user_id, position FROM poll_votes") == [(7, 2)]


async def test_a_vote_and_its_retraction_in_one_batch_leave_no_ballot(store, db_path):
    poll = await open_poll(store)
    voted, retracted = await asyncio.gather(
        store.vote(GUILD, poll.id, 7, 1, T0, KEYS), store.vote(GUILD, poll.id, 7, None, T0, KEYS)
    )
    assert voted.click.choices == {1} and retracted.previous == {1}
    assert db_rows(db_path, "SELECT count(*) FROM poll_votes") == [(0,)]


async def test_closing_the_store_first_finishes_the_writes_handed_in(db_path):
    from bot.settings import DatabaseSettings
    from bot.store import open_store

    store = await open_store(DatabaseSettings(path=db_path))
    poll = await open_poll(store)
    pending = [asyncio.ensure_future(store.vote(GUILD, poll.id, user, 0, T0, KEYS)) for user in range(200)]
    await asyncio.sleep(0)  # the votes are handed in
    await store.close()
    assert all(vote.done() and vote.result().click is not None for vote in pending)
    assert db_rows(db_path, "SELECT count(*) FROM poll_votes") == [(200,)]
    with pytest.raises(WriteFailed):  # a write handed to a closed store is refused, not lost silently
        await store.record_position(GUILD, "gaps", 1, "u1", "some", "why", T0)
