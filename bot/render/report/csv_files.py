"""`positions.csv` and `history.csv`: the raw material of a digest, for spreadsheets and analysis.

Columns (UTF-8, comma-separated, one header row; times ISO 8601 in UTC):

positions.csv, one row per current position (as of the export):
  theme, participant, display_name, stakeholder, region, stance, stance_label, rationale, updated_at
history.csv, one row per recorded change, in order:
  theme, participant, display_name, at, change, stance, stance_label, rationale, stakeholder, region

- participant: a pseudonym (P0001, P0002, ...) numbered by first appearance in the server's
  history, the same in both files, so a person's changes can be followed without their identity.
- display_name: filled only when `privacy.attribution = "named"`; empty under Chatham House.
- stakeholder, region: the participant's profile as it stood at the export's moment ("undeclared" /
  empty when not set), in both files.
- change: joined (first position on the theme, or again after withdrawing), changed (another
  stance), restated (same stance, e.g. a new rationale), withdrew (stance and rationale empty).
- Text that a spreadsheet would run as a formula is prefixed with ': text starting with a tab or a carriage
  return, or whose first visible character is = + - @ (or their full-width and small forms, ＝ ＋ － ＠),
  after any zero-width, direction or other invisible characters and spaces.

The rows come from `bot.core.export`; this module only formats them, and returns each file's
text: the caller decides where it goes.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from bot.core.export import ChangeRow, Participant, PositionRow

POSITIONS_FILE, HISTORY_FILE = "positions.csv", "history.csv"
POSITIONS_COLUMNS = (
    "theme",
    "participant",
    "display_name",
    "stakeholder",
    "region",
    "stance",
    "stance_label",
    "rationale",
    "updated_at",
)
HISTORY_COLUMNS = (
    "theme",
    "participant",
    "display_name",
    "at",
    "change",
    "stance",
    "stance_label",
    "rationale",
    "stakeholder",
    "region",
)


_FORMULA_SIGNS = frozenset("=+-@")
# Skipped before the first sign a spreadsheet reads: what shows nothing (zero-width and direction
# marks, a byte-order mark, combining marks alone, controls) and spaces.
_UNSEEN = frozenset(("Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"))


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula: it begins with a tab or a carriage return, or
    its first visible character is = + - @, full-width (＝ ＋ － ＠) and small forms (﹦ ﹢ ﹣ ﹫) included."""
    if text[:1] in ("\t", "\r"):
        return True
    for char in text:
        if unicodedata.category(char) not in _UNSEEN:
            return unicodedata.normalize("NFKC", char)[:1] in _FORMULA_SIGNS
    return False


def safe(text: str | None) -> str:
    """Neutralise spreadsheet formulas in user text (prefixed with ', which spreadsheets hide)."""
    if not text:
        return ""
    return "'" + text if starts_formula(text) else text


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _person(person: Participant) -> dict[str, str]:
    return {
        "participant": person.pseudonym,
        "display_name": safe(person.display_name),
        "stakeholder": person.stakeholder,
        "region": person.region or "",
    }


def positions_csv(rows: Iterable[PositionRow]) -> str:
    """The text of positions.csv."""
    cells = (
        {
            "theme": row.theme,
            **_person(row.participant),
            "stance": row.stance,
            "stance_label": row.stance_label,
            "rationale": safe(row.rationale),
            "updated_at": iso(row.updated_at),
        }
        for row in rows
    )
    return _csv(POSITIONS_COLUMNS, cells)


def history_csv(rows: Iterable[ChangeRow]) -> str:
    """The text of history.csv."""
    cells = (
        {
            "theme": row.theme,
            "at": iso(row.at),
            "change": row.change.value,
            "stance": row.stance or "",
            "stance_label": row.stance_label,
            "rationale": safe(row.rationale),
            **_person(row.participant),
        }
        for row in rows
    )
    return _csv(HISTORY_COLUMNS, cells)


def _csv(columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
