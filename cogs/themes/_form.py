"""The rationale form: its custom id `concord:rationale:<slug>:<stance>` carries what it records.

The form is stopped before it is sent, so discord.py keeps nothing; the theme's cog answers its
submission however long after (or however many restarts after) it was opened.
"""

from __future__ import annotations

import re

import discord

from bot.core.models import Position
from bot.interactions import UserError
from bot.render.discord import themes as render
from bot.settings import ThemeConfig

MAX_RATIONALE = 1000
RATIONALE_FIELD = "rationale"
RATIONALE_FORM = re.compile(r"concord:rationale:(?P<slug>[a-z0-9_-]{1,32}):(?P<stance>[a-z0-9_-]{1,32})")


def form_custom_id(slug: str, stance: str) -> str:
    return f"concord:rationale:{slug}:{stance}"


def clean_rationale(text: str | None) -> str | None:
    """None for no rationale (including whitespace only); UserError when too long."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if len(text) > MAX_RATIONALE:
        raise UserError(render.rationale_too_long(MAX_RATIONALE, len(text)))
    return text


def rationale_form(theme: ThemeConfig, stance: str, current: Position | None) -> discord.ui.Modal:
    """The form for `stance`, prefilled with the member's current rationale. When that text was written
    for another stance the form says so above it, so it is never carried over to the new stance unseen."""
    form = discord.ui.Modal(title=render.form_title(theme), custom_id=form_custom_id(theme.slug, stance), timeout=None)
    if current is not None and current.rationale and current.stance != stance:
        form.add_item(discord.ui.TextDisplay(render.written_for(theme, current.stance, stance)))
    form.add_item(
        discord.ui.TextInput(
            label=render.form_label(theme, stance),
            style=discord.TextStyle.paragraph,
            custom_id=RATIONALE_FIELD,
            required=False,
            max_length=MAX_RATIONALE,
            default=current.rationale if current is not None else None,
            placeholder=render.form_placeholder(),
        )
    )
    form.stop()
    return form
