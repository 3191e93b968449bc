"""Scheduled digests over virtual time: posted once at their time, across restarts, downtime and failures.

SimCord's clock starts at 2026-01-01T00:00Z. The session here runs on 3 January 2026, 09:00-10:30
Baku time (UTC+4), so with the default lead and delay the before-digest is due at 2026-01-02T05:00Z
(29 hours in) and the after-digest at 2026-01-04T06:30Z (78.5 hours in); the weekly digest
(Monday 09:00 Baku) falls on 2026-01-05T05:00Z (101 hours in).
"""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.core.schedule import RunStatus
from bot.scheduling import retry_delay
from tests.support.digests import (
    AFTER_DUE,
    BEFORE_DUE,
    HOUR,
    SESSION,
    START,
    THEMES,
    WEEKLY_DUE,
    digests,
    long_digest_failing_after_its_first_part,
    setup_digests,
    until,
)
from tests.support.world import db_rows, embed_text, restart

pytestmark = pytest.mark.concord_settings(session=SESSION, themes=THEMES)

PENDING, POSTED, MISSED = RunStatus.PENDING, RunStatus.POSTED, RunStatus.MISSED


def runs(settings) -> list[tuple]:
    return db_rows(
        settings.database.path, "SELECT kind, due_at, status, parts_sent, attempts FROM digest_runs ORDER BY due_at"
    )


async def test_each_digest_is_posted_once_at_its_virtual_time(world, settings):
    channel = await setup_digests(world)
    await until(world, BEFORE_DUE - 1)
    await world.bot.tick()
    assert digests(world, channel) == []
    await until(world, BEFORE_DUE)
    await world.bot.tick()
    await world.bot.tick()
    [before] = digests(world, channel)
    assert before.embeds[0].title == "Before the session — Open Forum on Enhanced Cooperation"
    assert [item.filename for item in before.attachments] == ["digest-gaps.png"]
    # Between the digests one participant moves and a newcomer arrives.
    await world.env.advance_time(60)
    await world.members[1].slash(world.channel, "gaps position", stance="some", rationale="Convinced by the panel.")
    await world.members[2].slash(world.channel, "gaps position", stance="widespread", rationale="Everywhere.")
    await until(world, AFTER_DUE)
    await world.bot.tick()
    after = digests(world, channel, "After the session")
    assert len(after) == 1
    text = "\n".join(embed_text(e) for m in channel.history() for e in m.embeds if m.id >= after[0].id)
    assert "Shift since the before-session digest" in text
    assert "No significant gaps → Gaps in specific policy areas: 1" in text
    assert "joined → Widespread gaps: 1" in text and "Unchanged: 1" in text
    assert "Gaps in specific policy areas: **2** (67%) · +1" in text
    await until(world, WEEKLY_DUE)
    await world.bot.tick()
    await world.bot.tick()
    assert [m.embeds[0].title.split(" — ")[0] for m in digests(world, channel)] == [
        "Before the session",
        "After the session",
        "Weekly digest",
    ]
    assert [(kind, status) for kind, _, status, _, _ in runs(settings)] == [
        ("before", POSTED),
        ("after", POSTED),
        ("weekly", POSTED),
    ]


async def test_restart_before_and_after_the_due_time_posts_once(world, settings):
    channel = await setup_digests(world)
    await until(world, BEFORE_DUE - HOUR)
    bot = await restart(world.env, settings)
    await bot.tick()
    assert digests(world, channel) == []
    await until(world, BEFORE_DUE + 60)
    await bot.tick()
    assert len(digests(world, channel)) == 1
    bot = await restart(world.env, settings)
    await bot.tick()
    await until(world, BEFORE_DUE + 2 * HOUR)
    await bot.tick()
    assert len(digests(world, channel)) == 1
    assert [(kind, status) for kind, _, status, _, _ in runs(settings)] == [("before", POSTED)]


async def test_down_inside_grace_posts_at_start_up_and_past_grace_is_recorded_missed(world, settings):
    channel = await setup_digests(world)
    # Down over the before-digest, back 6 hours late: still within the 12h grace, posted at start-up.
    await until(world, BEFORE_DUE + 6 * HOUR)
    bot = await restart(world.env, settings)
    await bot.tick()
    assert len(digests(world, channel, "Before the session")) == 1
    # Down over the after-digest, back 13 hours late: recorded as missed, not posted stale.
    await until(world, AFTER_DUE + 13 * HOUR)
    bot = await restart(world.env, settings)
    await bot.tick()
    await bot.tick()
    assert digests(world, channel, "After the session") == []
    assert [(kind, status) for kind, _, status, _, _ in runs(settings)] == [
        ("before", POSTED),
        ("after", MISSED),
    ]
    res = await world.facilitator.slash(world.channel, "digest schedule")
    shown = embed_text(res.response.embeds[0])
    assert "After-session digest due" in shown and "missed" in shown


async def test_a_server_error_is_retried_with_backoff_and_posted_once(world, settings):
    channel = await setup_digests(world)
    await until(world, BEFORE_DUE)
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    await world.bot.tick()
    assert digests(world, channel) == []
    assert runs(settings) == [("before", "2026-01-02T05:00:00.000000Z", PENDING, 0, 1)]
    # Not retried before its backoff (the first within 5 minutes) ...
    await world.env.advance_time(retry_delay(1).total_seconds() - 1)
    await world.bot.tick()
    assert digests(world, channel) == []
    # ... then retried, posted once, and never again.
    await world.env.advance_time(1)
    await world.bot.tick()
    await world.bot.tick()
    assert len(digests(world, channel)) == 1
    [(_, _, status, parts, attempts)] = runs(settings)
    assert status == POSTED and attempts == 1 and parts >= 1


async def test_missing_permission_is_reported_in_digest_schedule(world, settings):
    channel = await setup_digests(world)
    await until(world, BEFORE_DUE)
    world.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions")
    await world.bot.tick()
    assert digests(world, channel) == []
    res = await world.facilitator.slash(world.channel, "digest schedule")
    assert res.ephemeral
    shown = embed_text(res.response.embeds[0])
    assert "Before-session digest due" in shown and "could not post" in shown
    assert "lacks permission" in shown and "Missing Permissions" in shown and channel.mention in shown
    # Once the permission is fixed, the next retry posts it.
    await world.env.advance_time(retry_delay(1).total_seconds())
    await world.bot.tick()
    assert len(digests(world, channel)) == 1
    shown = embed_text((await world.facilitator.slash(world.channel, "digest schedule")).response.embeds[0])
    assert "could not post" not in shown and "Recently posted" in shown


async def test_a_digest_split_over_messages_resumes_after_a_failure_without_reposting(world, settings, monkeypatch):
    channel = await setup_digests(world)
    await long_digest_failing_after_its_first_part(world, channel)
    nonces: list[str | int | None] = []
    send = discord.abc.Messageable.send

    async def spy(self, *args, **kwargs):  # the real send, its nonce noted
        nonces.append(kwargs.get("nonce"))
        return await send(self, *args, **kwargs)

    monkeypatch.setattr(discord.abc.Messageable, "send", spy)
    await until(world, BEFORE_DUE)
    await world.bot.tick()
    assert [row[2:] for row in runs(settings)] == [(PENDING, 1, 1)]
    [first] = [m for m in channel.history() if m.author.id == world.bot.user.id]
    await world.env.advance_time(retry_delay(1).total_seconds())
    await world.bot.tick()
    posted = [m for m in channel.history() if m.author.id == world.bot.user.id]
    [(total,)] = db_rows(settings.database.path, "SELECT parts_total FROM digest_runs")
    assert total >= 2 and len(posted) == total and posted[0].id == first.id
    assert [m.embeds[0].title for m in posted].count(first.embeds[0].title) == 1
    assert runs(settings)[0][2:] == (POSTED, total, 1)
    stored = db_rows(settings.database.path, "SELECT message_id FROM digest_messages ORDER BY part")
    assert [row[0] for row in stored] == [m.id for m in posted]
    # The failed second message was retried with its own nonce again, so Discord can tell a retry
    # from a new message (if the failed attempt had in fact gone through, no duplicate appears).
    assert len(nonces) == total + 1 and nonces[1] == nonces[2] and len(set(nonces)) == total


async def test_a_split_digest_given_up_at_grace_says_how_much_of_it_went_out(world, settings):
    channel = await setup_digests(world)
    await long_digest_failing_after_its_first_part(world, channel, times=None)
    await until(world, BEFORE_DUE)
    await world.bot.tick()
    await until(world, BEFORE_DUE + 12 * HOUR + 1)
    await world.bot.tick()
    world.env.backend.faults.clear()
    [(total,)] = db_rows(settings.database.path, "SELECT parts_total FROM digest_runs")
    assert runs(settings)[0][2:4] == (MISSED, 1) and total >= 2
    shown = embed_text((await world.facilitator.slash(world.channel, "digest schedule")).response.embeds[0])
    assert "missed, not posted more than 12h late (last error: 500" in shown
    assert f"only 1 of its {total} messages went out)" in shown


async def test_the_weekly_wake_up_is_a_cron_trigger_in_the_digest_timezone(world):
    scheduler = world.bot.scheduler
    assert scheduler is not None
    job = scheduler._scheduler.get_job("concord-weekly-digest")  # APScheduler's own job, as production runs it
    assert job is not None and str(job.trigger.timezone) == "Asia/Baku"
    # Monday 09:00 in Baku is 05:00 UTC: the same moment the tick finds the weekly digest due.
    assert job.trigger.get_next_fire_time(None, world.env.now()) == START + timedelta(seconds=WEEKLY_DUE)


async def test_a_digest_still_failing_when_grace_runs_out_is_recorded_missed(world, settings):
    channel = await setup_digests(world)
    await until(world, BEFORE_DUE)
    world.env.inject_error("POST", "/channels/*/messages", status=503, times=None)
    await world.bot.tick()
    await world.env.advance_time(retry_delay(1).total_seconds())
    await world.bot.tick()
    await until(world, BEFORE_DUE + 12 * HOUR + 1)
    await world.bot.tick()
    assert digests(world, channel) == []
    [(kind, _, status, _, attempts)] = runs(settings)
    assert (kind, status, attempts) == ("before", MISSED, 2)
    world.env.backend.faults.clear()
    await world.bot.tick()
    assert digests(world, channel) == []
    shown = embed_text((await world.facilitator.slash(world.channel, "digest schedule")).response.embeds[0])
    assert "Before-session digest due" in shown and "missed" in shown and "last error: 503" in shown


async def test_unloading_the_digest_cog_removes_its_weekly_job_and_due_work(world):
    scheduler = world.bot.scheduler
    assert scheduler is not None
    cog = world.bot.get_cog("Digests")
    assert cog is not None
    await world.bot.remove_cog("Digests")
    assert scheduler._scheduler.get_job("concord-weekly-digest") is None
    assert cog.delivery not in world.bot.due_work


async def test_an_unexpected_error_waits_for_its_backoff_instead_of_retrying_at_once(
    world, settings, monkeypatch, caplog
):
    channel = await setup_digests(world)
    await until(world, BEFORE_DUE)

    def broken_chart(digest):
        raise RuntimeError("chart renderer bug")

    monkeypatch.setattr("cogs.digests._delivery.theme_charts", broken_chart)
    await world.bot.tick()
    assert digests(world, channel) == []
    assert runs(settings) == [("before", "2026-01-02T05:00:00.000000Z", PENDING, 0, 1)]
    assert "chart renderer bug" in caplog.text and "Traceback" in caplog.text
    # The tick is not woken again at once (it would spin on the same bug), but after the backoff.
    now = world.env.now()
    assert await world.bot.get_cog("Digests").delivery.next_due(now) == now + retry_delay(1)
    shown = embed_text((await world.facilitator.slash(world.channel, "digest schedule")).response.embeds[0])
    assert "could not post" in shown and "went wrong on the bot's side" in shown
    monkeypatch.undo()
    await world.env.advance_time(retry_delay(1).total_seconds())
    await world.bot.tick()
    assert len(digests(world, channel)) == 1
    assert [row[2] for row in runs(settings)] == [POSTED]


async def test_a_split_digest_whose_channel_is_deleted_part_way_finishes_in_the_new_digest_channel(world, settings):
    channel = await setup_digests(world)
    await long_digest_failing_after_its_first_part(world, channel)
    await until(world, BEFORE_DUE)
    await world.bot.tick()
    [(total,)] = db_rows(settings.database.path, "SELECT parts_total FROM digest_runs")
    world.env.backend.delete_channel(channel.id)  # an admin deletes the digest channel part-way
    await world.env.settle()
    # Until an organiser picks another channel, the digest waits, and /digest schedule says what to do.
    await world.env.advance_time(retry_delay(1).total_seconds())
    await world.bot.tick()
    shown = embed_text((await world.facilitator.slash(world.channel, "digest schedule")).response.embeds[0])
    assert "the digest channel is gone or unreachable: choose one with /digest channel" in shown
    assert f"(1 of {total} messages sent)" in shown
    moved = world.guild.create_text_channel("digests-2")
    await world.facilitator.slash(world.channel, "digest channel", channel=moved)
    await world.env.advance_time(retry_delay(2).total_seconds())
    await world.bot.tick()
    rest = [m for m in moved.history() if m.author.id == world.bot.user.id]
    assert len(rest) == total - 1  # each theme's chart goes with the part that holds its embed
    assert rest[0].content == (
        "↪ Continues the before-session digest begun in a channel that is gone "
        f"(1 of its {total} messages went out there)."
    )
    assert [m.content for m in rest[1:]] == [""] * (total - 2)
    assert runs(settings)[0][2:4] == (POSTED, total)
    stored = db_rows(settings.database.path, "SELECT channel_id FROM digest_messages ORDER BY part")
    assert stored == [(channel.id,)] + [(moved.id,)] * (total - 1)
    shown = embed_text((await world.facilitator.slash(world.channel, "digest schedule")).response.embeds[0])
    assert "could not post" not in shown and "Recently posted" in shown
