"""Polls as plain data: parsing what a facilitator typed, clicks, tallies with small groups merged.

Pure functions, so the same rules run in the cog, the store's closing transaction, the digests and
the unit tests. What is due and when lives beside it, in bot/core/poll_schedule.py; the keys of secret
ballots in bot/core/ballot_keys.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.core.privacy import DEFAULT_MIN_GROUP, OTHER, hidden_groups
from bot.core.schedule import DeliveryError
from bot.core.tally import percent
from bot.forum import STAKEHOLDERS, UNDECLARED

MAX_QUESTION = 300
MIN_OPTIONS = 2
MAX_OPTIONS = 10
MAX_OPTION_LENGTH = 55
SEPARATOR = ";"
MIN_GROUP_VOTERS = DEFAULT_MIN_GROUP  # the default of privacy.min_group


class PollProblem(StrEnum):
    """Why what a facilitator typed cannot make a poll."""

    EMPTY_QUESTION = "empty-question"
    QUESTION_TOO_LONG = "question-too-long"  # length
    BLANK_ANSWERS = "blank-answers"  # blanks: the 1-based numbers of the blank answers
    ANSWER_COUNT = "answer-count"  # count: how many answers were given
    ANSWER_TOO_LONG = "answer-too-long"  # answer, length
    DUPLICATE_ANSWER = "duplicate-answer"  # answer


class PollInputError(ValueError):
    """What a facilitator typed cannot make a poll: the problem and what the explanation needs."""

    def __init__(self, problem: PollProblem, **details: object) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.details = details


def clean_question(text: str) -> str:
    question = " ".join(text.split())
    if not question:
        raise PollInputError(PollProblem.EMPTY_QUESTION)
    if len(question) > MAX_QUESTION:
        raise PollInputError(PollProblem.QUESTION_TOO_LONG, length=len(question))
    return question


def parse_options(text: str) -> tuple[str, ...]:
    """Split `a; b; c` into trimmed answers, refusing blanks, duplicates, too few, too many or too long."""
    options = tuple(" ".join(part.split()) for part in text.split(SEPARATOR))
    blanks = [index for index, option in enumerate(options, start=1) if not option]
    if blanks and len(options) > 1:
        raise PollInputError(PollProblem.BLANK_ANSWERS, blanks=tuple(blanks))
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS or blanks:
        raise PollInputError(PollProblem.ANSWER_COUNT, count=0 if blanks else len(options))
    too_long = [option for option in options if len(option) > MAX_OPTION_LENGTH]
    if too_long:
        raise PollInputError(PollProblem.ANSWER_TOO_LONG, answer=too_long[0], length=len(too_long[0]))
    seen: set[str] = set()
    for option in options:
        if option.casefold() in seen:
            raise PollInputError(PollProblem.DUPLICATE_ANSWER, answer=option)
        seen.add(option.casefold())
    return options


@dataclass(frozen=True, slots=True)
class PollInfo:
    """One poll as stored, including where its closing and closing-soon notice stand."""

    id: int
    guild_id: int
    number: int
    channel_id: int
    message_id: int | None
    question: str
    options: tuple[str, ...]
    theme: str | None
    secret: bool
    hide_results: bool
    max_choices: int
    created_at: datetime
    closes_at: datetime
    closed_at: datetime | None = None
    close_edited: bool = False
    results_message_id: int | None = None
    close_attempts: int = 0
    close_retry_at: datetime | None = None
    soon_message_id: int | None = None
    soon_attempts: int = 0
    soon_retry_at: datetime | None = None
    error_kind: DeliveryError | None = None  # the latest failed step's (closing, or closing-soon notice)
    last_error: str | None = None  # Discord's words for it
    language: str | None = None  # its public messages' language (None: the forum's)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def accepts_votes(self, now: datetime) -> bool:
        return self.closed_at is None and now < self.closes_at

    @property
    def delivered(self) -> bool:
        """The closing has been shown: buttons disabled and results posted."""
        return self.close_edited and self.results_message_id is not None

    @property
    def closing_failing(self) -> bool:
        """Sealed, but showing the closing (buttons, results) has failed and waits for its retry."""
        return self.is_closed and not self.delivered and self.close_attempts > 0

    @property
    def notice_failing(self) -> bool:
        """Open, and the closing-soon notice has failed and waits for its retry."""
        return not self.is_closed and self.soon_message_id is None and self.soon_attempts > 0


class ClickKind(StrEnum):
    RECORDED = "recorded"
    CHANGED = "changed"
    CONFIRMED = "confirmed"
    ADDED = "added"
    REMOVED = "removed"
    FULL = "full"


@dataclass(frozen=True, slots=True)
class Click:
    kind: ClickKind
    option: int
    previous: frozenset[int]
    choices: frozenset[int]


def apply_click(current: frozenset[int], option: int, max_choices: int) -> Click:
    """A button click: single choice records, changes or confirms; multiple choice toggles up to the maximum."""
    if max_choices <= 1:
        if not current:
            return Click(ClickKind.RECORDED, option, current, frozenset({option}))
        if current == {option}:
            return Click(ClickKind.CONFIRMED, option, current, current)
        return Click(ClickKind.CHANGED, option, current, frozenset({option}))
    if option in current:
        return Click(ClickKind.REMOVED, option, current, current - {option})
    if len(current) >= max_choices:
        return Click(ClickKind.FULL, option, current, current)
    kind = ClickKind.ADDED if current else ClickKind.RECORDED
    return Click(kind, option, current, current | {option})


class VoteRefusal(StrEnum):
    """Why a click was not recorded."""

    GONE = "gone"  # no such poll
    ELSEWHERE = "elsewhere"  # the poll belongs to another server
    CLOSED = "closed"  # it no longer takes votes
    NO_SUCH_ANSWER = "no-such-answer"


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    """What one click did, decided inside its transaction: refused (why), a vote (its `Click`), or a
    retraction (what the ballot held, `previous`; empty when there was none)."""

    poll: PollInfo | None
    refused: VoteRefusal | None = None
    click: Click | None = None
    previous: frozenset[int] | None = None


# --- tallies -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Aggregate:
    """Counts only: voters per group and votes per (group, option position)."""

    voters: Mapping[str, int]
    votes: Mapping[tuple[str, int], int]


@dataclass(frozen=True, slots=True)
class OptionResult:
    position: int
    label: str
    count: int
    percent: int


@dataclass(frozen=True, slots=True)
class GroupResult:
    """One stakeholder group ("undeclared" and "other" included) and how its voters chose."""

    group: str
    voters: int
    options: tuple[OptionResult, ...]


@dataclass(frozen=True, slots=True)
class PollResults:
    voters: int
    options: tuple[OptionResult, ...]
    groups: tuple[GroupResult, ...]


@dataclass(frozen=True, slots=True)
class ClosedPoll:
    """A closed poll's published results, for digests and reports. Percentages are of voters."""

    poll_id: int
    number: int
    question: str
    theme: str | None
    secret: bool
    max_choices: int
    opened_at: datetime
    closed_at: datetime
    channel_id: int
    message_id: int | None
    voters: int
    options: tuple[OptionResult, ...]
    groups: tuple[GroupResult, ...]


def aggregate(ballots: Iterable[tuple[Collection[int], str | None]]) -> Aggregate:
    """Reduce ballots (one per voter: chosen positions, stakeholder group or None) to counts."""
    voters: Counter[str] = Counter()
    votes: Counter[tuple[str, int]] = Counter()
    for choices, group in ballots:
        if not choices:
            continue
        key = group or UNDECLARED
        voters[key] += 1
        for position in set(choices):
            votes[key, position] += 1
    return Aggregate(dict(voters), dict(votes))


def suppress_small_groups(counts: Aggregate, minimum: int = MIN_GROUP_VOTERS) -> Aggregate:
    """Merge every group with fewer than `minimum` voters ("undeclared" included) into "other", with the
    secondary suppression of bot/core/privacy.py (one rule for polls and positions)."""
    small = hidden_groups(counts.voters, minimum)
    if not small:
        return counts
    voters: Counter[str] = Counter()
    votes: Counter[tuple[str, int]] = Counter()
    for group, count in counts.voters.items():
        voters[OTHER if group in small else group] += count
    for (group, position), count in counts.votes.items():
        votes[OTHER if group in small else group, position] += count
    return Aggregate(dict(voters), dict(votes))


def _group_order(groups: Iterable[str]) -> list[str]:
    present = set(groups)
    known = [group for group in (*STAKEHOLDERS, UNDECLARED) if group in present]
    rest = sorted(present - set(known) - {OTHER})
    return known + rest + ([OTHER] if OTHER in present else [])


def _options(labels: Sequence[str], votes: Mapping[int, int], voters: int) -> tuple[OptionResult, ...]:
    return tuple(
        OptionResult(position, label, votes.get(position, 0), percent(votes.get(position, 0), voters))
        for position, label in enumerate(labels)
    )


def results(counts: Aggregate, labels: Sequence[str], min_group: int = MIN_GROUP_VOTERS) -> PollResults:
    """Published results: per option count and whole % of voters (half up), and the suppressed breakdown."""
    shown = suppress_small_groups(counts, min_group)
    total_voters = sum(shown.voters.values())
    overall: Counter[int] = Counter()
    by_group: dict[str, Counter[int]] = {}
    for (group, position), count in shown.votes.items():
        overall[position] += count
        by_group.setdefault(group, Counter())[position] += count
    groups = tuple(
        GroupResult(group, shown.voters[group], _options(labels, by_group.get(group, Counter()), shown.voters[group]))
        for group in _group_order(shown.voters)
    )
    return PollResults(total_voters, _options(labels, overall, total_voters), groups)
