"""The small-group rule (bot/core/privacy.py): which groups may be named, and "Other" that hides them."""

from __future__ import annotations

from itertools import product

from bot.core.consensus import (
    Argument,
    CommonGround,
    Consensus,
    Divide,
    GroupAgreement,
    GroupSplit,
    StatementVotes,
    Votes,
)
from bot.core.polls import aggregate, results
from bot.core.privacy import (
    ANONYMOUS,
    OTHER,
    hidden_groups,
    named_group,
    protect_counts,
    shown_groups,
    threshold,
    visible_bridges,
)
from bot.forum import STAKEHOLDERS, UNDECLARED, Attribution


def test_a_small_group_is_merged_and_other_big_enough_stands():
    sizes = {"civil-society": 4, "government": 1, "academia": 2}
    assert hidden_groups(sizes, 3) == {"government", "academia"}
    assert shown_groups(sizes, 3) == {"civil-society"}


def test_a_lone_small_group_takes_the_smallest_named_one_with_it():
    # Government (1) alone in "Other" would be Government by another name: academia (3), the smallest, joins it.
    sizes = {"civil-society": 5, "academia": 3, "government": 1}
    assert hidden_groups(sizes, 3) == {"government", "academia"}
    # On a tie the last in the forum's order goes.
    assert hidden_groups({"government": 3, "academia": 3, "private-sector": 1}, 3) == {"private-sector", "academia"}


def test_everyone_merged_when_the_theme_is_small():
    assert shown_groups({"government": 1, "academia": 1}, 3) == frozenset()
    assert shown_groups({"government": 2}, 3) == frozenset()


def test_protected_counts_keep_every_participant():
    counts = {("some", "government"): 1, ("some", "civil-society"): 3, ("none", None): 2, ("none", "academia"): 3}
    merged = protect_counts(counts, 3)
    assert sum(merged.values()) == sum(counts.values())
    assert merged == {("some", OTHER): 1, ("none", OTHER): 2, ("some", "civil-society"): 3, ("none", "academia"): 3}


def test_named_attribution_hides_nothing():
    assert threshold(Attribution.NAMED, 5) == 1
    assert threshold(Attribution.CHATHAM_HOUSE, 5) == 5
    assert shown_groups({"government": 1}, 1) == {"government"}
    assert named_group("government", None) == "government"
    assert named_group("government", frozenset({"academia"})) == ANONYMOUS
    assert named_group(None, frozenset({UNDECLARED})) == UNDECLARED


def test_polls_use_the_same_rule():
    ballots = [({0}, "civil-society")] * 4 + [({1}, "government")] + [({0}, "academia")] * 3
    shown = results(aggregate(ballots), ["Yes", "No"], 3)
    assert [(g.group, g.voters) for g in shown.groups] == [("civil-society", 4), (OTHER, 4)]
    assert [(g.group, g.voters) for g in results(aggregate(ballots), ["Yes", "No"], 5).groups] == [(OTHER, 8)]


def _agreement(group: str) -> GroupAgreement:
    return GroupAgreement(group, Votes(agrees=2))


def test_bridges_name_only_shown_groups_and_drop_divides_with_a_hidden_one():
    votes = StatementVotes(1, 1, Votes(agrees=6))
    common = [CommonGround(Argument(1, "t", "s"), Consensus(votes, 0.5, 0.7, tuple(map(_agreement, STAKEHOLDERS[:3]))))]
    divide = Divide(votes, 0.5, _agreement("government"), _agreement("civil-society"))
    split = [GroupSplit(Argument(1, "t", "s"), divide)]
    kept, divides = visible_bridges(common, split, frozenset({"civil-society", "private-sector"}))
    assert [g.group for g in kept[0].consensus.reacted] == ["private-sector", "civil-society"]
    assert kept[0].consensus.score == 0.7
    assert divides == []
    assert visible_bridges(common, split, None) == (common, split)


def test_what_is_named_is_big_enough_and_other_never_betrays_a_small_group():
    """Every forum of four groups (and the undeclared) of up to four participants, every minimum up to four."""
    groups = (*STAKEHOLDERS[:4], UNDECLARED)
    for counts in product(range(5), repeat=len(groups)):
        sizes = dict(zip(groups, counts, strict=True))
        for min_group in range(1, 5):
            hidden = hidden_groups(sizes, min_group)
            shown = shown_groups(sizes, min_group)
            assert not hidden & shown
            assert all(sizes[group] >= min_group for group in shown)
            assert all(sizes[group] > 0 for group in hidden)
            if hidden and shown:  # "Other" is never a small group by another name
                assert sum(sizes[group] for group in hidden) >= min_group
