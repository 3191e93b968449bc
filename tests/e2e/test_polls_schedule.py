"""Polls over (virtual) time: closing at the deadline, closing-soon notices, restarts and Discord failures."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.scheduling import retry_delay
from tests.support.polls import buttons, find_message, notices, open_poll, results_replies, sql
from tests.support.world import embed_text, restart

HOUR = 3600


def sent_nonces(monkeypatch) -> list[str | int | None]:
    """The nonce of every message the bot sends from now on (through the real send)."""
    nonces: list[str | int | None] = []
    send = discord.abc.Messageable.send

    async def spy(self, *args, **kwargs):
        nonces.append(kwargs.get("nonce"))
        return await send(self, *args, **kwargs)

    monkeypatch.setattr(discord.abc.Messageable, "send", spy)
    return nonces


async def test_poll_closes_by_itself_at_the_virtual_deadline_once(world):
    poll = await open_poll(world, hours=1)
    await world.members[0].click(poll, label="No")
    await world.env.advance_time(HOUR - 1)
    await world.bot.tick()
    assert results_replies(world, poll) == [] and not any(b.disabled for b in buttons(find_message(world, poll.id)))
    await world.env.advance_time(1)
    await world.bot.tick()
    await world.bot.tick()
    closed = find_message(world, poll.id)
    assert closed.embeds[0].title == "Poll #1 · Closed" and all(b.disabled for b in buttons(closed))
    [posted] = results_replies(world, poll)
    assert (
        "No: 1 (100%)" in embed_text(posted.embeds[0]) and posted.content == "Poll #1 has closed. Here are the results."
    )
    assert posted.mentions == [] and not posted.mention_everyone  # pings nobody, not even the poll's author
    await world.env.advance_time(HOUR)
    await world.bot.tick()
    assert len(results_replies(world, poll)) == 1
    assert await world.bot.store.polls_with_due_work() == []


async def test_a_click_past_the_deadline_before_sealing_is_refused_and_not_counted(world, db_path):
    poll = await open_poll(world, hours=1)
    await world.members[0].click(poll, label="Yes")
    await world.env.advance_time(HOUR)  # the deadline; the tick that seals the poll has not run yet
    res = await world.members[1].click(poll, label="No")  # the buttons are still enabled
    assert res.ephemeral and res.response.content.startswith("Sorry, poll #1 has closed, so votes are no longer")
    res = await world.members[0].click(poll, label="Retract my vote")
    assert "has closed" in res.response.content
    assert sql(db_path, "SELECT user_id FROM poll_votes") == [(world.members[0].id,)]
    res = await world.members[2].slash(world.channel, "poll results", poll=1)
    assert "closed <t:" in res.response.content and "(1 voter)" in res.response.content
    assert "being counted" in res.response.content and "Yes" not in res.response.content
    listed = await world.members[2].slash(world.channel, "poll list")
    assert "No polls are open" in listed.response.embeds[0].description
    await world.bot.tick()
    [posted] = results_replies(world, poll)
    text = embed_text(posted.embeds[0])
    assert "Yes: 1 (100%)" in text and "No: 0 (0%)" in text and "Voters: 1" in text


async def test_closing_soon_notice_is_posted_once_before_close(world):
    poll = await open_poll(world, hours=3)
    await world.env.advance_time(2 * HOUR - 1)
    await world.bot.tick()
    assert notices(world, poll) == []
    await world.env.advance_time(1)
    await world.bot.tick()
    await world.bot.tick()
    [notice] = notices(world, poll)
    closes = int(world.env.now().timestamp()) + HOUR
    assert notice.content.startswith(f"⏳ Poll #1 closes <t:{closes}:R>") and not notice.mentions
    await world.env.advance_time(HOUR)
    await world.bot.tick()
    assert len(notices(world, poll)) == 1 and len(results_replies(world, poll)) == 1


async def test_no_closing_soon_notice_for_a_poll_not_longer_than_twice_the_lead(world):
    poll = await open_poll(world, hours=2)
    for _ in range(2):
        await world.env.advance_time(HOUR)
        await world.bot.tick()
    assert notices(world, poll) == [] and len(results_replies(world, poll)) == 1


@pytest.mark.parametrize(
    "lead",
    [pytest.param(lead, marks=pytest.mark.concord_settings(polls={"closing_soon": lead})) for lead in ("off", 0, "0s")],
)
async def test_closing_soon_off_or_zero_posts_no_notice(world, lead):
    assert world.bot.settings.polls.closing_soon == timedelta(0)
    poll = await open_poll(world, hours=3)
    for _ in range(3):
        await world.env.advance_time(HOUR)
        await world.bot.tick()
    assert notices(world, poll) == [] and len(results_replies(world, poll)) == 1


async def test_a_deadline_missed_while_the_bot_was_down_closes_at_restart_once(world, settings):
    poll = await open_poll(world, hours=1)
    await world.members[0].click(poll, label="Yes")
    await world.env.advance_time(3 * HOUR)  # nobody ticks: the bot is "down"
    bot = await restart(world.env, settings)
    await world.env.settle()  # the fresh bot ticks once at start-up (on_ready): nobody calls tick() here
    [posted] = results_replies(world, poll)
    assert "Yes: 1 (100%)" in embed_text(posted.embeds[0])
    assert all(b.disabled for b in buttons(find_message(world, poll.id)))
    await bot.tick()
    assert len(results_replies(world, poll)) == 1 and notices(world, poll) == []


async def test_buttons_keep_working_after_a_restart(world, settings):
    poll = await open_poll(world, hide_results=False)
    alice, bob = world.members[:2]
    await alice.click(poll, label="Yes")
    await restart(world.env, settings)
    res = await alice.click(poll, label="No")
    assert res.response.content == "Your vote on poll #1 is changed to **No** (it was **Yes**)."
    res = await bob.click(poll, label="Not yet")
    assert "recorded" in res.response.content
    res = await bob.slash(world.channel, "poll results", poll=1)
    text = embed_text(res.response.embeds[0])
    assert "No: 1 (50%)" in text and "Not yet: 1 (50%)" in text and "Voters: 2" in text


async def test_failed_edit_leaves_the_closing_due_and_a_later_tick_completes_it_once(world):
    poll = await open_poll(world, hours=1)
    world.env.inject_error("PATCH", "/channels/*/messages/*", status=500)
    await world.env.advance_time(HOUR)
    await world.bot.tick()  # must not raise
    assert not any(b.disabled for b in buttons(find_message(world, poll.id)))
    assert len(results_replies(world, poll)) == 1  # the results reply is its own step
    stored = await world.bot.store.get_poll_by_id((await world.bot.store.get_poll(world.guild.id, 1)).id)
    assert stored.is_closed and stored.close_attempts == 1
    assert stored.close_retry_at == world.env.now() + retry_delay(1)
    await world.bot.tick()  # before the retry time: nothing
    assert not any(b.disabled for b in buttons(find_message(world, poll.id)))
    await world.env.advance_time(retry_delay(1).total_seconds())
    await world.bot.tick()
    await world.bot.tick()
    assert all(b.disabled for b in buttons(find_message(world, poll.id)))
    assert len(results_replies(world, poll)) == 1


async def test_failed_results_post_is_retried_and_posted_exactly_once(world, monkeypatch):
    poll = await open_poll(world, hours=1)
    nonces = sent_nonces(monkeypatch)
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    await world.env.advance_time(HOUR)
    await world.bot.tick()
    assert results_replies(world, poll) == []
    assert all(b.disabled for b in buttons(find_message(world, poll.id)))  # the edit succeeded and is kept
    world.env.inject_error("POST", "/channels/*/messages", status=503)
    await world.env.advance_time(retry_delay(1).total_seconds())
    await world.bot.tick()
    assert results_replies(world, poll) == []
    await world.env.advance_time(retry_delay(2).total_seconds())
    await world.bot.tick()
    await world.env.advance_time(HOUR)
    await world.bot.tick()
    assert len(results_replies(world, poll)) == 1
    patches = [r for r in world.env.http_requests if r.method == "PATCH" and f"/messages/{poll.id}" in r.path]
    assert len(patches) == 1
    # Every attempt carried the same nonce: had a failed attempt in fact been posted, Discord returns it
    # to the retry instead of posting the results twice.
    assert len(nonces) == 3 and len(set(nonces)) == 1 and nonces[0] is not None


async def test_close_command_says_when_discord_failed_and_the_tick_finishes_it(world):
    poll = await open_poll(world)
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    res = await world.facilitator.slash(world.channel, "poll close", poll=1)
    assert "retry by itself" in res.response.content
    assert results_replies(world, poll) == []
    await world.env.advance_time(60)
    await world.bot.tick()
    assert len(results_replies(world, poll)) == 1


async def test_a_failed_closing_soon_notice_is_retried_once(world, monkeypatch):
    poll = await open_poll(world, hours=3)
    nonces = sent_nonces(monkeypatch)
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    await world.env.advance_time(2 * HOUR)
    await world.bot.tick()
    assert notices(world, poll) == []
    await world.env.advance_time(60)
    await world.bot.tick()
    await world.bot.tick()
    assert len(notices(world, poll)) == 1
    assert len(nonces) == 2 and nonces[0] == nonces[1] is not None  # the retry is recognisable as one
    await world.env.advance_time(HOUR)
    await world.bot.tick()
    assert len(nonces) == 3 and nonces[2] != nonces[0]  # the results reply is a different post


async def test_a_vanished_channel_ends_the_retries(world):
    poll = await open_poll(world, hours=1)
    world.env.inject_error("POST", "/channels/*/messages", status=404, code=10003, message="Unknown Channel")
    await world.env.advance_time(HOUR)
    await world.bot.tick()
    assert results_replies(world, poll) == []
    assert await world.bot.store.polls_with_due_work() == []
    res = await world.members[0].slash(world.channel, "poll results", poll=1)
    assert "Nobody voted." in res.response.embeds[0].description  # sealed all the same


async def test_facilitators_are_told_where_they_look_when_results_cannot_be_posted_for_hours(world):
    poll = await open_poll(world, hours=1)
    channel = f"<#{world.channel.id}>"
    world.env.inject_error(
        "POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions", times=None
    )
    await world.env.advance_time(HOUR)
    await world.bot.tick()
    for attempt in range(1, 8):  # 1 + 2 + ... + 60 minutes: over two hours of refusals
        await world.env.advance_time(retry_delay(attempt).total_seconds())
        await world.bot.tick()
    stored = await world.bot.store.get_poll(world.guild.id, 1)
    assert results_replies(world, poll) == [] and stored.close_attempts == 8
    retry = int(stored.close_retry_at.timestamp())
    said = (
        f"⚠️ Poll #1: its results could not be posted yet in {channel}: the bot lacks permission there: give it "
        "View Channel, Send Messages, Embed Links and Read Message History (`403 Forbidden (error code: 50013): "
        f"Missing Permissions`, 8 attempts). The bot retries by itself, next <t:{retry}:R>."
    )
    results = await world.facilitator.slash(world.channel, "poll results", poll=1)
    assert results.response.content == said and "Nobody voted." in results.response.embeds[0].description
    listed = (await world.facilitator.slash(world.channel, "poll list")).response.embeds[0]
    [field] = listed.fields
    assert field.name == "Closed, not fully shown yet" and field.value.endswith(said)
    # Once the permission is given back, the next retry posts the results and the warnings go.
    world.env.backend.faults.clear()
    await world.env.advance_time(retry_delay(8).total_seconds())
    await world.bot.tick()
    assert len(results_replies(world, poll)) == 1
    assert (await world.facilitator.slash(world.channel, "poll list")).response.embeds[0].fields[
        0
    ].name == "Recently closed"
    assert not (await world.facilitator.slash(world.channel, "poll results", poll=1)).response.content


async def test_poll_close_says_what_failed_and_when_it_is_retried(world):
    await open_poll(world)
    world.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions")
    res = await world.facilitator.slash(world.channel, "poll close", poll=1)
    retry = int((world.env.now() + retry_delay(1)).timestamp())
    assert res.response.content.endswith(
        "the bot lacks permission there: give it View Channel, Send Messages, Embed Links and Read Message History "
        "(`403 Forbidden (error code: 50013): Missing Permissions`, 1 attempt). "
        f"The bot retries by itself, next <t:{retry}:R>."
    )


async def test_a_failing_closing_soon_notice_shows_in_the_poll_list(world):
    await open_poll(world, hours=3)
    world.env.inject_error("POST", "/channels/*/messages", status=500, times=None)
    await world.env.advance_time(2 * HOUR)
    await world.bot.tick()
    text = (await world.facilitator.slash(world.channel, "poll list")).response.embeds[0].description
    assert "⚠️ Poll #1: its closing-soon notice could not be posted in" in text and "Discord failed (`500" in text
    world.env.backend.faults.clear()
