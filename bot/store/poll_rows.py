"""A poll's row as stored, read into the core's `PollInfo` (shared by the polls' reads and the vote's job)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from bot.core.polls import PollInfo
from bot.store.dbtime import db_time_or_none, from_db_time
from bot.store.poll_delivery import read_error

POLL_COLUMNS = """
    id, guild_id, number, channel_id, message_id, question, theme, secret, hide_results, max_choices,
    created_at, closes_at, closed_at, close_edited, results_message_id, close_attempts, close_retry_at,
    soon_message_id, soon_attempts, soon_retry_at, last_error, language
"""


def poll_of(row: sqlite3.Row, options: Sequence[str]) -> PollInfo:
    error_kind, last_error = read_error(row["last_error"])
    return PollInfo(
        id=row["id"],
        guild_id=row["guild_id"],
        number=row["number"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        question=row["question"],
        options=tuple(options),
        theme=row["theme"],
        secret=bool(row["secret"]),
        hide_results=bool(row["hide_results"]),
        max_choices=row["max_choices"],
        created_at=from_db_time(row["created_at"]),
        closes_at=from_db_time(row["closes_at"]),
        closed_at=db_time_or_none(row["closed_at"]),
        close_edited=bool(row["close_edited"]),
        results_message_id=row["results_message_id"],
        close_attempts=row["close_attempts"],
        close_retry_at=db_time_or_none(row["close_retry_at"]),
        soon_message_id=row["soon_message_id"],
        soon_attempts=row["soon_attempts"],
        soon_retry_at=db_time_or_none(row["soon_retry_at"]),
        error_kind=error_kind,
        last_error=last_error,
        language=row["language"],
    )
