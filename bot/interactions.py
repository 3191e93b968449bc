"""Small helpers shared by every cog: ephemeral replies, expected errors, the facilitator check."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

import discord

from bot.render.limits import clip

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on our side while handling that. Nothing you had already recorded was "
    "lost; please try again in a moment."
)


def retry_safe_nonce(*parts: object) -> str:
    """The same nonce for every attempt at one scheduled post (Discord allows at most 25 characters).

    discord.py sends it with `enforce_nonce`, so when a send timed out after Discord had in fact
    posted it, the retry a minute later gets the existing message back instead of a duplicate.
    """
    return ":".join(str(part) for part in parts)[:25]


class UserError(Exception):
    """An expected problem with what the user asked for; its message is shown to them, ephemerally."""


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    embeds: list[discord.Embed] | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    ephemeral: bool = True,
) -> None:
    """Answer an interaction whether or not it was already answered; never pings anyone."""
    kwargs: dict = {"ephemeral": ephemeral, "allowed_mentions": discord.AllowedMentions.none()}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    if embeds is not None:
        kwargs["embeds"] = embeds
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def describe_interaction(interaction: discord.Interaction) -> str:
    """What was used, for logs, without the values: options can hold a rationale written under
    the Chatham House rule, so they never reach the log."""
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    data = interaction.data or {}
    return f"component {data.get('custom_id', '?')!r}"


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one way an interaction's failure reaches the user: a polite ephemeral line, never silence."""
    original = getattr(error, "original", error)
    if isinstance(original, UserError):
        message = str(original)
    elif isinstance(original, discord.app_commands.CheckFailure):
        message = str(original) or "Sorry, you can't use this command here."
    elif isinstance(original, discord.app_commands.CommandOnCooldown):
        message = f"Please wait {original.retry_after:.0f} seconds before trying that again."
    elif isinstance(original, discord.app_commands.TransformerError):
        message = f"Sorry, {clip(repr(original.value), 100)} is not a valid value for that option."
    else:
        log.error(
            "unexpected error handling %s in guild %s",
            describe_interaction(interaction),
            interaction.guild_id,
            exc_info=(type(original), original, original.__traceback__),
        )
        message = APOLOGY
    try:
        await reply(interaction, message)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


async def answer_user_errors(interaction: discord.Interaction, action: Awaitable[None]) -> None:
    """Turn a UserError into its polite ephemeral reply; anything else goes on to the tree's on_error."""
    try:
        await action
    except UserError as exc:
        await reply(interaction, str(exc))


async def guarded(interaction: discord.Interaction, action: Awaitable[None]) -> None:
    """The tree's error path for handlers outside the tree (modal submits, persistent buttons)."""
    try:
        await answer_user_errors(interaction, action)
    except Exception as exc:
        await report_error(interaction, exc)


def submitted_value(data: Any, custom_id: str) -> str | None:
    """The value of one text input in a modal-submit payload, wherever the layout nests it."""
    stack = list((data or {}).get("components") or [])
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("custom_id") == custom_id and "value" in node:
            return node["value"]
        stack.extend(node.get("components") or [])
        if isinstance(node.get("component"), dict):
            stack.append(node["component"])
    return None


def member_has_role(member: discord.Member | discord.User, role_name: str) -> bool:
    return isinstance(member, discord.Member) and any(role.name == role_name for role in member.roles)


def is_facilitator(interaction: discord.Interaction, role_name: str) -> bool:
    """Facilitators hold the configured role or may manage the server.

    Checked in code rather than with default_permissions, which would hide the command from
    role holders who lack the permission.
    """
    user = interaction.user
    if not isinstance(user, discord.Member):
        return False
    return user.guild_permissions.manage_guild or member_has_role(user, role_name)
