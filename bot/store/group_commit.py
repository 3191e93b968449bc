"""Group commit: concurrent writes share one transaction and one COMMIT, each caller confirmed after it.

A write is a job: a synchronous function of the writer's `sqlite3` connection (given in a `Batch`) that runs
its statements and returns a plain value. Jobs that arrive while a batch is being written wait for the next
batch; each batch
runs as one function on aiosqlite's worker thread (one hop, not one per statement), between BEGIN IMMEDIATE
and COMMIT, under the store's write lock (so it never interleaves with a `transaction()`). Every caller's
result is handed back only after that COMMIT.

A job may also offer a bulk form (`BulkJob`): consecutive jobs of one batch with the same `run_many` are run
by one call of it (one read of everything they need, one `executemany` per table), which must give each job
exactly the result, and leave exactly the state, that running them one after another in arrival order
would. Alone (on a retry) a bulk job runs as a plain job.

If any job of a batch raises, or the COMMIT fails, the whole batch is rolled back and each job is run again
alone, in its own transaction: the others are stored, and the one that fails alone is refused to its caller
(`WriteFailed` for a database error, otherwise its own exception), with nothing of it kept. A job therefore
must depend on nothing but the connection's state and its arguments, so running it twice is harmless.

The writer task exists only while there is work: it is started by the first job of an idle store and ends
when no job is waiting (SimCord waits for bot-owned tasks; one blocked forever on a queue would hang it).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import aiosqlite

log = logging.getLogger(__name__)
T = TypeVar("T")
_Outcome = tuple[bool, Any]  # (stored, its result) or (refused, the exception)


class Batch:
    """What a job is given: the writer's connection inside the transaction, and `memo`, a dict the jobs of
    one transaction share, for what they read and none of them writes (a poll, for its votes)."""

    __slots__ = ("conn", "memo")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.memo: dict[object, Any] = {}


Job = Callable[[Batch], T]


class BulkJob:
    """A job that can also run together with the consecutive jobs of its kind (the same `run_many`, a function
        of the batch and those jobs, returning their results in order; a plain function of the class, not a method of
    its instances). Called alone, it runs `run_many` on itself."""

    __slots__ = ()

    @staticmethod
    def run_many(batch: Batch, jobs: Sequence[Any]) -> list[Any]:
        raise NotImplementedError

    def __call__(self, batch: Batch) -> Any:
        return type(self).run_many(batch, [self])[0]


class WriteFailed(Exception):
    """A write the database refused, alone in its own transaction: nothing of it was stored."""


def _refusal(exc: Exception) -> Exception:
    return WriteFailed(str(exc)) if isinstance(exc, sqlite3.Error) else exc


def _alone(conn: sqlite3.Connection, job: Job[Any]) -> _Outcome:
    try:
        conn.execute("BEGIN IMMEDIATE")
        result = job(Batch(conn))
        conn.commit()
    except Exception as exc:
        conn.rollback()
        return False, _refusal(exc)
    return True, result


def run_batch(conn: sqlite3.Connection, jobs: Sequence[Job[Any]]) -> list[_Outcome]:
    """Run on the worker thread: every job in one transaction, or, if that fails, each job alone."""
    if len(jobs) == 1:
        return [_alone(conn, jobs[0])]
    try:
        conn.execute("BEGIN IMMEDIATE")
        results = _run_all(Batch(conn), jobs)
        conn.commit()
    except Exception:
        conn.rollback()
        log.warning("a batch of %d writes failed; writing each alone", len(jobs))
        return [_alone(conn, job) for job in jobs]
    return [(True, result) for result in results]


def _bulk_of(job: Job[Any]) -> Callable[[Batch, Sequence[Any]], list[Any]] | None:
    run_many: Callable[[Batch, Sequence[Any]], list[Any]] | None = getattr(type(job), "run_many", None)
    return run_many


def _run_all(batch: Batch, jobs: Sequence[Job[Any]]) -> list[Any]:
    """Every job in arrival order; each run of consecutive bulk jobs of one kind by one call of its `run_many`."""
    results: list[Any] = []
    start = 0
    while start < len(jobs):
        run_many = _bulk_of(jobs[start])
        end = start + 1
        if run_many is None:
            results.append(jobs[start](batch))
        else:
            while end < len(jobs) and _bulk_of(jobs[end]) is run_many:
                end += 1
            many = run_many(batch, jobs[start:end])
            if len(many) != end - start:
                raise RuntimeError(f"a bulk write returned {len(many)} results for {end - start} jobs")
            results.extend(many)
        start = end
    return results


class GroupCommit:
    def __init__(self, db: aiosqlite.Connection, lock: asyncio.Lock) -> None:
        self._db = db
        self._lock = lock
        self._waiting: list[tuple[Job[Any], asyncio.Future[Any]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, job: Job[T]) -> T:
        """Run `job` in the next batch; return its result once the batch is committed."""
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((job, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_batches(), name="concord-group-commit")
        return await done

    async def _write_batches(self) -> None:
        batch: list[tuple[Job[Any], asyncio.Future[Any]]] = []
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    async with self._lock:
                        outcomes = await self._on_worker([job for job, _ in batch])
                except Exception as exc:  # the connection itself (closed, gone): every write of the batch refused
                    outcomes = [(False, WriteFailed(str(exc)))] * len(batch)
                for (_, done), (stored, value) in zip(batch, outcomes, strict=True):
                    if done.done():  # its caller gave up waiting (cancelled): the write stands or fell regardless
                        continue
                    if stored:
                        done.set_result(value)
                    else:
                        done.set_exception(value)
        finally:
            self._writer = None
            left, self._waiting = [*batch, *self._waiting], []
            for _, done in left:  # only when the writer itself was cancelled (the loop shutting down)
                if not done.done():
                    done.set_exception(WriteFailed("the store stopped before this write was confirmed"))

    async def _on_worker(self, jobs: list[Job[Any]]) -> list[_Outcome]:
        """The batch as one call on aiosqlite's worker thread, the thread that owns the connection (aiosqlite's
        own queue of calls, so it stays in order with every other call on the writer)."""
        outcomes: list[_Outcome] = await self._db._execute(run_batch, self._db._conn, jobs)  # type: ignore[no-untyped-call]
        return outcomes

    async def drain(self) -> None:
        """Wait until every write already handed in is committed or refused (before closing the store)."""
        while self._writer is not None:
            await asyncio.shield(self._writer)
