"""The kinds of value a configuration key holds, each strict and read by one explicit parser.

Strict: a key takes what TOML writes for it and nothing that merely converts (`true` is not the number 1
nor one second, `"123"` is not a server id, a table is not a list). Explicit: a duration is a string
like "1h30m" or a whole number of seconds, a time is an ISO 8601 string or a TOML date-time, and "off"
is written as "off". Environment variables are always text, so a key says how its text is read
(`FromEnvironment`): "123" becomes the number 123 where a number is expected, and anything else stays
text for the key's parser to accept or refuse (`true` stays text, which a number key refuses).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Strict

from bot.times import Weekly, parse_duration, parse_weekly

_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
OFF = "off"


@dataclass(frozen=True, slots=True)
class FromEnvironment:
    """How a key reads the text of its environment variable (see `bot.settings`)."""

    parse: Callable[[str], Any]


def _whole_number_text(text: str) -> Any:
    """ "123" is the number 123, as TOML would write it; any other text is left for the key to refuse or read."""
    return int(text) if _WHOLE_NUMBER.fullmatch(text.strip()) else text


def toml_value(value: Any) -> str:
    """A value as it would be written in TOML, short, for saying what a key was given."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 40 else shown[:36] + '..."'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# --- numbers and text ----------------------------------------------------------------------------

Integer = Annotated[int, Strict(), FromEnvironment(_whole_number_text)]
Text = Annotated[str, Strict()]


def _file_path(value: Any) -> Any:
    if isinstance(value, Path):
        return value
    if not isinstance(value, str):
        raise ValueError(f'must be a file path in quotes, such as "concord.db", not {toml_value(value)}')
    if not value.strip():
        raise ValueError('must not be empty: give the database file\'s path, such as "concord.db"')
    return Path(value)


FilePath = Annotated[Path, BeforeValidator(_file_path)]


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones, such as 'America'
        raise ValueError(f"unknown timezone {value!r} (use an IANA name such as 'Asia/Baku')") from None
    return value


TimeZoneName = Annotated[Text, AfterValidator(_check_timezone)]


# --- moments -------------------------------------------------------------------------------------

_MOMENT_EXAMPLE = "2012-11-08T09:00:00+04:00"


def _moment(value: Any) -> Any:
    """A TOML offset date-time, or the same written as a string; a date alone or a number is refused."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{toml_value(value)} is not a date and time like {_MOMENT_EXAMPLE}") from None
    else:
        raise ValueError(f"must be a date and time with a UTC offset, e.g. {_MOMENT_EXAMPLE}, not {toml_value(value)}")
    if moment.tzinfo is None:
        raise ValueError(f"must carry a UTC offset, e.g. {_MOMENT_EXAMPLE}")
    return moment


Moment = Annotated[datetime, BeforeValidator(_moment)]


# --- durations -----------------------------------------------------------------------------------

_DURATION_WORDS = 'a duration like "90s", "30m", "1h30m" or "2d", or a whole number of seconds'


def _duration(value: Any) -> timedelta:
    """A duration string ("1h30m") or a whole number of seconds; never negative."""
    if isinstance(value, timedelta):
        delta = value
    elif isinstance(value, str):
        if value.strip().startswith("-"):
            raise ValueError(f"cannot be negative (got {toml_value(value)})")
        delta = parse_duration(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            delta = timedelta(seconds=value)
        except OverflowError:
            raise ValueError(f"{value} seconds is longer than any duration Concord can use") from None
    else:
        raise ValueError(f"must be {_DURATION_WORDS}, not {toml_value(value)}")
    if delta < timedelta(0):
        raise ValueError(f"cannot be negative (got {toml_value(value)})")
    return delta


def _positive_duration(value: Any) -> timedelta:
    delta = _duration(value)
    if delta <= timedelta(0):
        raise ValueError(f"must be longer than 0s (got {toml_value(value)})")
    return delta


def _is_off(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() == OFF


def _duration_or_off(value: Any) -> timedelta | None:
    if value is None or _is_off(value):
        return None
    return _duration(value)


def _notice_lead(value: Any) -> timedelta:
    """ "off" and 0 both mean no notice: a notice 0s before closing would be the closing itself."""
    return timedelta(0) if _is_off(value) else _duration(value)


_SECONDS = FromEnvironment(_whole_number_text)
#: Zero or more: "0s" is allowed.
Duration = Annotated[timedelta, BeforeValidator(_duration), _SECONDS]
#: More than zero.
PositiveDuration = Annotated[timedelta, BeforeValidator(_positive_duration), _SECONDS]
#: Zero or more, or "off" (None).
DurationOrOff = Annotated[timedelta | None, BeforeValidator(_duration_or_off), _SECONDS]
#: Zero or more; "off" is the same as 0 (no notice).
NoticeLead = Annotated[timedelta, BeforeValidator(_notice_lead), _SECONDS]


def _weekly(value: Any) -> Any:
    if value is None or isinstance(value, Weekly):
        return value
    if not isinstance(value, str):
        raise ValueError(f'must be a weekly time like "mon 09:00", or "off", not {toml_value(value)}')
    return parse_weekly(value)


WeeklyOrOff = Annotated[Weekly | None, BeforeValidator(_weekly)]  # "mon 09:00" or "off", parsed once


# --- secrets -------------------------------------------------------------------------------------

_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


def parse_secret(text: str, minimum: int = 32) -> bytes:
    """A secret written as hex or base64 (standard or URL-safe), of at least `minimum` bytes.

    The message never repeats the text: it is a secret, even when malformed.
    """
    cleaned = "".join(text.split())
    if _HEX.fullmatch(cleaned):
        decoded = bytes.fromhex(cleaned)
    else:
        try:
            decoded = base64.b64decode(cleaned.replace("-", "+").replace("_", "/"), validate=True)
        except ValueError:
            raise ValueError(f"must be hex or base64 of at least {minimum} random bytes") from None
    if len(decoded) < minimum:
        raise ValueError(f"holds {len(decoded)} bytes; it needs at least {minimum} (e.g. openssl rand -base64 32)")
    return decoded
