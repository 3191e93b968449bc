"""The slash-command tree last synced to each scope ("global" or "guild:<id>"), by the hash of its definitions."""

from __future__ import annotations

from datetime import datetime

from bot.store.base import StoreBase
from bot.store.dbtime import to_db_time


class CommandSyncQueries(StoreBase):
    async def synced_tree_hash(self, scope: str) -> str | None:
        row = await self._read_one("SELECT fingerprint FROM command_sync WHERE scope = ?", (scope,))
        return str(row[0]) if row else None

    async def record_synced_tree(self, scope: str, tree_hash: str, now: datetime) -> None:
        async with self.transaction() as db:
            await db.execute(
                """
                INSERT INTO command_sync (scope, fingerprint, synced_at) VALUES (?, ?, ?)
                ON CONFLICT (scope) DO UPDATE SET fingerprint = excluded.fingerprint, synced_at = excluded.synced_at
                """,
                (scope, tree_hash, to_db_time(now)),
            )
