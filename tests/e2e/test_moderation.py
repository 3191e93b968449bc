"""Moderation end to end: members report from discuss, facilitators work the queue, hide, restore and read
the log; the author is told by DM; per server, role-gated, and user text never pings."""

from __future__ import annotations

import re
from random import Random

import pytest

from tests.support.world import World, build_world, db_rows, embed_text, restart

SHOWN = re.compile(r"^#(\d+) · ")


class LowestFirst(Random):
    """Discuss then always shows a member's lowest-numbered statement left (its weighted draw takes the first)."""

    def random(self) -> float:
        return 0.0


@pytest.fixture(autouse=True)
def lowest_first(world: World) -> None:
    world.bot.get_cog("Theme:gaps").discussion.rng = LowestFirst()


def shown_number(result) -> int | None:
    embeds = result.response.embeds
    if not embeds:
        return None
    match = SHOWN.match(embeds[0].footer.text or "")
    return int(match.group(1)) if match else None


async def take(world: World, member, text: str, stance: str = "some", theme: str = "gaps") -> None:
    res = await member.slash(world.channel, f"{theme} position", stance=stance, rationale=text)
    assert "Rationale saved" in res.response.content


async def discuss_until(world: World, member, number: int):
    """Open discuss and pass until statement `number` is shown."""
    res = await member.slash(world.channel, "gaps discuss")
    while (shown := shown_number(res)) != number:
        assert shown is not None, f"#{number} never shown"
        res = await member.click(res.response, label="Pass")
    return res


async def report(world: World, member, number: int, reason: str = ""):
    res = await discuss_until(world, member, number)
    form = await member.click(res.response, label="Report")
    assert form.modal is not None
    return await member.submit_modal(form, {"reason": reason})


def all_numbers_seen(results) -> set[int]:
    return {n for n in (shown_number(r) for r in results) if n is not None}


async def seen_in_discuss(world: World, member) -> set[int]:
    res = await member.slash(world.channel, "gaps discuss")
    seen = set()
    while (number := shown_number(res)) is not None:
        seen.add(number)
        res = await member.click(res.response, label="Pass")
    return seen


def final(result):
    """The answer after a deferral ("thinking…"): its first followup replaces the deferred message."""
    return result.followups[-1] if result.followups else result.response


def buttons(response) -> list[list[tuple[str, str]]]:
    return [[(b["label"], b["custom_id"]) for b in row["components"]] for row in response.components]


async def test_report_once_with_an_optional_reason_and_never_shown_again_to_the_reporter(world, db_path):
    alice, bob, carol, _ = world.members
    await take(world, alice, "Spam has no home.")  # 1
    await take(world, carol, "Existing fora cope.", "none")  # 2

    done = await report(world, bob, 1, "  off   topic  ")
    assert done.ephemeral and "#1 is reported" in done.response.content
    assert db_rows(db_path, "SELECT reporter_id, reason FROM statement_reports") == [(bob.id, "off topic")]
    assert await seen_in_discuss(world, bob) == {2}
    # An earlier message's Report button, clicked again: once per member per statement.
    other = await carol.slash(world.channel, "gaps discuss")
    await report(world, carol, 1)
    again = await carol.click(other.response, label="Report")
    assert again.ephemeral and "already reported #1" in again.response.content
    assert db_rows(db_path, "SELECT count(*), count(reason) FROM statement_reports") == [(2, 1)]
    # Others still read it.
    assert 1 in await seen_in_discuss(world, world.members[3])


async def test_queue_lists_most_reported_first_with_hide_and_keep(world, db_path):
    alice, bob, carol, dan = world.members
    await take(world, alice, "Spam has no home.")  # 1
    await take(world, bob, "Existing fora cope.", "none")  # 2
    await report(world, carol, 1)
    await report(world, carol, 2, "rude")
    await report(world, dan, 2)

    queue = await world.facilitator.slash(world.channel, "moderate queue")

    assert queue.ephemeral
    title = world.bot.settings.theme("gaps").title
    assert [embed.title for embed in queue.response.embeds] == [f"#2 · {title}", f"#1 · {title}"]
    assert [embed.footer.text for embed in queue.response.embeds] == ["Reports: 2", "Reports: 1"]
    assert queue.response.embeds[0].description == "Existing fora cope."
    assert buttons(queue.response) == [
        [("Hide", "moderate:2:hide"), ("Keep", "moderate:2:keep")],
        [("Hide", "moderate:1:hide"), ("Keep", "moderate:1:keep")],
    ]

    kept = await world.facilitator.click(queue.response, custom_id="moderate:1:keep")
    assert "Kept: #1" in kept.response.content
    form = await world.facilitator.click(queue.response, custom_id="moderate:2:hide")
    assert form.modal is not None
    hidden = await world.facilitator.submit_modal(form, {"reason": "Personal attack"})
    assert "Hidden: #2" in hidden.response.content
    empty = await world.facilitator.slash(world.channel, "moderate queue")
    assert "No reported statement is waiting" in empty.response.content
    assert db_rows(db_path, "SELECT action, reason FROM moderation_actions ORDER BY id") == [
        ("keep", None),
        ("hide", "Personal attack"),
    ]


async def test_hide_and_restore_by_number_with_the_log(world, db_path):
    alice, bob, *_ = world.members
    await take(world, alice, "Spam has no home.")
    await bob.slash(world.channel, "gaps discuss")
    res = await discuss_until(world, bob, 1)
    await bob.click(res.response, label="Agree")

    hidden = await world.facilitator.slash(world.channel, "moderate hide", statement=1, reason="Off topic")
    assert hidden.ephemeral and "Hidden: #1" in final(hidden).content
    assert await seen_in_discuss(world, world.members[2]) == set()
    twice = await world.facilitator.slash(world.channel, "moderate hide", statement=1, reason="Again")
    assert "already hidden" in twice.response.content
    await world.env.advance_time(60)
    restored = await world.facilitator.slash(world.channel, "moderate restore", statement=1)
    assert "Restored: #1" in restored.response.content
    assert await seen_in_discuss(world, world.members[2]) == {1}
    assert db_rows(db_path, "SELECT agrees FROM statements WHERE number = 1") == [(1,)]
    nothing = await world.facilitator.slash(world.channel, "moderate restore", statement=1)
    assert "is not hidden" in nothing.response.content
    unknown = await world.facilitator.slash(world.channel, "moderate hide", statement=99, reason="?")
    assert "no statement #99" in unknown.response.content

    log = await world.facilitator.slash(world.channel, "moderate log")
    [embed] = log.response.embeds
    lines = embed.description.splitlines()
    assert len(lines) == 2
    assert f"<@{world.facilitator.id}> restored #1" in lines[0]
    assert f"<@{world.facilitator.id}> hid #1" in lines[1] and "Off topic" in lines[1]
    assert "author told by DM" in lines[1]


async def test_plain_members_are_refused_politely_everywhere(world, settings, db_path):
    alice, bob, *_ = world.members
    await take(world, alice, "Spam has no home.")
    await report(world, bob, 1)
    for command, options in (
        ("moderate queue", {}),
        ("moderate hide", {"statement": 1, "reason": "no"}),
        ("moderate restore", {"statement": 1}),
        ("moderate log", {}),
    ):
        refused = await bob.slash(world.channel, command, **options)
        assert refused.ephemeral and "only facilitators can moderate statements" in refused.response.content
    # The queue's buttons check the role on every click (after a restart too): the chair, whose role no
    # longer is the facilitators' one, is refused.
    queue = await world.facilitator.slash(world.channel, "moderate queue")
    discord_settings = settings.discord.model_copy(update={"facilitator_role": "Moderators"})
    await restart(world.env, settings.model_copy(update={"discord": discord_settings}))
    for custom_id in ("moderate:1:hide", "moderate:1:keep"):
        refused = await world.facilitator.click(queue.response, custom_id=custom_id)
        assert refused.ephemeral and "only facilitators can moderate statements" in refused.response.content
    assert db_rows(db_path, "SELECT count(*) FROM moderation_actions") == [(0,)]


async def test_the_author_is_told_why_by_dm(world):
    alice, *_ = world.members
    await take(world, alice, "Spam has no home.")
    await world.facilitator.slash(world.channel, "moderate hide", statement=1, reason="Off topic @everyone")
    [dm] = alice.user.dm_channel.history()
    assert "hid your statement #1" in dm.content and "Off topic" in dm.content
    assert not dm.mention_everyone and dm.mentions == []


async def test_closed_dms_are_logged_and_fail_nothing(world, db_path):
    alice, *_ = world.members
    await take(world, alice, "Spam has no home.")
    world.env.inject_error("POST", "/channels/*/messages", status=403, code=50007, message="Cannot send messages")
    hidden = await world.facilitator.slash(world.channel, "moderate hide", statement=1, reason="Off topic")
    text = final(hidden).content
    assert "Hidden: #1" in text and "could not be told" in text
    assert db_rows(db_path, "SELECT author_told FROM moderation_actions") == [(0,)]
    log = await world.facilitator.slash(world.channel, "moderate log")
    assert "author not told: DMs closed" in log.response.embeds[0].description


async def test_two_servers_are_isolated(world, simcord_env, db_path):
    other = build_world(simcord_env, name="Another forum")
    await take(world, world.members[0], "Spam has no home.")  # #1 here
    await take(other, other.members[0], "Elsewhere entirely.")  # #1 there
    await report(world, world.members[1], 1)

    there = await other.facilitator.slash(other.channel, "moderate queue")
    assert "No reported statement is waiting" in there.response.content
    await other.facilitator.slash(other.channel, "moderate hide", statement=1, reason="There only")
    assert await seen_in_discuss(world, world.members[2]) == {1}
    assert await seen_in_discuss(other, other.members[2]) == set()
    here_log = await world.facilitator.slash(world.channel, "moderate log")
    assert "No moderation action" in here_log.response.content
    # A queue message of this server clicked in the other: the number is that server's #1.
    queue = await world.facilitator.slash(world.channel, "moderate queue")
    assert [e.footer.text for e in queue.response.embeds] == ["Reports: 1"]
    assert db_rows(db_path, "SELECT guild_id FROM moderation_actions") == [(other.guild.id,)]


async def test_reasons_never_ping_and_fit_limits(world):
    alice, bob, *_ = world.members
    await take(world, alice, "@everyone " + "x" * 990)
    await report(world, bob, 1, "@everyone <@&1> " + "y" * 280)
    queue = await world.facilitator.slash(world.channel, "moderate queue")
    message = queue.response.message
    assert not message.mention_everyone and message.role_mentions == []
    assert len(queue.response.embeds[0].description) <= 210
    reason = "<@" + str(bob.id) + "> @everyone " + "z" * 300
    hidden = await world.facilitator.slash(world.channel, "moderate hide", statement=1, reason=reason[:300])
    final_answer = final(hidden)
    assert not final_answer.message.mention_everyone and final_answer.message.mentions == []
    log = await world.facilitator.slash(world.channel, "moderate log")
    assert not log.response.message.mention_everyone and log.response.message.mentions == []
    assert "@everyone" in embed_text(log.response.embeds[0])
