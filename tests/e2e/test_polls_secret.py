"""Secret ballots (read straight from the SQLite file), small-group suppression, bursts and races of votes,
and the vote service's refusals (after close, from another server)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from bot.core.polls import OTHER
from bot.interactions import UserError
from tests.support.polls import create_poll, open_poll, poll_messages, replies_to, sql
from tests.support.world import build_world, embed_text

HOUR = 3600


def tables_holding(db_path: Path, values: set[int]) -> set[tuple[str, str]]:
    """Every (table, column) of the database in which any of `values` appears, as a number or inside text."""
    found: set[tuple[str, str]] = set()
    texts = {str(value) for value in values}
    for (table,) in sql(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'"):
        columns = [row[1] for row in sql(db_path, f'PRAGMA table_info("{table}")')]
        for column in columns:
            for (cell,) in sql(db_path, f'SELECT "{column}" FROM "{table}"'):
                if cell in values or (isinstance(cell, str) and any(text in cell for text in texts)):
                    found.add((table, column))
    return found


def file_bytes(db_path: Path) -> bytes:
    """The database as it lies on disk: the main file plus any write-ahead log."""
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_secret_poll_stores_no_user_ids_and_erases_its_key_material_at_close(world, db_path):
    poll = await open_poll(world, secret=True, hours=1)
    with_profile, without_profile = world.members[:2], world.members[2:]
    for member in with_profile:
        await member.slash(world.channel, "profile set", stakeholder="civil-society")
    for member, answer in zip(world.members, ["Yes", "No", "Yes", "Yes"], strict=True):
        res = await member.click(poll, label=answer)
        assert "Secret ballot" in res.response.content
    await world.members[3].click(poll, label="Not yet")  # a change of mind while open
    voters = {member.id for member in world.members}

    [(poll_id, salt, nonce, check)] = sql(db_path, "SELECT id, salt, ballot_nonce, ballot_check FROM polls")
    ballots = sql(db_path, "SELECT voter_key, position, stakeholder FROM poll_ballots")
    keys = {key for key, _, _ in ballots}
    assert salt is None and len(nonce) == 32 and len(check) == 32  # the poll's key itself is never stored
    assert len(keys) == 4 and all(len(key) == 32 for key in keys)
    assert sorted((position, group or "") for _, position, group in ballots) == [
        (0, ""),
        (0, "civil-society"),
        (1, "civil-society"),
        (2, ""),
    ]
    profile_tables = {("profiles", "user_id"), ("profile_history", "user_id")}  # who set a profile, not how they voted
    assert tables_holding(db_path, voters) == profile_tables  # while open, too

    await world.env.advance_time(HOUR)
    await world.bot.tick()

    assert sql(db_path, "SELECT count(*) FROM poll_ballots") == [(0,)]
    assert sql(db_path, "SELECT salt, ballot_nonce, ballot_check, closed_at IS NOT NULL FROM polls") == [
        (None, None, None, 1)
    ]
    assert tables_holding(db_path, voters) == profile_tables
    assert tables_holding(db_path, {member.id for member in without_profile}) == set()
    on_disk = file_bytes(db_path)
    assert nonce not in on_disk and check not in on_disk and not any(key in on_disk for key in keys)
    # only the published counts remain (4 voters: every group under 3 is "other")
    assert sql(db_path, "SELECT grp, voters FROM poll_result_groups WHERE poll_id = ?", poll_id) == [(OTHER, 4)]
    [posted] = replies_to(world, poll)
    text = embed_text(posted.embeds[0])
    assert "Yes: 2 (50%)" in text and "No: 1 (25%)" in text and "Not yet: 1 (25%)" in text and "Voters: 4" in text


async def test_groups_under_three_voters_are_merged_into_other(world):
    poll = await open_poll(world, hide_results=False)
    people = world.members + [world.add_member(f"late{i}") for i in range(3)]
    groups = ["government"] * 3 + ["civil-society"] * 2 + [None] * 2
    for member, group in zip(people, groups, strict=True):
        if group:
            await member.slash(world.channel, "profile set", stakeholder=group)
        await member.click(poll, label="Yes" if group == "government" else "No")
    res = await world.members[0].slash(world.channel, "poll results", poll=1)
    embed = res.response.embeds[0]
    assert [field.name for field in embed.fields] == ["Government (3)", "Other (4)"]
    assert embed.fields[0].value == "Yes: 3 (100%)" and embed.fields[1].value == "No: 4 (100%)"
    assert "Civil society" not in embed_text(embed) and "Undeclared" not in embed_text(embed)


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
async def test_a_burst_of_500_votes_counts_each_exactly_once(world, db_path, secret):
    """500 members clicking at once, then all again (some confirming, some changing): the service the buttons use."""
    await create_poll(world, secret=secret, hide_results=False)
    poll = await world.bot.store.get_poll(world.guild.id, 1)
    cog = world.bot.get_cog("Polls")
    users = range(10_000, 10_500)
    first = await asyncio.gather(*(cog.voting.record_vote(world.guild.id, poll.id, user, user % 3) for user in users))
    second = await asyncio.gather(*(cog.voting.record_vote(world.guild.id, poll.id, user, user % 2) for user in users))
    assert len(first) == len(second) == 500
    counts = await world.bot.store.poll_counts(poll)
    assert counts.voters == {"undeclared": 500}
    assert {position: counts.votes.get(("undeclared", position), 0) for position in range(3)} == {0: 250, 1: 250, 2: 0}
    seed = await world.bot.store.poll_ballot_seed(poll.id)
    await world.facilitator.slash(world.channel, "poll close", poll=1)
    text = embed_text((await world.members[0].slash(world.channel, "poll results", poll=1)).response.embeds[0])
    assert "Yes: 250 (50%)" in text and "No: 250 (50%)" in text and "Voters: 500" in text
    if secret:  # 500 ballots span many pages: none of their keys survives in the files (freed pages included)
        on_disk = file_bytes(db_path)
        keys = world.bot.context.ballot_keys
        assert seed.nonce not in on_disk and seed.check not in on_disk
        assert not any(keys.voter_key(poll.id, seed, user) in on_disk for user in users)


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
async def test_votes_received_before_the_seal_count_and_none_after_it(world, db_path, secret):
    """The tick seals the poll at its deadline while 200 votes received a second earlier are on their way."""
    await create_poll(world, secret=secret, hours=1, hide_results=False)
    poll = await world.bot.store.get_poll(world.guild.id, 1)
    cog = world.bot.get_cog("Polls")
    await world.env.advance_time(HOUR - 1)
    in_time = range(20_000, 20_200)
    await asyncio.gather(
        *(cog.voting.record_vote(world.guild.id, poll.id, user, user % 3) for user in in_time[:100]),
        cog.closing.run_due(poll.closes_at),  # the tick at the deadline, racing the votes
        *(cog.voting.record_vote(world.guild.id, poll.id, user, user % 3) for user in in_time[100:]),
    )
    late = await asyncio.gather(
        *(cog.voting.record_vote(world.guild.id, poll.id, user, 0) for user in range(30_000, 30_050)),
        return_exceptions=True,
    )
    assert all(isinstance(refused, UserError) and "has closed" in str(refused) for refused in late)
    sealed = await world.bot.store.poll_counts(await world.bot.store.get_poll_by_id(poll.id))
    expected = Counter(user % 3 for user in in_time)
    assert sealed.voters == {"undeclared": 200}
    assert {position: sealed.votes[("undeclared", position)] for position in range(3)} == expected
    if secret:
        assert sql(db_path, "SELECT count(*) FROM poll_ballots") == [(0,)]
    else:
        assert {user for (user,) in sql(db_path, "SELECT user_id FROM poll_votes")} == set(in_time)
    [posted] = replies_to(world, poll_messages(world)[-1])
    assert "Voters: 200" in embed_text(posted.embeds[0])


async def test_many_members_clicking_through_discord_each_count_once(world):
    poll = await open_poll(world, hide_results=False)
    people = world.members + [world.add_member(f"remote{i}") for i in range(8)]
    for index, member in enumerate(people):
        await member.click(poll, label=["Yes", "No", "Not yet"][index % 3])
    for member in people[:4]:
        await member.click(poll, label="Yes")
    text = embed_text((await world.members[0].slash(world.channel, "poll results", poll=1)).response.embeds[0])
    assert "Voters: 12" in text and "Yes: 6 (50%)" in text and "No: 3 (25%)" in text and "Not yet: 3 (25%)" in text


# --- the vote service's refusals -------------------------------------------------------------


async def test_a_vote_after_close_is_refused_by_the_service(world, db_path):
    await open_poll(world)
    stored = await world.bot.store.get_poll(world.guild.id, 1)
    await world.facilitator.slash(world.channel, "poll close", poll=1)
    cog = world.bot.get_cog("Polls")
    with pytest.raises(UserError, match="has closed"):
        await cog.voting.record_vote(world.guild.id, stored.id, world.members[0].id, 0)
    with pytest.raises(UserError, match="has closed"):
        await cog.voting.retract_vote(world.guild.id, stored.id, world.members[0].id)
    assert sql(db_path, "SELECT count(*) FROM poll_votes") == [(0,)]


async def test_a_vote_from_another_server_is_refused_and_stores_nothing(world, db_path):
    """Discord relays clicks only from the poll message itself (a forwarded copy has no buttons); the bot checks too."""
    await open_poll(world, hide_results=False)
    stored = await world.bot.store.get_poll(world.guild.id, 1)
    other = build_world(world.env, name="Another hub")
    stranger = other.members[0]
    cog = world.bot.get_cog("Polls")
    with pytest.raises(UserError, match="belongs to another server"):
        await cog.voting.record_vote(other.guild.id, stored.id, stranger.id, 0)
    with pytest.raises(UserError, match="belongs to another server"):
        await cog.voting.retract_vote(other.guild.id, stored.id, stranger.id)
    # The store's own check, inside the vote's transaction, whatever the caller checked before.
    assert await world.bot.store.cast_vote(other.guild.id, stored.id, stranger.id, 0, None, world.env.now()) is None
    assert sql(db_path, "SELECT count(*) FROM poll_votes") == [(0,)]
