"""The raw material of a digest as rows, for analysis outside the bot (the CSV report).

Pure, like the digest itself: the rows are computed from the append-only history and the
profiles read as of the export's moment; the CSV writer (`bot/render/report/csv_files.py`) only
formats them. A participant appears as a pseudonym (P0001, P0002, ...) numbered by first
appearance in the server's history, the same in every row, so a person's changes can be followed
without their identity; their name is kept only under named attribution.

Under the Chatham House rule the groups obey bot/core/privacy.py: since a pseudonym links a person's
rows across themes, a participant's stakeholder group (or region) is written only when it may be named
in every theme they hold a position on as of the export, and is "other" otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.core.digest import DigestSource
from bot.core.history import positions_as_of
from bot.core.models import Attribution
from bot.core.privacy import OTHER, group_sizes, shown_groups, threshold
from bot.forum import UNDECLARED

if TYPE_CHECKING:
    from bot.settings import Settings


class ChangeKind(StrEnum):
    """What one recorded change did to a participant's position on a theme."""

    JOINED = "joined"  # a first position on the theme, or one again after withdrawing
    CHANGED = "changed"  # another stance
    RESTATED = "restated"  # the same stance again (e.g. a new rationale)
    WITHDREW = "withdrew"  # stance and rationale cleared


@dataclass(frozen=True, slots=True)
class Participant:
    """Who a row is about, as far as the export may say: a pseudonym and the profile as of the export."""

    pseudonym: str
    display_name: str | None  # under named attribution only ("" when the name is unknown)
    stakeholder: str  # "undeclared" without a profile
    region: str | None


@dataclass(frozen=True, slots=True)
class PositionRow:
    """A current position (as of the export)."""

    theme: str
    participant: Participant
    stance: str
    stance_label: str
    rationale: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One recorded change, in the order it was recorded; a withdrawal has no stance and an empty label."""

    theme: str
    participant: Participant
    at: datetime
    change: ChangeKind
    stance: str | None
    stance_label: str
    rationale: str | None


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


def change_kind(before: str | None, stance: str | None) -> ChangeKind:
    """A change to `stance` (None: withdrawn) from the stance held `before` it (None: none held)."""
    if stance is None:
        return ChangeKind.WITHDREW
    if before is None:
        return ChangeKind.JOINED
    return ChangeKind.RESTATED if before == stance else ChangeKind.CHANGED


def participants(settings: Settings, source: DigestSource, as_of: datetime | None = None) -> dict[int, Participant]:
    """Everyone in the history, by user id, their groups as far as the privacy rule lets them be said."""
    named = settings.privacy.attribution == Attribution.NAMED
    nameable = _nameable(settings, source, as_of)
    found: dict[int, Participant] = {}
    for user, pseudonym in pseudonyms(source).items():
        profile = source.profiles.get(user)
        stakeholder = profile.stakeholder if profile else UNDECLARED
        region = profile.region if profile else None
        if nameable is not None:
            stakeholder = stakeholder if (user, "stakeholder") in nameable else OTHER
            region = region if region is None or (user, "region") in nameable else OTHER
        found[user] = Participant(
            pseudonym=pseudonym,
            display_name=source.names.get(user, "") if named else None,
            stakeholder=stakeholder,
            region=region,
        )
    return found


def _nameable(settings: Settings, source: DigestSource, as_of: datetime | None) -> set[tuple[int, str]] | None:
    """(user, "stakeholder" | "region") whose group may be named in every theme the user holds a position on;
    None when every group may be (named attribution). Someone holding no position has no group to name."""
    smallest = threshold(settings.privacy.attribution, settings.privacy.min_group)
    if smallest <= 1:
        return None
    allowed: dict[tuple[int, str], bool] = {}
    for theme in settings.themes:
        current = positions_as_of(source.histories.get(theme.slug, ()), as_of)
        for field in ("stakeholder", "region"):
            groups = {user: _profile_group(source, user, field) for user in current}
            shown = shown_groups(group_sizes(Counter(("", group) for group in groups.values())), smallest)
            for user, group in groups.items():
                allowed[user, field] = allowed.get((user, field), True) and group in shown
    return {key for key, ok in allowed.items() if ok}


def _profile_group(source: DigestSource, user: int, field: str) -> str:
    profile = source.profiles.get(user)
    value = getattr(profile, field) if profile is not None else None
    return value or UNDECLARED


def position_rows(settings: Settings, source: DigestSource, as_of: datetime) -> list[PositionRow]:
    """Every current position, theme by theme in the configured order, oldest first within a theme."""
    people = participants(settings, source, as_of)
    rows = []
    for theme in settings.themes:
        current = positions_as_of(source.histories.get(theme.slug, ()), as_of)
        for user, entry in sorted(current.items(), key=lambda item: (item[1].at, item[0])):
            stance = entry.stance or ""
            rows.append(PositionRow(theme.slug, people[user], stance, theme.label(stance), entry.rationale, entry.at))
    return rows


def change_rows(settings: Settings, source: DigestSource, as_of: datetime) -> list[ChangeRow]:
    """Every change recorded up to `as_of`, theme by theme in the configured order, each theme in recorded order."""
    people = participants(settings, source, as_of)
    rows = []
    for theme in settings.themes:
        held: dict[int, str | None] = {}
        for entry in source.histories.get(theme.slug, ()):
            if entry.at > as_of:
                continue
            kind = change_kind(held.get(entry.user_id), entry.stance)
            held[entry.user_id] = entry.stance
            label = theme.label(entry.stance) if entry.stance else ""
            rows.append(
                ChangeRow(theme.slug, people[entry.user_id], entry.at, kind, entry.stance, label, entry.rationale)
            )
    return rows
