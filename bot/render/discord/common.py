"""What every Discord renderer shares: the colours, Discord timestamps and Markdown escaping."""

from __future__ import annotations

import re
from datetime import datetime

import discord

COLOUR = discord.Colour.from_rgb(0, 51, 153)  # the EU flag's blue
COLOUR_GOLD = discord.Colour.from_rgb(255, 204, 0)  # the EU flag's gold, for polls beside the themes' blue


def stamp(moment: datetime, style: str = "f") -> str:
    """A Discord timestamp: every reader sees it in their own timezone and language."""
    return discord.utils.format_dt(moment, style)  # type: ignore[arg-type]


def when(moment: datetime) -> str:
    """A full Discord timestamp with the relative time beside it."""
    return f"{stamp(moment, 'F')} ({stamp(moment, 'R')})"


# What discord.py's escape leaves able to start a block: a numbered list item (`1.` or `1)`), a `+`
# bullet, and a heading or quote after leading spaces (it escapes those only at the start of a line).
_BLOCK_START = re.compile(r"^([^\S\n]*)(?:(\d+)([.)])|([#>+]))", re.MULTILINE)


def _escape_block(match: re.Match[str]) -> str:
    indent, number, sign, marker = match.groups()
    return f"{indent}{number}\\{sign}" if number else f"{indent}\\{marker}"


def escape(text: str) -> str:
    """User text inside Discord Markdown: shown as typed, never as formatting (no heading, quote or list)."""
    return _BLOCK_START.sub(_escape_block, discord.utils.escape_markdown(text))
