"""How far a poll's closing and its closing-soon notice have been delivered, step by step, so a retry never
repeats a step that succeeded.

A failure is kept as `<kind>: <Discord's words>` in the `last_error` column (the kind a `DeliveryError`),
so facilitators can be told what to do about it without a column of its own.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.schedule import DeliveryError
from bot.store.base import StoreBase
from bot.store.dbtime import to_db_time

ERROR_LENGTH = 500


def stored_error(kind: DeliveryError, error: str) -> str:
    return f"{kind}: {error}"[:ERROR_LENGTH]


def read_error(text: str | None) -> tuple[DeliveryError | None, str | None]:
    """The kind and the words of a stored failure (an error stored before kinds were: no kind, all words)."""
    if not text:
        return None, None
    kind, _, words = text.partition(": ")
    if kind in DeliveryError.__members__.values():
        return DeliveryError(kind), words
    return None, text


class PollDeliveryQueries(StoreBase):
    async def record_close_step(
        self, poll_id: int, *, edited: bool = False, results_message_id: int | None = None
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                """
                UPDATE polls SET close_edited = max(close_edited, ?),
                                 results_message_id = coalesce(results_message_id, ?)
                WHERE id = ?
                """,
                (int(edited), results_message_id, poll_id),
            )

    async def record_close_failure(
        self, poll_id: int, attempts: int, retry_at: datetime, error: str, kind: DeliveryError = DeliveryError.ERROR
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE polls SET close_attempts = ?, close_retry_at = ?, last_error = ? WHERE id = ?",
                (attempts, to_db_time(retry_at), stored_error(kind, error), poll_id),
            )

    async def record_closing_soon(self, poll_id: int, message_id: int) -> None:
        async with self.transaction() as db:
            await db.execute("UPDATE polls SET soon_message_id = ? WHERE id = ?", (message_id, poll_id))

    async def record_closing_soon_failure(
        self, poll_id: int, attempts: int, retry_at: datetime, error: str, kind: DeliveryError = DeliveryError.ERROR
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE polls SET soon_attempts = ?, soon_retry_at = ?, last_error = ? WHERE id = ?",
                (attempts, to_db_time(retry_at), stored_error(kind, error), poll_id),
            )
