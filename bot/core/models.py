"""Plain records passed between the store, the core and the renderers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.forum import Attribution

__all__ = ["Attribution", "Author", "HistoryEntry", "Position", "Profile"]


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote a rationale, as far as the attribution rule lets it be said: their stakeholder group
    (a key; "undeclared" without a profile) and, under named attribution only, their name."""

    group: str
    name: str | None = None


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
