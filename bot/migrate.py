"""Applies migrations/NNN_reason.sql in order; the version lives in the database (PRAGMA user_version).

The SQL files are package data of the top-level `migrations` package, read through importlib.resources,
so an installed bot (a wheel in site-packages, not only a checkout) finds them.
"""

from __future__ import annotations

import logging
import re
from importlib.resources import files
from importlib.resources.abc import Traversable

import aiosqlite

log = logging.getLogger(__name__)

#: The shipped migrations: a pathlib.Path when they are files on disk (as pip installs them).
MIGRATIONS_DIR: Traversable = files("migrations")
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def available_migrations(directory: Traversable = MIGRATIONS_DIR) -> list[tuple[int, Traversable]]:
    """Numbered migration files, checked to run 1, 2, 3... without gaps."""
    numbered = ((int(match.group(1)), path) for path in directory.iterdir() if (match := _NAME.match(path.name)))
    found = sorted(numbered, key=lambda item: (item[0], item[1].name))
    for expected, (number, path) in enumerate(found, start=1):
        if number != expected:
            raise RuntimeError(f"migration {path.name} is out of sequence: expected number {expected:03d}")
    return found


async def migrate(db: aiosqlite.Connection, directory: Traversable = MIGRATIONS_DIR) -> int:
    """Apply every pending migration, each in its own transaction; return the resulting version."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    current = row[0] if row else 0
    for number, path in available_migrations(directory):
        if number <= current:
            continue
        script = path.read_text(encoding="utf-8")
        log.info("applying migration %s", path.name)
        try:
            await db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
        except Exception:
            await db.rollback()
            raise
        current = number
    return current
