"""What cogs and services may use of the running bot: settings, the store, the clock, scheduling, ballot keys.

Cogs take a `Context` in `__init__` instead of reaching through the bot (`self.bot.store`), so no
cog imports the app and a type checker follows every call. The app builds the one concrete
context in `setup_hook`, once the store is open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.ballot_keys import BallotKeys
from bot.settings import Settings
from bot.store import Store

Clock = Callable[[], datetime]


class DueWork(Protocol):
    """A kind of scheduled work. Neither method may sleep; run_due records its own failures.

    `run_due(now)` does whatever is due at `now`, reading the store to know what was already
    done; `next_due(now)` says when it next has something to do. The bot's tick runs them all.
    """

    name: str

    async def run_due(self, now: datetime) -> None: ...

    async def next_due(self, now: datetime) -> datetime | None: ...


class Scheduling(Protocol):
    """How a cog takes part in the bot's tick (and what wakes it up)."""

    def add_due_work(self, work: DueWork) -> None: ...

    def remove_due_work(self, work: DueWork) -> None: ...

    def add_recurring(self, job_id: str, trigger: object) -> None:
        """A recurring wake-up (e.g. the weekly digest's CronTrigger); the tick decides what is due."""

    def remove_recurring(self, job_id: str) -> None: ...


class Context(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> Store: ...

    @property
    def scheduling(self) -> Scheduling: ...

    @property
    def ballot_keys(self) -> BallotKeys:
        """The server secret of secret ballots (never in the database), and what each poll derives from it."""

    def now(self) -> datetime:
        """The injected clock's now: every "now" in the bot comes from here."""


@dataclass(frozen=True, slots=True)
class BotContext:
    """The concrete context the app hands to every cog."""

    settings: Settings
    store: Store
    scheduling: Scheduling
    clock: Clock
    ballot_keys: BallotKeys

    def now(self) -> datetime:
        return self.clock()
