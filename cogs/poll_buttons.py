"""The vote buttons: persistent across restarts because all their state is in the custom id `poll:<id>:<answer>`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.core.polls import PollInfo
from bot.interactions import UserError, reply, report_error
from bot.render import polls as render

if TYPE_CHECKING:
    from cogs.polls import PollCog

COG_NAME = "Polls"


class PollButton(discord.ui.DynamicItem[discord.ui.Button], template=render.CUSTOM_ID_TEMPLATE):
    """A vote (or retract) button on any poll message; registered with the bot in PollCog.cog_load."""

    def __init__(self, spec: render.ButtonSpec) -> None:
        style = discord.ButtonStyle.secondary if spec.retract else discord.ButtonStyle.primary
        button = discord.ui.Button(
            label=spec.label, custom_id=spec.custom_id, style=style, row=spec.row, disabled=spec.disabled
        )
        super().__init__(button)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any) -> PollButton:
        retract = match["choice"] == "retract"
        return cls(render.ButtonSpec(item.custom_id or "", item.label or "", item.row or 0, retract, False))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Buttons live outside the command tree, so this is their error path too."""
        match = self.template.fullmatch(self.item.custom_id or "")
        cog = interaction.client.get_cog(COG_NAME) if isinstance(interaction.client, commands.Bot) else None
        if match is None or cog is None:
            await reply(interaction, "Sorry, this poll is not available right now; please try again in a moment.")
            return
        choice = None if match["choice"] == "retract" else int(match["choice"])
        polls: PollCog = cog  # type: ignore[assignment]
        try:
            await polls.on_click(interaction, int(match["poll"]), choice)
        except UserError as exc:
            await reply(interaction, str(exc))
        except Exception as exc:
            await report_error(interaction, exc)


def poll_view(poll: PollInfo, *, disabled: bool) -> discord.ui.View:
    """The poll message's buttons; the same custom ids whether enabled (open) or disabled (closed)."""
    view = discord.ui.View(timeout=None)
    for spec in render.poll_buttons(poll, disabled=disabled):
        view.add_item(PollButton(spec))
    return view
