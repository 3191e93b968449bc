"""Rendered pictures as Discord attachments: the one place a chart meets discord.py.

`bot.render.charts` only draws PNG bytes, so reports and the rehearsal draw the same charts
without importing discord.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable

import discord


async def chart_file(embed: discord.Embed, filename: str, render: Callable[..., bytes], *args: object) -> discord.File:
    """Render a chart off the event loop and show it as the embed's image; returns the file to send with it."""
    png = await asyncio.to_thread(render, *args)
    embed.set_image(url=f"attachment://{filename}")
    return discord.File(io.BytesIO(png), filename=filename)
