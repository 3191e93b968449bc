"""Digests over virtual time: the session placed after SimCord's clock start, and the posted digests.

SimCord's clock starts at 2026-01-01T00:00Z. The session here runs on 3 January 2026, 09:00-10:30
Baku time (UTC+4), so with the default lead and delay the before-digest is due at 2026-01-02T05:00Z
(29 hours in) and the after-digest at 2026-01-04T06:30Z (78.5 hours in); the weekly digest
(Monday 09:00 Baku) falls on 2026-01-05T05:00Z (101 hours in).
"""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.forum import DEFAULT_THEMES

HOUR = 3600
START = datetime(2026, 1, 1, tzinfo=UTC)
BEFORE_DUE = 29 * HOUR
AFTER_DUE = 78 * HOUR + 1800
WEEKLY_DUE = 101 * HOUR
SESSION = {"starts_at": "2026-01-03T09:00:00+04:00", "ends_at": "2026-01-03T10:30:00+04:00"}
THEMES = DEFAULT_THEMES[:2]


def digests(world, channel, heading: str = "") -> list[discord.Message]:
    """The first message of each digest posted in `channel` (the one with its heading)."""
    return [
        message
        for message in channel.history()
        if message.embeds
        and (message.embeds[0].title or "").startswith(heading or ("Before", "After", "Weekly", "Digest"))
        and message.author.id == world.bot.user.id
    ]


async def until(world, seconds_from_start: float) -> None:
    """Advance the virtual clock to `seconds_from_start` after 2026-01-01T00:00Z."""
    elapsed = (world.env.now() - START).total_seconds()
    await world.env.advance_time(seconds_from_start - elapsed)


async def setup_digests(world):
    channel = world.guild.create_text_channel("digests")
    res = await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    assert res.ephemeral and channel.mention in res.response.content
    await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="Spam has no home.")
    await world.members[1].slash(world.channel, "gaps position", stance="none", rationale="Existing fora cope.")
    return channel


async def record_long_rationales(world) -> None:
    """Enough long rationales (12 participants on each theme) for a digest of several messages."""
    store = world.bot.store
    for user in range(12):
        for theme in THEMES:
            stance = theme["stances"][user % 4]["key"]
            await store.record_position(
                world.guild.id, theme["slug"], 100 + user, f"p{user}", stance, f"{user} " + "x" * 900, START
            )


async def long_digest_failing_after_its_first_part(world, channel, times: int | None = 1) -> None:
    """Enough long rationales for a digest of several messages; Discord fails once the first is out."""
    await record_long_rationales(world)
    sent: list[int] = []

    async def fail_after_the_first_part(message: discord.Message) -> None:
        # SimCord forbids inject_error from bot code: queue the fault directly.
        if message.channel.id == channel.id and not sent:
            sent.append(message.id)
            fault = {"method": "POST", "path": "/channels/*/messages", "status": 500, "code": 0, "message": "boom"}
            world.env.backend.faults.append({**fault, "times": times})

    world.bot.add_listener(fail_after_the_first_part, "on_message")
