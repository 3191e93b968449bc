"""Every command and form that takes text, driven through SimCord with generated hostile text.

For each: no unexpected error (the apology never shows), nothing sent breaks a Discord limit or
pings anyone (`tests.support.inert`), and what is stored is exactly what was accepted, or nothing
with a clear ephemeral message. One bot serves every example of a test; each example marks the
moment it starts and looks only at what followed.
"""

from __future__ import annotations

import functools
import itertools

import pytest
import simcord
from hypothesis import event, example, given
from hypothesis import strategies as st

from bot.core.moderation import MAX_REASON, clean_reason
from bot.core.polls import MAX_QUESTION, PollInputError, clean_question, parse_options
from bot.core.tally import tally
from bot.render.charts import tally_chart_png
from cogs.polls._buttons import option_custom_id
from cogs.polls._cog import MAX_OPTIONS_TEXT
from cogs.themes._form import MAX_RATIONALE
from tests.support.inert import Since
from tests.support.polls import poll_messages
from tests.support.texts import aim, hostile_line, hostile_text
from tests.support.world import World, db_rows

pytestmark = pytest.mark.properties
DOLLARS = "$5 or $10 $x^$ \\$"


def live_ids(world: World) -> list[int]:
    """Ids a mention could really reach here: members, the bot, the server's roles and channels."""
    guild = world.env.backend.guilds[world.guild.id]
    return [
        *(member.id for member in [world.facilitator, *world.members]),
        world.env.bot.user.id,
        world.guild.id,
        *guild.roles,
        world.channel.id,
    ]


def stored_rationale(world: World, db_path, member) -> list[tuple]:
    return db_rows(
        db_path,
        "SELECT stance, rationale FROM positions WHERE guild_id = ? AND theme = 'gaps' AND user_id = ?",
        world.guild.id,
        member.id,
    )


def expected_rationale(text: str) -> str | None:
    return text.strip() or None


@given(text=hostile_text(), stance=st.sampled_from(["none", "some", "widespread"]))
@example(text="1. @everyone <@&1> <@2> ```", stance="some")
@example(text=DOLLARS, stance="none")
@example(text="x" * (MAX_RATIONALE + 1), stance="some")
async def test_rationale_inline_is_stored_as_accepted_and_answered_inertly(world, db_path, text, stance):
    text = aim(text, live_ids(world))
    member = world.members[0]
    before = stored_rationale(world, db_path, member)
    since = Since(world.env)
    try:
        res = await member.slash(world.channel, "gaps position", stance=stance, rationale=text)
    except simcord.OptionError:  # Discord itself refuses: empty, or over the option's length
        event("refused by Discord")
        assert not 1 <= len(text) <= MAX_RATIONALE
        assert stored_rationale(world, db_path, member) == before
        return
    since.check()
    assert res.ephemeral and res.response.content
    accepted = expected_rationale(text)
    if accepted is not None and len(accepted) > MAX_RATIONALE:
        assert stored_rationale(world, db_path, member) == before
    else:
        assert stored_rationale(world, db_path, member) == [(stance, accepted)]


@given(text=hostile_text(), stance=st.sampled_from(["none", "some"]))
@example(text="  2) ## <@&5> \u202e$x^$  ", stance="some")
@example(text="y" * (MAX_RATIONALE + 1), stance="none")
async def test_rationale_in_the_form_is_stored_as_accepted_and_answered_inertly(world, db_path, text, stance):
    text = aim(text, live_ids(world))
    member = world.members[1]
    since = Since(world.env)
    shown = await member.slash(world.channel, "gaps position", stance=stance)
    assert shown.modal is not None
    before = stored_rationale(world, db_path, member)
    try:
        res = await member.submit_modal(shown, {"rationale": text})
    except simcord.SetupError:  # the form's own length, checked by Discord
        event("refused by Discord")
        assert len(text) > MAX_RATIONALE
        assert stored_rationale(world, db_path, member) == before
        return
    since.check()
    assert res.ephemeral and res.response.content
    accepted = expected_rationale(text)
    assert stored_rationale(world, db_path, member) == [(stance, accepted)]


def stored_polls(world: World, db_path) -> list[tuple]:
    """(id, number, question, answers) of every poll stored in the server, in order."""
    polls = db_rows(db_path, "SELECT id, number, question FROM polls WHERE guild_id = ? ORDER BY id", world.guild.id)
    return [(*poll, tuple(label for (label,) in db_rows(db_path, LABELS, poll[0]))) for poll in polls]


@functools.cache
def warm_charts() -> None:
    """Import matplotlib and draw once before the bot does: a first chart on a busy machine can take
    longer than SimCord waits for the bot's work (5 s)."""
    tally_chart_png("warm", tally([("a", None)], [("a", "A")]))


LABELS = "SELECT label FROM poll_options WHERE poll_id = ? ORDER BY position"


def poll_input(question: str, options: str) -> tuple[str, tuple[str, ...]] | None:
    try:
        return clean_question(question), parse_options(options)
    except PollInputError:
        return None


def _shown(text: str) -> str:
    return " ".join(text.split())


ANSWERS = st.lists(hostile_line(max_size=70), min_size=0, max_size=12).map("; ".join)
# Mostly polls the bot can accept, hostile text first in each answer and the question: a visible, distinct
# mark at the end keeps every answer non-blank and unlike the others (2 to 10 answers of at most 55).
GOOD_ANSWERS = st.lists(hostile_line(max_size=48), min_size=2, max_size=10).map(
    lambda answers: "; ".join(f"{answer} #{index}" for index, answer in enumerate(answers))
)
GOOD_QUESTION = hostile_text(max_size=290).map(lambda question: question + " ?")


THEMES = st.one_of(st.none(), st.none(), st.none(), st.just("gaps"), hostile_text(max_size=6000).filter(bool))


@given(
    question=st.one_of(GOOD_QUESTION, GOOD_QUESTION, GOOD_QUESTION, hostile_text(max_size=400)),
    options=st.one_of(GOOD_ANSWERS, GOOD_ANSWERS, GOOD_ANSWERS, ANSWERS, hostile_text(max_size=800)),
    theme=THEMES,
)
@example(question=f"Which {DOLLARS}?", options="$5; $10; \\$x^$", theme=None)
@example(question="q", options=";" * 599, theme=None)
@example(question="1. @here", options="1. <@&6>; - @everyone; ＝1+1", theme="gaps")
@example(question="q", options="a; b", theme="``` @everyone <@&2> " * 300)
async def test_poll_questions_and_answers_are_stored_as_accepted_and_shown_inertly(
    world, db_path, question, options, theme
):
    warm_charts()
    ids = live_ids(world)
    question, options, theme = aim(question, ids), aim(options, ids), theme and aim(theme, ids)
    before = stored_polls(world, db_path)
    since = Since(world.env)
    typed = {"question": question, "options": options, "hide_results": False}
    try:
        res = await world.facilitator.slash(
            world.channel, "poll create", **typed, **({} if theme is None else {"theme": theme})
        )
    except simcord.OptionError:
        event("refused by Discord")
        assert not (1 <= len(question) <= MAX_QUESTION and 1 <= len(options) <= MAX_OPTIONS_TEXT)
        assert stored_polls(world, db_path) == before
        return
    since.check()
    accepted = poll_input(question, options) if theme in (None, "gaps") else None
    after = stored_polls(world, db_path)
    event("refused by the bot" if accepted is None else "posted")
    if accepted is None:
        assert after == before
        assert res.ephemeral and (res.response.content or res.followups[0].content)
        return
    poll_id, number, stored_question, labels = after[-1]
    assert after[:-1] == before
    assert (stored_question, labels) == accepted
    vote = await world.members[0].click(poll_messages(world)[-1], custom_id=option_custom_id(poll_id, 0))
    results = await world.members[0].slash(world.channel, "poll results", poll=number)
    since.check()
    assert vote.ephemeral and results.ephemeral


async def a_statement(world: World) -> None:
    """The one statement the moderation properties report and hide (#1), written once per test."""
    author = world.members[3]
    if not db_rows(world.bot.settings.database.path, "SELECT 1 FROM statements WHERE author_id = ?", author.id):
        await author.slash(world.channel, "gaps position", stance="some", rationale="Spam has no home.")


REPORTERS = itertools.count()


@given(text=hostile_text(max_size=600))
@example(text="1. <@&3> @everyone ```$x^$```")
@example(text="   ")
async def test_the_report_reason_is_stored_as_accepted_and_answered_inertly(world, db_path, text):
    text = aim(text, live_ids(world))
    await a_statement(world)
    reporter = world.add_member(f"reporter{next(REPORTERS)}")
    shown = await reporter.slash(world.channel, "gaps discuss")
    form = await reporter.click(shown.response, label="Report")
    assert form.modal is not None
    since = Since(world.env)
    reported = "SELECT reason FROM statement_reports WHERE reporter_id = ?"
    try:
        res = await reporter.submit_modal(form, {"reason": text})
    except simcord.SetupError:  # the form's own length, checked by Discord
        assert len(text) > MAX_REASON
        assert db_rows(db_path, reported, reporter.id) == []
        return
    since.check()
    assert res.ephemeral and res.response.content
    assert db_rows(db_path, reported, reporter.id) == [(clean_reason(text),)]


@given(text=hostile_text(max_size=600))
@example(text="2) <@4> @here `x` ＝1")
@example(text="\u200b")
async def test_the_hide_reason_is_stored_as_accepted_and_told_inertly(world, db_path, text):
    text = aim(text, live_ids(world))
    await a_statement(world)
    actions = "SELECT action, reason FROM moderation_actions WHERE guild_id = ? ORDER BY id"
    before = db_rows(db_path, actions, world.guild.id)
    since = Since(world.env)
    try:
        res = await world.facilitator.slash(world.channel, "moderate hide", statement=1, reason=text)
    except simcord.OptionError:
        assert not 1 <= len(text) <= MAX_REASON
        assert db_rows(db_path, actions, world.guild.id) == before
        return
    since.check()
    assert res.ephemeral and (res.response.content or res.followups)
    after = db_rows(db_path, actions, world.guild.id)
    if clean_reason(text) is None:
        assert after == before
        return
    assert after == [*before, ("hide", clean_reason(text))]
    await world.facilitator.slash(world.channel, "moderate restore", statement=1)
    since.check()
