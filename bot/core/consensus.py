"""Common ground: which arguments carry across stakeholder groups, which divide them, and what to read next.

Participants react to each other's statements (agree, disagree, pass). Because they declare their
stakeholder group, Concord needs no clustering to find "opinion groups" (as Pol.is does): the
groups are given. Pure functions over counts; the store aggregates the counts in SQL.

- Agreement of a group g with a statement: P_g = (A_g + 1) / (S_g + 2), where A_g counts the
  agrees of members of g and S_g all their reactions (agree, disagree, pass). With no reactions
  it is 1/2: the group is not counted for or against.
- Group-informed consensus: GIC = the product of P_g over the expected groups. It is high only
  when every group agrees; the score shown is the geometric mean of the P_g (it orders exactly
  like GIC and reads as "a typical group agrees this much").
- Routing (Pol.is's, without its PCA term): with A agrees, P passes and S reactions in all,
  a = (A + 1) / (S + 2), p = (P + 1) / (S + 2), priority = ((1 - p) * a * (1 + 8 * 2 ** (-S / 5))) ** 2;
  the next statement is drawn at random weighted by priority, so a new statement gets a fair
  hearing early and passed-over ones fade.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from random import Random
from typing import Protocol, TypeVar

COMMON_GROUPS = 3  # a statement is common ground only with reactions from at least this many groups
DIVIDE_GROUPS = 2  # ... and divides only where at least this many groups reacted
DIVIDE_REACTIONS = 2  # ... each with at least this many reactions


class Reaction(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"


class Reacted(StrEnum):
    """What became of a click on Agree, Disagree or Pass."""

    RECORDED = "recorded"  # the member's first reaction to it
    CHANGED = "changed"  # it replaced their earlier one
    UNCHANGED = "unchanged"  # the same reaction again
    NOT_CURRENT = "not-current"  # the statement is no longer current (or not of this server)
    OWN = "own"  # members do not react to their own statements


@dataclass(frozen=True, slots=True)
class Votes:
    """Reactions to one statement, of one group or of everyone."""

    agrees: int = 0
    disagrees: int = 0
    passes: int = 0

    @property
    def total(self) -> int:
        return self.agrees + self.disagrees + self.passes

    def __add__(self, other: Votes) -> Votes:
        return Votes(self.agrees + other.agrees, self.disagrees + other.disagrees, self.passes + other.passes)

    def agreement(self) -> float:
        """P = (A + 1) / (S + 2)."""
        return (self.agrees + 1) / (self.total + 2)


@dataclass(frozen=True, slots=True)
class StatementVotes:
    """One statement's reactions: everyone's (members without a profile included) and per stakeholder group."""

    statement_id: int
    number: int
    overall: Votes
    by_group: Mapping[str, Votes] = field(default_factory=dict)

    @property
    def votes(self) -> Votes:
        """Everyone's reactions: what routing weighs (see `priority`)."""
        return self.overall


def priority(votes: Votes) -> float:
    """How much a statement should be shown next (see the module docstring)."""
    total = votes.total
    agree = (votes.agrees + 1) / (total + 2)
    passed = (votes.passes + 1) / (total + 2)
    return ((1 - passed) * agree * (1 + 8 * 2 ** (-total / 5))) ** 2


class Candidate(Protocol):
    @property
    def votes(self) -> Votes: ...


C = TypeVar("C", bound=Candidate)


def choose_next(candidates: Sequence[C], rng: Random) -> C | None:
    """One candidate drawn at random, weighted by priority; None when there is none."""
    if not candidates:
        return None
    weights = [priority(candidate.votes) for candidate in candidates]
    return rng.choices(candidates, weights=weights, k=1)[0]


@dataclass(frozen=True, slots=True)
class GroupAgreement:
    group: str
    votes: Votes

    @property
    def agreement(self) -> float:
        return self.votes.agreement()


@dataclass(frozen=True, slots=True)
class Consensus:
    """How one statement stands across the expected groups."""

    statement: StatementVotes
    gic: float
    score: float  # the geometric mean of the P_g: 0..1
    reacted: tuple[GroupAgreement, ...]  # the expected groups that reacted, in the forum's order

    @property
    def reactions(self) -> int:
        return sum(group.votes.total for group in self.reacted)


@dataclass(frozen=True, slots=True)
class Divide:
    """A statement two groups see most differently: `high` agrees most, `low` least."""

    statement: StatementVotes
    gap: float
    high: GroupAgreement
    low: GroupAgreement


def consensus(statement: StatementVotes, groups: Sequence[str]) -> Consensus:
    """GIC over `groups` (the expected stakeholder groups), and which of them reacted."""
    agreements = [statement.by_group.get(group, Votes()).agreement() for group in groups]
    gic = math.prod(agreements)
    score = gic ** (1 / len(groups)) if groups else 0.0
    reacted = tuple(
        GroupAgreement(group, statement.by_group[group])
        for group in groups
        if group in statement.by_group and statement.by_group[group].total
    )
    return Consensus(statement, gic, score, reacted)


def common_ground(statements: Sequence[StatementVotes], groups: Sequence[str], limit: int) -> list[Consensus]:
    """Statements with reactions from at least COMMON_GROUPS of `groups`, highest GIC first.

    Ties: more groups reacted, then more reactions, then the lower number. Every statement is
    ranked on plain numbers and only the `limit` shown become Consensus records (a theme can have
    thousands of statements; `/<slug> bridges` shows five).
    """
    ranked_keys = []
    for statement in statements:
        gic, reacted, reactions = _gic(statement, groups)
        if reacted >= COMMON_GROUPS:
            ranked_keys.append(((-gic, -reacted, -reactions, statement.number), statement))
    return [consensus(statement, groups) for _, statement in heapq.nsmallest(limit, ranked_keys, key=_first)]


def _gic(statement: StatementVotes, groups: Sequence[str]) -> tuple[float, int, int]:
    """GIC over `groups`, how many of them reacted and their reactions: what `consensus` computes,
    in the same order of operations (so the same floats), without building its record."""
    gic = 1.0
    reacted = reactions = 0
    for group in groups:
        votes = statement.by_group.get(group)
        total = votes.total if votes is not None else 0
        gic *= ((votes.agrees if votes is not None else 0) + 1) / (total + 2)
        if total:
            reacted += 1
            reactions += total
    return gic, reacted, reactions


def _first(item: tuple[tuple[float | int, ...], StatementVotes]) -> tuple[float | int, ...]:
    return item[0]


def divide(statement: StatementVotes, groups: Sequence[str]) -> Divide | None:
    """The largest gap in agreement between two groups with at least DIVIDE_REACTIONS reactions each."""
    heard = [
        GroupAgreement(group, statement.by_group[group])
        for group in groups
        if group in statement.by_group and statement.by_group[group].total >= DIVIDE_REACTIONS
    ]
    if len(heard) < DIVIDE_GROUPS:
        return None
    high = max(heard, key=lambda item: item.agreement)  # the first such group in the forum's order
    low = min(heard, key=lambda item: item.agreement)
    return Divide(statement, high.agreement - low.agreement, high, low)


def divides(statements: Sequence[StatementVotes], groups: Sequence[str], limit: int) -> list[Divide]:
    """Statements where groups differ most, largest gap first (ties: more reactions, then the lower number).

    As in `common_ground`, only the `limit` shown become Divide records."""
    ranked_keys = []
    for statement in statements:
        gap = _gap(statement, groups)
        if gap is not None and gap > 0:
            ranked_keys.append(((-gap, -statement.overall.total, statement.number), statement))
    found = [divide(statement, groups) for _, statement in heapq.nsmallest(limit, ranked_keys, key=_first)]
    return [item for item in found if item is not None]


def _gap(statement: StatementVotes, groups: Sequence[str]) -> float | None:
    """The gap `divide` finds, on plain numbers (None where fewer than DIVIDE_GROUPS groups qualify)."""
    agreements = [
        votes.agreement()
        for group in groups
        if (votes := statement.by_group.get(group)) is not None and votes.total >= DIVIDE_REACTIONS
    ]
    if len(agreements) < DIVIDE_GROUPS:
        return None
    return max(agreements) - min(agreements)


# --- what a ranking is about -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Argument:
    """A current statement as a ranking shows it: its number, its text and the stance it argues for."""

    number: int
    text: str
    stance: str


@dataclass(frozen=True, slots=True)
class CommonGround:
    argument: Argument
    consensus: Consensus


@dataclass(frozen=True, slots=True)
class GroupSplit:
    argument: Argument
    divide: Divide


def ranked(
    votes: Sequence[StatementVotes], groups: Sequence[str], *, common_limit: int, divide_limit: int
) -> tuple[list[Consensus], list[Divide]]:
    """Common ground and divides among these statements' reactions."""
    return common_ground(votes, groups, common_limit), divides(votes, groups, divide_limit)


def with_arguments(
    common: Sequence[Consensus], split: Sequence[Divide], arguments: Mapping[int, Argument]
) -> tuple[list[CommonGround], list[GroupSplit]]:
    """The rankings joined to what they are about (`arguments` by statement number); a statement
    without its argument (no longer current) is left out."""
    return (
        [CommonGround(arguments[item.statement.number], item) for item in common if item.statement.number in arguments],
        [GroupSplit(arguments[item.statement.number], item) for item in split if item.statement.number in arguments],
    )


def bridges(
    arguments: Mapping[int, Argument],
    votes: Sequence[StatementVotes],
    groups: Sequence[str],
    *,
    common_limit: int,
    divide_limit: int,
) -> tuple[list[CommonGround], list[GroupSplit]]:
    """Common ground and divides among the current statements (`arguments`, by number)."""
    current = [item for item in votes if item.number in arguments]
    common, split = ranked(current, groups, common_limit=common_limit, divide_limit=divide_limit)
    return with_arguments(common, split, arguments)


# --- near-identical texts ------------------------------------------------------------------------

# A leading preface that says the author changed their mind carries no argument of its own:
# "I changed my mind: X" and "X" say the same thing.
_PREFACE = re.compile(
    r"^(?:(?:after|having)\s+(?:the|this)\s+(?:session|panel|discussion)\s*[,:;-]?\s*)?"
    r"(?:i(?:'ve| have)?\s+changed\s+my\s+mind|on\s+reflection|on\s+second\s+thought(?:s)?|"
    r"having\s+(?:listened|heard)\s+(?:to\s+)?(?:the\s+)?(?:session|panel|discussion|others)|"
    r"(?:i\s+)?now\s+(?:i\s+)?(?:think|believe))\s*[,:;.\-–—]*\s*"
)


def same_words(text: str) -> str:
    """The text as compared for near-identity: case, punctuation, spacing and a leading
    "I changed my mind" style preface ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    folded = _PREFACE.sub("", folded, count=1)
    words = "".join(char if char.isalnum() else " " for char in folded)
    return " ".join(words.split())
