"""What every cog shares to meet an interaction: replies that ping nobody, the one way expected
errors are answered, the server an interaction belongs to, the gates of facilitator and
organiser commands, and how a post or a confirmation survives Discord failing to answer.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Coroutine, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ParamSpec

import aiohttp
import discord
from discord import app_commands

from bot.core.schedule import DeliveryError
from bot.i18n import _
from bot.render.discord import replies

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)
P = ParamSpec("P")
GATE = "concord_gate"  # the key of a command's gate in its `extras`
AnyCommand = app_commands.Command[Any, ..., Any]
ALREADY_ANSWERED = 40060  # Discord's code for a second answer to an interaction ("already acknowledged")

# Discord gave no answer (a timeout, a dropped connection): the call may or may not have taken effect.
NO_ANSWER: tuple[type[BaseException], ...] = (TimeoutError, aiohttp.ClientError, OSError)
# Every way a call to Discord fails: an answer saying no, discord.py giving up on a rate limit, or no answer.
DISCORD_FAILURES: tuple[type[BaseException], ...] = (discord.HTTPException, discord.RateLimited, *NO_ANSWER)


def retry_safe_nonce(*parts: object) -> str:
    """The same nonce for every attempt at one post (Discord allows at most 25 characters).

    discord.py sends it with `enforce_nonce`, so when a send timed out after Discord had in fact
    posted it, a retry within Discord's few minutes gets the existing message back instead of a
    duplicate.
    """
    return ":".join(str(part) for part in parts)[:25]


def outcome_unknown(error: BaseException) -> bool:
    """Whether a failed call may nonetheless have taken effect: no answer at all, or a server error
    (a 502 or 504 from a proxy can come after Discord did the work)."""
    if isinstance(error, discord.HTTPException):
        return error.status >= 500
    return isinstance(error, NO_ANSWER)


def failure_kind(error: BaseException) -> DeliveryError:
    """What kind of failure a call to Discord met, which decides what the person who must act is told."""
    if isinstance(error, discord.Forbidden):
        return DeliveryError.FORBIDDEN
    if isinstance(error, discord.NotFound):
        return DeliveryError.CHANNEL
    if isinstance(error, discord.HTTPException | discord.RateLimited):
        return DeliveryError.SERVER
    if isinstance(error, NO_ANSWER):
        return DeliveryError.TIMEOUT
    return DeliveryError.ERROR


def failure_text(error: BaseException) -> str:
    """Discord's own words for a failure (for logs and for the person who must act), never empty."""
    if isinstance(error, discord.HTTPException):
        return str(error) or f"{error.status}"
    return repr(error)


async def send_reconciled(channel: discord.abc.Messageable, *, nonce: str, **send: Any) -> discord.Message:
    """Post one message at most once although Discord's answer may be lost.

    Sent with `nonce` (discord.py adds `enforce_nonce`); a failure whose outcome is unknown (no
    answer, a server error) is retried once at once with the same nonce, so if the first attempt
    did reach the channel, Discord returns that message instead of posting a second one. A refusal
    (403, 404, 400, 429) is not retried. Raises the last failure. No files: a sent `discord.File`
    cannot be sent again.
    """
    try:
        return await channel.send(nonce=nonce, **send)
    except DISCORD_FAILURES as exc:
        if not outcome_unknown(exc):
            raise
        log.warning("a post to channel %s got no clear answer (%s); retrying it once", _channel_id(channel), exc)
    return await channel.send(nonce=nonce, **send)


def _channel_id(channel: discord.abc.Messageable) -> object:
    return getattr(channel, "id", "?")


def missing_permissions(permissions: discord.Permissions, needed: Sequence[str]) -> list[str]:
    """The permissions (discord.py's attribute names) among `needed` that `permissions` lacks."""
    return [name for name in needed if not getattr(permissions, name)]


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
    kwargs: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": discord.AllowedMentions.none()}
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
        return
    try:
        await interaction.response.send_message(**kwargs)
    except discord.HTTPException as exc:
        if exc.code != ALREADY_ANSWERED:
            raise
        # An earlier answer (a deferral) reached Discord although discord.py saw it fail: follow it up.
        await interaction.followup.send(**kwargs)


async def confirm(interaction: discord.Interaction, text: str, *, again: str) -> bool:
    """Tell the user that what they asked for has been done; never raises, never invites a repeat.

    Only for work that has succeeded (a poll or a digest posted, a poll closed): were the
    confirmation to fail and reach the generic error path, the user would be left unsure and might
    do it again (a second poll, a second digest). So a failed confirmation is tried once more, in the
    shorter words of `again`, by another route (editing the "thinking…" answer instead of sending a
    follow-up). If that fails too, it is logged: the work stands, and the user's own view of the
    channel (or `/poll list`, `/digest schedule`) shows it. Returns whether either got through.
    """
    try:
        await reply(interaction, text)
        return True
    except DISCORD_FAILURES as exc:
        log.warning("%s: the confirmation failed (%s); trying once more", describe_interaction(interaction), exc)
    try:
        if interaction.response.is_done():
            await interaction.edit_original_response(content=again, allowed_mentions=discord.AllowedMentions.none())
        else:
            await reply(interaction, again)
        return True
    except DISCORD_FAILURES:
        log.warning("%s: done, but the user could not be told", describe_interaction(interaction), exc_info=True)
        return False


def describe_interaction(interaction: discord.Interaction) -> str:
    """What was used, for logs, without the values: options can hold a rationale written under
    the Chatham House rule, so they never reach the log."""
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    data: dict[str, Any] = dict(interaction.data or {})
    return f"component {data.get('custom_id', '?')!r}"


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one way an interaction's failure reaches the user: a polite ephemeral line, never silence."""
    original = getattr(error, "original", error)
    if isinstance(original, UserError):
        message = str(original)
    elif isinstance(original, app_commands.CheckFailure):
        message = str(original) or replies.not_allowed_here()
    elif isinstance(original, app_commands.CommandOnCooldown):
        message = replies.cooldown(original.retry_after)
    elif isinstance(original, app_commands.TransformerError):
        message = replies.invalid_value(original.value)
    else:
        log.error(
            "unexpected error handling %s in guild %s",
            describe_interaction(interaction),
            interaction.guild_id,
            exc_info=(type(original), original, original.__traceback__),
        )
        message = replies.apology()
    try:
        await reply(interaction, message)
    except DISCORD_FAILURES:
        log.warning("could not tell the user about an error", exc_info=True)


def answered(callback: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, Coroutine[Any, Any, None]]:
    """The one way every callback (slash command, button, form) meets errors.

    A `UserError` becomes its polite ephemeral reply. Anything else is unexpected: a slash command
    passes it on to the tree's on_error (which logs it and apologises); a button or form, which
    discord.py runs outside the tree, is logged and apologised for here. Put it right under the
    command decorator; the callback's signature is kept (annotations resolved where it was
    written) so discord.py still reads its options.
    """

    @functools.wraps(callback)
    async def run(*args: P.args, **kwargs: P.kwargs) -> None:
        interaction = next(arg for arg in (*args, *kwargs.values()) if isinstance(arg, discord.Interaction))
        try:
            await callback(*args, **kwargs)
        except UserError as exc:
            await reply(interaction, str(exc))
        except Exception as exc:
            if interaction.type is discord.InteractionType.application_command:
                raise
            await report_error(interaction, exc)

    run.__signature__ = inspect.signature(callback, eval_str=True)  # type: ignore[attr-defined]
    return run


def guild_id_of(interaction: discord.Interaction) -> int:
    """The server an interaction belongs to; refused (politely) outside one, so no row is ever written
    for a server that does not exist."""
    if interaction.guild_id is None:
        raise UserError(replies.only_in_a_server())
    return interaction.guild_id


def submitted_value(data: Any, custom_id: str) -> str | None:
    """The value of one text input in a modal-submit payload, wherever the layout nests it."""
    stack = list((data or {}).get("components") or [])
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("custom_id") == custom_id and "value" in node:
            return str(node["value"])
        stack.extend(node.get("components") or [])
        if isinstance(node.get("component"), dict):
            stack.append(node["component"])
    return None


def member_has_role(member: discord.Member | discord.User, role_name: str) -> bool:
    return isinstance(member, discord.Member) and any(role.name == role_name for role in member.roles)


def is_facilitator(interaction: discord.Interaction, role_name: str) -> bool:
    """Facilitators (and organisers) hold the configured role or may manage the server.

    Checked in code rather than with default_permissions, which would hide the command from
    role holders who lack the permission.
    """
    user = interaction.user
    if not isinstance(user, discord.Member):
        return False
    return user.guild_permissions.manage_guild or member_has_role(user, role_name)


class Gate(StrEnum):
    """Who may run a command beyond every member."""

    FACILITATOR = "facilitator"
    ORGANISER = "organiser"


def gated(
    gate: Gate, action: str
) -> Callable[[app_commands.Command[Any, ..., Any]], app_commands.Command[Any, ..., Any]]:
    """Declare a command's gate: `@gated(Gate.FACILITATOR, N_("create polls"))` above the command.

    The tree checks it before the command runs (ConcordTree.interaction_check) and refuses politely;
    `action` (a gettext msgid) completes the refusal: "only facilitators can <action>".
    """

    def declare(command: AnyCommand) -> AnyCommand:
        command.extras[GATE] = (gate, action)
        return command

    return declare


def refusal(interaction: discord.Interaction, settings: Settings, gate: Gate, action: str) -> str | None:
    """Why this member may not pass `gate`, or None when they may."""
    role = settings.discord.facilitator_role if gate is Gate.FACILITATOR else settings.discord.organiser_role
    if is_facilitator(interaction, role):
        return None
    if gate is Gate.FACILITATOR:
        return replies.only_facilitators(role, _(action))
    return replies.only_organisers(role, _(action))


async def admit(interaction: discord.Interaction, settings: Settings) -> bool:
    """The tree's check before any slash command runs: a command Discord still lists but the forum no
    longer has, and a gate the member does not pass, are answered politely here (never as errors)."""
    if interaction.type is not discord.InteractionType.application_command:
        return True  # autocomplete: nothing to answer with
    command = interaction.command
    if command is None:
        data: dict[str, Any] = dict(interaction.data or {})
        name = str(data.get("name", "?"))
        log.info("guild %s: a member used /%s, which the forum no longer has", interaction.guild_id, name)
        await reply(interaction, replies.command_gone(name))
        return False
    declared = command.extras.get(GATE) if isinstance(command, app_commands.Command) else None
    if declared is None:
        return True
    message = refusal(interaction, settings, *declared)
    if message is None:
        return True
    await reply(interaction, message)
    return False
