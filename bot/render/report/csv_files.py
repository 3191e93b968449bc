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
- Text that a spreadsheet would run as a formula (starting with = + - @) is prefixed with '.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.digest import DigestSource
from bot.core.history import positions_as_of
from bot.forum import UNDECLARED

if TYPE_CHECKING:
    from bot.settings import Settings

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


def safe(text: str | None) -> str:
    """Neutralise spreadsheet formulas in user text."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def pseudonyms(source: DigestSource) -> dict[int, str]:
    """P0001, P0002... by each participant's first recorded change (ties: theme order, then id)."""
    first: dict[int, tuple[datetime, int, int]] = {}
    for theme_index, entries in enumerate(source.histories.values()):
        for entry in entries:
            key = (entry.at, theme_index, entry.user_id)
            if entry.user_id not in first or key < first[entry.user_id]:
                first[entry.user_id] = key
    ordered = sorted(first, key=first.__getitem__)
    return {user: f"P{index:04d}" for index, user in enumerate(ordered, start=1)}


def _person(settings: Settings, source: DigestSource, names: dict[int, str], user: int) -> dict[str, str]:
    profile = source.profiles.get(user)
    return {
        "participant": names[user],
        "display_name": safe(source.names.get(user, "")) if settings.privacy.attribution == "named" else "",
        "stakeholder": profile.stakeholder if profile else UNDECLARED,
        "region": (profile.region or "") if profile else "",
    }


def positions_rows(settings: Settings, source: DigestSource, as_of: datetime) -> list[dict[str, str]]:
    names = pseudonyms(source)
    rows = []
    for theme in settings.themes:
        current = positions_as_of(source.histories.get(theme.slug, ()), as_of)
        for user, entry in sorted(current.items(), key=lambda item: (item[1].at, item[0])):
            rows.append(
                {
                    "theme": theme.slug,
                    **_person(settings, source, names, user),
                    "stance": entry.stance or "",
                    "stance_label": theme.label(entry.stance or ""),
                    "rationale": safe(entry.rationale),
                    "updated_at": iso(entry.at),
                }
            )
    return rows


def history_rows(settings: Settings, source: DigestSource, as_of: datetime) -> list[dict[str, str]]:
    names = pseudonyms(source)
    rows = []
    for theme in settings.themes:
        last: dict[int, str | None] = {}
        for entry in source.histories.get(theme.slug, ()):
            if entry.at > as_of:
                continue
            before = last.get(entry.user_id)
            if entry.stance is None:
                change = "withdrew"
            elif before is None:
                change = "joined"
            else:
                change = "restated" if before == entry.stance else "changed"
            last[entry.user_id] = entry.stance
            rows.append(
                {
                    "theme": theme.slug,
                    "at": iso(entry.at),
                    "change": change,
                    "stance": entry.stance or "",
                    "stance_label": theme.label(entry.stance) if entry.stance else "",
                    "rationale": safe(entry.rationale),
                    **_person(settings, source, names, entry.user_id),
                }
            )
    return rows


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_csv(directory: Path, settings: Settings, source: DigestSource, as_of: datetime) -> list[Path]:
    """Write both files into `directory` (created if needed); return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    positions, history = directory / "positions.csv", directory / "history.csv"
    _write(positions, POSITIONS_COLUMNS, positions_rows(settings, source, as_of))
    _write(history, HISTORY_COLUMNS, history_rows(settings, source, as_of))
    return [positions, history]
