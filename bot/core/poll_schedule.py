"""What poll work is due: closings, their delivery retries, closing-soon notices, as a pure function of now.

The tick asks `due_actions(polls, now, lead)` what to do and `next_due(...)` when to wake next;
`polls` are the stored rows (PollInfo), so a restarted bot picks up exactly where the old one stopped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.polls import PollInfo


class DueKind(StrEnum):
    CLOSE = "close"  # the deadline passed: seal the ballots, then deliver
    DELIVER = "deliver"  # sealed but the poll message edit or the results reply is still to do
    CLOSING_SOON = "closing-soon"


@dataclass(frozen=True, slots=True)
class DueAction:
    kind: DueKind
    poll: PollInfo


def closing_soon_at(poll: PollInfo, lead: timedelta) -> datetime | None:
    """When the closing-soon notice is due; None for polls not longer than twice `lead`."""
    if lead <= timedelta(0) or poll.closes_at - poll.created_at <= 2 * lead:
        return None
    return poll.closes_at - lead


def _soon_due_at(poll: PollInfo, lead: timedelta) -> datetime | None:
    at = closing_soon_at(poll, lead)
    if at is None or poll.is_closed or poll.soon_message_id is not None or poll.message_id is None:
        return None
    return max(at, poll.soon_retry_at) if poll.soon_retry_at else at


def _close_due_at(poll: PollInfo) -> datetime | None:
    """When sealing or delivering the closing is (next) due; None once it is fully delivered."""
    if poll.is_closed and poll.delivered:
        return None
    at = poll.closed_at or poll.closes_at
    return max(at, poll.close_retry_at) if poll.close_retry_at else at


def due_actions(polls: Iterable[PollInfo], now: datetime, lead: timedelta) -> list[DueAction]:
    """Everything due at `now`, closings first. A notice is never sent once the deadline has passed.

    A failed step waits for its retry time (recorded with backoff), so a step that keeps failing
    never makes the bot tick in a tight loop.
    """
    closings: list[DueAction] = []
    notices: list[DueAction] = []
    for poll in polls:
        close_at = _close_due_at(poll)
        if close_at is not None and (poll.is_closed or now >= poll.closes_at):
            if now >= close_at:
                closings.append(DueAction(DueKind.DELIVER if poll.is_closed else DueKind.CLOSE, poll))
        else:
            soon = _soon_due_at(poll, lead)
            if soon is not None and soon <= now < poll.closes_at:
                notices.append(DueAction(DueKind.CLOSING_SOON, poll))
    return closings + notices


def next_due(polls: Iterable[PollInfo], now: datetime, lead: timedelta) -> datetime | None:
    """The earliest moment after `now` at which due_actions would have something to do."""
    times: list[datetime] = []
    for poll in polls:
        close_at = _close_due_at(poll)
        if close_at is not None:
            times.append(close_at)
        soon = _soon_due_at(poll, lead)
        if soon is not None and soon < poll.closes_at:
            times.append(soon)
    return min(times, default=None)
