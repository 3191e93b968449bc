"""Moderation's rules: what members may report, what facilitators may do, and the records both
leave. Pure: the store applies these inside its transactions, the renderers turn them into words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

#: The longest reason a member or facilitator may give (a Discord form's short field holds it whole,
#: and the log shows it within an embed field's 1024 characters).
MAX_REASON = 300


class ModerationAction(StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    KEEP = "keep"


class Reported(StrEnum):
    """What became of a member's report."""

    RECORDED = "recorded"
    ALREADY = "already"  # they reported this statement before: once per member per statement
    NOT_CURRENT = "not-current"  # not a statement shown today in this server (gone, hidden, elsewhere)
    OWN = "own"


class Moderated(StrEnum):
    """What became of a facilitator's hide, restore or keep."""

    DONE = "done"
    UNKNOWN = "unknown"  # no statement with that number in this server
    ALREADY_HIDDEN = "already-hidden"
    NOT_HIDDEN = "not-hidden"  # a restore (or a keep of reports) of a statement that is visible / hidden


@dataclass(frozen=True, slots=True)
class QueuedStatement:
    """A reported statement awaiting a facilitator, with how many members reported it."""

    statement_id: int
    number: int
    theme: str
    text: str
    reports: int


@dataclass(frozen=True, slots=True)
class ModerationOutcome:
    """The result of an action: what happened, the action's id (to record the DM to the author) and the
    statement it concerned (None when there is none with that number)."""

    result: Moderated
    action_id: int | None = None
    statement_id: int | None = None
    number: int | None = None
    theme: str | None = None
    author_id: int | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One recorded action: who did what to which statement, when and why; for a hide, whether the
    author was told (None: not tried)."""

    action: ModerationAction
    number: int
    theme: str
    moderator_id: int
    at: datetime
    reason: str | None
    author_told: bool | None


def clean_reason(text: str | None) -> str | None:
    """A reason as stored: whitespace collapsed, at most MAX_REASON characters; None when empty."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    return cleaned[:MAX_REASON] or None


def hidden_at(spans: list[tuple[datetime, datetime | None]], moment: datetime) -> bool:
    """Whether a statement with these hidden spans (from, until; until None: still hidden) was hidden
    at `moment`: the rule the store's visibility query applies in SQL."""
    return any(start <= moment and (end is None or moment < end) for start, end in spans)
