"""Times written by people in the configuration: durations ("1h30m") and a weekly time ("mon 09:00").

It imports nothing of the project, so the settings (which parse these) and the core (which
schedules with them) both build on it without depending on each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {name: index for index, names in enumerate(zip(WEEKDAYS, _FULL_NAMES, strict=True)) for name in names}
_WEEKLY = re.compile(r"^([a-z]+)\s+([01]?\d|2[0-3]):([0-5]\d)$")
_PART = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """Parse a duration such as "1h30m"; raise ValueError with a readable message otherwise."""
    cleaned = text.strip().lower()
    if not cleaned or _PART.sub("", cleaned).strip():
        raise ValueError(f"{text!r} is not a duration like '90s', '30m', '1h', '1h30m' or '2d'")
    total = timedelta()
    try:
        for amount, unit in _PART.findall(cleaned):
            total += timedelta(**{_UNITS[unit]: int(amount)})
    except OverflowError:
        raise ValueError(f"{text!r} is longer than any duration Concord can use") from None
    return total


def format_duration(delta: timedelta) -> str:
    """The inverse of parse_duration for whole seconds, e.g. 5400s -> "1h30m"."""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Weekly:
    """A weekly wall-clock time in the digest timezone, e.g. Monday 09:00."""

    weekday: int
    at: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


def parse_weekly(text: str) -> Weekly | None:
    """Parse "mon 09:00" (or "monday 09:00"); "off" means no weekly digest."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned == "off":
        return None
    match = _WEEKLY.match(cleaned)
    if not match or match.group(1) not in _DAY_NAMES:
        raise ValueError(f"{text!r} is not a weekly time like 'mon 09:00' (or 'off')")
    return Weekly(_DAY_NAMES[match.group(1)], time(int(match.group(2)), int(match.group(3))))
