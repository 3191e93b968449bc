"""Plain records passed between the store, the core and the renderers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.forum import Attribution

__all__ = ["Attribution", "Author", "HistoryEntry", "Position", "Profile", "Statement"]


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
    statement: int | None = None  # the number of its rationale's statement (None without a rationale)


@dataclass(frozen=True, slots=True)
class PositionChange:
    """What recording a position did: the position it replaced, whether anything changed (the same stance
    and rationale again change nothing), whether it was the member's first position in the server, and
    whether they have a profile."""

    previous: Position | None
    changed: bool
    first: bool
    has_profile: bool


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change of a position; stance None is a withdrawal."""

    user_id: int
    at: datetime
    stance: str | None
    rationale: str | None
    statement: int | None = None  # the number of the rationale's statement


@dataclass(frozen=True, slots=True)
class Statement:
    """A rationale as something others react to: its number in the server, its theme and text, and,
    while it is current (its author's position still gives it), the stance it argues for."""

    id: int
    guild_id: int
    number: int
    theme: str
    author_id: int
    text: str
    created_at: datetime
    stance: str | None  # None: not current (the author changed their text or withdrew)
    author_group: str | None = None  # the author's current stakeholder group (None without a profile)
    author_name: str | None = None  # their display name, for named attribution

    @property
    def current(self) -> bool:
        return self.stance is not None
