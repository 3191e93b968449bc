"""The erasure's registry covers every table that can hold a member's id or name.

Read from the migrated schema itself (sqlite_master, PRAGMA table_info): a table added with a member,
user, author, voter, creator, moderator or reporter id, or any name column, fails here until it is
declared in `MEMBER_TABLES` with the statements that erase it.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.settings import DatabaseSettings
from bot.store import open_store
from bot.store.member_data import MEMBER_TABLES

#: A member, user, author, voter, ... as a word of the column's name (`voter_key`, not the count `voters`), any
#: name, and whoever did something (`created_by`, `hidden_by`).
MEMBER_COLUMN = re.compile(r"(^|_)(member|user|author|voter|creator|moderator|reporter)(_|$)|name|_by$")


def member_columns(db_path: Path) -> dict[str, set[str]]:
    with closing(sqlite3.connect(db_path)) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        found = {
            table: {row[1] for row in db.execute(f'PRAGMA table_info("{table}")') if MEMBER_COLUMN.search(row[1])}
            for table in tables
        }
    return {table: columns for table, columns in found.items() if columns}


async def test_every_table_with_a_member_column_is_erased(tmp_path):
    db_path = tmp_path / "concord.db"
    store = await open_store(DatabaseSettings(path=db_path))
    await store.close()
    declared = {entry.table: set(entry.columns) for entry in MEMBER_TABLES}
    found = member_columns(db_path)

    uncovered = {table: columns - declared.get(table, set()) for table, columns in found.items()}
    assert {table: columns for table, columns in uncovered.items() if columns} == {}
    assert found["positions"] == {"user_id", "display_name"}  # the pattern does see what it must
    assert set(declared) <= set(found), "the registry names a table or column the schema no longer has"


def test_every_declared_table_but_secret_ballots_has_its_erasure():
    assert [entry.table for entry in MEMBER_TABLES if not entry.erase] == ["poll_ballots"]
