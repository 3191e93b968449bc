"""Faults while a command posts: the poll message of `/poll create`, and the confirmations of
`/poll create`, `/poll close` and `/digest post`, which come after the work is done.

Properties: a poll is stored exactly when its message is posted (with the message's id), posted
at most once; a refusal explains itself and saves nothing; a confirmation that fails never turns
into an apology inviting the work to be done twice; and the next command works.
"""

from __future__ import annotations

import logging

import pytest

from bot.render.discord.replies import apology
from tests.support.digests import THEMES
from tests.support.faults import FAULT_IDS, FAULTS, Fault, transport
from tests.support.polls import create_poll, poll_messages, sql
from tests.support.world import db_rows

APOLOGY = apology()
POST = ("POST", "/channels/*/messages")
FOLLOW_UP = ("POST", "/webhooks/*/*")
EDIT_ORIGINAL = ("PATCH", "/webhooks/*/*/messages/@original")
UNCLEAR = [fault for fault in FAULTS if not fault.refusal]


def stored_polls(db_path) -> list[tuple]:
    return sql(db_path, "SELECT number, message_id FROM polls ORDER BY id")


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_fault_posting_a_poll_leaves_it_either_posted_and_stored_or_neither(world, monkeypatch, db_path, fault):
    wire = transport(world.env, monkeypatch)
    wire.inject(*POST, fault)

    res = await create_poll(world)

    attempts = wire.sent(*POST)
    if fault.refusal:  # Discord said no: nothing was posted, so nothing is kept, and the facilitator knows why
        assert res.response.content.startswith("Sorry, I could not post the poll") and "Nothing was saved" in (
            res.response.content
        )
        assert fault.message in res.response.content and "appears anyway" not in res.response.content
        assert len(attempts) == 1 and poll_messages(world) == [] and stored_polls(db_path) == []
    else:  # no clear answer: tried once more at once, with the same nonce, and posted once
        assert [(call.json["nonce"], call.json["enforce_nonce"]) for call in attempts] == [("poll1:post", True)] * 2
        [message] = poll_messages(world)
        assert stored_polls(db_path) == [(1, message.id)]
        assert res.response.content.startswith(f"Poll #1 is open until <t:{int(world.env.now().timestamp()) + 86400}")
    # The bot keeps working, and numbers stay consecutive.
    await create_poll(world, question="Next?")
    number = 1 if fault.refusal else 2
    assert poll_messages(world)[-1].embeds[0].title == f"Poll #{number} · Open"
    assert [row[0] for row in stored_polls(db_path)] == list(range(1, number + 1))


@pytest.mark.parametrize("fault", UNCLEAR, ids=[fault.name for fault in UNCLEAR])
async def test_a_poll_whose_post_stays_unclear_is_discarded_and_a_late_message_takes_no_votes(
    world, monkeypatch, db_path, fault
):
    wire = transport(world.env, monkeypatch)
    wire.inject(*POST, fault, times=2)

    res = await create_poll(world)

    assert len(wire.sent(*POST)) == 2 and stored_polls(db_path) == []
    assert "Nothing was saved. If the poll appears anyway, it takes no votes: delete it." in res.response.content
    if fault.lost:  # Discord did post it (once: the retry carried the same nonce); it is nobody's poll now
        [late] = poll_messages(world)
        click = await world.members[0].click(late, label="Yes")
        assert click.response.content == "Sorry, this poll no longer exists."
    else:
        assert poll_messages(world) == []
    await create_poll(world, question="Again?")
    assert poll_messages(world)[-1].embeds[0].title == "Poll #1 · Open"


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_failed_confirmation_of_a_posted_poll_says_it_was_posted(world, monkeypatch, db_path, fault):
    wire = transport(world.env, monkeypatch)
    wire.inject(*FOLLOW_UP, fault)

    res = await create_poll(world)

    [message] = poll_messages(world)
    assert stored_polls(db_path) == [(1, message.id)]
    shown = res.response.content
    assert shown == f"Poll #1 was posted: {message.jump_url}" or shown.startswith("Poll #1 is open until")
    assert APOLOGY not in shown and world.env.errors == []


@pytest.mark.parametrize("fault", [Fault("500", 500), Fault("timeout")], ids=["500", "timeout"])
async def test_when_no_confirmation_gets_through_the_poll_stands_and_nobody_is_told_to_repeat_it(
    world, monkeypatch, db_path, caplog, fault
):
    wire = transport(world.env, monkeypatch)
    wire.inject(*FOLLOW_UP, fault)
    wire.inject(*EDIT_ORIGINAL, fault)

    res = await create_poll(world)

    [message] = poll_messages(world)
    assert stored_polls(db_path) == [(1, message.id)]
    assert res.response.content is None or APOLOGY not in res.response.content  # "thinking…" stays
    assert world.env.errors == [] and "done, but the user could not be told" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_failed_confirmation_of_poll_close_says_it_is_closed(world, monkeypatch, fault):
    await create_poll(world)
    wire = transport(world.env, monkeypatch)
    wire.inject(*FOLLOW_UP, fault)

    res = await world.facilitator.slash(world.channel, "poll close", poll=1)

    assert res.response.content.startswith("Poll #1 is closed") and world.env.errors == []
    assert (await world.bot.store.get_poll(world.guild.id, 1)).delivered


@pytest.mark.concord_settings(themes=THEMES)
@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_a_failed_confirmation_of_digest_post_says_it_was_posted(world, monkeypatch, settings, fault):
    channel = world.guild.create_text_channel("digests")
    await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    wire = transport(world.env, monkeypatch)
    wire.inject(*FOLLOW_UP, fault)

    res = await world.facilitator.slash(world.channel, "digest post", kind="weekly")

    assert res.response.content in (
        f"Posted the weekly digest in {channel.mention} (1 message).",
        "The weekly digest was posted.",
    )
    assert world.env.errors == []
    posted = [m for m in channel.history() if m.author.id == world.bot.user.id]
    assert len(posted) == 1
    assert db_rows(settings.database.path, "SELECT status FROM digest_runs") == [("posted",)]
