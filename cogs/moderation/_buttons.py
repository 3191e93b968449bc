"""The queue's Hide and Keep buttons: custom id `moderate:<number>:<hide|keep>`, answered by the
registered class bound to one bot's moderation service, after a restart too. The number is the
statement's in the server the click comes from (the store filters on it), and the facilitator's role
is checked on every click."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from bot.core.moderation import ModerationAction
from bot.interactions import answered
from bot.render.discord import moderation as render
from cogs.moderation._service import ModerationService

QUEUE_BUTTON_ID = r"moderate:(?P<number>[0-9]{1,19}):(?P<action>hide|keep)"


class QueueButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=QUEUE_BUTTON_ID):
    service: ClassVar[ModerationService]

    def __init__(self, number: int, action: ModerationAction) -> None:
        hide = action is ModerationAction.HIDE
        super().__init__(
            discord.ui.Button(
                label=render.hide_label() if hide else render.keep_label(),
                style=discord.ButtonStyle.danger if hide else discord.ButtonStyle.secondary,
                custom_id=f"moderate:{number}:{action.value}",
            )
        )
        self.number = number
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QueueButton:
        return cls(int(match["number"]), ModerationAction(match["action"]))

    @classmethod
    def bound_to(cls, service: ModerationService) -> type[QueueButton]:
        return type("BoundQueueButton", (cls,), {"service": service}, template=QUEUE_BUTTON_ID)

    @answered
    async def callback(self, interaction: discord.Interaction) -> None:
        if self.action is ModerationAction.HIDE:
            await self.service.open_hide(interaction, self.number)
            return
        self.service.check_facilitator(interaction)
        await self.service.act(interaction, self.number, self.action)


def queue_view(button: type[QueueButton], numbers: list[int]) -> discord.ui.View:
    """One row per statement shown: Hide and Keep."""
    view = discord.ui.View(timeout=None)
    for row, number in enumerate(numbers):
        for action in (ModerationAction.HIDE, ModerationAction.KEEP):
            item = button(number, action)
            item.item.row = row
            view.add_item(item)
    view.stop()
    return view
