"""Counting stances: overall and by stakeholder group (or region), with whole percentages rounded half up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
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
    counts = Counter(stance_keys)
    total = sum(counts[key] for key, _ in options)
    return tuple(StanceCount(key, label, counts[key], percent(counts[key], total)) for key, label in options)


def tally(
    votes: Iterable[tuple[str, str | None]],
    options: Sequence[tuple[str, str]],
    group_order: Sequence[str] = tuple(STAKEHOLDERS),
) -> Tally:
    """Tally (stance, group) pairs; a missing group counts as "undeclared".

    Groups appear in `group_order`, then undeclared, then any other group seen; groups
    nobody belongs to are left out. A stance no longer among the options (the configuration
    changed) counts nowhere, so the overall total and the groups' totals always agree.
    """
    known = {key for key, _ in options}
    pairs = [(stance, group or UNDECLARED) for stance, group in votes if stance in known]
    by_group: dict[str, list[str]] = {}
    for stance, group in pairs:
        by_group.setdefault(group, []).append(stance)
    ordered = [group for group in (*group_order, UNDECLARED) if group in by_group]
    ordered += sorted(group for group in by_group if group not in ordered)
    stances = count_stances((stance for stance, _ in pairs), options)
    return Tally(
        total=sum(item.count for item in stances),
        stances=stances,
        groups=tuple(
            GroupTally(group, len(by_group[group]), count_stances(by_group[group], options)) for group in ordered
        ),
    )
