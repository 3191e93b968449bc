"""The rehearsal's calendar and clock, and the pieces of its record: timeline entries and sections.

Plain building blocks that know nothing of the runner (rehearsal.py): the runner, the chapters and
the record all import them, and this module imports none of those, so the arrows run one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord

if TYPE_CHECKING:
    from bot.settings import SessionSettings

#: How long before the live session the online discussion opens, and how long it runs after it.
OPENS_BEFORE = timedelta(days=21)
CLOSES_AFTER = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Calendar:
    """The forum's dates, derived from `[session]` so the rehearsal follows the configuration."""

    opens: datetime
    starts_at: datetime
    ends_at: datetime
    closes: datetime
    zone: ZoneInfo

    @classmethod
    def from_session(cls, session: SessionSettings) -> Calendar:
        """Opens OPENS_BEFORE the session at the same local wall-clock time (summer time included)."""
        return cls(
            opens=session.starts_at.astimezone(session.zone) - OPENS_BEFORE,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            closes=session.ends_at + CLOSES_AFTER,
            zone=session.zone,
        )

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)


class ForumClock:
    """The bot's clock during a rehearsal: SimCord's virtual time, moved onto the forum's calendar.

    SimCord's virtual clock starts in 2026; the forum took place in 2012. The bot accepts any
    clock (create_bot's `clock`), so the rehearsal hands it SimCord's clock plus a fixed offset:
    everything the bot stores, schedules and shows happens in autumn 2012, and time still moves
    only when the rehearsal advances SimCord's clock. The offset is fixed on the first reading
    (inside SimCord, before virtual time has moved), so even work the bot does while starting up
    already sees the forum's calendar.
    """

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.offset: timedelta | None = None

    def __call__(self) -> datetime:
        virtual = discord.utils.utcnow()
        if self.offset is None:
            self.offset = self.start - virtual
        return virtual + self.offset


@dataclass(slots=True)
class Entry:
    """One line of the record's timeline."""

    at: datetime
    actor: str
    text: str


@dataclass(slots=True)
class Section:
    """A section of the Markdown record, written by a chapter."""

    title: str
    body: list[str] = field(default_factory=list)
