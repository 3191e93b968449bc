"""Common ground, divides and routing as pure functions, checked on hand-computed numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from random import Random

import pytest

from bot.core.consensus import (
    StatementVotes,
    Votes,
    choose_next,
    common_ground,
    consensus,
    divide,
    divides,
    priority,
    same_words,
)

GROUPS = ("government", "civil-society", "academia", "private-sector")


class FixedRandom(Random):
    """A random source that always draws `value` (what `choices` multiplies by the total weight)."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


@dataclass(frozen=True)
class Item:
    name: str
    votes: Votes


def statement(number: int, **groups: tuple[int, int, int]) -> StatementVotes:
    by_group = {group.replace("_", "-"): Votes(*counts) for group, counts in groups.items()}
    overall = sum(by_group.values(), Votes())
    return StatementVotes(number, number, overall, by_group)


def test_priority_on_hand_computed_numbers():
    # No reactions: a = p = 1/2, and the newness bonus is 1 + 8 = 9: (1/2 * 1/2 * 9)^2.
    assert priority(Votes()) == pytest.approx(5.0625)
    # A=3, D=1, P=1 (S=5): a = 4/7, p = 2/7, bonus 1 + 8/2 = 5: (5/7 * 4/7 * 5)^2 = (100/49)^2.
    assert priority(Votes(3, 1, 1)) == pytest.approx((100 / 49) ** 2)
    # Ten passes: a = 1/12, p = 11/12, bonus 1 + 8/4 = 3: (1/12 * 1/12 * 3)^2 = 1/2304.
    assert priority(Votes(0, 0, 10)) == pytest.approx(1 / 2304)


def test_the_next_statement_is_drawn_weighted_by_priority():
    fresh, seen = Item("fresh", Votes()), Item("seen", Votes(3, 1, 1))
    # Cumulative weights 5.0625, then 5.0625 + 4.1649 = 9.2274: a draw at 0.6 * 9.2274 = 5.54 is the second.
    assert choose_next([fresh, seen], FixedRandom(0.6)).name == "seen"
    assert choose_next([fresh, seen], FixedRandom(0.5)).name == "fresh"
    assert choose_next([], Random(1)) is None
    # Passed-over statements fade: over many draws, the fresh one is shown far more often.
    rng = Random(2012)
    drawn = [choose_next([fresh, Item("passed", Votes(0, 0, 10))], rng).name for _ in range(2000)]
    assert drawn.count("fresh") > 1990


def test_group_informed_consensus_on_hand_computed_numbers():
    item = statement(7, government=(4, 1, 0), civil_society=(2, 1, 0))
    found = consensus(item, GROUPS[:3])
    # P_gov = 5/7, P_cs = 3/5, P_academia = 1/2 (no reactions): GIC = 3/14.
    assert found.gic == pytest.approx(3 / 14)
    assert found.score == pytest.approx((3 / 14) ** (1 / 3))
    assert [(g.group, g.votes.agrees, g.votes.total) for g in found.reacted] == [
        ("government", 4, 5),
        ("civil-society", 2, 3),
    ]


def test_common_ground_needs_three_groups_and_ranks_by_gic_then_groups_reactions_and_number():
    everyone = statement(4, government=(3, 0, 0), civil_society=(3, 0, 0), academia=(3, 0, 0), private_sector=(3, 0, 0))
    three = statement(2, government=(3, 0, 0), civil_society=(3, 0, 0), academia=(3, 0, 0))
    one_group = statement(1, government=(30, 0, 0))  # loved by one group only: never common ground
    split = statement(3, government=(3, 0, 0), civil_society=(0, 3, 0), academia=(3, 0, 0), private_sector=(0, 3, 0))
    tie_a = statement(6, government=(1, 0, 0), civil_society=(1, 0, 0), academia=(1, 0, 0))
    tie_b = statement(5, government=(1, 0, 0), civil_society=(1, 0, 0), academia=(1, 0, 0))
    ranked = common_ground([one_group, split, three, everyone, tie_a, tie_b], GROUPS, limit=5)
    assert [item.statement.number for item in ranked] == [4, 2, 5, 6, 3]
    # everyone: (4/5)^4; three groups: (4/5)^3 * 1/2; split: (4/5)^2 (1/5)^2.
    assert ranked[0].gic == pytest.approx((4 / 5) ** 4)
    assert ranked[1].gic == pytest.approx((4 / 5) ** 3 / 2)
    assert ranked[-1].gic == pytest.approx((4 / 5) ** 2 * (1 / 5) ** 2)
    assert math.isclose(ranked[0].score, 4 / 5)


def test_divides_need_two_reactions_in_each_of_two_groups_and_rank_by_the_largest_gap():
    wide = statement(1, government=(4, 0, 0), civil_society=(0, 4, 0), academia=(1, 1, 0))
    narrow = statement(2, government=(2, 0, 0), civil_society=(1, 1, 0))
    thin = statement(3, government=(5, 0, 0), civil_society=(0, 1, 0))  # one reaction in civil society: no divide
    agreed = statement(4, government=(2, 0, 0), civil_society=(2, 0, 0))  # no gap at all
    found = divides([narrow, thin, wide, agreed], GROUPS, limit=3)
    assert [item.statement.number for item in found] == [1, 2]
    # wide: P_gov = 5/6, P_cs = 1/6: a gap of 2/3 between government and civil society.
    assert found[0].gap == pytest.approx(2 / 3)
    assert (found[0].high.group, found[0].low.group) == ("government", "civil-society")
    # narrow: 3/4 against 2/4.
    assert found[1].gap == pytest.approx(1 / 4)
    assert divide(thin, GROUPS) is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Spam has no home.", "spam has NO home"),
        ("I changed my mind: spam has no home.", "Spam has no home."),
        ("On reflection, spam has no home!", "spam — has no home"),
        ("Having listened to the session, spam has no home", "Spam has no home."),
    ],
)
def test_near_identical_texts_compare_equal(one, other):
    assert same_words(one) == same_words(other)


def test_different_arguments_stay_different():
    assert same_words("Spam has no home.") != same_words("Spam has a home.")
    assert same_words("I changed my mind: spam has no home.") != same_words("I changed my mind.")
