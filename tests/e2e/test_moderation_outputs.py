"""A hidden statement is in none of the bot's outputs from the moment it is hidden, and back in all of them,
with its reactions, after a restore; a digest rebuilt for a moment before the hide still shows it.

`outputs` lists every place statements reach: a new output belongs in it."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from bot.core.consensus import Reaction
from bot.core.digest import build_digest
from bot.core.export import change_rows, position_rows
from bot.core.polis import polis_export
from bot.core.schedule import DigestKind
from bot.render.discord.digests import digest_parts
from bot.render.report.csv_files import history_csv, positions_csv
from bot.render.report.html_page import digest_html
from bot.render.report.json_data import digest_json
from bot.render.report.markdown import digest_markdown
from bot.render.report.polis_files import comments_csv
from tests.support.digests import SESSION, THEMES
from tests.support.world import World, db_rows, embed_text

pytestmark = pytest.mark.concord_settings(session=SESSION, themes=THEMES, privacy={"min_group": 1})  # tiny groups named
MARK = "Spam has no home anywhere"
GROUPS = ("government", "civil-society", "academia")


async def react(world: World, member, number: int, reaction: Reaction) -> None:
    [(statement_id,)] = db_rows(world.bot.settings.database.path, "SELECT id FROM statements WHERE number = ?", number)
    await world.bot.store.react(world.guild.id, statement_id, member.id, reaction, world.env.now())


async def forum(world: World):
    alice, bob, *_ = world.members
    await alice.slash(world.channel, "gaps position", stance="some", rationale=MARK)  # 1
    await bob.slash(world.channel, "gaps position", stance="none", rationale="Existing fora cope.")  # 2
    for group in GROUPS:
        for n in range(2):
            member = world.add_member(f"{group}-{n}")
            await member.slash(world.channel, "profile set", stakeholder=group)
            await react(world, member, 1, Reaction.AGREE)
            await react(world, member, 2, Reaction.AGREE)


async def discuss_numbers(world: World, member) -> str:
    """Every statement discuss shows this member, as text (passing on each: use a fresh member)."""
    res = await member.slash(world.channel, "gaps discuss")
    texts = []
    while res.response.embeds:
        texts.append(embed_text(res.response.embeds[0]))
        res = await member.click(res.response, label="Pass")
    return "\n".join(texts)


async def digest_outputs(world: World, as_of: datetime) -> dict[str, str]:
    """Every digest and report format, built as of `as_of`."""
    settings, store, guild = world.bot.settings, world.bot.store, world.guild.id
    source = await store.digest_source(guild, [t.slug for t in settings.themes], as_of)
    digest = build_digest(settings, source, DigestKind.NOW, as_of)
    discord_text = "\n".join(embed_text(embed) for part in digest_parts(digest) for embed in part.embeds)
    return {
        "digest (Discord)": discord_text,
        "digest (Markdown)": digest_markdown(digest),
        "digest (HTML)": digest_html(digest),
        "digest (JSON)": digest_json(digest),
        "report positions.csv": positions_csv(position_rows(settings, source, as_of)),
        "report history.csv": history_csv(change_rows(settings, source, as_of)),
    }


async def outputs(world: World, reader) -> dict[str, str]:
    """What every output says now: the live commands (read by `reader`) and every digest and report."""
    positions = await reader.slash(world.channel, "gaps positions")
    bridges = await reader.slash(world.channel, "gaps bridges")
    return {
        "/gaps positions": "\n".join(embed_text(e) for e in positions.response.embeds),
        "/gaps discuss": await discuss_numbers(world, reader),
        "/gaps bridges": "\n".join(embed_text(e) for e in bridges.response.embeds),
        **await digest_outputs(world, world.env.now()),
    }


async def polis_moderated(world: World, as_of: datetime) -> str:
    settings = world.bot.settings
    source = await world.bot.store.polis_source(world.guild.id, [t.slug for t in settings.themes], as_of)
    [gaps] = [conversation for conversation in polis_export(settings, source) if conversation.slug == "gaps"]
    rows = list(csv.DictReader(io.StringIO(comments_csv(gaps))))
    return next(row["moderated"] for row in rows if row["comment-body"] == MARK)


async def test_hidden_is_in_no_output_and_back_in_all_after_restore(world):
    await forum(world)
    readers = iter(world.add_member(f"reader-{n}") for n in range(3))
    shown = await outputs(world, next(readers))
    assert [name for name, text in shown.items() if MARK not in text] == []
    assert await polis_moderated(world, world.env.now()) == "1"
    tally_before = embed_text((await world.members[2].slash(world.channel, "gaps tally")).response.embeds[0])

    await world.env.advance_time(60)
    await world.facilitator.slash(world.channel, "moderate hide", statement=1, reason="Off topic")
    hidden = await outputs(world, next(readers))
    assert [name for name, text in hidden.items() if MARK in text] == []
    assert "Existing fora cope." in hidden["/gaps discuss"]
    assert await polis_moderated(world, world.env.now()) == "-1"
    # The author's stance still counts.
    tally = await world.members[2].slash(world.channel, "gaps tally")
    assert embed_text(tally.response.embeds[0]) == tally_before
    [gaps] = [t for t in json.loads(hidden["digest (JSON)"])["themes"] if t["slug"] == "gaps"]
    assert gaps["participants"] == 2

    await world.env.advance_time(60)
    await world.facilitator.slash(world.channel, "moderate restore", statement=1)
    back = await outputs(world, next(readers))
    assert [name for name, text in back.items() if MARK not in text] == []
    assert await polis_moderated(world, world.env.now()) == "1"
    assert "Government 2 of 2 agree" in back["digest (Markdown)"]


async def test_a_digest_rebuilt_for_a_moment_before_the_hide_still_shows_it(world):
    await forum(world)
    before = world.env.now()
    await world.env.advance_time(60)
    await world.facilitator.slash(world.channel, "moderate hide", statement=1, reason="Off topic")

    then = await digest_outputs(world, before)
    now = await digest_outputs(world, world.env.now())

    assert [name for name, text in then.items() if MARK not in text] == []
    assert [name for name, text in now.items() if MARK in text] == []
    assert await polis_moderated(world, before) == "1"
    assert await polis_moderated(world, world.env.now()) == "-1"
