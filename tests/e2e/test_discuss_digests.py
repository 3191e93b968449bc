"""Digests show common ground and where groups divide as the reactions stood at the digest's moment."""

from __future__ import annotations

import pytest

from bot.core.consensus import Reaction
from bot.core.schedule import DigestKind
from bot.render.report.markdown import digest_markdown
from tests.support.digests import BEFORE_DUE, SESSION, THEMES, digests, until
from tests.support.world import db_rows, embed_text

pytestmark = pytest.mark.concord_settings(session=SESSION, themes=THEMES, privacy={"min_group": 1})  # tiny groups named
GROUPS = ("government", "civil-society", "academia")


async def react(world, member, number: int, reaction: Reaction) -> None:
    [(statement_id,)] = db_rows(world.bot.settings.database.path, "SELECT id FROM statements WHERE number = ?", number)
    await world.bot.store.react(world.guild.id, statement_id, member.id, reaction, world.env.now())


async def test_a_posted_digest_has_both_sections_and_a_rebuilt_one_says_the_same(world, settings):
    channel = world.guild.create_text_channel("digests")
    await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    author, other = world.members[:2]
    await author.slash(world.channel, "gaps position", stance="some", rationale="Spam has no home.")  # #1
    await other.slash(world.channel, "gaps position", stance="none", rationale="Existing fora cope.")  # #2
    people = {group: [world.add_member(f"{group}-{n}") for n in range(2)] for group in GROUPS}
    for group, members in people.items():
        for member in members:
            await member.slash(world.channel, "profile set", stakeholder=group)
            await react(world, member, 1, Reaction.AGREE)
            await react(world, member, 2, Reaction.AGREE if group == "government" else Reaction.DISAGREE)

    await until(world, BEFORE_DUE)
    await world.bot.tick()

    assert len(digests(world, channel, "Before the session")) == 1
    text = "\n".join(embed_text(embed) for message in channel.history() for embed in message.embeds)
    assert "Common ground" in text and "Where groups divide" in text
    common = text.split("Common ground", 1)[1]
    assert common.index("#1") < common.index("#2")
    assert "Government 2 of 2 agree · Civil society 0 of 2 agree" in text

    # An hour later everyone turns against #1; the digest rebuilt for its moment still says what it said.
    await world.env.advance_time(3600)
    for members in people.values():
        for member in members:
            await react(world, member, 1, Reaction.DISAGREE)
    before = next(item for item in await world.bot.store.posted_digests(world.guild.id) if item.kind == "before")
    delivery = world.bot.get_cog("Digests").delivery
    rebuilt = await delivery.build(world.guild.id, DigestKind.BEFORE, before.snapshot_at)
    now = await delivery.build(world.guild.id, DigestKind.NOW, world.env.now())
    gaps_then = next(theme for theme in rebuilt.themes if theme.slug == "gaps")
    gaps_now = next(theme for theme in now.themes if theme.slug == "gaps")
    assert [item.argument.number for item in gaps_then.common_ground] == [1, 2]
    assert gaps_then.common_ground[0].consensus.reacted[0].votes.agrees == 2
    first_now = next(item for item in gaps_now.common_ground if item.argument.number == 1)
    assert first_now.consensus.reacted[0].votes.agrees == 0
    assert [item.argument.number for item in gaps_now.common_ground] == [2, 1]
    assert "Government 2 of 2 agree" in digest_markdown(rebuilt)
