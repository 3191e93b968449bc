"""The one rule for which statements may be shown, in SQL.

Today's readers go through the `current_statements` view (migration 011: current and not hidden) or
test `statements.hidden_since`; a read as of a moment (digests, reports, the Pol.is export) asks
`hidden_as_of`, which reads the hide and restore history (`statement_hidden_spans`), so a digest rebuilt
for a moment before a hide still shows what it showed then. `tests/unit/test_visibility_seam.py` checks
that every store module reading statement text goes through one of them.
"""

from __future__ import annotations

from datetime import datetime

from bot.store.dbtime import to_db_time

#: A moment after every other, for reads "as of now and ever after" (the whole history).
END_OF_TIME = "9999-12-31T23:59:59.999999Z"


def hidden_as_of(statement_column: str) -> str:
    """A SQL condition, true when the statement in `statement_column` was hidden at the moment given
    twice as parameters (see `moment_params`); false when the column is NULL.

    The statements hidden then are found once per query (a list SQLite builds before the first row),
    not looked up in the hide and restore history again for every row: the history is a window over
    every moderation action, which per row made a digest of thousands of statements quadratic."""
    return (
        f"coalesce({statement_column} IN (SELECT hs.statement_id FROM statement_hidden_spans hs "
        "WHERE hs.hidden_from <= ? AND (hs.hidden_until IS NULL OR hs.hidden_until > ?)), 0)"
    )


def moment_params(moment: datetime | None) -> tuple[str, str]:
    """The two parameters of `hidden_as_of` for `moment` (None: as things stand now)."""
    at = END_OF_TIME if moment is None else to_db_time(moment)
    return at, at
