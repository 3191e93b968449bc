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
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS if limit > 0 else ""


def join_within(lines: Sequence[str], limit: int, more: str = "… and {n} more") -> str:
    """Join lines with newlines; if they do not all fit, keep the longest prefix that leaves room to say
    how many were left out."""
    full = "\n".join(lines)
    if len(full) <= limit:
        return full
    kept: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        grown = size + (1 if kept else 0) + len(line)
        if grown + 1 + len(more.format(n=len(lines) - index - 1)) > limit:
            break
        kept.append(line)
        size = grown
    return clip("\n".join([*kept, more.format(n=len(lines) - len(kept))]), limit)


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
    """Clip each part to its own limit, then drop trailing fields until the embed fits, and say in the
    footer how many were dropped."""
    if embed.title and len(embed.title) > EMBED_TITLE:
        embed.title = clip(embed.title, EMBED_TITLE)
    if embed.description and len(embed.description) > EMBED_DESCRIPTION:
        embed.description = clip(embed.description, EMBED_DESCRIPTION)
    for index, field in enumerate(embed.fields):
        if len(field.name or "") > FIELD_NAME or len(field.value or "") > FIELD_VALUE:
            embed.set_field_at(
                index,
                name=clip(field.name or "", FIELD_NAME),
                value=clip(field.value or "", FIELD_VALUE),
                inline=bool(field.inline),
            )
    if embed.footer.text and len(embed.footer.text) > FOOTER:
        embed.set_footer(text=clip(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    base = embed.footer.text or ""
    dropped = 0
    while len(embed.fields) > FIELDS or (len(embed) > EMBED_TOTAL and embed.fields):
        embed.remove_field(len(embed.fields) - 1)
        dropped += 1
        note = f"… and {dropped} more not shown here"
        text = f"{clip(base, FOOTER - len(note) - 3)} · {note}" if base else note
        embed.set_footer(text=text, icon_url=embed.footer.icon_url)
    excess = len(embed) - EMBED_TOTAL
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(0, len(embed.description) - excess))
    return embed
