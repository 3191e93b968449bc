"""Polls seen from the channel: creating one as the facilitator, and finding its messages and buttons."""

from __future__ import annotations

import discord
import simcord

from tests.support.world import World
from tests.support.world import db_rows as sql

__all__ = ["sql"]

QUESTION = "Should the IGF host enhanced cooperation?"


async def create_poll(world: World, actor: simcord.MemberActor | None = None, **options: object):
    """Create a poll as the facilitator (or `actor`); returns the slash result."""
    values = {"question": QUESTION, "options": "Yes; No; Not yet", **options}
    return await (actor or world.facilitator).slash(world.channel, "poll create", **values)


def poll_messages(world: World) -> list[discord.Message]:
    """The public poll messages in the channel, oldest first (as a participant sees them)."""
    return [
        message
        for message in world.channel.history(viewer=world.members[0])
        if message.embeds and (message.embeds[0].title or "").startswith("Poll #")
    ]


def replies_to(world: World, message: discord.Message) -> list[discord.Message]:
    return [
        m
        for m in world.channel.history(viewer=world.members[0])
        if m.reference and m.reference.message_id == message.id
    ]


def buttons(message: discord.Message) -> list[discord.Button]:
    return [child for row in message.components for child in row.children]


def find_message(world: World, message_id: int) -> discord.Message:
    return next(m for m in world.channel.history() if m.id == message_id)


def callback_types(world: World, since: int) -> list[int]:
    """The interaction callbacks the bot sent after request number `since` (4: a message, 5: "thinking")."""
    return [r.json["type"] for r in world.env.http_requests[since:] if r.path.endswith("/callback")]


async def open_poll(world: World, **options: object) -> discord.Message:
    await create_poll(world, **options)
    return poll_messages(world)[-1]


def results_replies(world, poll: discord.Message) -> list[discord.Message]:
    return [m for m in replies_to(world, poll) if m.embeds and (m.embeds[0].title or "").startswith("Results")]


def notices(world, poll: discord.Message) -> list[discord.Message]:
    return [m for m in replies_to(world, poll) if "closes" in m.content]
