"""When digests fall due, and what a tick should do about each occurrence.

An occurrence is identified by its key (kind, due time in UTC). The store remembers what
happened to each key (posted, missed, or still pending with a retry time); this module only
decides, from the plan, the clock's now and those records, what to post and what to give up
on. Keeping the decision pure lets tests ask it about any virtual time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.times import Weekly

if TYPE_CHECKING:
    from bot.settings import Settings


class DigestKind(StrEnum):
    """Which digest: the three the schedule posts, and "now" (a report taken at any moment)."""

    BEFORE = "before"
    AFTER = "after"
    WEEKLY = "weekly"
    NOW = "now"


SCHEDULED_KINDS = (DigestKind.BEFORE, DigestKind.AFTER, DigestKind.WEEKLY)


class RunStatus(StrEnum):
    """What became of one digest occurrence: being posted (or waiting for its retry), posted, or missed."""

    PENDING = "pending"
    POSTED = "posted"
    MISSED = "missed"


class DeliveryError(StrEnum):
    """Why an attempt to post failed, which decides what organisers are told to do about it."""

    FORBIDDEN = "forbidden"  # the bot may not post there
    CHANNEL = "channel"  # the channel is gone or unreachable
    SERVER = "server"  # Discord failed
    TIMEOUT = "timeout"  # Discord did not answer in time
    ERROR = "error"  # the bot's own failure (in its log)


@dataclass(frozen=True, slots=True, order=True)
class Occurrence:
    """One digest that falls due: its key is (kind, due_at)."""

    due_at: datetime
    kind: DigestKind

    @property
    def key(self) -> tuple[DigestKind, datetime]:
        return (self.kind, self.due_at)


@dataclass(frozen=True, slots=True)
class RunState:
    """What the store knows about one occurrence (or one manual post); decisions need the first four."""

    kind: DigestKind
    due_at: datetime
    status: RunStatus
    next_attempt_at: datetime | None = None
    id: int = 0
    manual: bool = False
    channel_id: int | None = None
    snapshot_at: datetime | None = None
    parts_total: int | None = None
    parts_sent: int = 0
    attempts: int = 0
    last_error: str | None = None
    error_kind: DeliveryError | None = None
    error_at: datetime | None = None
    posted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DueNow:
    """What a tick should do: post these (first attempt, retry or resume) and record these as missed."""

    post: tuple[Occurrence, ...]
    miss: tuple[Occurrence, ...]


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """The schedule of one forum: fixed before/after times plus a weekly wall-clock time."""

    starts_at: datetime
    ends_at: datetime
    before: timedelta | None
    after: timedelta | None
    weekly: Weekly | None
    zone: ZoneInfo
    grace: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestPlan:
        digest = settings.digest
        return cls(
            starts_at=settings.session.starts_at.astimezone(UTC),
            ends_at=settings.session.ends_at.astimezone(UTC),
            before=digest.before,
            after=digest.after,
            weekly=digest.weekly,
            zone=ZoneInfo(digest.timezone or settings.session.timezone),
            grace=digest.grace,
        )

    @property
    def before_at(self) -> datetime | None:
        return None if self.before is None else self.starts_at - self.before

    @property
    def after_at(self) -> datetime | None:
        return None if self.after is None else self.ends_at + self.after

    def weekly_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Weekly due times in [start, end], each the configured local time converted to UTC.

        Computed per local date, so a DST change moves the UTC time and never the local one.
        """
        if self.weekly is None or end < start:
            return []
        day = start.astimezone(self.zone).date() - timedelta(days=1)
        day += timedelta(days=(self.weekly.weekday - day.weekday()) % 7)
        found: list[datetime] = []
        while True:
            due = self._local(day)
            if due > end:
                return found
            if due >= start:
                found.append(due)
            day += timedelta(days=7)

    def _local(self, day: date) -> datetime:
        assert self.weekly is not None
        return datetime.combine(day, self.weekly.at, tzinfo=self.zone).astimezone(UTC)

    def occurrences_between(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Every occurrence due in [start, end], oldest first."""
        found = [Occurrence(due, DigestKind.WEEKLY) for due in self.weekly_between(start, end)]
        for kind, due in ((DigestKind.BEFORE, self.before_at), (DigestKind.AFTER, self.after_at)):
            if due is not None and start <= due <= end:
                found.append(Occurrence(due, kind))
        return sorted(found)

    def next_weekly(self, now: datetime) -> datetime | None:
        """The first weekly due time strictly after now."""
        if self.weekly is None:
            return None
        return next(iter(self.weekly_between(now + timedelta(microseconds=1), now + timedelta(days=8))), None)

    def upcoming(self, now: datetime, weekly_count: int = 2) -> list[Occurrence]:
        """The next occurrences strictly after now: before and after if still ahead, and the next weeklies."""
        found = []
        for kind, due in ((DigestKind.BEFORE, self.before_at), (DigestKind.AFTER, self.after_at)):
            if due is not None and due > now:
                found.append(Occurrence(due, kind))
        cursor = now
        for _ in range(weekly_count):
            due = self.next_weekly(cursor)
            if due is None:
                break
            found.append(Occurrence(due, DigestKind.WEEKLY))
            cursor = due
        return sorted(found)


def decide(plan: DigestPlan, since: datetime, now: datetime, runs: Iterable[RunState]) -> DueNow:
    """What is due at `now` for one server whose schedule counts from `since`.

    An occurrence nobody has posted yet is posted while it is within `grace` of its due time
    (a pending one only once its retry time has come); older, it is given up as missed, so
    a digest is never posted stale. Pending manual posts follow the same rules.
    """
    known = {(run.kind, run.due_at): run for run in runs}
    candidates = set(plan.occurrences_between(since, now))
    candidates |= {Occurrence(run.due_at, run.kind) for run in known.values() if run.status == RunStatus.PENDING}
    post: list[Occurrence] = []
    miss: list[Occurrence] = []
    for occurrence in sorted(candidates):
        run = known.get(occurrence.key)
        if run is not None and run.status in (RunStatus.POSTED, RunStatus.MISSED):
            continue
        if occurrence.due_at > now:
            continue
        if occurrence.due_at < now - plan.grace:
            miss.append(occurrence)
        elif run is None or run.next_attempt_at is None or run.next_attempt_at <= now:
            post.append(occurrence)
    return DueNow(tuple(post), tuple(miss))


def next_wake(plan: DigestPlan, since: datetime, now: datetime, runs: Iterable[RunState]) -> datetime | None:
    """When this server next has digest work: now if something is due now, else the next occurrence or retry."""
    runs = list(runs)
    if decide(plan, since, now, runs).post:
        return now
    times = [occurrence.due_at for occurrence in plan.upcoming(now, weekly_count=1) if occurrence.due_at >= since]
    for run in runs:
        if run.status == RunStatus.PENDING:
            retry = run.next_attempt_at or now
            times.append(max(retry, now))
    return min(times, default=None)
