"""Faults on the scheduled posts: a poll's closing (the edit disabling its buttons, the results reply), its
closing-soon notice, and a digest's messages (the first, and one further into a split digest).

Every kind of failure once (500, 429, 403, 404 for a channel and for a message, a timeout, a post whose
answer was lost), then the properties: the tick carries on, nothing failed is recorded as done, the
person who must act is told (`/poll list`, `/digest schedule`), the retry after the backoff does it, and
nothing is posted twice (a lost answer's retry carries the same nonce, so Discord returns the message).
"""

from __future__ import annotations

import pytest

from bot.core.schedule import RunStatus
from bot.scheduling import retry_delay
from tests.support.digests import BEFORE_DUE, SESSION, THEMES, record_long_rationales, setup_digests, until
from tests.support.faults import FAULT_IDS, FAULTS, transport
from tests.support.polls import buttons, find_message, notices, open_poll, results_replies
from tests.support.world import db_rows, embed_text

HOUR = 3600
POST = ("POST", "/channels/*/messages")
EDIT = ("PATCH", "/channels/*/messages/*")
GONE = {"404-channel"}  # Discord says the channel no longer exists: nothing left to retry


async def retry(world, attempts: int = 1) -> None:
    await world.env.advance_time(retry_delay(attempts).total_seconds())
    await world.bot.tick()


async def listed(world) -> str:
    embed = (await world.facilitator.slash(world.channel, "poll list")).response.embeds[0]
    return embed_text(embed)


def same_nonce_each_time(calls) -> bool:
    return len({(call.json["nonce"], call.json["enforce_nonce"]) for call in calls}) == 1


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_fault_posting_the_results_is_shown_to_facilitators_and_retried_once(world, monkeypatch, fault):
    poll = await open_poll(world, hours=1)
    await world.members[0].click(poll, label="No")
    wire = transport(world.env, monkeypatch)
    wire.inject(*POST, fault)
    await world.env.advance_time(HOUR)

    await world.bot.tick()

    stored = await world.bot.store.get_poll(world.guild.id, 1)
    assert stored.is_closed and stored.close_edited  # sealed and its buttons disabled: separate steps
    if fault.name in GONE:  # the channel is gone: the results stay in /poll results, nothing retried
        assert stored.delivered and stored.results_message_id == 0 and results_replies(world, poll) == []
        res = await world.members[1].slash(world.channel, "poll results", poll=1)
        assert "No: 1 (100%)" in embed_text(res.response.embeds[0])
        return
    assert stored.results_message_id is None and stored.close_attempts == 1
    assert "⚠️ Poll #1: its results could not be posted yet" in await listed(world)
    await retry(world)
    [posted] = results_replies(world, poll)
    assert "No: 1 (100%)" in embed_text(posted.embeds[0])
    assert (await world.bot.store.get_poll(world.guild.id, 1)).results_message_id == posted.id
    assert same_nonce_each_time(wire.sent(*POST)) and len(wire.sent(*POST)) == 2
    assert "⚠️" not in await listed(world)


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_fault_disabling_the_buttons_at_close_is_retried_until_done(world, monkeypatch, fault):
    poll = await open_poll(world, hours=1)
    wire = transport(world.env, monkeypatch)
    wire.inject(*EDIT, fault)
    await world.env.advance_time(HOUR)

    await world.bot.tick()

    assert len(results_replies(world, poll)) == 1  # the results reply is its own step
    stored = await world.bot.store.get_poll(world.guild.id, 1)
    if fault.status == 404:  # the poll message (or its channel) is gone: nothing left to disable
        assert stored.delivered and stored.close_attempts == 0
        return
    assert not stored.close_edited and stored.close_attempts == 1
    assert "its buttons could not be disabled yet" in await listed(world)
    await retry(world)
    assert all(b.disabled for b in buttons(find_message(world, poll.id)))
    assert (await world.bot.store.get_poll(world.guild.id, 1)).delivered
    assert len(results_replies(world, poll)) == 1 and "⚠️" not in await listed(world)


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_fault_posting_the_closing_soon_notice_is_retried_once(world, monkeypatch, fault):
    poll = await open_poll(world, hours=3)
    wire = transport(world.env, monkeypatch)
    wire.inject(*POST, fault)
    await world.env.advance_time(2 * HOUR)

    await world.bot.tick()

    stored = await world.bot.store.get_poll(world.guild.id, 1)
    if fault.name in GONE:
        assert stored.soon_message_id == 0 and notices(world, poll) == []
        return
    assert stored.soon_message_id is None and stored.soon_attempts == 1
    assert "its closing-soon notice could not be posted" in await listed(world)
    await retry(world)
    [notice] = notices(world, poll)
    assert (await world.bot.store.get_poll(world.guild.id, 1)).soon_message_id == notice.id
    assert same_nonce_each_time(wire.sent(*POST)) and "⚠️" not in await listed(world)


def digest_runs(settings) -> list[tuple]:
    return db_rows(settings.database.path, "SELECT status, parts_sent, attempts, error_kind FROM digest_runs")


def bot_messages(world, channel) -> list:
    return [m for m in channel.history() if m.author.id == world.bot.user.id]


@pytest.mark.concord_settings(session=SESSION, themes=THEMES)
@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_fault_posting_a_digest_is_shown_to_organisers_and_retried_once(world, monkeypatch, settings, fault):
    channel = await setup_digests(world)
    wire = transport(world.env, monkeypatch)
    wire.inject(*POST, fault)
    await until(world, BEFORE_DUE)

    await world.bot.tick()

    [(status, sent, attempts, kind)] = digest_runs(settings)
    assert (status, sent, attempts) == (RunStatus.PENDING, 0, 1) and kind is not None
    shown = embed_text((await world.facilitator.slash(world.channel, "digest schedule")).response.embeds[0])
    assert "Before-session digest due" in shown and "could not post" in shown
    await retry(world)
    [posted] = bot_messages(world, channel)
    assert posted.attachments and digest_runs(settings)[0][:2] == (RunStatus.POSTED, 1)
    assert same_nonce_each_time(wire.sent(*POST)) and len(wire.sent(*POST)) == 2


@pytest.mark.concord_settings(session=SESSION, themes=THEMES)
@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_fault_part_way_through_a_split_digest_resumes_without_reposting(world, monkeypatch, settings, fault):
    channel = await setup_digests(world)
    await record_long_rationales(world)
    wire = transport(world.env, monkeypatch)
    first: list[int] = []

    async def fail_the_second_part(message) -> None:
        if message.channel.id == channel.id and not first:
            first.append(message.id)
            wire.inject(*POST, fault)

    world.bot.add_listener(fail_the_second_part, "on_message")
    await until(world, BEFORE_DUE)

    await world.bot.tick()

    [(total,)] = db_rows(settings.database.path, "SELECT parts_total FROM digest_runs")
    assert total >= 2 and digest_runs(settings)[0][:3] == (RunStatus.PENDING, 1, 1)
    await retry(world)
    posted = bot_messages(world, channel)
    assert len(posted) == total and posted[0].id == first[0]
    assert digest_runs(settings)[0][:2] == (RunStatus.POSTED, total)
    second = [call for call in wire.sent(*POST) if call.json["nonce"] == wire.sent(*POST)[1].json["nonce"]]
    assert len(second) == 2 and same_nonce_each_time(second)
