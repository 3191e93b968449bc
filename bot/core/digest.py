"""A digest of one server's discussion at one moment: a pure function over data read from the store.

Discord, the command-line report and the demo all render the same `Digest`, so what the
EC quotes from a report is what the panel saw in Discord. Every number is recomputed from
the append-only history as of the digest's time, never from a copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.core.consensus import Argument, CommonGround, GroupSplit, StatementVotes, bridges, consensus, same_words
from bot.core.history import Shift, positions_as_of, shift_table
from bot.core.models import Attribution, Author, HistoryEntry, Profile
from bot.core.polls import ClosedPoll
from bot.core.privacy import group_sizes, named_group, protect_pairs, shown_groups, threshold, visible_bridges
from bot.core.schedule import DigestKind, DigestPlan
from bot.core.tally import GroupTally, StanceCount, count_stances, tally_counts
from bot.forum import REGIONS, UNDECLARED

if TYPE_CHECKING:
    from bot.settings import Settings, ThemeConfig

QUOTES_PER_STANCE = 3
COMMON_GROUND = 3  # statements shown as common ground per theme
DIVIDES = 2  # and where groups divide


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
    """Everything a digest is built from, as read from the store (histories in recorded order)."""

    histories: Mapping[str, Sequence[HistoryEntry]]
    profiles: Mapping[int, Profile] = field(default_factory=dict)
    names: Mapping[int, str] = field(default_factory=dict)
    posted: Sequence[PostedDigest] = ()
    polls: Sequence[ClosedPoll] = ()
    votes: Mapping[str, Sequence[StatementVotes]] = field(default_factory=dict)  # by theme: reactions then


@dataclass(frozen=True, slots=True)
class StanceSummary:
    key: str
    label: str
    count: int
    percent: int
    change: int | None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    author: Author
    at: datetime
    number: int | None = None  # its statement's number


@dataclass(frozen=True, slots=True)
class StanceQuotes:
    """The most recent rationales for one stance, and how many others there are."""

    key: str
    label: str
    quotes: tuple[Quote, ...]
    more: int


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
    entries = source.histories.get(theme.slug, ())
    current = positions_as_of(entries, as_of)
    arguments = {
        entry.statement: Argument(entry.statement, entry.rationale, entry.stance)
        for entry in current.values()
        if entry.statement is not None and entry.rationale and entry.stance
    }
    votes = {item.number: item for item in source.votes.get(theme.slug, ()) if item.number in arguments}
    groups = settings.profiles.expected_stakeholders
    options = [(stance.key, stance.label) for stance in theme.stances]
    known = {key for key, _ in options}
    # Chatham House: groups (and regions) too small to name are merged into "Other" (bot/core/privacy.py).
    smallest = threshold(settings.privacy.attribution, settings.privacy.min_group)
    stakeholder_pairs = [
        (e.stance or "", _profile_field(source, u, "stakeholder")) for u, e in current.items() if e.stance in known
    ]
    region_pairs = [
        (e.stance or "", _profile_field(source, u, "region")) for u, e in current.items() if e.stance in known
    ]
    stakeholder_sizes, region_sizes = group_sizes(Counter(stakeholder_pairs)), group_sizes(Counter(region_pairs))
    shown = None if smallest <= 1 else shown_groups(stakeholder_sizes, smallest)
    common, split = visible_bridges(
        *bridges(arguments, list(votes.values()), groups, common_limit=COMMON_GROUND, divide_limit=DIVIDES), shown
    )
    by_stakeholder = tally_counts(protect_pairs(stakeholder_pairs, smallest), options)
    by_region = tally_counts(protect_pairs(region_pairs, smallest), options, tuple(REGIONS))
    earlier: dict[str, int] | None = None
    if previous_at is not None:
        then = positions_as_of(entries, previous_at).values()
        earlier = {item.key: item.count for item in count_stances((e.stance or "" for e in then), options)}
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
        quotes=tuple(_quotes(settings, theme, source, current, votes, shown, limit)),
        shift=None if shift_from is None else shift_table(entries, shift_from, as_of, [key for key, _ in options]),
        stance_labels=dict(options),
        common_ground=tuple(common),
        divides=tuple(split),
        before=None
        if shift_from is None
        else count_stances((e.stance or "" for e in positions_as_of(entries, shift_from).values()), options),
        without_profile=stakeholder_sizes.get(UNDECLARED, 0),
        without_region=region_sizes.get(UNDECLARED, 0),
    )


def _profile_field(source: DigestSource, user_id: int, name: str) -> str | None:
    profile = source.profiles.get(user_id)
    return getattr(profile, name) if profile is not None else None


def _missing(expected: Sequence[str], sizes: Mapping[str, int]) -> tuple[str, ...]:
    """The expected groups nobody with a position belongs to (a small group is present: it is never listed)."""
    return tuple(key for key in expected if not sizes.get(key))


def _quotes(
    settings: Settings,
    theme: ThemeConfig,
    source: DigestSource,
    current: Mapping[int, HistoryEntry],
    votes: Mapping[int, StatementVotes],
    shown: frozenset[str] | None,
    limit: int | None = QUOTES_PER_STANCE,
) -> list[StanceQuotes]:
    """Per stance, the representative rationales: those the stakeholder groups agree with most (highest
    group-informed consensus), the newest first among equals (as all are before anyone reacted).

    Near-identical texts (the same words once case, punctuation and an "I changed my mind" preface
    are ignored) are quoted once: three slots are too few to spend two on the same argument. With no
    `limit` (the full report) every current rationale is listed, near-identical ones too.
    """
    named = settings.privacy.attribution == Attribution.NAMED
    groups = settings.profiles.expected_stakeholders

    def agreement(entry: HistoryEntry) -> float:
        counted = votes.get(entry.statement) if entry.statement is not None else None
        return consensus(counted, groups).gic if counted else 0.5 ** len(groups)  # no reactions: 1/2 a group

    found = []
    for stance in theme.stances:
        with_reason = sorted(
            ((user, entry) for user, entry in current.items() if entry.stance == stance.key and entry.rationale),
            key=lambda item: (-agreement(item[1]), -item[1].at.timestamp(), -item[0]),
        )
        chosen: dict[str, Quote] = {}
        for user, entry in with_reason:
            text = entry.rationale or ""
            same = (same_words(text) or text) if limit is not None else str(user)
            if same not in chosen:
                chosen[same] = Quote(text, _author(source, user, named, shown), entry.at, entry.statement)
                if len(chosen) == limit:
                    break
        if chosen:
            quotes = tuple(chosen.values())
            found.append(StanceQuotes(stance.key, stance.label, quotes, len(with_reason) - len(quotes)))
    return found


def _author(source: DigestSource, user_id: int, named: bool, shown: frozenset[str] | None) -> Author:
    """Chatham House: the stakeholder group only, when the theme has enough of its members to name it
    (else "a participant"); named: the name too (None when it is not known)."""
    group = named_group(_profile_field(source, user_id, "stakeholder"), shown)
    return Author(group, source.names.get(user_id) if named else None)
