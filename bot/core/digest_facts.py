"""What one theme's digest is made of, as counts and the few texts it shows: `ThemeFacts`.

The store computes them in SQL as of the digest's moments (bot/store/digest_facts.py): counts
grouped in the database, reactions as they stood, and only the rationales the digest quotes. The same
facts can be replayed here from a theme's whole history (`replay_facts`), which is what small
sources (tests, the CSV export's source) use, and what the store's answer is checked against.
Both ways pick quotes and common ground with the same functions below, so they cannot drift apart.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.consensus import Argument, CommonGround, GroupSplit, StatementVotes, bridges, consensus, same_words
from bot.core.history import Shift, ShiftRow, positions_as_of
from bot.core.models import Author, HistoryEntry, Profile
from bot.forum import UNDECLARED

QUOTES_PER_STANCE = 3
COMMON_GROUND = 3  # statements shown as common ground per theme
DIVIDES = 2  # and where groups divide

#: (stance as of the previous digest, as of the shift's start, as of the digest): None is "no position".
Moves = Mapping[tuple[str | None, str | None, str | None], int]


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
class ThemeFacts:
    """One theme as of a digest's moment.

    `counts`: members holding each (stance, stakeholder group, region) then, by their profile then (None:
    no profile). `moves`: members by their stances at the three moments (see `Moves`), every member with
    a position at one of them. `quotes`, `common_ground`, `divides`: what the digest shows of the texts.
    """

    counts: Mapping[tuple[str, str | None, str | None], int]
    moves: Moves
    quotes: Mapping[str, tuple[tuple[Quote, ...], int]]  # stance -> (quotes, how many others)
    common_ground: tuple[CommonGround, ...] = ()
    divides: tuple[GroupSplit, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteCandidate:
    """A current position with a shown rationale, ranked without its text (see `quote_rank`)."""

    user_id: int
    stance: str
    at: datetime
    number: int | None
    ref: int = 0  # its history row, for the store to read its text


def no_reactions_agreement(groups: Sequence[str]) -> float:
    return 0.5 ** len(groups)  # no reactions: 1/2 a group


def quote_rank(candidate: QuoteCandidate, agreement: float) -> tuple[float, float, int]:
    """Quotes are the rationales the stakeholder groups agree with most (highest group-informed
    consensus), the newest first among equals (as all are before anyone reacted); smallest first."""
    return (-agreement, -candidate.at.timestamp(), -candidate.user_id)


def agreement_of(votes: StatementVotes | None, groups: Sequence[str]) -> float:
    return consensus(votes, groups).gic if votes is not None else no_reactions_agreement(groups)


def distinct_texts(
    ranked: Iterable[tuple[QuoteCandidate, str]], limit: int | None = QUOTES_PER_STANCE
) -> list[tuple[QuoteCandidate, str]]:
    """The first `limit` of (candidate, text), best first, near-identical texts (the same words once case,
    punctuation and an "I changed my mind" preface are ignored) taken once: three slots are too few to
    spend two on the same argument. With no `limit` (the full offline report) every text is kept, in order."""
    if limit is None:
        return list(ranked)
    chosen: dict[str, tuple[QuoteCandidate, str]] = {}
    for candidate, text in ranked:
        same = same_words(text) or text
        if same not in chosen:
            chosen[same] = (candidate, text)
            if len(chosen) == limit:
                break
    return list(chosen.values())


def quotes_of(picked: Iterable[tuple[QuoteCandidate, str]], author: Callable[[int], Author]) -> tuple[Quote, ...]:
    return tuple(Quote(text, author(candidate.user_id), candidate.at, candidate.number) for candidate, text in picked)


def make_author(profiles: Mapping[int, Profile], names: Mapping[int, str], named: bool) -> Callable[[int], Author]:
    """Chatham House: the stakeholder group only; named: the name too (None when it is not known)."""

    def author(user_id: int) -> Author:
        profile = profiles.get(user_id)
        return Author(profile.stakeholder if profile else UNDECLARED, names.get(user_id) if named else None)

    return author


def replay_facts(
    entries: Sequence[HistoryEntry],
    stances: Sequence[str],
    *,
    as_of: datetime,
    previous_at: datetime | None,
    shift_from: datetime | None,
    profiles: Mapping[int, Profile],
    names: Mapping[int, str],
    votes: Sequence[StatementVotes],
    groups: Sequence[str],
    named: bool,
    limit: int | None = QUOTES_PER_STANCE,
) -> ThemeFacts:
    """The facts of one theme from its whole history (in recorded order, cut at `as_of`); `limit` quotes
    per stance (None: every current rationale)."""
    current = positions_as_of(entries, as_of)
    counts: Counter[tuple[str, str | None, str | None]] = Counter()
    for user, entry in current.items():
        profile = profiles.get(user)
        counts[(entry.stance or "", profile.stakeholder if profile else None, profile.region if profile else None)] += 1
    previous = positions_as_of(entries, previous_at) if previous_at is not None else {}
    origin = positions_as_of(entries, shift_from) if shift_from is not None else {}
    moves: Counter[tuple[str | None, str | None, str | None]] = Counter()
    for user in current.keys() | previous.keys() | origin.keys():
        moves[tuple(_stance(state.get(user)) for state in (previous, origin, current))] += 1  # type: ignore[index]
    arguments = {
        entry.statement: Argument(entry.statement, entry.rationale, entry.stance)
        for entry in current.values()
        if entry.statement is not None and entry.rationale and entry.stance
    }
    shown = {item.number: item for item in votes if item.number in arguments}
    common, split = bridges(arguments, list(shown.values()), groups, common_limit=COMMON_GROUND, divide_limit=DIVIDES)
    author = make_author(profiles, names, named)
    quotes: dict[str, tuple[tuple[Quote, ...], int]] = {}
    for stance in stances:
        with_reason = [
            (QuoteCandidate(user, stance, entry.at, entry.statement), entry.rationale or "")
            for user, entry in current.items()
            if entry.stance == stance and entry.rationale
        ]
        with_reason.sort(
            key=lambda item: quote_rank(
                item[0], agreement_of(shown.get(item[0].number) if item[0].number is not None else None, groups)
            )
        )
        chosen = quotes_of(distinct_texts(with_reason, limit), author)
        if chosen:
            quotes[stance] = (chosen, len(with_reason) - len(chosen))
    return ThemeFacts(dict(counts), dict(moves), quotes, tuple(common), tuple(split))


def _stance(entry: HistoryEntry | None) -> str | None:
    return entry.stance if entry is not None else None


def earlier_counts(moves: Moves) -> Counter[str]:
    """Members per stance as of the previous digest."""
    found: Counter[str] = Counter()
    for (previous, _, _), count in moves.items():
        if previous is not None:
            found[previous] += count
    return found


def shift_of(moves: Moves, start: datetime, end: datetime, order: Sequence[str] = ()) -> Shift:
    """The shift between the shift's start and the digest (see `bot.core.history.shift_table`, whose
    rules and order this follows, from counts)."""
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    for (_, was, now), count in moves.items():
        if was is not None or now is not None:
            pairs[(was, now)] += count
    unchanged = sum(count for (was, now), count in pairs.items() if was == now)
    rank = {key: index for index, key in enumerate(order)}

    def position(stance: str | None) -> tuple[int, str]:
        return (len(rank) + 1, "") if stance is None else (rank.get(stance, len(rank)), stance)

    rows = sorted(
        (ShiftRow(was, now, count) for (was, now), count in pairs.items() if was != now),
        key=lambda row: (-row.count, position(row.from_stance), position(row.to_stance)),
    )
    return Shift(start, end, tuple(rows), unchanged)


def top_candidates(
    candidates: Iterable[QuoteCandidate], agreement: Callable[[QuoteCandidate], float], keep: int
) -> tuple[dict[str, list[QuoteCandidate]], Counter[str]]:
    """Per stance, the `keep` best candidates (best first) and how many there are in all, in one pass that
    holds no more than `keep` per stance (a theme of 50,000 members never becomes a list)."""
    heaps: dict[str, list[tuple[tuple[float, float, int], int, QuoteCandidate]]] = {}
    totals: Counter[str] = Counter()
    for order, candidate in enumerate(candidates):
        totals[candidate.stance] += 1
        rank = quote_rank(candidate, agreement(candidate))
        inverted = (-rank[0], -rank[1], -rank[2])
        heap = heaps.setdefault(candidate.stance, [])
        item = (inverted, -order, candidate)
        if len(heap) < keep:
            heapq.heappush(heap, item)
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)
    best = {
        stance: [candidate for _, _, candidate in sorted(heap, key=lambda item: item[:2], reverse=True)]
        for stance, heap in heaps.items()
    }
    return best, totals
