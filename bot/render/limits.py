"""Discord's message limits, and helpers that keep user text inside them visibly (never silently)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

CONTENT = 2000
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FIELDS = 25
FOOTER = 2048
EMBEDS_PER_MESSAGE = 10
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def join_within(lines: Sequence[str], limit: int, more: str = "… and {n} more") -> str:
    """Join lines with newlines, dropping the tail and saying how many were left out if they do not fit."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        remaining = len(lines) - index
        candidate = "\n".join([*kept, line])
        tail = more.format(n=remaining - 1) if remaining > 1 else ""
        if len(candidate) + (len(tail) + 1 if tail else 0) <= limit:
            kept.append(line)
            continue
        if len(candidate) <= limit and remaining == 1:
            kept.append(line)
            continue
        kept.append(more.format(n=remaining))
        return clip("\n".join(kept), limit)
    return "\n".join(kept)


def embed_fits(embed: discord.Embed) -> bool:
    """True when the embed is inside every per-embed limit Discord enforces."""
    return (
        len(embed) <= EMBED_TOTAL
        and len(embed.title or "") <= EMBED_TITLE
        and len(embed.description or "") <= EMBED_DESCRIPTION
        and len(embed.fields) <= FIELDS
        and all(len(f.name or "") <= FIELD_NAME and len(f.value or "") <= FIELD_VALUE for f in embed.fields)
    )


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields until the embed fits, and say in the footer how many were dropped."""
    dropped = 0
    while len(embed.fields) > FIELDS or (len(embed) > EMBED_TOTAL and embed.fields):
        embed.remove_field(len(embed.fields) - 1)
        dropped += 1
        note = f"… and {dropped} more not shown here"
        footer = embed.footer.text or ""
        base = footer.split(" · … and ")[0] if footer else ""
        embed.set_footer(text=f"{base} · {note}" if base else note)
    return embed
