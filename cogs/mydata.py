"""`/mydata export` and `/mydata delete`: a member's own data in this server, as a file, or erased.

The erasure asks first: `Delete my data` and `Cancel` carry the member's id in their custom ids
(`mydata:delete:<user id>`, `mydata:cancel:<user id>`), so they hold nothing in memory, and only that
member may answer.
"""

from __future__ import annotations

import io
import re
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Context
from bot.interactions import UserError, answered, guild_id_of, reply
from bot.render.discord import mydata as render
from bot.render.report.mydata_json import mydata_json

MYDATA_BUTTON_ID = r"mydata:(?P<action>delete|cancel):(?P<user>[0-9]+)"
MIB = 1024 * 1024


class MyDataService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def export(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        data = await self.ctx.store.member_data(guild_id, interaction.user.id)
        limit = interaction.filesize_limit
        for indent in (2, None):
            encoded = mydata_json(data, self.ctx.now(), indent=indent).encode()
            if len(encoded) <= limit:
                file = discord.File(io.BytesIO(encoded), filename=render.EXPORT_FILENAME)
                await reply(interaction, render.export_ready(), file=file)
                return
        raise UserError(render.export_too_large(limit // MIB))

    async def answer(self, interaction: discord.Interaction, action: str, user_id: int) -> None:
        guild_id = guild_id_of(interaction)
        if interaction.user.id != user_id:
            raise UserError(render.not_your_confirmation())
        if action == "cancel":
            text = render.cancelled()
        else:
            erased = await self.ctx.store.erase_member(guild_id, user_id, self.ctx.ballot_keys)
            text = render.deleted() if erased.total or erased.secret_ballots_unlinked else render.nothing_to_delete()
        await interaction.response.edit_message(
            content=text, view=None, allowed_mentions=discord.AllowedMentions.none()
        )


class MyDataButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=MYDATA_BUTTON_ID):
    """`Delete my data` or `Cancel` under the confirmation; bound to one bot's service (`bound_to`)."""

    service: ClassVar[MyDataService]

    def __init__(self, action: str, user_id: int, *, label: str = "") -> None:
        style = discord.ButtonStyle.danger if action == "delete" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label, custom_id=f"mydata:{action}:{user_id}", style=style))
        self.action = action
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MyDataButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["action"], int(match["user"]), label=label or "")

    @answered
    async def callback(self, interaction: discord.Interaction) -> None:
        await self.service.answer(interaction, self.action, self.user_id)

    @classmethod
    def bound_to(cls, service: MyDataService) -> type[MyDataButton]:
        bound: type[MyDataButton] = type("BoundMyDataButton", (cls,), {"service": service}, template=MYDATA_BUTTON_ID)
        return bound


@app_commands.guild_only()
class MyDataCog(commands.GroupCog, group_name="mydata", group_description="What Concord holds about you here"):
    def __init__(self, bot: commands.Bot, ctx: Context) -> None:
        self.bot = bot
        self.ctx = ctx
        self.service = MyDataService(ctx)
        self.button = MyDataButton.bound_to(self.service)
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(self.button)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(self.button)

    @app_commands.command(name="export", description="Get a file of everything Concord holds about you here")
    @answered
    async def export(self, interaction: discord.Interaction) -> None:
        await self.service.export(interaction)

    @app_commands.command(name="delete", description="Erase everything Concord holds about you here")
    @answered
    async def delete(self, interaction: discord.Interaction) -> None:
        guild_id_of(interaction)
        view = discord.ui.View(timeout=None)
        view.add_item(self.button("delete", interaction.user.id, label=render.delete_label()))
        view.add_item(self.button("cancel", interaction.user.id, label=render.cancel_label()))
        view.stop()
        await reply(interaction, render.delete_question(), view=view)
