"""The one error path: expected errors answered politely, the unexpected logged with a traceback and apologised for."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import discord
import pytest
import simcord

from bot.render.discord.replies import apology
from tests.support.world import DEFERRED, first_answer

APOLOGY = apology()


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

    res = await alice.submit_modal(shown, {"rationale": "Chatham House: not for the log"})

    assert res.response.ephemeral
    assert res.response.content == APOLOGY
    (record,) = logged_tracebacks(caplog)
    assert "concord:rationale:gaps:some" in record.getMessage()  # what was used is logged...
    assert "not for the log" not in caplog.text  # ...but never what the participant wrote


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
    res = await world.members[0].slash(world.channel, "poll results", poll=99)
    assert res.response.content.startswith("There is no poll #99 in this server.")
    assert world.env.errors == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.simcord(check_errors=False)
async def test_when_even_the_apology_cannot_be_sent_that_is_logged(world, caplog):
    world.env.inject_error("POST", "/interactions/*/callback", status=500, times=2)

    await world.members[0].slash(world.channel, "gaps about")

    assert any("could not tell the user" in r.getMessage() for r in caplog.records)


class Work:
    """A kind of scheduled work that fails where told to."""

    def __init__(self, name: str, fails_in: str | None = None, due_in: timedelta | None = None) -> None:
        self.name, self.fails_in, self.due_in = name, fails_in, due_in
        self.ran_at: list[datetime] = []

    async def run_due(self, now: datetime) -> None:
        self.ran_at.append(now)
        if self.fails_in == "run_due":
            raise StoreDown(f"{self.name} broke")

    async def next_due(self, now: datetime) -> datetime | None:
        if self.fails_in == "next_due":
            raise StoreDown(f"{self.name} cannot say")
        return None if self.due_in is None else now + self.due_in


async def test_a_failing_kind_of_scheduled_work_is_logged_and_never_stops_the_others(world, caplog):
    bot = world.bot
    works = [Work("broken", "run_due"), Work("confused", "next_due"), Work("fine", due_in=timedelta(minutes=2))]
    bot.due_work.extend(works)

    before = datetime.now(UTC)  # APScheduler wakes on the real clock; the bounds make this deterministic
    await bot.tick()
    after = datetime.now(UTC)

    assert [work.ran_at for work in works] == [[bot.clock()]] * 3
    failures = sorted(str(r.exc_info[1]) for r in logged_tracebacks(caplog))
    assert failures == ["broken broke", "confused cannot say"]
    assert before + timedelta(minutes=2) <= bot.scheduler.next_wake <= after + timedelta(minutes=2)

    works[2].due_in = timedelta(0)  # still due right after running: the wake-up must not spin
    again = datetime.now(UTC)
    await bot.tick()
    assert bot.scheduler.next_wake >= again + timedelta(seconds=1)
    for work in works:
        bot.due_work.remove(work)
