"""The simulated forum every end-to-end test starts from, and helpers to read what the bot did."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import simcord

from bot import create_bot
from bot.app import ConcordBot
from bot.settings import Settings

# Bots that `restart` attached in the current test; closed with the first one (SimCord never closes a bot).
restarted: list[ConcordBot] = []


@dataclass
class World:
    env: simcord.Env
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    facilitator: simcord.MemberActor
    members: list[simcord.MemberActor]

    @property
    def bot(self) -> ConcordBot:
        return self.env.bot  # type: ignore[return-value]

    def add_member(self, name: str) -> simcord.MemberActor:
        return self.guild.add_member(self.env.create_user(name))


def build_world(env: simcord.Env, members: int = 4, name: str = "IGF 2012 remote hub") -> World:
    guild = env.create_guild(name=name)
    channel = guild.create_text_channel("open-forum")
    role = guild.create_role("Facilitator")
    organiser = guild.create_role("Organiser")
    facilitator = guild.add_member(env.create_user("chair"), roles=[role, organiser])
    people = [guild.add_member(env.create_user(f"participant{i}")) for i in range(members)]
    return World(env, guild, channel, facilitator, people)


DEFERRED = 5  # Discord's DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "thinking…", the answer follows


def first_answer(world: World) -> dict:
    """The bot's first answer to the latest interaction (its callback), as Discord received it."""
    return [entry.json for entry in world.env.http_requests if entry.path.endswith("/callback")][-1]


async def restart(env: simcord.Env, settings: Settings, **options: Any) -> ConcordBot:
    """Replace the running bot with a fresh one over the same database, closing the old store."""
    old = env.bot
    new = create_bot(settings, **options)
    restarted.append(new)
    await env.restart_bot(new)
    await old.close()
    return new


def embed_text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or ""]
    parts += [f"{field.name}\n{field.value}" for field in embed.fields]
    parts.append(embed.footer.text or "")
    return "\n".join(parts)


def db_rows(db_path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the bot's SQLite file directly, as an operator would (WAL lets a second reader in)."""
    with closing(sqlite3.connect(db_path)) as db:
        return db.execute(sql, params).fetchall()
