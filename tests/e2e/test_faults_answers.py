"""Faults on the bot's answers to interactions: a reply, a deferral ("thinking…") and its follow-up, a form
shown, a form's answer, a page turned in place, a vote and its confirmation, autocomplete choices.

Every kind of failure once; the properties: the member is answered when Discord lets the bot answer at
all (an apology that never invites a repeat, since what was asked may have been done), nothing is
recorded that was not asked for, nothing is recorded twice, and the same action right after works.
What reaches the tree's error handler is expected here, so SimCord's check of it is off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.render.discord.replies import apology
from tests.support.faults import FAULT_IDS, FAULTS, transport
from tests.support.polls import open_poll
from tests.support.world import World, db_rows

APOLOGY = apology()
CALLBACK = ("POST", "/interactions/*/callback")
FOLLOW_UP = ("POST", "/webhooks/*/*")

pytestmark = pytest.mark.simcord(check_errors=False)


@dataclass(frozen=True)
class Answer:
    """One kind of answer: what leads up to it, how to bring it about, the call that carries it, and what a
    working one shows."""

    name: str
    call: tuple[str, str]
    act: Callable[[World, Any], Awaitable[Any]]
    works: Callable[[Any], bool]
    prepare: Callable[[World], Awaitable[Any]] | None = None


async def poll_list(world: World, _: Any) -> Any:
    return await world.members[0].slash(world.channel, "poll list")


async def tally(world: World, _: Any) -> Any:
    return await world.members[0].slash(world.channel, "gaps tally")


async def form(world: World, _: Any = None) -> Any:
    return await world.members[0].slash(world.channel, "gaps position", stance="some")


async def form_answer(world: World, shown: Any) -> Any:
    return await world.members[0].submit_modal(shown, {"rationale": "Spam has no home."})


async def positions(world: World) -> Any:
    return (await world.members[0].slash(world.channel, "gaps positions")).response


async def page_turn(world: World, page: Any) -> Any:
    return await world.members[0].click(page, label="Next")


async def choices(world: World, _: Any) -> Any:
    return await world.facilitator.autocomplete(world.channel, "poll create", "theme", "ga")


def text_of(result: Any) -> str:
    response = getattr(result, "response", None)
    return (response.content or "") if response is not None else ""


def recorded(result: Any) -> bool:
    return any(word in text_of(result) for word in ("is recorded", "is updated", "is unchanged"))


ANSWERS = [
    Answer("reply", CALLBACK, poll_list, lambda res: res.response.embeds[0].title == "Polls"),
    Answer("deferral", CALLBACK, tally, lambda res: res.response.embeds[0].title.startswith("Tally")),
    Answer("follow-up", FOLLOW_UP, tally, lambda res: res.response.embeds[0].title.startswith("Tally")),
    Answer("form", CALLBACK, form, lambda res: res.modal is not None),
    Answer("form-answer", CALLBACK, form_answer, recorded, prepare=form),
    Answer(
        "page-turn", CALLBACK, page_turn, lambda res: "Page 2 of 2" in res.response.embeds[0].footer.text, positions
    ),
    Answer("autocomplete", CALLBACK, choices, lambda res: [c["value"] for c in res] == ["gaps"]),
]


def answered_as_usual(answer: Answer, result: Any) -> bool:
    try:
        return answer.works(result)
    except (AttributeError, IndexError, TypeError):  # no embed, no footer, no choices: not the usual answer
        return False


async def six_positions(world: World) -> None:
    for user in range(6):
        await world.bot.store.record_position(world.guild.id, "gaps", 500 + user, "x", "none", "y", world.env.now())


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
@pytest.mark.parametrize("answer", ANSWERS, ids=[answer.name for answer in ANSWERS])
async def test_a_fault_on_an_answer_leaves_the_bot_working_and_nothing_recorded_twice(
    world, monkeypatch, settings, answer, fault
):
    await six_positions(world)
    before = await answer.prepare(world) if answer.prepare else None
    wire = transport(world.env, monkeypatch)
    wire.inject(*answer.call, fault)

    result = await answer.act(world, before)

    # The member gets the answer, or the apology (which never invites a repeat), or (Discord refusing even
    # that) nothing, never anything else.
    shown = [text_of(result), *(message.content or "" for message in getattr(result, "followups", []))]
    assert answered_as_usual(answer, result) or APOLOGY in shown or shown == [""]
    assert not any("try again" in text for text in shown)
    rows = db_rows(
        settings.database.path, "SELECT stance, rationale FROM positions WHERE user_id = ?", world.members[0].id
    )
    assert rows in ([], [("some", "Spam has no home.")])  # a rationale is recorded as submitted, or not at all
    history = db_rows(
        settings.database.path, "SELECT count(*) FROM position_history WHERE user_id = ?", world.members[0].id
    )
    assert history[0][0] <= 1
    again = await answer.act(world, await answer.prepare(world) if answer.prepare else None)
    assert answer.works(again)  # the same, right after, works


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
@pytest.mark.parametrize("call", [CALLBACK, FOLLOW_UP], ids=["deferral", "confirmation"])
async def test_a_fault_on_a_vote_counts_it_once_or_not_at_all_and_says_nothing_of_trying_again(
    world, monkeypatch, call, fault
):
    poll = await open_poll(world, hide_results=False, max_choices=2)  # a repeated click would undo the vote
    wire = transport(world.env, monkeypatch)
    wire.inject(*call, fault)

    res = await world.members[0].click(poll, label="Yes")

    shown = text_of(res)
    assert shown in ("", APOLOGY) or shown.startswith("Your vote on poll #1 is recorded")
    voters = await world.bot.store.count_voters(await world.bot.store.get_poll(world.guild.id, 1))
    assert voters == (0 if call == CALLBACK else 1)  # counted only once "thinking…" is shown
    again = await world.members[1].click(poll, label="No")
    assert again.response.content == "Your vote on poll #1 is recorded: **No**. Your choices (1 of up to 2): **No**."
