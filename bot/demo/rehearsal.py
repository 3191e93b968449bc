"""The runner: the real bot in a SimCord simulated server, driven through every chapter's steps in time order.

No token and no network: SimCord plays Discord in-process. The bot is the production one
(create_bot with real settings, real cogs, a real SQLite file in the output folder); only its
clock is moved onto the forum's calendar (see ForumClock).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING

from bot.demo.roster import FACILITATOR, Participant
from bot.demo.timeline import Calendar, Chapter, Entry, Section, Step
from bot.settings import Settings, ThemeConfig

if TYPE_CHECKING:
    import simcord

    from bot.app import ConcordBot

log = logging.getLogger(__name__)


class DemoError(RuntimeError):
    """The bot did not answer the way the script expected: the rehearsal stops and says so."""


def expect(result: simcord.InteractionResult, *needles: str) -> str:
    """The bot's (ephemeral) answer, checked to contain every needle."""
    response = result.response
    text = response.content if response is not None else ""
    if response is not None and response.embeds:
        text += "\n" + "\n".join(embed.description or embed.title or "" for embed in response.embeds)
    missing = [needle for needle in needles if needle not in text]
    if missing:
        raise DemoError(f"expected the bot to answer with {missing!r}; it answered: {text!r}")
    return text


@dataclass
class Rehearsal:
    """What every step and chapter works with: the simulated server, the bot, and the record being written."""

    env: simcord.Env
    bot: ConcordBot
    settings: Settings
    calendar: Calendar
    seed: int
    out_dir: Path
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    facilitator: simcord.MemberActor
    roster: tuple[Participant, ...]
    members: dict[str, simcord.MemberActor]
    entries: list[Entry] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    watched: list[simcord.ChannelHandle] = field(default_factory=list)
    _seen: dict[int, int] = field(default_factory=dict)
    _ticked_at: datetime | None = None

    @property
    def facilitator_name(self) -> str:
        return FACILITATOR.name

    def now(self) -> datetime:
        return self.bot.clock()

    def log(self, actor: str, text: str) -> None:
        self.entries.append(Entry(self.now(), actor, text))

    def member(self, handle: str) -> simcord.MemberActor:
        return self.members[handle]

    def theme(self, slug: str) -> ThemeConfig:
        theme = self.settings.theme(slug)
        if theme is None:
            raise KeyError(slug)
        return theme

    def watch(self, channel: simcord.ChannelHandle) -> None:
        """Log what the bot posts in `channel` on its own (scheduled work) into the timeline."""
        if channel not in self.watched:
            self.watched.append(channel)
            last = channel.last_message
            self._seen[channel.id] = last.id if last else 0

    async def advance_to(self, target: datetime) -> None:
        """Move virtual time to `target`, stopping wherever scheduled work falls due to tick the bot there."""
        while True:
            now = self.now()
            due = await self._next_due(now)
            if due is not None and due <= now and self._ticked_at != now:
                await self.tick()
                continue
            if now >= target:
                return
            stop = target if due is None or due <= now else min(target, due)
            await self.env.advance_time((stop - now).total_seconds())

    async def tick(self) -> None:
        """Run the bot's due work now (as APScheduler would in production) and log what it posted."""
        self._ticked_at = self.now()
        await self.bot.tick()
        for channel in self.watched:
            for message in channel.history():
                if message.id > self._seen[channel.id] and message.author.id == self.bot.user.id:
                    self._seen[channel.id] = message.id
                    first = (message.content or (message.embeds[0].title if message.embeds else "") or "").strip()
                    self.log("Concord", f"posted in #{channel.name}: {first.splitlines()[0] if first else '(embed)'}")

    async def _next_due(self, now: datetime) -> datetime | None:
        times = [await work.next_due(now) for work in self.bot.due_work]
        return min((moment for moment in times if moment is not None), default=None)


World = tuple["simcord.GuildHandle", "simcord.ChannelHandle", "simcord.MemberActor", dict[str, "simcord.MemberActor"]]


def build_world(env: simcord.Env, settings: Settings, roster: tuple[Participant, ...]) -> World:
    """The forum's server: one channel, the two roles, the facilitator and every participant."""
    guild = env.create_guild(name="IGF 2012 Open Forum (rehearsal)", id=settings.discord.guild_id or None)
    channel = guild.create_text_channel("open-forum", topic=settings.session.title)
    facilitator_role = guild.create_role(settings.discord.facilitator_role)
    organiser_role = guild.create_role(settings.discord.organiser_role)
    facilitator = guild.add_member(
        env.create_user(FACILITATOR.handle, global_name=FACILITATOR.name), roles=[facilitator_role, organiser_role]
    )
    members = {
        person.handle: guild.add_member(env.create_user(person.handle, global_name=person.name)) for person in roster
    }
    return guild, channel, facilitator, members


def ordered_steps(chapters: list[Chapter], calendar: Calendar, seed: int) -> list[Step]:
    """Every chapter's steps in time order; ties keep chapter order, then each chapter's own order.

    Each chapter draws from its own random stream (seeded by the rehearsal seed and its name), so
    adding a chapter never changes what the others do.
    """
    counter = itertools.count()
    keyed = [
        (step.at, next(counter), step)
        for chapter in chapters
        for step in chapter.steps(calendar, Random(f"{seed}:{chapter.name}"))
    ]
    return [step for _, _, step in sorted(keyed, key=lambda item: item[:2])]
