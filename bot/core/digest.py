"""A digest of one server's discussion at one moment: a pure function over data read from the store.

Discord, the command-line report and the demo all render the same `Digest`, so what the
EC quotes from a report is what the panel saw in Discord. Every number is recomputed from
the append-only history as of the digest's time, never from a copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import repeat
from typing import TYPE_CHECKING

from bot.core.consensus import CommonGround, GroupSplit, StatementVotes
from bot.core.digest_facts import (
    COMMON_GROUND,
    DIVIDES,
    QUOTES_PER_STANCE,
    Moves,
    Quote,
    StanceQuotes,
    ThemeFacts,
    earlier_counts,
    replay_facts,
    shift_of,
)
from bot.core.history import Shift
from bot.core.models import Attribution, HistoryEntry, Profile
from bot.core.polls import ClosedPoll
from bot.core.privacy import group_sizes, named_group, protect_counts, shown_groups, threshold, visible_bridges
from bot.core.schedule import DigestKind, DigestPlan
from bot.core.tally import GroupTally, StanceCount, count_stances, tally_counts
from bot.forum import REGIONS, UNDECLARED

if TYPE_CHECKING:
    from bot.settings import Settings, ThemeConfig

__all__ = ["COMMON_GROUND", "DIVIDES", "QUOTES_PER_STANCE", "Quote", "StanceQuotes", "ThemeFacts"]


class ShiftBasis(StrEnum):
    """What the after-session shift is measured from."""

    BEFORE_DIGEST = "before-digest"  # the before-session digest, as posted
    BEFORE_DUE = "before-due"  # the time the before-session digest was due (none was posted)
    SESSION_START = "session-start"  # the start of the session


@dataclass(frozen=True, slots=True)
class PostedDigest:
    """A digest this server has posted: its key and the moment its content was taken."""

    kind: DigestKind
    due_at: datetime
    snapshot_at: datetime


@dataclass(frozen=True, slots=True)
class DigestSource:
    """Everything a digest is built from, as read from the store: either each theme's facts as of the
    digest's moments, counted by the store (`themes`, see `bot.core.digest_facts`), or the histories
    in recorded order (with profiles, names and votes) that the facts are replayed from."""

    histories: Mapping[str, Sequence[HistoryEntry]] = field(default_factory=dict)
    profiles: Mapping[int, Profile] = field(default_factory=dict)
    names: Mapping[int, str] = field(default_factory=dict)
    posted: Sequence[PostedDigest] = ()
    polls: Sequence[ClosedPoll] = ()
    votes: Mapping[str, Sequence[StatementVotes]] = field(default_factory=dict)  # by theme: reactions then
    themes: Mapping[str, ThemeFacts] | None = None  # by theme; None: replay the histories


@dataclass(frozen=True, slots=True)
class StanceSummary:
    key: str
    label: str
    count: int
    percent: int
    change: int | None


@dataclass(frozen=True, slots=True)
class ThemeDigest:
    slug: str
    title: str
    question: str
    participants: int
    participants_change: int | None
    stances: tuple[StanceSummary, ...]
    by_stakeholder: tuple[GroupTally, ...]
    by_region: tuple[GroupTally, ...]
    missing_stakeholders: tuple[str, ...]  # keys of the expected groups with nobody's position yet
    missing_regions: tuple[str, ...]
    quotes: tuple[StanceQuotes, ...]
    shift: Shift | None
    stance_labels: Mapping[str, str]
    common_ground: tuple[CommonGround, ...] = ()
    divides: tuple[GroupSplit, ...] = ()
    without_profile: int = 0  # participants who gave no stakeholder group (counted as undeclared)
    without_region: int = 0  # and no region
    before: tuple[StanceCount, ...] | None = None  # after the session: the stances where its shift starts


@dataclass(frozen=True, slots=True)
class Digest:
    kind: DigestKind
    session_title: str
    as_of: datetime
    previous_at: datetime | None
    shift_from: datetime | None
    shift_basis: ShiftBasis | None
    attribution: Attribution
    themes: tuple[ThemeDigest, ...]
    polls: tuple[ClosedPoll, ...]
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class DigestRequest:
    """What the store must count for a digest of `kind`: the moments follow from the plan and the digests
    posted; the expected groups rank the quotes; names are read only under named attribution."""

    kind: DigestKind
    plan: DigestPlan
    groups: tuple[str, ...]
    named: bool

    @classmethod
    def from_settings(cls, settings: Settings, kind: DigestKind | str) -> DigestRequest:
        return cls(
            DigestKind(kind),
            DigestPlan.from_settings(settings),
            tuple(settings.profiles.expected_stakeholders),
            settings.privacy.attribution == Attribution.NAMED,
        )

    def moments(self, posted: Sequence[PostedDigest], as_of: datetime) -> tuple[datetime | None, datetime | None]:
        """The previous digest's moment and the shift's start (None where the digest has none)."""
        shift_from = shift_origin(posted, self.plan, as_of)[0] if self.kind == DigestKind.AFTER else None
        return previous_digest_at(posted, as_of), shift_from


def previous_digest_at(posted: Sequence[PostedDigest], as_of: datetime) -> datetime | None:
    """The content time of this server's latest digest before `as_of`."""
    return max((item.snapshot_at for item in posted if item.snapshot_at < as_of), default=None)


REPOST_WINDOW = timedelta(days=1)


def posted_recently(
    posted: Sequence[PostedDigest], kind: DigestKind, now: datetime, window: timedelta = REPOST_WINDOW
) -> PostedDigest | None:
    """The latest digest of this kind posted (by hand or by the schedule) in the `window` before `now`:
    posting it again so soon is most likely a mistake, so an organiser is asked first."""
    recent = [item for item in posted if item.kind == kind and now - window <= item.snapshot_at <= now]
    return max(recent, key=lambda item: item.snapshot_at, default=None)


def shift_origin(
    posted: Sequence[PostedDigest], plan: DigestPlan, as_of: datetime
) -> tuple[datetime | None, ShiftBasis | None]:
    """Where the after-session shift starts: the before-session digest's time if one was posted,
    else the time it was due, else the session start."""
    befores = [item.snapshot_at for item in posted if item.kind == DigestKind.BEFORE and item.snapshot_at <= as_of]
    if befores:
        return max(befores), ShiftBasis.BEFORE_DIGEST
    if plan.before_at is not None and plan.before_at <= as_of:
        return plan.before_at, ShiftBasis.BEFORE_DUE
    if plan.starts_at <= as_of:
        return plan.starts_at, ShiftBasis.SESSION_START
    return None, None


def build_digest(
    settings: Settings,
    source: DigestSource,
    kind: DigestKind,
    as_of: datetime,
    *,
    quotes: int | None = QUOTES_PER_STANCE,
) -> Digest:
    """The digest of `kind` as of `as_of`, compared with the previous digest (and, after the
    session, with the before-session digest). `quotes` rationales per stance are quoted; None: every
    current rationale (the full offline report)."""
    plan = DigestPlan.from_settings(settings)
    previous_at = previous_digest_at(source.posted, as_of)
    shift_from, basis = shift_origin(source.posted, plan, as_of) if kind == DigestKind.AFTER else (None, None)
    themes = tuple(
        _theme_digest(settings, theme, source, as_of, previous_at, shift_from, quotes) for theme in settings.themes
    )
    polls = tuple(
        sorted(
            (p for p in source.polls if p.closed_at <= as_of and (previous_at is None or p.closed_at > previous_at)),
            key=lambda p: (p.closed_at, p.number),
        )
    )
    return Digest(
        kind=DigestKind(kind),
        session_title=settings.session.title,
        as_of=as_of,
        previous_at=previous_at,
        shift_from=shift_from,
        shift_basis=basis,
        attribution=Attribution(settings.privacy.attribution),
        themes=themes,
        polls=polls,
        timezone=plan.zone.key,
    )


def _theme_digest(
    settings: Settings,
    theme: ThemeConfig,
    source: DigestSource,
    as_of: datetime,
    previous_at: datetime | None,
    shift_from: datetime | None,
    limit: int | None = QUOTES_PER_STANCE,
) -> ThemeDigest:
    options = [(stance.key, stance.label) for stance in theme.stances]
    known = {key for key, _ in options}
    facts = _facts(settings, theme, source, as_of, previous_at, shift_from, limit)
    # Chatham House: groups (and regions) too small to name are merged into "Other" (bot/core/privacy.py).
    smallest = threshold(settings.privacy.attribution, settings.privacy.min_group)
    stakeholder_counts = {pair: n for pair, n in _by_field(facts, 1).items() if pair[0] in known}
    region_counts = {pair: n for pair, n in _by_field(facts, 2).items() if pair[0] in known}
    stakeholder_sizes, region_sizes = group_sizes(stakeholder_counts), group_sizes(region_counts)
    shown = None if smallest <= 1 else shown_groups(stakeholder_sizes, smallest)
    common, split = visible_bridges(facts.common_ground, facts.divides, shown)
    by_stakeholder = tally_counts(protect_counts(stakeholder_counts, smallest), options)
    by_region = tally_counts(protect_counts(region_counts, smallest), options, tuple(REGIONS))
    earlier: dict[str, int] | None = None
    if previous_at is not None:
        then = earlier_counts(facts.moves)
        earlier = {key: then.get(key, 0) for key, _ in options}
    stances = tuple(
        StanceSummary(
            item.key, item.label, item.count, item.percent, None if earlier is None else item.count - earlier[item.key]
        )
        for item in by_stakeholder.stances
    )
    return ThemeDigest(
        slug=theme.slug,
        title=theme.title,
        question=theme.question,
        participants=by_stakeholder.total,
        participants_change=None if earlier is None else by_stakeholder.total - sum(earlier.values()),
        stances=stances,
        by_stakeholder=by_stakeholder.groups,
        by_region=by_region.groups,
        missing_stakeholders=_missing(settings.profiles.expected_stakeholders, stakeholder_sizes),
        missing_regions=_missing(settings.profiles.expected_regions, region_sizes),
        quotes=tuple(
            StanceQuotes(key, label, _unnamed(facts.quotes[key][0], shown), facts.quotes[key][1])
            for key, label in options
            if facts.quotes.get(key, ((), 0))[0]
        ),
        shift=None if shift_from is None else shift_of(facts.moves, shift_from, as_of, [key for key, _ in options]),
        stance_labels=dict(options),
        common_ground=tuple(common),
        divides=tuple(split),
        before=None if shift_from is None else count_stances(_origin_stances(facts.moves), options),
        without_profile=stakeholder_sizes.get(UNDECLARED, 0),
        without_region=region_sizes.get(UNDECLARED, 0),
    )


def _facts(
    settings: Settings,
    theme: ThemeConfig,
    source: DigestSource,
    as_of: datetime,
    previous_at: datetime | None,
    shift_from: datetime | None,
    limit: int | None = QUOTES_PER_STANCE,
) -> ThemeFacts:
    """The theme's facts as the store counted them, or replayed from its history (`limit` quotes per stance;
    None, every current rationale: the store counts only what a digest shows, so the full report replays)."""
    if source.themes is not None:
        return source.themes.get(theme.slug) or ThemeFacts({}, {}, {})
    return replay_facts(
        source.histories.get(theme.slug, ()),
        [stance.key for stance in theme.stances],
        as_of=as_of,
        previous_at=previous_at,
        shift_from=shift_from,
        profiles=source.profiles,
        names=source.names,
        votes=source.votes.get(theme.slug, ()),
        groups=settings.profiles.expected_stakeholders,
        named=settings.privacy.attribution == Attribution.NAMED,
        limit=limit,
    )


def _by_field(facts: ThemeFacts, index: int) -> dict[tuple[str, str | None], int]:
    """Members by (stance, stakeholder group) (index 1) or (stance, region) (index 2)."""
    found: dict[tuple[str, str | None], int] = {}
    for key, count in facts.counts.items():
        pair = (key[0], key[index])
        found[pair] = found.get(pair, 0) + count
    return found


def _missing(expected: Sequence[str], sizes: Mapping[str, int]) -> tuple[str, ...]:
    """The expected groups nobody with a position belongs to (a small group is present: it is never listed)."""
    return tuple(key for key in expected if not sizes.get(key))


def _unnamed(quotes: Sequence[Quote], shown: frozenset[str] | None) -> tuple[Quote, ...]:
    """Chatham House: an author's group is said only when the theme has enough of its members to name it
    (else "a participant"); under named attribution (`shown` None) every group and name stays."""
    return tuple(
        replace(quote, author=replace(quote.author, group=named_group(quote.author.group, shown))) for quote in quotes
    )


def _origin_stances(moves: Moves) -> Iterator[str]:
    """Each member's stance at the shift's start, one item per member (for the before-and-after chart)."""
    for (_, was, _), count in moves.items():
        if was is not None:
            yield from repeat(was, count)
