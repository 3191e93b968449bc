"""Counting stances: overall and by stakeholder group (or region), with whole percentages rounded half up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.forum import STAKEHOLDERS, UNDECLARED


def percent(count: int, total: int) -> int:
    """Whole-number percentage rounded half up: 2 of 3 is 67, 1 of 3 is 33, 1 of 8 is 13."""
    if total <= 0:
        return 0
    return (200 * count + total) // (2 * total)


@dataclass(frozen=True, slots=True)
class StanceCount:
    key: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True, slots=True)
class GroupTally:
    """How one group (a stakeholder group or a region) split across the stances."""

    group: str
    total: int
    counts: tuple[StanceCount, ...]


@dataclass(frozen=True, slots=True)
class Tally:
    total: int
    stances: tuple[StanceCount, ...]
    groups: tuple[GroupTally, ...]


def count_stances(stance_keys: Iterable[str], options: Sequence[tuple[str, str]]) -> tuple[StanceCount, ...]:
    """Counts and percentages for every option, in the options' order (zero counts included)."""
    return _stance_counts(Counter(stance_keys), options)


def _stance_counts(counts: Mapping[str, int], options: Sequence[tuple[str, str]]) -> tuple[StanceCount, ...]:
    total = sum(counts.get(key, 0) for key, _ in options)
    return tuple(
        StanceCount(key, label, counts.get(key, 0), percent(counts.get(key, 0), total)) for key, label in options
    )


def tally(
    votes: Iterable[tuple[str, str | None]],
    options: Sequence[tuple[str, str]],
    group_order: Sequence[str] = tuple(STAKEHOLDERS),
) -> Tally:
    """Tally (stance, group) pairs; a missing group counts as "undeclared". See tally_counts."""
    return tally_counts(Counter(votes), options, group_order)


def tally_counts(
    counts: Mapping[tuple[str, str | None], int],
    options: Sequence[tuple[str, str]],
    group_order: Sequence[str] = tuple(STAKEHOLDERS),
) -> Tally:
    """Tally how many took each (stance, group); the store counts them with GROUP BY, so a tally
    never has to read every position (and its rationale) of a large forum.

    Groups appear in `group_order`, then undeclared, then any other group seen; groups
    nobody belongs to are left out. A stance no longer among the options (the configuration
    changed) counts nowhere, so the overall total and the groups' totals always agree.
    """
    known = {key for key, _ in options}
    overall: Counter[str] = Counter()
    by_group: dict[str, Counter[str]] = {}
    for (stance, group), count in counts.items():
        if stance in known and count > 0:
            overall[stance] += count
            by_group.setdefault(group or UNDECLARED, Counter())[stance] += count
    ordered = [group for group in (*group_order, UNDECLARED) if group in by_group]
    ordered += sorted(group for group in by_group if group not in ordered)
    stances = _stance_counts(overall, options)
    return Tally(
        total=sum(item.count for item in stances),
        stances=stances,
        groups=tuple(
            GroupTally(group, by_group[group].total(), _stance_counts(by_group[group], options)) for group in ordered
        ),
    )
