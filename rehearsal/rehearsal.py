"""The runner: the real bot in a SimCord simulated server, driven through every chapter's steps in time order.

A rehearsal is a list of chapters. Each contributes steps (an action at a moment on the forum's
calendar) and, once the whole timeline has run, may add sections to the record. The runner moves
SimCord's virtual clock to each step in turn (stopping on the way wherever the bot's scheduled work
falls due, and ticking the bot there) and runs it, so a new part of the rehearsal joins as a further
chapter without touching the runner or the other chapters. `Step` and `Chapter` are defined here,
beside the `Rehearsal` they are handed, so this module imports timeline.py and never the other way.

No token and no network: SimCord plays Discord in-process. The bot is the production one
(create_bot with real settings, real cogs, a real SQLite file in the output folder); only its
clock is moved onto the forum's calendar (see ForumClock).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Protocol

from bot.settings import Settings, ThemeConfig
from rehearsal.roster import FACILITATOR, Participant
from rehearsal.timeline import Calendar, Entry, Section

if TYPE_CHECKING:
    import discord
    import simcord

    from bot.app import ConcordBot

log = logging.getLogger(__name__)
DISCORD_TIME = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")


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


@dataclass(frozen=True, slots=True)
class Step:
    """One thing that happens at `at` (forum time). `act` performs it through the simulated server."""

    at: datetime
    act: Callable[[Rehearsal], Awaitable[None]]
    label: str = ""


class Chapter(Protocol):
    """A part of the rehearsal (positions, polls, digests, tallies)."""

    name: str

    def steps(self, calendar: Calendar, rng: Random) -> list[Step]:
        """The chapter's steps; the rehearsal's seeded `rng` keeps them deterministic."""
        ...

    async def finish(self, rehearsal: Rehearsal) -> None:
        """Runs once after the whole timeline: add record sections, console lines, files."""
        ...


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
    files: list[Path] = field(default_factory=list)  # written into out_dir by chapters (digests, charts)
    #: Chapters that react to what the bot did on its own register here; each runs after every tick.
    tick_hooks: list[Callable[[Rehearsal], Awaitable[None]]] = field(default_factory=list)
    _seen: dict[int, int] = field(default_factory=dict)
    _looked: dict[int, int | None] = field(default_factory=dict)
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
            self._looked[channel.id] = None

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
            if stop == due:  # woken at a due time, as APScheduler would be: tick, whatever next_due now says
                await self.tick()

    async def tick(self) -> None:
        """Run the bot's due work now (as APScheduler would in production) and log what it posted."""
        self._ticked_at = self.now()
        await self.bot.tick()
        self.note_posts()
        for hook in self.tick_hooks:
            await hook(self)

    def note_posts(self) -> None:
        """Log what the bot posted publicly in watched channels since the last look (one line per channel).

        Called after every tick and every step, so a message appears in the timeline at the
        moment it was posted, whether by scheduled work or in answer to a command.
        """
        for channel in self.watched:
            cached = self.bot.get_channel(channel.id)
            latest = getattr(cached, "last_message_id", None)
            if latest is not None and latest == self._looked[channel.id]:
                continue  # nothing new in the channel (SimCord's history() copies every message: keep it rare)
            self._looked[channel.id] = latest
            new = [
                message
                for message in channel.history()
                if message.id > self._seen[channel.id] and self.bot.user and message.author.id == self.bot.user.id
            ]
            if not new:
                continue
            self._seen[channel.id] = new[-1].id
            first = (new[0].content or (new[0].embeds[0].title if new[0].embeds else "") or "").strip()
            line = discord_times(first.splitlines()[0], self.calendar, self.now()) if first else "(embed)"
            more = f" (and {len(new) - 1} more message{'s' if len(new) > 2 else ''})" if len(new) > 1 else ""
            self.log("Concord", f"posted in #{channel.name}: {line}{more}")

    def forum_time(self, message: discord.Message) -> datetime:
        """When a message was posted, on the forum's calendar (SimCord stamps messages in its own virtual time)."""
        offset = getattr(self.bot.clock, "offset", None) or timedelta(0)
        return message.created_at + offset

    def message(self, channel: simcord.ChannelHandle, message_id: int | None) -> discord.Message:
        """A message of `channel` by id, as everyone sees it."""
        found = next((m for m in channel.history() if m.id == message_id), None)
        if found is None:
            raise DemoError(f"expected message {message_id} in #{channel.name}; it is not there")
        return found

    async def _next_due(self, now: datetime) -> datetime | None:
        times = [await work.next_due(now) for work in self.bot.due_work]
        return min((moment for moment in times if moment is not None), default=None)


def discord_times(text: str, calendar: Calendar, now: datetime) -> str:
    """Discord timestamp markup (`<t:1352178000:R>`) as a reader in the session's timezone would see it."""

    def shown(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match[1]), calendar.zone)
        if match[2] != "R":
            return f"{moment.day} {moment:%B %Y %H:%M}"
        minutes = round((moment - now).total_seconds() / 60)
        size = abs(minutes)
        amount = (
            f"{size} minutes"
            if size < 90
            else f"{round(size / 60)} hours"
            if size < 48 * 60
            else f"{round(size / 1440)} days"
        )
        return f"in {amount}" if minutes >= 0 else f"{amount} ago"

    return DISCORD_TIME.sub(shown, text)


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
