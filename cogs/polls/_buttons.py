"""The vote buttons: persistent across restarts because all their state is in the custom id.

`poll:<poll id>:<answer position>` votes, `poll:<poll id>:retract` retracts. The button keeps the
poll id and the answer it parsed and hands them to the vote service it was bound to.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.core.polls import PollInfo
from bot.interactions import answered
from bot.render.discord import polls as render

if TYPE_CHECKING:
    from cogs.polls._voting import VoteService

POLL_BUTTON_ID = r"poll:(?P<poll>[0-9]+):(?P<choice>[0-9]+|retract)"


def option_custom_id(poll_id: int, position: int) -> str:
    return f"poll:{poll_id}:{position}"


def retract_custom_id(poll_id: int) -> str:
    return f"poll:{poll_id}:retract"


class PollButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=POLL_BUTTON_ID):
    """A vote (or retract) button on any poll message. Registered bound to one bot's vote service
    (see `bound_to`), so a click goes straight to it, with the poll and answer already parsed."""

    voting: ClassVar[VoteService]

    def __init__(self, poll_id: int, choice: int | None, *, label: str = "", row: int = 0, disabled: bool = False):
        custom_id = retract_custom_id(poll_id) if choice is None else option_custom_id(poll_id, choice)
        style = discord.ButtonStyle.secondary if choice is None else discord.ButtonStyle.primary
        super().__init__(discord.ui.Button(label=label, custom_id=custom_id, style=style, row=row, disabled=disabled))
        self.poll_id = poll_id
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PollButton:
        choice = None if match["choice"] == "retract" else int(match["choice"])
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match["poll"]), choice, label=label or "", row=item.row or 0)

    @answered
    async def callback(self, interaction: discord.Interaction) -> None:
        await self.voting.click(interaction, self.poll_id, self.choice)

    @classmethod
    def bound_to(cls, voting: VoteService) -> type[PollButton]:
        """The button class one bot registers: clicks go to that bot's vote service."""

        bound: type[PollButton] = type("BoundPollButton", (cls,), {"voting": voting}, template=POLL_BUTTON_ID)
        return bound


def poll_view(poll: PollInfo, button: type[PollButton], *, disabled: bool) -> discord.ui.View:
    """The poll message's buttons; the same custom ids whether enabled (open) or disabled (closed).

    The view is stopped before it is sent: clicks are answered by the registered button class,
    never by this object, so nothing about a poll is held in memory.
    """
    view = discord.ui.View(timeout=None)
    for spec in render.poll_buttons(poll, disabled=disabled):
        view.add_item(button(poll.id, spec.position, label=spec.label, row=spec.row, disabled=spec.disabled))
    view.stop()
    return view
