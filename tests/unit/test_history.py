"""Replaying the position history: positions as of a time, and the shift table between two times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.history import ShiftRow, positions_as_of, shift_table
from bot.core.models import HistoryEntry

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ORDER = ["none", "some", "widespread", "undecided"]


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def scripted() -> list[HistoryEntry]:
    """Ten participants; the before-digest is at hour 10, the after-digest at hour 20."""
    script = [
        # before hour 10
        (1, 1, "some"),
        (2, 1, "some"),
        (3, 2, "some"),
        (4, 2, "none"),
        (5, 3, "none"),
        (6, 3, "undecided"),
        (7, 4, "undecided"),
        (8, 4, "widespread"),
        (9, 5, "some"),
        (9, 6, "widespread"),  # changed before the digest: counts as widespread at hour 10
        # between hour 10 and hour 20
        (1, 11, "widespread"),  # some -> widespread
        (2, 12, "widespread"),  # some -> widespread
        (3, 12, "none"),  # some -> none
        (6, 13, "some"),  # undecided -> some
        (7, 13, "some"),  # undecided -> some
        (5, 14, None),  # none -> withdrew
        (10, 15, "undecided"),  # joined: undecided
        (11, 15, "some"),  # joined: some
        (8, 16, "none"),  # widespread -> none ...
        (8, 17, "widespread"),  # ... and back: unchanged
        (4, 18, "none"),  # re-stated, same stance: unchanged
        # after hour 20: not counted
        (9, 21, "none"),
    ]
    return [
        HistoryEntry(user, at(hour), stance, None if stance is None else f"reason {user}")
        for user, hour, stance in script
    ]


def test_positions_as_of_replays_the_history():
    entries = scripted()
    at_ten = positions_as_of(entries, at(10))
    assert {user: entry.stance for user, entry in at_ten.items()} == {
        1: "some",
        2: "some",
        3: "some",
        4: "none",
        5: "none",
        6: "undecided",
        7: "undecided",
        8: "widespread",
        9: "widespread",
    }
    # A withdrawal removes the participant; a change at exactly the moment counts.
    at_fourteen = positions_as_of(entries, at(14))
    assert 5 not in at_fourteen
    assert at_fourteen[6].stance == "some"
    assert positions_as_of(entries)[9].stance == "none"
    assert positions_as_of([], at(1)) == {}


def test_shift_table_for_a_scripted_set_of_changes():
    shift = shift_table(scripted(), at(10), at(20), ORDER)
    assert shift.rows == (
        ShiftRow("some", "widespread", 2),
        ShiftRow("undecided", "some", 2),
        ShiftRow("none", None, 1),
        ShiftRow("some", "none", 1),
        ShiftRow(None, "some", 1),
        ShiftRow(None, "undecided", 1),
    )
    assert shift.moved == 5
    assert shift.joined == 2
    assert shift.withdrew == 1
    # 4 (re-stated), 8 (went and came back) and 9 (changed only after hour 20) did not move.
    assert shift.unchanged == 3
    assert (shift.start, shift.end) == (at(10), at(20))


def test_shift_table_with_nothing_before():
    shift = shift_table(scripted(), at(0), at(2), ORDER)
    assert shift.rows == (ShiftRow(None, "some", 3), ShiftRow(None, "none", 1))
    assert shift.unchanged == 0 and shift.moved == 0 and shift.joined == 4
