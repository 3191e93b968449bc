"""The connections: a writer and a reader over one database file, WAL and foreign keys on, migrated before use.

Writes go through the writer, one transaction at a time: the frequent ones (votes, positions) as jobs of
a group commit (`_write`, see group_commit.py), the others in `transaction()`. Reads go through the reader,
a second connection to the same file: in WAL mode it sees only committed data, so a read that lands
between two statements of a write (a poll half-way through its seal) sees the state before it, never
the half-done one. A read of several statements runs in one read transaction (`snapshot()`), so it
sees one moment. The reader never keeps a read transaction open outside its lock, which is what lets
the log truncation after a secret poll's seal wait for it (see `polls.py`).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Self

import aiosqlite

from bot.migrate import migrate
from bot.store.group_commit import GroupCommit, Job, T

log = logging.getLogger(__name__)

_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA analysis_limit = 1000",  # ANALYZE (and optimize) sample each index: bounded time on a big file
)
_READER_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA query_only = ON",  # a write slipped onto the reader fails instead of bypassing the write lock
)

#: What SQLite says when it cannot use a file, in the words of someone who must fix it.
_SQLITE_PROBLEMS = (
    ("readonly", "is read-only: Concord must be able to write the file and its folder (for the -wal and -shm files)"),
    ("not a database", "is not an SQLite database (check database.path)"),
    ("unable to open", "cannot be opened: check that its folder exists and that Concord may write there"),
    ("locked", "is locked by another program (is another Concord using it?)"),
    ("malformed", "is damaged (database disk image is malformed): restore it from a backup"),
    ("disk is full", "cannot be written: the disk is full"),
)


class StoreUnavailable(Exception):
    """The database cannot be opened or brought up to date: one line naming the path and the problem."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"database {path}: {problem}")
        self.path = path
        self.problem = problem


def _sqlite_problem(exc: sqlite3.Error) -> str:
    text = str(exc)
    return next((problem for words, problem in _SQLITE_PROBLEMS if words in text), f"cannot be used ({text})")


def _make_folder(path: Path) -> None:
    """Create the database's folder if needed; a file where a folder should be, or no permission, is one line."""
    if path.is_dir():
        raise StoreUnavailable(path, "is a folder, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        existing = next((folder for folder in (path.parent, *path.parent.parents) if folder.exists()), None)
        if existing is not None and not existing.is_dir():
            raise StoreUnavailable(path, f"its folder cannot be created: {existing} is a file") from None
        raise StoreUnavailable(path, f"its folder {path.parent} cannot be created ({exc.strerror or exc})") from None


async def _check_writable(db: aiosqlite.Connection) -> None:
    """A read-only file opens without complaint and fails at its first write: make one now, and undo it."""
    await db.execute("BEGIN IMMEDIATE")
    try:
        async with db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        await db.execute(f"PRAGMA user_version = {int(row[0]) if row else 0}")
    finally:
        await db.rollback()


async def _refresh_statistics(db: aiosqlite.Connection) -> None:
    """Refresh the planner's statistics at every open, after the migrations (which may add indexes), so the
    hot queries keep their indexes as the forum grows: a migration's ANALYZE ran on the tables as they were
    then (empty, on a new file), and this SQLite's `PRAGMA optimize` never analyses a table that has no
    statistics yet. Sampled (`analysis_limit`): about 45 ms at 50,000 participants on five themes."""
    await db.execute("ANALYZE")
    await db.commit()


async def _connect(path: str, pragmas: tuple[str, ...]) -> aiosqlite.Connection:
    connecting = aiosqlite.connect(path)
    try:
        db = await connecting
    except BaseException:
        # aiosqlite tells its worker thread to stop but does not wait for it; waiting here keeps the thread
        # from reporting to an event loop that has closed meanwhile (a traceback at exit, after our one line)
        await asyncio.to_thread(connecting._thread.join, 5)
        raise
    try:
        db.row_factory = aiosqlite.Row
        for pragma in pragmas:
            async with db.execute(pragma) as cursor:
                await cursor.fetchall()
    except BaseException:
        await db.close()
        raise
    return db


def _fetch_one(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> sqlite3.Row | None:
    cursor = conn.execute(sql, params)
    try:  # closed at once: an unfinished statement would hold the reader's snapshot open
        row: sqlite3.Row | None = cursor.fetchone()
    finally:
        cursor.close()
    return row


def _fetch_all(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[sqlite3.Row]:
    return conn.execute(sql, params).fetchall()


def _in_read_transaction(conn: sqlite3.Connection, read: Callable[[sqlite3.Connection], T]) -> T:
    conn.execute("BEGIN")
    try:
        return read(conn)
    finally:
        conn.rollback()


class StoreBase:
    def __init__(self, db: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        self.db = db  # the writer: every write, and the reads a write makes inside its own transaction
        self.reader = reader
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._secure_delete_on = False
        self._group = GroupCommit(db, self._write_lock)

    async def _write(self, job: Job[T]) -> T:
        """Run one write (a synchronous function of the writer connection) in the next group commit: it shares
        one transaction and one COMMIT with the writes handed in meanwhile, and returns once that is committed.
        See group_commit.py."""
        return await self._group.write(job)

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

    async def _secure_delete(self, db: aiosqlite.Connection) -> None:
        """Overwrite deleted secret-ballot content with zeros instead of leaving it in free pages.

        A setting of the writer connection only: the reader never deletes anything.
        """
        if not self._secure_delete_on:
            await db.execute("PRAGMA secure_delete = ON")
            self._secure_delete_on = True

    async def _truncate_log(self) -> None:
        """Copy the write-ahead log into the database and empty it, so no old page (keys, ballots) stays in it.

        The checkpoint waits for every reader to leave the log, so it takes the reader's lock too: this
        store's reader then holds no read transaction (it never keeps one outside the lock) and cannot
        stop it. Another process reading the file (a backup tool) can stop the checkpoint short; then
        old pages may stay in the log until a later checkpoint, which the operator must be told.
        """
        async with (
            self._write_lock,
            self._read_lock,
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor,
        ):
            busy, _, _ = await cursor.fetchone() or (0, 0, 0)
        if busy:
            log.warning(
                "write-ahead log not truncated (another reader?): erased ballots or member data may linger in it"
            )

    async def _read_one(self, sql: str, params: Sequence[object] = ()) -> aiosqlite.Row | None:
        """The first row of a one-statement read on the reader, in one call on its worker thread."""
        async with self.reading() as db:
            row: aiosqlite.Row | None = await db._execute(_fetch_one, db._conn, sql, params)  # type: ignore[no-untyped-call]
            return row

    async def _read_all(self, sql: str, params: Sequence[object] = ()) -> list[aiosqlite.Row]:
        """Every row of a one-statement read on the reader, in one call on its worker thread (aiosqlite's
        `execute`, `fetchall` and the cursor's close would be three)."""
        async with self.reading() as db:
            rows: list[aiosqlite.Row] = await db._execute(_fetch_all, db._conn, sql, params)  # type: ignore[no-untyped-call]
            return rows

    async def _read_consistent(self, read: Callable[[sqlite3.Connection], T]) -> T:
        """`read` (a function of the reader's `sqlite3` connection, several statements) in one read transaction,
        as one call on the reader's worker thread: one moment, one hop."""
        async with self.reading() as db:
            result: T = await db._execute(_in_read_transaction, db._conn, read)  # type: ignore[no-untyped-call]
            return result

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

        A file that cannot be used (read-only, not a database, a folder, a folder that cannot be created)
        raises StoreUnavailable, one line naming the path. Refuses ":memory:" (and "", SQLite's private
        temporary database): each connection to it would be a different, empty database, so the reader
        could never see what the writer wrote.
        """
        if str(path) in ("", ":memory:"):
            raise ValueError("the store needs a database file: an in-memory database cannot have a second reader")
        path = Path(path)
        _make_folder(path)
        try:
            db = await _connect(str(path), _PRAGMAS)
            try:
                await migrate(db)
                await _check_writable(db)
                await _refresh_statistics(db)
                reader = await _connect(str(path), _READER_PRAGMAS)
            except BaseException:
                await db.close()
                raise
        except sqlite3.Error as exc:
            raise StoreUnavailable(path, _sqlite_problem(exc)) from None
        return cls(db, reader)

    async def close(self) -> None:
        """Finish the writes handed in, then close the reader and the writer (the last connection checkpoints
        the log into the file)."""
        await self._group.drain()
        try:
            await self.reader.close()
        finally:
            await self.db.close()

    async def schema_version(self) -> int:
        row = await self._read_one("PRAGMA user_version")
        return int(row[0]) if row else 0
