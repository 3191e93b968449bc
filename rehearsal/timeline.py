"""The rehearsal's building blocks: the forum calendar, the clock, timeline steps and chapters.

A rehearsal is a list of chapters. Each chapter contributes steps (an action at a moment on the
forum's calendar) and, once the whole timeline has run, may add sections to the record. The runner
(rehearsal/rehearsal.py) merges every chapter's steps in time order, moves SimCord's virtual clock
to each one (stopping on the way wherever the bot's scheduled work falls due, and ticking the bot
there), and runs it. Polls and digests join the rehearsal as further chapters, without touching the
runner or the chapters that exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

import discord

if TYPE_CHECKING:
    from bot.settings import SessionSettings
    from rehearsal.rehearsal import Rehearsal

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


@dataclass(frozen=True, slots=True)
class Step:
    """One thing that happens at `at` (forum time). `act` performs it through the simulated server."""

    at: datetime
    act: Callable[[Rehearsal], Awaitable[None]]
    label: str = ""


class Chapter(Protocol):
    """A part of the rehearsal (positions, tallies, later polls and digests)."""

    name: str

    def steps(self, calendar: Calendar, rng: Random) -> list[Step]:
        """The chapter's steps; the rehearsal's seeded `rng` keeps them deterministic."""
        ...

    async def finish(self, rehearsal: Rehearsal) -> None:
        """Runs once after the whole timeline: add record sections, console lines, files."""
        ...


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
