"""Safety rails for organisers: a digest posted less than a day ago is posted again only once confirmed with
a button (by the organiser who asked), and a preview says it is one."""

from __future__ import annotations

import pytest
import simcord

from tests.support.digests import AFTER_DUE, BEFORE_DUE, SESSION, THEMES, digests, until
from tests.support.world import db_rows, embed_text

pytestmark = pytest.mark.concord_settings(session=SESSION, themes=THEMES)


async def digest_channel(world):
    channel = world.guild.create_text_channel("digests")
    await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="One.")
    return channel


def runs(settings) -> list[tuple]:
    return db_rows(settings.database.path, "SELECT kind, status FROM digest_runs ORDER BY id")


async def test_posting_a_kind_again_within_a_day_asks_and_confirm_posts(world, settings):
    channel = await digest_channel(world)
    await world.facilitator.slash(world.channel, "digest post", kind="before")
    await world.env.advance_time(60)
    asked = await world.facilitator.slash(world.channel, "digest post", kind="before")
    assert (
        asked.ephemeral
        and "already posted <t:" in asked.response.content
        and "Post it again?" in asked.response.content
    )
    assert len(digests(world, channel)) == 1 and len(runs(settings)) == 1  # nothing posted yet
    done = await world.facilitator.click(asked.response, label="Post again")
    assert done.followups[-1].content == f"Posted the before-session digest in {channel.mention} (1 message)."
    assert len(digests(world, channel, "Before the session")) == 2
    assert runs(settings) == [("before", "posted"), ("before", "posted")]


async def test_cancel_posts_nothing(world, settings):
    channel = await digest_channel(world)
    await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    asked = await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    await world.facilitator.click(asked.response, label="Cancel")
    assert asked.response.content == "Cancelled: nothing was posted." and not asked.response.components
    assert len(digests(world, channel)) == 1 and len(runs(settings)) == 1


async def test_no_answer_within_two_minutes_posts_nothing(world, settings):
    channel = await digest_channel(world)
    await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    asked = await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    await world.env.advance_time(121)
    assert asked.response.content.startswith("No answer within two minutes, so nothing was posted.")
    assert not asked.response.components
    assert len(digests(world, channel)) == 1 and len(runs(settings)) == 1


async def test_only_the_organiser_who_asked_may_answer(world, settings):
    """The question is ephemeral, so Discord shows it (and its buttons) to the organiser who asked alone;
    the view also refuses any other clicker itself (`interaction_check`), should one ever reach it."""
    channel = await digest_channel(world)
    other = world.guild.add_member(world.env.create_user("second organiser"), roles=[world.guild.roles["Organiser"]])
    await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    await world.env.advance_time(60)
    asked = await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    assert asked.response.ephemeral
    with pytest.raises(simcord.SetupError, match="not visible to this user"):
        await other.click(asked.response, label="Post again")
    assert len(digests(world, channel)) == 1 and len(runs(settings)) == 1
    assert asked.response.components  # the question still stands for the organiser who asked
    await world.facilitator.click(asked.response, label="Post again")
    assert len(digests(world, channel)) == 2


async def test_a_scheduled_digest_counts_and_a_day_later_no_question_is_asked(world, settings):
    channel = await digest_channel(world)
    await until(world, BEFORE_DUE)
    await world.bot.tick()
    asked = await world.facilitator.slash(world.channel, "digest post", kind="before")
    assert "Post it again?" in asked.response.content
    other_kind = await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    assert other_kind.response.content.startswith("Posted the weekly digest")  # another kind: no question
    await world.env.advance_time(24 * 3600 + 60)
    later = await world.facilitator.slash(world.channel, "digest post", kind="before")
    assert later.response.content.startswith("Posted the before-session digest")
    assert len(digests(world, channel, "Before the session")) == 2


async def test_preview_says_preview_and_an_early_after_session_preview_says_so(world):
    await digest_channel(world)
    res = await world.facilitator.slash(world.channel, "digest preview", kind="after")
    head = res.response.embeds[0]
    assert head.title.startswith("Preview · After the session")
    assert "The session has not ended yet" in head.description and "Only you see this preview" in head.description
    await until(world, AFTER_DUE)
    later = (await world.facilitator.slash(world.channel, "digest preview", kind="after")).response.embeds[0]
    assert later.title.startswith("Preview · ") and "not ended yet" not in embed_text(later)
    before = (await world.facilitator.slash(world.channel, "digest preview", kind="before")).response.embeds[0]
    assert before.title.startswith("Preview · Before the session") and "not ended yet" not in embed_text(before)
