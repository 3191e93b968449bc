"""Plain records passed between the store, the core and the renderers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Profile:
    user_id: int
    stakeholder: str
    region: str | None


@dataclass(frozen=True, slots=True)
class Position:
    """A participant's current position on one theme, with the profile it counts under."""

    user_id: int
    display_name: str
    stance: str
    rationale: str | None
    updated_at: datetime
    stakeholder: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change of a position; stance None is a withdrawal."""

    user_id: int
    at: datetime
    stance: str | None
    rationale: str | None


def to_db_time(moment: datetime) -> str:
    """UTC text in one fixed width, so SQL string comparison is time comparison."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every time in Concord is timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
