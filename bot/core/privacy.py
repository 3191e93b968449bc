"""Chatham House that really protects: which stakeholder groups (or regions) may be named in one theme.

One rule for every output (tallies, the positions browser, discuss, bridges, digests, reports, polls):
a group with fewer than `min_group` participants (members with a position on the theme; for a poll,
its voters) is merged into "Other" in breakdowns and is never named elsewhere; an attribution beside a
rationale names a group only when the group is shown, otherwise it says "a participant".

Secondary suppression: when the groups merged into "Other" hold fewer than `min_group` participants
together (one small group alone, say), "Other" would be that small group by another name, and the
forum's total minus the named groups would give its counts. So the smallest named group is merged
too (on a tie, the last in the forum's order), and again, until "Other" holds at least `min_group`
participants or nothing named is left.

Under named attribution nothing is hidden (`threshold` is 1); polls always apply the rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot.core.consensus import CommonGround, GroupAgreement, GroupSplit
from bot.forum import REGIONS, STAKEHOLDERS, UNDECLARED, Attribution

OTHER = "other"  # the group the small ones are merged into
ANONYMOUS = "a-participant"  # an author whose group may not be named
DEFAULT_MIN_GROUP = 3


def threshold(attribution: Attribution | str, min_group: int) -> int:
    """The smallest group that may be named: `min_group` under the Chatham House rule, 1 (all) when named."""
    return min_group if attribution != Attribution.NAMED else 1


def hidden_groups(sizes: Mapping[str, int], min_group: int) -> frozenset[str]:
    """The groups (keys of `sizes`, participants per group) merged into "Other", secondary suppression included."""
    present = {group: size for group, size in sizes.items() if size > 0 and group != OTHER}
    hidden = {group for group, size in present.items() if size < min_group}
    order = {group: index for index, group in enumerate((*STAKEHOLDERS, *REGIONS, UNDECLARED))}

    def merged() -> int:
        return sum(present[group] for group in hidden) + sizes.get(OTHER, 0)

    while hidden and merged() < min_group:
        named = [group for group in present if group not in hidden]
        if not named:
            break
        hidden.add(min(named, key=lambda group: (present[group], -order.get(group, len(order)), group)))
    return frozenset(hidden)


def shown_groups(sizes: Mapping[str, int], min_group: int) -> frozenset[str]:
    """The groups that may be named: present, and not merged into "Other"."""
    hidden = hidden_groups(sizes, min_group)
    return frozenset(group for group, size in sizes.items() if size > 0 and group not in hidden and group != OTHER)


def group_sizes(counts: Mapping[tuple[str, str | None], int]) -> dict[str, int]:
    """Participants per group from (stance, group) counts (no group: "undeclared")."""
    sizes: Counter[str] = Counter()
    for (_stance, group), count in counts.items():
        sizes[group or UNDECLARED] += count
    return dict(sizes)


def protect_counts(counts: Mapping[tuple[str, str | None], int], min_group: int) -> dict[tuple[str, str | None], int]:
    """(stance, group) counts with every hidden group merged into "Other"."""
    hidden = hidden_groups(group_sizes(counts), min_group)
    merged: Counter[tuple[str, str | None]] = Counter()
    for (stance, group), count in counts.items():
        key = group or UNDECLARED
        merged[stance, OTHER if key in hidden else key] += count
    return dict(merged)


def named_group(group: str | None, shown: frozenset[str] | None) -> str:
    """An author's group as it may be said: the group when shown (`shown` None: every group), else ANONYMOUS."""
    key = group or UNDECLARED
    if shown is None or key in shown:
        return key
    return ANONYMOUS


def visible_bridges(
    common: Sequence[CommonGround], split: Sequence[GroupSplit], shown: frozenset[str] | None
) -> tuple[list[CommonGround], list[GroupSplit]]:
    """Common ground with only shown groups' agreement named, and the divides between two shown groups.

    The scores stay computed over every group: only the names are withheld.
    """
    if shown is None:
        return list(common), list(split)
    kept_common = [
        replace(item, consensus=replace(item.consensus, reacted=_named_only(item.consensus.reacted, shown)))
        for item in common
    ]
    kept_split = [item for item in split if item.divide.high.group in shown and item.divide.low.group in shown]
    return kept_common, kept_split


def _named_only(reacted: tuple[GroupAgreement, ...], shown: frozenset[str]) -> tuple[GroupAgreement, ...]:
    return tuple(group for group in reacted if group.group in shown)
