"""The clicks of one group commit are decided together (one read, one write per table): each outcome and
the stored ballots are exactly those of running the clicks one after another in arrival order."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.ballot_keys import BallotKeys, BallotSeed
from bot.core.polls import ClickKind, VoteRefusal
from bot.settings import DatabaseSettings
from bot.store import WriteFailed, open_store
from tests.support.world import db_rows

T0 = datetime(2012, 11, 8, 5, 0, tzinfo=UTC)
GUILD = 1_042_112_345_678_901_234
KEYS = BallotKeys(bytes(range(32)))


async def new_poll(store, *, secret: bool = False, max_choices: int = 1, closes_in: timedelta = timedelta(hours=1)):
    return await store.create_poll(
        guild_id=GUILD,
        channel_id=2,
        created_by=3,
        question="Bulk?",
        options=["Yes", "No", "Not yet"],
        theme=None,
        secret=secret,
        hide_results=False,
        max_choices=max_choices,
        now=T0,
        closes_at=T0 + closes_in,
        ballot_seed=KEYS.new_seed() if secret else None,
    )


def ballots(db_path, secret: bool) -> list[tuple]:
    if secret:
        return db_rows(db_path, "SELECT poll_id, voter_key, position, stakeholder FROM poll_ballots ORDER BY 1, 2, 3")
    return db_rows(db_path, "SELECT poll_id, user_id, position, stakeholder, voted_at FROM poll_votes ORDER BY 1, 2, 3")


@pytest.mark.parametrize("secret", [False, True])
async def test_a_mixed_batch_records_changes_and_retracts_each_as_if_alone(store, db_path, secret):
    poll = await new_poll(store, secret=secret)
    await store.set_profile(GUILD, 1, "academia", None, T0)
    await store.set_profile(GUILD, 3, "business", None, T0)
    for user, choice in ((1, 0), (2, 1), (3, 2)):  # earlier ballots, each committed on its own
        await store.vote(GUILD, poll.id, user, choice, T0, KEYS)
    outcomes = await asyncio.gather(
        store.vote(GUILD, poll.id, 1, 1, T0, KEYS),  # a change
        store.vote(GUILD, poll.id, 2, None, T0, KEYS),  # a retraction
        store.vote(GUILD, poll.id, 4, 2, T0, KEYS),  # a new vote
        store.vote(GUILD, poll.id, 3, 2, T0, KEYS),  # a confirmation
        store.vote(GUILD, poll.id, 5, None, T0, KEYS),  # a retraction of nothing
        store.vote(GUILD, poll.id, 4, 0, T0, KEYS),  # the same voter again: the last click counts
        store.vote(GUILD, poll.id, 6, 7, T0, KEYS),  # no such answer
        store.vote(GUILD + 1, poll.id, 6, 0, T0, KEYS),  # another server's
    )
    assert [(o.click.kind, o.click.previous) for o in outcomes if o.click] == [
        (ClickKind.CHANGED, {0}),
        (ClickKind.RECORDED, frozenset()),
        (ClickKind.CONFIRMED, {2}),
        (ClickKind.CHANGED, {2}),
    ]
    assert outcomes[1].previous == {1} and outcomes[4].previous == frozenset()
    assert outcomes[6].refused is VoteRefusal.NO_SUCH_ANSWER and outcomes[7].refused is VoteRefusal.ELSEWHERE
    counts = await store.poll_counts(poll)
    assert sum(counts.voters.values()) == 3
    mine = {user: await _choices(store, poll, user) for user in range(1, 7)}
    assert mine == {1: {1}, 2: frozenset(), 3: {2}, 4: {0}, 5: frozenset(), 6: frozenset()}
    stakeholders = sorted(row[3] or "" for row in ballots(db_path, secret))
    assert stakeholders == ["", "academia", "business"]


async def _choices(store, poll, user: int) -> frozenset[int]:
    if not poll.secret:
        return await store.voter_choices(poll.id, user)
    seed = await store.poll_ballot_seed(poll.id)
    return await store.voter_choices(poll.id, KEYS.voter_key(poll.id, seed, user))


async def test_a_batch_over_several_polls_refuses_the_closed_one(store, db_path):
    open_one = await new_poll(store, max_choices=2)
    closing_one = await new_poll(store, secret=True, closes_in=timedelta(minutes=1))
    later = T0 + timedelta(minutes=2)
    outcomes = await asyncio.gather(
        store.vote(GUILD, open_one.id, 1, 0, later, KEYS),
        store.vote(GUILD, closing_one.id, 1, 0, later, KEYS),
        store.vote(GUILD, open_one.id, 1, 2, later, KEYS),
        store.vote(GUILD, open_one.id, 1, 1, later, KEYS),  # full: two choices at most
        store.vote(GUILD, 999, 1, 0, later, KEYS),
    )
    assert [o.click.kind for o in (outcomes[0], outcomes[2], outcomes[3])] == [
        ClickKind.RECORDED,
        ClickKind.ADDED,
        ClickKind.FULL,
    ]
    assert outcomes[1].refused is VoteRefusal.CLOSED and outcomes[4].refused is VoteRefusal.GONE
    assert db_rows(db_path, "SELECT user_id, position FROM poll_votes ORDER BY 2") == [(1, 0), (1, 2)]
    assert db_rows(db_path, "SELECT count(*) FROM poll_ballots") == [(0,)]


@pytest.mark.parametrize("secret", [False, True])
async def test_a_failing_vote_in_a_batch_is_retried_alone_and_only_it_is_refused(store, db_path, secret):
    poll = await new_poll(store, secret=secret)
    table = "poll_ballots" if secret else "poll_votes"
    with closing(sqlite3.connect(db_path)) as db:  # a fault for one ballot: position 2 cannot be written
        db.execute(
            f"CREATE TRIGGER refuse_one BEFORE INSERT ON {table} WHEN NEW.position = 2 "
            "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )
        db.commit()
    results = await asyncio.gather(
        *(store.vote(GUILD, poll.id, user, user % 3, T0, KEYS) for user in range(1, 31)), return_exceptions=True
    )
    refused = [user for user, result in zip(range(1, 31), results, strict=True) if isinstance(result, WriteFailed)]
    assert refused == [user for user in range(1, 31) if user % 3 == 2]
    assert db_rows(db_path, f"SELECT count(*) FROM {table}") == [(20,)]
    for user in range(1, 31):
        assert await _choices(store, poll, user) == (frozenset() if user % 3 == 2 else {user % 3})


def clicks(rng: random.Random) -> list[tuple[int, int | None]]:
    return [(rng.randint(1, 4), rng.choice([None, 0, 1, 2, 3])) for _ in range(rng.randint(1, 25))]


@pytest.mark.parametrize("seed", range(12))
async def test_a_burst_gives_what_the_same_clicks_one_by_one_give(tmp_path_factory, seed):
    """Random earlier ballots, then a random burst (re-votes, toggles, retractions, answers out of range):
    decided together in one batch, or each committed alone, the outcomes and the rows are the same."""
    rng = random.Random(seed)
    earlier, burst, max_choices, secret = clicks(rng), clicks(rng), rng.choice([1, 2]), seed % 2 == 1
    found = []
    for together in (False, True):
        path = tmp_path_factory.mktemp("bulk") / "concord.db"
        store = await open_store(DatabaseSettings(path=path))
        try:
            await store.set_profile(GUILD, 2, "civil-society", None, T0)
            poll = await new_poll(store, secret=secret, max_choices=max_choices)
            seed = await store.poll_ballot_seed(poll.id)
            for user, choice in earlier:
                await store.vote(GUILD, poll.id, user, choice, T0, KEYS)
            if together:
                outcomes = await asyncio.gather(*(store.vote(GUILD, poll.id, u, c, T0, KEYS) for u, c in burst))
            else:
                outcomes = [await store.vote(GUILD, poll.id, u, c, T0, KEYS) for u, c in burst]
            rows = ballots(path, secret)
            if secret:  # the same voters' keys in both runs' different nonces: compare by member
                by_key = {KEYS.voter_key(poll.id, seed, user): user for user in range(1, 5)}
                rows = sorted((by_key[key], position, group) for _, key, position, group in rows)
            found.append(([(o.refused, o.click, o.previous) for o in outcomes], rows))
        finally:
            await store.close()
    assert found[0] == found[1]


def test_voter_keys_in_one_go_are_each_members_voter_key():
    nonce_seed, legacy = KEYS.new_seed(), BallotSeed(legacy_salt=b"s" * 32)
    for seed in (nonce_seed, legacy):
        assert KEYS.voter_keys(7, seed, [1, 2, 3]) == [KEYS.voter_key(7, seed, user) for user in (1, 2, 3)]
    with pytest.raises(ValueError):
        KEYS.voter_keys(7, BallotSeed(), [1])
