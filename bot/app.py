"""The bot: create_bot(settings) wires settings, store, clock, cogs and scheduler in one place."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.interactions import report_error
from bot.scheduling import DueWork, TickScheduler
from bot.settings import Settings
from bot.store import Store

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class ConcordTree(app_commands.CommandTree):
    """The one error path for slash commands: expected errors politely, the unexpected logged."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


class ConcordBot(commands.Bot):
    def __init__(self, settings: Settings, clock: Clock, *, schedule: bool = True) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            tree_cls=ConcordTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.settings = settings
        self.clock = clock
        self._store: Store | None = None
        self.due_work: list[DueWork] = []
        self._tick_lock = asyncio.Lock()
        self.ticks = 0
        self.scheduler = TickScheduler(self.tick) if schedule else None

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the store is opened in setup_hook; the bot has not been set up yet")
        return self._store

    async def setup_hook(self) -> None:
        from cogs import load_cogs

        self._store = await Store.open(self.settings.database.path)
        await load_cogs(self)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        guild_id = self.settings.discord.guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def on_ready(self) -> None:
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))
        if self.scheduler is not None:
            self.scheduler.start()

    async def tick(self) -> None:
        """Run all work due at the clock's now. Idempotent; never sleeps; never raises for Discord failures."""
        async with self._tick_lock:
            self.ticks += 1
            now = self.clock()
            next_times: list[datetime] = []
            for work in self.due_work:
                try:
                    await work.run_due(now)
                    upcoming = await work.next_due(now)
                except Exception:
                    log.exception("scheduled work %s failed; it stays due for a later tick", work.name)
                    continue
                if upcoming is not None:
                    next_times.append(upcoming)
            if self.scheduler is not None:
                self.scheduler.rearm(min(next_times, default=None), now)

    async def close(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown()
        try:
            await super().close()
        finally:
            if self._store is not None:
                await self._store.close()
                self._store = None


def create_bot(settings: Settings, *, clock: Clock | None = None) -> ConcordBot:
    """Build the bot. Needs no token: connecting happens later, in `python -m bot run`."""
    return ConcordBot(settings, clock or discord.utils.utcnow)
