"""A digest's facts counted in SQL as of its moments, off the event loop (see bot/core/digest_facts.py).

Per theme, two statements: one counts the members by their stances at the digest's three moments (the
previous digest, the shift's start, the digest) and their profile then, grouped in the database; the
other streams each current position with a shown rationale (its number and time, never its text) into
a ranking that keeps the few best per stance. Only the rationales quoted or shown as common ground are
then read, and display names only under named attribution. The whole read runs as one call on the
reader's worker thread inside one snapshot: the event loop only waits for it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime

from bot.core.consensus import Argument, StatementVotes, ranked, with_arguments
from bot.core.digest import DigestRequest
from bot.core.digest_facts import (
    COMMON_GROUND,
    DIVIDES,
    QUOTES_PER_STANCE,
    QuoteCandidate,
    ThemeFacts,
    agreement_of,
    distinct_texts,
    make_author,
    quotes_of,
    top_candidates,
)
from bot.core.models import Profile
from bot.store.dbtime import from_db_time, to_db_time
from bot.store.visibility import hidden_as_of, moment_params

#: Before every stored time: a moment the digest does not have matches no row.
_NEVER = ""
#: Candidates kept per stance before their texts are read (near-identical texts may need more).
_KEEP = 4 * QUOTES_PER_STANCE

#: Each member's stance at three moments and their profile as of the digest, counted. A change is in
#: effect from its time until the member's next change (in recorded order), so the change in effect at
#: a moment is the one starting at or before it whose successor starts after it.
_COUNTS = """
    WITH spans AS (
        SELECT user_id, stance, at, lead(at) OVER (PARTITION BY user_id ORDER BY at, id) AS next_at
        FROM position_history WHERE guild_id = :guild AND theme = :theme AND at <= :until
    ), members AS (
        SELECT user_id,
               max(CASE WHEN next_at IS NULL THEN stance END) AS now,
               max(CASE WHEN at <= :previous AND (next_at IS NULL OR next_at > :previous) THEN stance END) AS previous,
               max(CASE WHEN at <= :origin AND (next_at IS NULL OR next_at > :origin) THEN stance END) AS origin
        FROM spans GROUP BY user_id
    )
    SELECT m.now, m.previous, m.origin, f.stakeholder, f.region, count(*) AS members
    FROM members m LEFT JOIN profile_history f ON f.id = (
        SELECT max(id) FROM profile_history WHERE guild_id = :guild AND user_id = m.user_id AND at <= :until
    )
    WHERE m.now IS NOT NULL OR m.previous IS NOT NULL OR m.origin IS NOT NULL
    GROUP BY m.now, m.previous, m.origin, f.stakeholder, f.region
"""

#: Each member's position as of the digest if it has a rationale that was shown then: no text.
_CANDIDATES = f"""
    WITH latest AS (
        SELECT id, user_id, stance, statement_id, at, rationale IS NOT NULL AND rationale <> '' AS reasoned,
               row_number() OVER (PARTITION BY user_id ORDER BY at DESC, id DESC) AS rank
        FROM position_history WHERE guild_id = ? AND theme = ? AND at <= ?
    )
    SELECT l.id, l.user_id, l.stance, l.at, s.number FROM latest l LEFT JOIN statements s ON s.id = l.statement_id
    WHERE l.rank = 1 AND l.stance IS NOT NULL AND l.reasoned AND NOT {hidden_as_of("l.statement_id")}
"""


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _texts(conn: sqlite3.Connection, ids: Sequence[int], until: datetime) -> dict[int, str]:
    """The rationales of these history rows (shown as of `until`)."""
    if not ids:
        return {}
    rows = conn.execute(
        f"SELECT h.id, h.rationale FROM position_history h WHERE h.id IN ({_marks(ids)}) "
        f"AND NOT {hidden_as_of('h.statement_id')}",
        (*ids, *moment_params(until)),
    )
    return {row[0]: row[1] for row in rows}


def _profiles(conn: sqlite3.Connection, guild_id: int, users: Sequence[int], until: datetime) -> dict[int, Profile]:
    if not users:
        return {}
    rows = conn.execute(
        f"""
        SELECT h.user_id, h.stakeholder, h.region FROM profile_history h
        WHERE h.guild_id = ? AND h.user_id IN ({_marks(users)}) AND h.id = (
            SELECT max(id) FROM profile_history WHERE guild_id = h.guild_id AND user_id = h.user_id AND at <= ?
        )
        """,
        (guild_id, *users, to_db_time(until)),
    )
    return {row[0]: Profile(row[0], row[1], row[2]) for row in rows}


def _names(conn: sqlite3.Connection, guild_id: int, users: Sequence[int]) -> dict[int, str]:
    """These members' most recent display names (as `PositionQueries.display_names` reads them)."""
    if not users:
        return {}
    rows = conn.execute(
        f"SELECT user_id, display_name FROM positions WHERE guild_id = ? AND user_id IN ({_marks(users)}) "
        "ORDER BY updated_at",
        (guild_id, *users),
    )
    return {row[0]: row[1] for row in rows}


def _counts(
    conn: sqlite3.Connection, guild_id: int, theme: str, until: datetime, moments: tuple[datetime | None, ...]
) -> tuple[dict[tuple[str, str | None, str | None], int], dict[tuple[str | None, str | None, str | None], int]]:
    previous, origin = (to_db_time(moment) if moment is not None else _NEVER for moment in moments)
    params = {"guild": guild_id, "theme": theme, "until": to_db_time(until), "previous": previous, "origin": origin}
    counts: dict[tuple[str, str | None, str | None], int] = {}
    moves: dict[tuple[str | None, str | None, str | None], int] = {}
    for now, then, was, stakeholder, region, members in conn.execute(_COUNTS, params):
        moves[(then, was, now)] = moves.get((then, was, now), 0) + members
        if now is not None:
            counts[(now, stakeholder, region)] = counts.get((now, stakeholder, region), 0) + members
    return counts, moves


def _candidates(
    conn: sqlite3.Connection,
    guild_id: int,
    theme: str,
    until: datetime,
    voted: dict[int, StatementVotes],
    current: dict[int, tuple[int, str]],
) -> Iterator[QuoteCandidate]:
    """Stream the candidates; `current` collects those whose statement has reactions (number -> row, stance)."""
    cursor = conn.execute(_CANDIDATES, (guild_id, theme, to_db_time(until), *moment_params(until)))
    for ref, user, stance, at, number in cursor:
        if number is not None and number in voted:
            current[number] = (ref, stance)
        yield QuoteCandidate(user, stance, from_db_time(at), number, ref)


def _picked(
    conn: sqlite3.Connection,
    guild_id: int,
    theme: str,
    until: datetime,
    voted: dict[int, StatementVotes],
    groups: Sequence[str],
) -> tuple[dict[str, list[tuple[QuoteCandidate, str]]], Counter[str], dict[int, tuple[int, str]]]:
    """Per stance the rationales quoted and how many could have been; the current statements with reactions."""

    def agreement(candidate: QuoteCandidate) -> float:
        return agreement_of(voted.get(candidate.number) if candidate.number is not None else None, groups)

    keep = _KEEP
    while True:
        current: dict[int, tuple[int, str]] = {}
        best, totals = top_candidates(_candidates(conn, guild_id, theme, until, voted, current), agreement, keep)
        texts = _texts(conn, [c.ref for found in best.values() for c in found], until)
        picked = {stance: distinct_texts((c, texts[c.ref]) for c in found) for stance, found in best.items()}
        if all(len(picked[s]) == QUOTES_PER_STANCE or totals[s] <= keep for s in picked):
            return picked, totals, current
        keep *= 4  # near-identical texts filled the kept ones: rank again, keeping more


def theme_facts(
    conn: sqlite3.Connection,
    guild_id: int,
    theme: str,
    until: datetime,
    moments: tuple[datetime | None, datetime | None],
    votes: Sequence[StatementVotes],
    request: DigestRequest,
) -> ThemeFacts:
    """One theme's facts, on the reader's thread (a synchronous function of its sqlite3 connection)."""
    counts, moves = _counts(conn, guild_id, theme, until, moments)
    voted = {item.number: item for item in votes}
    picked, totals, current = _picked(conn, guild_id, theme, until, voted, request.groups)
    common, split = ranked(
        [voted[number] for number in current], request.groups, common_limit=COMMON_GROUND, divide_limit=DIVIDES
    )
    shown = {item.statement.number for item in common} | {item.statement.number for item in split}
    argued = _texts(conn, [current[number][0] for number in shown], until)
    arguments = {number: Argument(number, argued[current[number][0]], current[number][1]) for number in shown}
    quoted = sorted({candidate.user_id for found in picked.values() for candidate, _ in found})
    names = _names(conn, guild_id, quoted) if request.named else {}
    author = make_author(_profiles(conn, guild_id, quoted, until), names, request.named)
    quotes = {
        stance: (quotes_of(found, author), totals[stance] - len(found)) for stance, found in picked.items() if found
    }
    common_ground, divides = with_arguments(common, split, arguments)
    return ThemeFacts(counts, moves, quotes, tuple(common_ground), tuple(divides))
