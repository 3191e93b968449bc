"""Who wakes the bot's tick up (APScheduler), and the backoff every retried post follows.

Every piece of scheduled work (poll closings, closing-soon notices, digests) implements
`bot.context.DueWork`; the bot's tick runs them all. APScheduler only decides when to call the
tick, so tests can drive the very same path with a virtual clock and `await bot.tick()`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

log = logging.getLogger(__name__)

WAKE_JOB = "concord-wake"
FALLBACK_WAKE = timedelta(minutes=5)
MIN_WAKE = timedelta(seconds=1)


def retry_delay(
    attempts: int, first: timedelta = timedelta(minutes=1), cap: timedelta = timedelta(hours=1)
) -> timedelta:
    """Backoff after `attempts` failures: 1, 2, 4, 8... minutes, at most an hour."""
    delay: timedelta = first * (2 ** max(0, attempts - 1))
    return min(cap, delay)


class TickScheduler:
    """Production timing: one DateTrigger job at the earliest due time, re-armed after every tick.

    APScheduler reads the real clock; the bot's injected clock decides what is due. The
    fallback wake every few minutes retries failed work even when nothing new is planned.
    """

    def __init__(self, tick: Callable[[], Awaitable[None]]) -> None:
        self._tick = tick
        self._scheduler = AsyncIOScheduler(timezone="UTC")

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Start (once: calling it again is safe) and tick right away, for whatever fell due while the
        bot was down or disconnected."""
        if not self._scheduler.running:
            self._scheduler.start()
        self.wake_in(timedelta(0))

    def wake_in(self, delay: timedelta) -> None:
        """Call the tick after `delay`.

        APScheduler measures time on the real clock while "what is due" is measured on the
        injected clock, so the wake-up is expressed as a delay, which both clocks agree on.
        This is the one place Concord reads the wall clock: it is APScheduler's own domain.
        """
        if not self._scheduler.running:
            return
        self._scheduler.add_job(
            self._tick,
            DateTrigger(run_date=datetime.now(UTC) + max(delay, timedelta(0))),
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def add_recurring(self, job_id: str, trigger: object) -> None:
        """A recurring trigger (e.g. a timezone-aware CronTrigger for weekly digests) that calls the tick."""
        self._scheduler.add_job(self._tick, trigger, id=job_id, replace_existing=True, coalesce=True)

    def remove_recurring(self, job_id: str) -> None:
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def rearm(self, next_due: datetime | None, now: datetime) -> None:
        """Wake at the next due time, or after FALLBACK_WAKE at the latest (to retry failed work).

        Never sooner than MIN_WAKE: work that says it is still due right after running would
        otherwise have the tick spin, hammering Discord and the store.
        """
        delay = FALLBACK_WAKE if next_due is None else min(next_due - now, FALLBACK_WAKE)
        self.wake_in(max(delay, MIN_WAKE))

    @property
    def next_wake(self) -> datetime | None:
        """When (on the real clock) the tick is next woken; None when stopped. For logs and tests."""
        job = self._scheduler.get_job(WAKE_JOB)
        return job.next_run_time if job is not None and self._scheduler.running else None

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
