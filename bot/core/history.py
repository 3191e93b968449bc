"""Replaying the append-only position history: who stood where at a given time, and who moved.

Digests compare "now" with an earlier moment (the previous digest, the before-session
digest). Those earlier states are recomputed from the history rather than copied, so a
report rebuilt later from the database says exactly what the digest said.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.models import HistoryEntry


def positions_as_of(entries: Iterable[HistoryEntry], at: datetime | None = None) -> dict[int, HistoryEntry]:
    """Each participant's last change at or before `at` (None: all of it); withdrawn participants are left out.

    `entries` must be in the order they were recorded (as the store returns them).
    """
    latest: dict[int, HistoryEntry] = {}
    for entry in entries:
        if at is not None and entry.at > at:
            continue
        latest[entry.user_id] = entry
    return {user: entry for user, entry in latest.items() if entry.stance is not None}


@dataclass(frozen=True, slots=True)
class ShiftRow:
    """How many went from one stance to another; None is "no position" (joined or withdrew)."""

    from_stance: str | None
    to_stance: str | None
    count: int


@dataclass(frozen=True, slots=True)
class Shift:
    """The movement between two moments on one theme."""

    start: datetime
    end: datetime
    rows: tuple[ShiftRow, ...]
    unchanged: int

    @property
    def moved(self) -> int:
        """Participants who held a position at both moments, but a different one."""
        return sum(row.count for row in self.rows if row.from_stance is not None and row.to_stance is not None)

    @property
    def joined(self) -> int:
        return sum(row.count for row in self.rows if row.from_stance is None)

    @property
    def withdrew(self) -> int:
        return sum(row.count for row in self.rows if row.to_stance is None)


def shift_table(entries: Sequence[HistoryEntry], start: datetime, end: datetime, order: Sequence[str] = ()) -> Shift:
    """Compare stances at `start` and at `end`: one row per (from, to) pair that changed.

    Someone who changed their mind and came back counts as unchanged: only the two moments
    matter. Rows are sorted by count (largest first), then by the stances' configured order,
    "no position" last.
    """
    before = {user: entry.stance for user, entry in positions_as_of(entries, start).items()}
    after = {user: entry.stance for user, entry in positions_as_of(entries, end).items()}
    moves: Counter[tuple[str | None, str | None]] = Counter()
    unchanged = 0
    for user in before.keys() | after.keys():
        was, now = before.get(user), after.get(user)
        if was == now:
            unchanged += 1
        else:
            moves[(was, now)] += 1
    rank = {key: index for index, key in enumerate(order)}

    def position(stance: str | None) -> tuple[int, str]:
        return (len(rank) + 1, "") if stance is None else (rank.get(stance, len(rank)), stance)

    rows = sorted(
        (ShiftRow(was, now, count) for (was, now), count in moves.items()),
        key=lambda row: (-row.count, position(row.from_stance), position(row.to_stance)),
    )
    return Shift(start, end, tuple(rows), unchanged)
