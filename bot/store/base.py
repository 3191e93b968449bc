"""The connections: a writer and a reader over one database file, WAL and foreign keys on, migrated before use.

Writes go through the writer, one transaction at a time (`transaction()`). Reads go through the reader,
a second connection to the same file: in WAL mode it sees only committed data, so a read that lands
between two statements of a write (a poll half-way through its seal) sees the state before it, never
the half-done one. A read of several statements runs in one read transaction (`snapshot()`), so it
sees one moment. The reader never keeps a read transaction open outside its lock, which is what lets
the log truncation after a secret poll's seal wait for it (see `polls.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Self

import aiosqlite

from bot.migrate import migrate

_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = NORMAL",
)
_READER_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA query_only = ON",  # a write slipped onto the reader fails instead of bypassing the write lock
)


async def _connect(path: str, pragmas: tuple[str, ...]) -> aiosqlite.Connection:
    db = await aiosqlite.connect(path)
    try:
        db.row_factory = aiosqlite.Row
        for pragma in pragmas:
            async with db.execute(pragma) as cursor:
                await cursor.fetchall()
    except BaseException:
        await db.close()
        raise
    return db


class StoreBase:
    def __init__(self, db: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        self.db = db  # the writer: every write, and the reads a write makes inside its own transaction
        self.reader = reader
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._secure_delete_on = False

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Serialise writes: the writer connection is shared by every coroutine, so without this lock
        two interleaved handlers would commit (or roll back) each other's half-done work."""
        async with self._write_lock:
            try:
                yield self.db
            except BaseException:
                await self.db.rollback()
                raise
            await self.db.commit()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The reader, for a read of one statement (SQLite gives each statement its own consistent view).

        The lock keeps another coroutine's snapshot from wrapping this statement, and keeps the log
        truncation from running while the statement's cursor is open.
        """
        async with self._read_lock:
            yield self.reader

    async def _read_one(self, sql: str, params: Sequence[object] = ()) -> aiosqlite.Row | None:
        """The first row of a one-statement read on the reader."""
        async with self.reading() as db, db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def _read_all(self, sql: str, params: Sequence[object] = ()) -> list[aiosqlite.Row]:
        """Every row of a one-statement read on the reader."""
        async with self.reading() as db, db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[aiosqlite.Connection]:
        """The reader inside one read transaction, for a read of several statements: each sees the same
        committed state, whatever commits in between. Ended before the lock is released."""
        async with self._read_lock:
            await self.reader.execute("BEGIN")
            try:
                yield self.reader
            finally:
                await self.reader.rollback()  # read only: ending it is all that is needed

    @classmethod
    async def open(cls, path: str | Path) -> Self:
        """Open (creating if needed) the database file at `path` and apply pending migrations.

        Refuses ":memory:" (and "", SQLite's private temporary database): each connection to it would be
        a different, empty database, so the reader could never see what the writer wrote.
        """
        if str(path) in ("", ":memory:"):
            raise ValueError("the store needs a database file: an in-memory database cannot have a second reader")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await _connect(str(path), _PRAGMAS)
        try:
            await migrate(db)
            reader = await _connect(str(path), _READER_PRAGMAS)
        except BaseException:
            await db.close()
            raise
        return cls(db, reader)

    async def close(self) -> None:
        """Close the reader, then the writer (the last connection checkpoints the log into the file)."""
        try:
            await self.reader.close()
        finally:
            await self.db.close()

    async def schema_version(self) -> int:
        row = await self._read_one("PRAGMA user_version")
        return int(row[0]) if row else 0
