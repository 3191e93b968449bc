"""The moderation forms and their custom ids: a member's report `concord:report:<statement id>` and a
facilitator's hide `concord:hide:<number>`. Both are stopped before they are sent; the moderation cog
answers their submission from the store, after a restart too."""

from __future__ import annotations

import re

import discord

from bot.core.moderation import MAX_REASON
from bot.render.discord import moderation as render

REASON_FIELD = "reason"
REPORT_FORM = re.compile(r"concord:report:(?P<statement>[0-9]{1,19})")
HIDE_FORM = re.compile(r"concord:hide:(?P<number>[0-9]{1,19})")


def _form(title: str, custom_id: str, label: str, required: bool) -> discord.ui.Modal:
    form = discord.ui.Modal(title=title, custom_id=custom_id, timeout=None)
    form.add_item(
        discord.ui.TextInput(
            label=label,
            style=discord.TextStyle.short,
            custom_id=REASON_FIELD,
            required=required,
            max_length=MAX_REASON,
        )
    )
    form.stop()
    return form


def report_form(statement_id: int, number: int) -> discord.ui.Modal:
    """The member's report, with an optional short reason."""
    return _form(
        render.report_form_title(number), f"concord:report:{statement_id}", render.report_reason_label(), False
    )


def hide_form(number: int) -> discord.ui.Modal:
    """The facilitator's hide, whose reason the author is told."""
    return _form(render.hide_form_title(number), f"concord:hide:{number}", render.hide_reason_label(), True)
