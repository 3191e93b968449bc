"""The one error path: expected errors answered politely, the unexpected logged with a traceback and apologised for."""

from __future__ import annotations

import logging

import discord
import pytest
import simcord

from bot.interactions import APOLOGY
from tests.conftest import DEFERRED, first_answer


class StoreDown(RuntimeError):
    pass


def break_store(monkeypatch, world, method: str) -> None:
    async def fail(*_args, **_kwargs):
        raise StoreDown("disk on fire")

    monkeypatch.setattr(world.bot.store, method, fail)


def logged_tracebacks(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info and r.exc_info[0] is StoreDown]


async def test_unexpected_error_in_a_command_apologises_and_logs_the_traceback(world, monkeypatch, caplog):
    break_store(monkeypatch, world, "stance_counts")

    res = await world.members[0].slash(world.channel, "gaps tally")

    assert first_answer(world)["type"] == DEFERRED  # the apology then replaces the "thinking…" message
    assert res.response.ephemeral
    assert res.response.content == APOLOGY
    simcord.assert_error(world.env, StoreDown)  # it reached the tree's on_error, as the unexpected should
    (record,) = logged_tracebacks(caplog)
    assert record.name == "bot.interactions"
    assert "Traceback" in caplog.text and "disk on fire" in caplog.text


async def test_unexpected_error_in_a_form_submission_apologises_and_logs(world, monkeypatch, caplog):
    alice = world.members[0]
    shown = await alice.slash(world.channel, "gaps position", stance="some")
    break_store(monkeypatch, world, "record_position")

    res = await alice.submit_modal(shown, {"rationale": "Lost?"})

    assert res.response.ephemeral
    assert res.response.content == APOLOGY
    assert len(logged_tracebacks(caplog)) == 1


async def test_unexpected_error_on_a_page_button_apologises_and_logs(world, monkeypatch, caplog):
    for i in range(6):
        await world.bot.store.record_position(world.guild.id, "gaps", 500 + i, "x", "none", "y", discord.utils.utcnow())
    viewer = world.members[0]
    page = (await viewer.slash(world.channel, "gaps positions")).response
    break_store(monkeypatch, world, "list_positions")

    res = await viewer.click(page, label="Next")

    assert res.response.ephemeral
    assert res.response.content == APOLOGY
    assert len(logged_tracebacks(caplog)) == 1


async def test_a_failed_first_reply_still_reaches_the_user(world):
    world.env.inject_error("POST", "/interactions/*/callback", status=500)

    res = await world.members[0].slash(world.channel, "gaps about")

    assert res.response.content == APOLOGY
    simcord.assert_error(world.env, discord.HTTPException)


async def test_expected_errors_never_reach_the_tree_error_handler(world, caplog):
    res = await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="z" * 1200)
    assert res.response.content.startswith("Sorry, a rationale can be at most 1000 characters")
    assert world.env.errors == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.simcord(check_errors=False)
async def test_when_even_the_apology_cannot_be_sent_that_is_logged(world, caplog):
    world.env.inject_error("POST", "/interactions/*/callback", status=500, times=2)

    await world.members[0].slash(world.channel, "gaps about")

    assert any("could not tell the user" in r.getMessage() for r in caplog.records)
