"""The pure tally core: counts, half-up percentages, group ordering."""

from __future__ import annotations

import pytest

from bot.core.tally import count_stances, percent, tally, tally_counts
from bot.forum import UNDECLARED

OPTIONS = [("yes", "Yes"), ("no", "No"), ("undecided", "Undecided")]


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (2, 3, 67),
        (1, 3, 33),
        (1, 8, 13),  # 12.5 rounds up
        (3, 8, 38),  # 37.5 rounds up
        (7, 8, 88),  # 87.5 rounds up
        (1, 200, 1),  # 0.5 rounds up
        (1, 201, 0),  # 0.497...
        (0, 5, 0),
        (5, 5, 100),
        (1, 6, 17),
        (0, 0, 0),  # nobody yet: no division by zero
    ],
)
def test_percent_rounds_half_up(count, total, expected):
    assert percent(count, total) == expected


def test_percent_is_exact_for_every_small_fraction():
    from decimal import ROUND_HALF_UP, Decimal

    for total in range(1, 101):
        for count in range(total + 1):
            exact = (Decimal(100 * count) / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            assert percent(count, total) == int(exact), (count, total)


def test_count_stances_keeps_option_order_and_zero_counts():
    counts = count_stances(["no", "yes", "no"], OPTIONS)
    assert [(c.key, c.label, c.count, c.percent) for c in counts] == [
        ("yes", "Yes", 1, 33),
        ("no", "No", 2, 67),
        ("undecided", "Undecided", 0, 0),
    ]


def test_tally_totals_and_groups():
    result = tally(
        [("yes", "government"), ("no", None), ("no", "civil-society"), ("yes", "government")],
        OPTIONS,
    )
    assert result.total == 4
    assert [(c.key, c.count, c.percent) for c in result.stances] == [("yes", 2, 50), ("no", 2, 50), ("undecided", 0, 0)]
    groups = {g.group: (g.total, [c.count for c in g.counts]) for g in result.groups}
    assert groups == {"government": (2, [2, 0, 0]), "civil-society": (1, [0, 1, 0]), UNDECLARED: (1, [0, 1, 0])}
    government = result.groups[0]
    assert [c.percent for c in government.counts] == [100, 0, 0]


def test_groups_follow_the_given_order_then_undeclared_then_others_alphabetically():
    votes = [("yes", "zeta"), ("yes", None), ("yes", "academia"), ("yes", "alpha"), ("yes", "government")]
    result = tally(votes, OPTIONS, group_order=("government", "private-sector", "academia"))
    assert [g.group for g in result.groups] == ["government", "academia", UNDECLARED, "alpha", "zeta"]


def test_default_group_order_is_the_stakeholder_list():
    votes = [(("yes", group)) for group in ("intergovernmental", "academia", "government", "private-sector")]
    assert [g.group for g in tally(votes, OPTIONS).groups] == [
        "government",
        "private-sector",
        "academia",
        "intergovernmental",
    ]


def test_empty_tally():
    result = tally([], OPTIONS)
    assert result.total == 0
    assert result.groups == ()
    assert [c.percent for c in result.stances] == [0, 0, 0]


def test_a_stance_no_longer_configured_counts_nowhere_so_totals_agree():
    result = tally([("yes", "government"), ("withdrawn-option", "government"), ("no", None)], OPTIONS)
    assert result.total == 2
    assert sum(group.total for group in result.groups) == result.total
    assert [g.group for g in result.groups] == ["government", UNDECLARED]


def test_tally_of_counts_equals_the_tally_of_the_same_votes():
    votes = [("yes", "government")] * 3 + [("no", None)] * 2 + [("no", "zeta"), ("gone", "government")]
    counts = {("yes", "government"): 3, ("no", None): 2, ("no", "zeta"): 1, ("gone", "government"): 4}
    counts[("undecided", "academia")] = 0  # a zero count never makes a group appear
    from_counts = tally_counts(counts, OPTIONS)
    assert from_counts == tally(votes, OPTIONS)
    assert from_counts.total == 6
    assert [(g.group, g.total) for g in from_counts.groups] == [("government", 3), (UNDECLARED, 2), ("zeta", 1)]
