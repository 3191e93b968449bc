"""`/digest channel|preview|post|schedule` as organisers (and others) use them in SimCord."""

from __future__ import annotations

import discord
import pytest

from tests.support.digests import BEFORE_DUE, SESSION, THEMES, digests, until
from tests.support.world import db_rows, embed_text

pytestmark = pytest.mark.concord_settings(session=SESSION, themes=THEMES)


def spy_on_defer(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Note each deferral (the real one still happens): SimCord's `deferred` only says whether it is pending."""
    calls: list[dict] = []
    defer = discord.InteractionResponse.defer

    async def noting(self, **kwargs):
        calls.append(kwargs)
        return await defer(self, **kwargs)

    monkeypatch.setattr(discord.InteractionResponse, "defer", noting)
    return calls


def stored_channel(settings) -> list[tuple]:
    return db_rows(settings.database.path, "SELECT guild_id, channel_id FROM digest_channels")


async def test_only_organisers_manage_digests(world, settings):
    member = world.members[0]
    channel = world.guild.create_text_channel("digests")
    for command, options in (
        ("digest channel", {"channel": channel}),
        ("digest schedule", {}),
        ("digest preview", {"kind": "before"}),
        ("digest post", {"kind": "weekly"}),
    ):
        res = await member.slash(world.channel, command, **options)
        assert res.ephemeral and "only organisers" in res.response.content
    assert stored_channel(settings) == []
    # The Organiser role is enough, without Manage Server.
    organiser = world.guild.add_member(world.env.create_user("organiser"), roles=[world.guild.roles["Organiser"]])
    res = await organiser.slash(world.channel, "digest channel", channel=channel)
    assert "will be posted in" in res.response.content
    assert stored_channel(settings) == [(world.guild.id, channel.id)]


async def test_digest_channel_checks_the_bot_can_post_there(world, settings):
    me = world.guild.me
    assert me is not None
    locked = world.guild.create_text_channel(
        "announcements", overwrites={me: discord.PermissionOverwrite(send_messages=False, attach_files=False)}
    )
    res = await world.facilitator.slash(world.channel, "digest channel", channel=locked)
    assert res.ephemeral
    assert "I can't post digests in" in res.response.content
    assert (
        "missing Send Messages, Embed Links, Attach Files there" in res.response.content
        and "Nothing was changed" in res.response.content
    )
    assert stored_channel(settings) == []


async def test_no_digest_channel_means_nothing_posted_and_schedule_says_so(world, settings):
    await until(world, BEFORE_DUE + 60)
    await world.bot.tick()
    assert not any(message.author.id == world.bot.user.id for message in world.channel.history())
    assert db_rows(settings.database.path, "SELECT * FROM digest_runs") == []
    res = await world.facilitator.slash(world.channel, "digest schedule")
    assert "No digest channel is set" in res.response.embeds[0].description
    res = await world.facilitator.slash(world.channel, "digest post", kind="before")
    assert "choose one with `/digest channel` first" in res.response.content


async def test_schedule_lists_next_occurrences_with_discord_timestamps(world):
    channel = world.guild.create_text_channel("digests")
    await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    res = await world.facilitator.slash(world.channel, "digest schedule")
    assert res.ephemeral
    embed = res.response.embeds[0]
    assert channel.mention in embed.description
    before, after, weekly = 1767330000, 1767508200, 1767589200  # 2026-01-02T05:00Z, 01-04T06:30Z, 01-05T05:00Z
    assert embed.fields[0].name == "Next"
    assert embed.fields[0].value.splitlines() == [
        f"Before-session digest — <t:{before}:F> (<t:{before}:R>)",
        f"After-session digest — <t:{after}:F> (<t:{after}:R>)",
        f"Weekly digest — <t:{weekly}:F> (<t:{weekly}:R>)",
        f"Weekly digest — <t:{weekly + 7 * 86400}:F> (<t:{weekly + 7 * 86400}:R>)",
    ]


async def test_preview_is_ephemeral_and_not_recorded(world, settings, monkeypatch):
    channel = world.guild.create_text_channel("digests")
    await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="Hi @everyone <@1>")
    deferrals = spy_on_defer(monkeypatch)
    res = await world.facilitator.slash(world.channel, "digest preview", kind="before")
    assert deferrals == [{"ephemeral": True, "thinking": True}]  # building takes time: Discord waits 3 s only
    assert res.ephemeral and res.response.embeds[0].title.startswith("Preview · Before the session")
    assert [item.filename for item in res.response.attachments] == ["digest-gaps.png"]
    text = "\n".join(embed_text(e) for e in res.response.embeds)
    assert "Gaps in specific policy areas: **1** (100%)" in text and "Hi @everyone <@1>" in text
    assert db_rows(settings.database.path, "SELECT * FROM digest_runs") == []
    assert digests(world, channel) == []
    others = world.channel.history(viewer=world.members[1])
    assert not any(message.embeds for message in others)


async def test_post_now_is_recorded_and_counts_as_the_previous_digest(world, settings, monkeypatch):
    channel = world.guild.create_text_channel("digests")
    await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="One.")
    deferrals = spy_on_defer(monkeypatch)
    res = await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    assert deferrals == [{"ephemeral": True, "thinking": True}]  # posting takes time: Discord waits 3 s only
    assert res.ephemeral and res.response.content == f"Posted the weekly digest in {channel.mention} (1 message)."
    assert len(digests(world, channel, "Weekly digest")) == 1
    assert db_rows(settings.database.path, "SELECT kind, status, manual, parts_sent FROM digest_runs") == [
        ("weekly", "posted", 1, 1)
    ]
    # The scheduled before-digest reports changes since the manual one.
    await world.env.advance_time(60)
    await world.members[1].slash(world.channel, "gaps position", stance="none", rationale="Two.")
    await until(world, BEFORE_DUE)
    await world.bot.tick()
    [before] = digests(world, channel, "Before the session")
    text = "\n".join(embed_text(e) for e in before.embeds)
    assert "changes since the previous digest" in text
    assert "No significant gaps: **1** (50%) · +1" in text and "Gaps in specific policy areas: **1** (50%) · ±0" in text
