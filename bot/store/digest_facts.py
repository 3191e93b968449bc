"""A digest's facts counted in SQL as of its moments, off the event loop (see bot/core/digest_facts.py).

Per theme, one statement over one sort of the theme's history: it counts the members by their stances at
the digest's three moments (the previous digest, the shift's start, the digest) and their profile then,
grouped in the database, and gives the current positions with a shown rationale that can be quoted (their
number and time, never their text): those whose statement has reactions, ranked here on their consensus,
and the newest few of the others per stance, ranked in SQL. Only the rationales quoted or shown as common ground are
then read, and display names only under named attribution. The whole read runs as one call on the
reader's worker thread inside one snapshot: the event loop only waits for it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
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
from bot.store.statements import votes_as_of
from bot.store.visibility import hidden_as_of, moment_params

#: Before every stored time: a moment the digest does not have matches no row.
_NEVER = ""
#: Candidates kept per stance before their texts are read (near-identical texts may need more).
_KEEP = 4 * QUOTES_PER_STANCE

#: One statement per theme, two kinds of rows. Kind 0: the members counted by their stances at three moments
#: and their profile as of the digest. A change is in effect from its time until the member's next change
#: (in recorded order), so the change in effect at a moment is the one starting at or before it whose
#: successor starts after it. Kind 1: each member's position as of the digest if it has a rationale shown
#: then (its row, member, stance, time and number: no text). Both read one sort of the theme's history.
_WITH = """
    WITH spans AS MATERIALIZED (
        SELECT id, user_id, stance, statement_id, at, rationale IS NOT NULL AND rationale <> '' AS reasoned,
               lead(at) OVER (PARTITION BY user_id ORDER BY at, id) AS next_at
        FROM position_history WHERE guild_id = :guild AND theme = :theme AND at <= :until
    ), members AS (
        SELECT user_id,
               max(CASE WHEN next_at IS NULL THEN stance END) AS now,
               max(CASE WHEN at <= :previous AND (next_at IS NULL OR next_at > :previous) THEN stance END) AS previous,
               max(CASE WHEN at <= :origin AND (next_at IS NULL OR next_at > :origin) THEN stance END) AS origin
        FROM spans GROUP BY user_id
    ), profile AS MATERIALIZED (
        SELECT user_id, stakeholder, region, max(id) FROM profile_history
        WHERE guild_id = :guild AND at <= :until GROUP BY user_id
    )
"""
_COUNT_ROWS = """
    SELECT 0, m.now, m.previous, m.origin, f.stakeholder, f.region, count(*)
    FROM members m LEFT JOIN profile f ON f.user_id = m.user_id
    WHERE m.now IS NOT NULL OR m.previous IS NOT NULL OR m.origin IS NOT NULL
    GROUP BY m.now, m.previous, m.origin, f.stakeholder, f.region
"""
_CANDIDATE_ROWS = """
    SELECT 1, id, user_id, stance, at, number, NULL FROM (
        SELECT *, row_number() OVER (PARTITION BY stance, voted ORDER BY at DESC, user_id DESC) AS place FROM shown
    ) WHERE voted OR place <= :keep
    UNION ALL
    SELECT 2, stance, count(*), NULL, NULL, NULL, NULL FROM shown GROUP BY stance
"""
#: The positions quotes are chosen from: each member's as of the digest if it has a rationale shown then.
_SHOWN = f""",
    shown AS (
        SELECT l.id, l.user_id, l.stance, l.at, s.number,
               coalesce(l.statement_id IN (SELECT value FROM json_each(:voted)), 0) AS voted
        FROM spans l LEFT JOIN statements s ON s.id = l.statement_id
        WHERE l.next_at IS NULL AND l.stance IS NOT NULL AND l.reasoned
          AND NOT {hidden_as_of("l.statement_id").replace("?", ":until")}
    )
"""
_FACTS = f"{_WITH} {_SHOWN} {_COUNT_ROWS} UNION ALL {_CANDIDATE_ROWS}"
#: The counts alone: what the benchmark measures a digest against (bench/digest_bench.py).
COUNTS_ONLY = f"{_WITH} {_COUNT_ROWS}"
#: (`max(id)` with other columns: SQLite takes those from the row with the largest id, each member's latest
#: profile by then, as `PositionQueries.guild_profiles` reads it.)


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


class _Facts:
    """A theme's `_FACTS` rows: the counts; every candidate whose statement has reactions (ranked here, on
    the consensus of its reactions) and the `keep` newest of the others per stance (ranked in SQL: without
    reactions, newest first); how many candidates each stance has."""

    def __init__(
        self, conn: sqlite3.Connection, params: dict[str, object], voted: dict[int, StatementVotes], keep: int
    ) -> None:
        self.conn, self.voted = conn, voted
        self.params = {**params, "keep": keep, "voted": json.dumps([item.statement_id for item in voted.values()])}
        self.counts: dict[tuple[str, str | None, str | None], int] = {}
        self.moves: dict[tuple[str | None, str | None, str | None], int] = {}
        self.current: dict[int, tuple[int, str]] = {}  # current statements with reactions: number -> row, stance
        self.candidates: list[QuoteCandidate] = []
        self.totals: Counter[str] = Counter()
        counts, moves, current, voted = self.counts, self.moves, self.current, self.voted
        for kind, a, b, c, d, e, members in conn.execute(_FACTS, self.params):
            if kind == 0:  # now, previous, origin, stakeholder, region, members
                moves[(b, c, a)] = moves.get((b, c, a), 0) + members
                if a is not None:
                    counts[(a, d, e)] = counts.get((a, d, e), 0) + members
            elif kind == 1:  # row, member, stance, time, number
                if e is not None and e in voted:
                    current[e] = (a, c)
                self.candidates.append(QuoteCandidate(b, c, from_db_time(d), e, a))
            else:  # stance, candidates
                self.totals[a] = b


def _picked(
    conn: sqlite3.Connection,
    params: dict[str, object],
    until: datetime,
    voted: dict[int, StatementVotes],
    groups: Sequence[str],
) -> tuple[_Facts, dict[str, list[tuple[QuoteCandidate, str]]]]:
    """The theme's facts, and per stance the rationales quoted."""

    def agreement(candidate: QuoteCandidate) -> float:
        return agreement_of(voted.get(candidate.number) if candidate.number is not None else None, groups)

    keep = _KEEP
    while True:
        facts = _Facts(conn, params, voted, keep)
        best, _ = top_candidates(facts.candidates, agreement, keep)
        texts = _texts(conn, [c.ref for found in best.values() for c in found], until)
        picked = {stance: distinct_texts((c, texts[c.ref]) for c in found) for stance, found in best.items()}
        if all(len(picked[s]) == QUOTES_PER_STANCE or facts.totals[s] <= keep for s in picked):
            return facts, picked
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
    previous, origin = (to_db_time(moment) if moment is not None else _NEVER for moment in moments)
    params = {"guild": guild_id, "theme": theme, "until": to_db_time(until), "previous": previous, "origin": origin}
    voted = {item.number: item for item in votes}
    facts, picked = _picked(conn, params, until, voted, request.groups)
    current, totals = facts.current, facts.totals
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
    return ThemeFacts(facts.counts, facts.moves, quotes, tuple(common_ground), tuple(divides))


def digest_facts(
    conn: sqlite3.Connection,
    guild_id: int,
    themes: Sequence[str],
    until: datetime,
    moments: tuple[datetime | None, datetime | None],
    request: DigestRequest,
) -> dict[str, ThemeFacts]:
    """Every theme's facts, on the reader's thread. The reactions are read to the end first: counting a
    theme while their statement is still open would hold both statements' sorts at once."""
    votes = dict(votes_as_of(conn, guild_id, until))
    return {
        theme: theme_facts(conn, guild_id, theme, until, moments, votes.pop(theme, ()), request) for theme in themes
    }
