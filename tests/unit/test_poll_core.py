"""Unit tests of the pure poll core: options, clicks, suppressed tallies, what is due (keys: test_ballot_keys.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.poll_schedule import DueKind, closing_soon_at, due_actions, next_due
from bot.core.polls import (
    OTHER,
    Aggregate,
    ClickKind,
    PollInfo,
    PollInputError,
    aggregate,
    apply_click,
    clean_question,
    parse_options,
    results,
    suppress_small_groups,
)
from bot.render.wording import poll_problem

T0 = datetime(2026, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def make_poll(hours: float = 3, **changes: object) -> PollInfo:
    poll = PollInfo(
        id=7,
        guild_id=1,
        number=1,
        channel_id=2,
        message_id=3,
        question="Q?",
        options=("Yes", "No"),
        theme=None,
        secret=False,
        hide_results=True,
        max_choices=1,
        created_at=T0,
        closes_at=T0 + hours * HOUR,
    )
    return replace(poll, **changes)


# --- options and question --------------------------------------------------------------------


def test_options_are_trimmed_and_kept_in_order():
    assert parse_options("  Yes ;No;   Not   yet ") == ("Yes", "No", "Not yet")


def test_ten_options_and_55_characters_are_the_limits():
    assert len(parse_options(";".join(f"Answer {i}" for i in range(10)))) == 10
    assert parse_options(f"{'a' * 55}; b") == ("a" * 55, "b")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Yes", "between 2 and 10 answers"),
        (";".join(f"Answer {i}" for i in range(11)), "you gave 11"),
        (f"{'a' * 56}; b", "at most 55 characters"),
        ("Yes; No; yes", "appears twice"),
        ("Yes; ; No", "answer 2 is blank"),
        ("Yes; No;", "answer 3 is blank"),
        ("Yes;; ;No", "answers 2, 3 are blank"),
        (";", "answers 1, 2 are blank"),
        ("   ", "you gave 0"),
    ],
    ids=[
        "one",
        "eleven",
        "56-chars",
        "duplicate",
        "blank",
        "trailing-separator",
        "two-blanks",
        "separator-only",
        "empty",
    ],
)
def test_bad_options_are_refused_with_the_reason(text, says):
    with pytest.raises(PollInputError) as refused:
        parse_options(text)
    assert says in poll_problem(refused.value)


def test_question_is_cleaned_and_limited():
    assert clean_question("  Should   the IGF\nhost it? ") == "Should the IGF host it?"
    with pytest.raises(PollInputError) as too_long:
        clean_question("x" * 301)
    assert "at most 300" in poll_problem(too_long.value)
    with pytest.raises(PollInputError) as empty:
        clean_question(" \n ")
    assert "empty" in poll_problem(empty.value)


# --- clicks -----------------------------------------------------------------------------------


def test_single_choice_records_changes_and_confirms():
    first = apply_click(frozenset(), 0, 1)
    assert (first.kind, first.choices) == (ClickKind.RECORDED, {0})
    change = apply_click(first.choices, 1, 1)
    assert (change.kind, change.choices, change.previous) == (ClickKind.CHANGED, {1}, {0})
    again = apply_click(change.choices, 1, 1)
    assert (again.kind, again.choices) == (ClickKind.CONFIRMED, {1})


def test_multiple_choice_toggles_up_to_the_maximum():
    click = apply_click(frozenset(), 0, 2)
    assert (click.kind, click.choices) == (ClickKind.RECORDED, {0})
    click = apply_click(click.choices, 2, 2)
    assert (click.kind, click.choices) == (ClickKind.ADDED, {0, 2})
    full = apply_click(click.choices, 1, 2)
    assert (full.kind, full.choices) == (ClickKind.FULL, {0, 2})
    removed = apply_click(full.choices, 0, 2)
    assert (removed.kind, removed.choices) == (ClickKind.REMOVED, {2})


# --- tallies ----------------------------------------------------------------------------------


def test_results_count_and_round_half_up_percentages_of_voters():
    ballots = [({0}, "government")] * 2 + [({1}, "government")]
    shown = results(aggregate(ballots), ["Yes", "No"])
    assert [(o.label, o.count, o.percent) for o in shown.options] == [("Yes", 2, 67), ("No", 1, 33)]
    assert shown.voters == 3
    assert [(g.group, g.voters) for g in shown.groups] == [("government", 3)]


def test_groups_under_three_voters_merge_into_other_undeclared_included():
    ballots = (
        [({0}, "civil-society")] * 3
        + [({1}, "government")] * 2
        + [({0}, None)]
        + [({1}, "academia")]
        + [({0}, "technical-community")] * 4
    )
    shown = results(aggregate(ballots), ["Yes", "No"])
    assert [(g.group, g.voters) for g in shown.groups] == [
        ("civil-society", 3),
        ("technical-community", 4),
        (OTHER, 4),
    ]
    other = shown.groups[-1]
    assert [(o.count, o.percent) for o in other.options] == [(1, 25), (3, 75)]
    assert shown.voters == 11


def test_three_undeclared_voters_are_shown_as_undeclared():
    shown = results(aggregate([({0}, None)] * 3), ["Yes", "No"])
    assert [(g.group, g.voters) for g in shown.groups] == [("undeclared", 3)]


def test_suppression_is_idempotent_on_stored_counts():
    raw = aggregate([({0}, "government"), ({1}, "academia"), ({0}, "academia")] + [({1}, "civil-society")] * 3)
    once = suppress_small_groups(raw)
    assert once.voters == {OTHER: 3, "civil-society": 3}
    assert suppress_small_groups(once) == once
    assert results(once, ["A", "B"]) == results(raw, ["A", "B"])


def test_multiple_choice_percentages_are_of_voters_and_empty_ballots_do_not_count():
    counts = aggregate([({0, 1}, None), ({0}, None), ({1}, None), (set(), None)])
    shown = results(counts, ["A", "B", "C"])
    assert shown.voters == 3
    assert [(o.count, o.percent) for o in shown.options] == [(2, 67), (2, 67), (0, 0)]


def test_no_votes_gives_zero_everywhere():
    shown = results(Aggregate({}, {}), ["A", "B"])
    assert (shown.voters, shown.groups) == (0, ())
    assert [o.percent for o in shown.options] == [0, 0]


# --- what is due ------------------------------------------------------------------------------


def test_closing_is_due_at_the_deadline_not_before():
    poll = make_poll(hours=1)
    assert due_actions([poll], T0 + HOUR - timedelta(seconds=1), HOUR) == []
    assert [a.kind for a in due_actions([poll], T0 + HOUR, HOUR)] == [DueKind.CLOSE]
    assert next_due([poll], T0, HOUR) == T0 + HOUR


def test_closing_soon_only_for_polls_longer_than_twice_the_lead():
    assert closing_soon_at(make_poll(hours=2), HOUR) is None
    assert closing_soon_at(make_poll(hours=3), HOUR) == T0 + 2 * HOUR
    short = make_poll(hours=2)
    assert all(a.kind is DueKind.CLOSE for a in due_actions([short], T0 + 2 * HOUR, HOUR))


def test_closing_soon_is_due_once_in_its_window():
    poll = make_poll(hours=3)
    assert due_actions([poll], T0 + 2 * HOUR - timedelta(seconds=1), HOUR) == []
    assert next_due([poll], T0, HOUR) == T0 + 2 * HOUR
    assert [a.kind for a in due_actions([poll], T0 + 2 * HOUR, HOUR)] == [DueKind.CLOSING_SOON]
    posted = replace(poll, soon_message_id=99)
    assert due_actions([posted], T0 + 2 * HOUR, HOUR) == []
    assert next_due([posted], T0 + 2 * HOUR, HOUR) == T0 + 3 * HOUR


def test_a_notice_missed_until_the_deadline_is_skipped_for_the_closing():
    poll = make_poll(hours=3)
    assert [a.kind for a in due_actions([poll], T0 + 5 * HOUR, HOUR)] == [DueKind.CLOSE]


def test_a_closing_that_failed_before_sealing_waits_for_its_retry_time():
    poll = make_poll(hours=1, close_attempts=1, close_retry_at=T0 + HOUR + timedelta(minutes=1))
    assert due_actions([poll], T0 + HOUR, HOUR) == []
    assert next_due([poll], T0 + HOUR, HOUR) == poll.close_retry_at
    assert [a.kind for a in due_actions([poll], poll.close_retry_at, HOUR)] == [DueKind.CLOSE]


def test_failed_work_waits_for_its_retry_time():
    soon = make_poll(hours=3, soon_attempts=1, soon_retry_at=T0 + 2 * HOUR + timedelta(minutes=1))
    assert due_actions([soon], T0 + 2 * HOUR, HOUR) == []
    assert next_due([soon], T0 + 2 * HOUR, HOUR) == soon.soon_retry_at
    closed = make_poll(hours=1, closed_at=T0 + HOUR, close_attempts=1, close_retry_at=T0 + HOUR + timedelta(minutes=1))
    assert due_actions([closed], T0 + HOUR, HOUR) == []
    assert [a.kind for a in due_actions([closed], closed.close_retry_at, HOUR)] == [DueKind.DELIVER]
    done = replace(closed, close_edited=True, results_message_id=5)
    assert due_actions([done], T0 + 9 * HOUR, HOUR) == []
    assert next_due([done], T0 + 9 * HOUR, HOUR) is None
