"""The rationale form: its custom id `concord:rationale:<slug>:<stance>` carries what it records.

The form is stopped before it is sent, so discord.py keeps nothing; the theme's cog answers its
submission however long after (or however many restarts after) it was opened.
"""

from __future__ import annotations

import re

import discord

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


def rationale_form(theme: ThemeConfig, stance: str, current: str | None) -> discord.ui.Modal:
    form = discord.ui.Modal(title=render.form_title(theme), custom_id=form_custom_id(theme.slug, stance), timeout=None)
    form.add_item(
        discord.ui.TextInput(
            label=render.form_label(theme, stance),
            style=discord.TextStyle.paragraph,
            custom_id=RATIONALE_FIELD,
            required=False,
            max_length=MAX_RATIONALE,
            default=current,
            placeholder=render.form_placeholder(),
        )
    )
    form.stop()
    return form
