"""Concurrent votes and positions through the bot share one commit: what members see when one of them fails,
and when the bot restarts in the middle of a burst."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing

import pytest

from bot.interactions import UserError
from tests.support.polls import open_poll, sql
from tests.support.world import embed_text, restart

REFUSED = "could not be recorded, so nothing was changed"


def refuse_votes_of(db_path, user_id: int) -> None:
    """A fault in the database itself: every write of this member's vote fails (as a full disk or a damaged
    page would for one write)."""
    with closing(sqlite3.connect(db_path)) as db:
        db.execute(
            f"CREATE TRIGGER refuse_one BEFORE INSERT ON poll_votes WHEN NEW.user_id = {user_id} "
            "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )
        db.commit()


async def results_text(world) -> str:
    return embed_text((await world.members[0].slash(world.channel, "poll results", poll=1)).response.embeds[0])


async def test_one_failing_vote_in_a_burst_is_refused_clearly_and_the_others_count(world, db_path):
    await open_poll(world, hide_results=False)
    poll = await world.bot.store.get_poll(world.guild.id, 1)
    voting = world.bot.get_cog("Polls").voting
    refuse_votes_of(db_path, 10_013)
    results = await asyncio.gather(
        *(voting.record_vote(world.guild.id, poll.id, user, user % 2) for user in range(10_000, 10_100)),
        return_exceptions=True,
    )
    refused = [
        user for user, result in zip(range(10_000, 10_100), results, strict=True) if isinstance(result, Exception)
    ]
    assert refused == [10_013]
    assert isinstance(results[13], UserError) and REFUSED in str(results[13])
    assert sql(db_path, "SELECT count(*) FROM poll_votes") == [(99,)]
    assert "Voters: 99" in await results_text(world)


async def test_a_member_whose_vote_fails_is_told_it_was_not_recorded(world, db_path):
    poll = await open_poll(world, hide_results=False)
    alice, bob = world.members[0], world.members[1]
    refuse_votes_of(db_path, alice.id)
    res = await alice.click(poll, label="Yes")
    assert res.ephemeral and REFUSED in res.response.content
    res = await bob.click(poll, label="No")
    assert "No" in res.response.content and REFUSED not in res.response.content
    assert sql(db_path, "SELECT user_id FROM poll_votes") == [(bob.id,)]


async def test_a_failing_position_is_refused_and_the_earlier_one_kept(world, db_path):
    alice = world.members[0]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="Gaps in specific areas.")
    with closing(sqlite3.connect(db_path)) as db:
        db.execute(
            "CREATE TRIGGER refuse_history BEFORE INSERT ON position_history "
            "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )
        db.commit()
    res = await alice.slash(world.channel, "gaps position", stance="widespread", rationale="Everywhere, in fact.")
    assert res.response.ephemeral and "could not be recorded" in res.response.content
    stored = await world.bot.store.get_position(world.guild.id, "gaps", alice.id)
    assert (stored.stance, stored.rationale) == ("some", "Gaps in specific areas.")


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
async def test_a_restart_in_the_middle_of_a_burst_keeps_every_confirmed_vote(world, settings, db_path, secret):
    """The old bot closes while votes are still being written: each is committed before its store closes (or
    refused), and the new bot counts exactly the confirmed ones."""
    await open_poll(world, hide_results=False, secret=secret)
    poll = await world.bot.store.get_poll(world.guild.id, 1)
    voting = world.bot.get_cog("Polls").voting
    burst = [
        asyncio.ensure_future(voting.record_vote(world.guild.id, poll.id, user, user % 3))
        for user in range(20_000, 20_300)
    ]
    await asyncio.sleep(0)  # handed in, not yet committed
    await restart(world.env, settings)
    outcomes = await asyncio.gather(*burst, return_exceptions=True)
    confirmed = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    assert len(confirmed) == 300, [outcome for outcome in outcomes if isinstance(outcome, BaseException)][:3]
    counts = await world.bot.store.poll_counts(await world.bot.store.get_poll_by_id(poll.id))
    assert sum(counts.voters.values()) == 300
    await world.bot.get_cog("Polls").voting.record_vote(world.guild.id, poll.id, 20_000, 1)  # the new bot votes on
    assert "Voters: 300" in await results_text(world)
