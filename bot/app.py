"""The bot: create_bot(settings) wires settings, store, clock, cogs and scheduler in one place."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from datetime import datetime, timedelta
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from discord.state import ConnectionState

from bot.ballot_key import check_ballot_keys, load_ballot_keys
from bot.command_translator import CatalogueTranslator
from bot.context import BotContext, Clock, DueWork
from bot.interaction_language import LanguageState, interaction_ids
from bot.interactions import DISCORD_FAILURES, admit, failure_text, outcome_unknown, report_error
from bot.languages import reply_language
from bot.scheduling import TickScheduler
from bot.settings import Settings
from bot.store import OpenStore, Store, open_store
from cogs import load_cogs

log = logging.getLogger(__name__)

CLOSE_GRACE = timedelta(seconds=10)  # how long shutting down waits for a tick that is posting


class ConcordTree(app_commands.CommandTree["ConcordBot"]):
    """Slash commands' gate and error path: who may run a command is checked here, before it runs (a
    polite refusal, never an error); the unexpected is logged and apologised for in on_error."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await admit(interaction, self.client.settings)

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        await report_error(interaction, error)

    async def definition_hash(self, guild: discord.abc.Snowflake | None) -> str:
        """A hash of exactly what `sync(guild=...)` would send (with the translator's localisations)."""
        commands = self.get_commands(guild=guild)
        translator = self.translator
        if translator is not None:
            payload = [await command.get_translated_payload(self, translator) for command in commands]
        else:
            payload = [command.to_dict(self) for command in commands]
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ConcordBot(commands.Bot):
    def __init__(self, settings: Settings, clock: Clock, open_store: OpenStore = open_store) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            tree_cls=ConcordTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.settings = settings
        self.clock = clock
        self._open_store = open_store
        self.force_sync = False
        self._store: Store | None = None
        self._context: BotContext | None = None
        self.due_work: list[DueWork] = []
        self._tick_lock = asyncio.Lock()
        self.scheduler = TickScheduler(self.tick)

    def _get_state(self, **options: Any) -> ConnectionState[Any]:
        """discord.py's connection state, handling each interaction in its language (bot/interaction_language.py)."""
        state = LanguageState(
            dispatch=self.dispatch, handlers=self._handlers, hooks=self._hooks, http=self.http, **options
        )
        state.resolve = self.interaction_language
        return state

    async def interaction_language(self, data: dict[str, Any]) -> str:
        """The language an interaction is answered in: the member's own choice in this server, else their
        client's locale, else the server's preferred locale (each when one of the six), else the forum's."""
        guild_id, user_id = interaction_ids(data)
        own = None
        if guild_id is not None and user_id is not None and self._store is not None:
            own = await self._store.member_language(guild_id, user_id)
        guild = self.get_guild(guild_id) if guild_id is not None else None
        server = str(guild.preferred_locale) if guild is not None else data.get("guild_locale")
        return reply_language(own, data.get("locale"), server, self.settings.forum.language)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the store is opened in setup_hook; the bot has not been set up yet")
        return self._store

    @property
    def concord_tree(self) -> ConcordTree:
        assert isinstance(self.tree, ConcordTree)
        return self.tree

    @property
    def context(self) -> BotContext:
        """What cogs are given: settings, the store, the clock and scheduling (see bot/context.py)."""
        if self._context is None:
            raise RuntimeError("the context is built in setup_hook; the bot has not been set up yet")
        return self._context

    async def setup_hook(self) -> None:
        self._store = await self._open_store(self.settings.database)
        ballot_keys = load_ballot_keys(self.settings)
        await check_ballot_keys(self._store, ballot_keys, self.settings)
        self._context = BotContext(self.settings, self._store, self, self.clock, ballot_keys)
        await load_cogs(self, self._context)
        await self.tree.set_translator(CatalogueTranslator(self.settings))
        await self.sync_commands()

    # --- Scheduling (bot/context.py): how cogs take part in the tick -----------------------------

    def add_due_work(self, work: DueWork) -> None:
        self.due_work.append(work)

    def remove_due_work(self, work: DueWork) -> None:
        if work in self.due_work:
            self.due_work.remove(work)

    def add_recurring(self, job_id: str, trigger: object) -> None:
        self.scheduler.add_recurring(job_id, trigger)

    def remove_recurring(self, job_id: str) -> None:
        self.scheduler.remove_recurring(job_id)

    async def sync_commands(self) -> bool:
        """Sync the slash commands to Discord when their definitions changed since the last sync of this
        scope (a hash of the tree, translations included, is kept in the database); `force_sync`
        (`python -m bot run --sync`) syncs anyway. Returns whether it synced.

        discord.py's own examples warn against syncing at every start: Discord rate-limits syncs.
        """
        guild_id = self.settings.discord.guild_id
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = f"guild:{guild_id}" if guild_id else "global"
        tree_hash = await self.concord_tree.definition_hash(guild)
        if not self.force_sync and await self.store.synced_tree_hash(scope) == tree_hash:
            log.info("slash commands unchanged since the last sync (%s): not syncing", scope)
            return False
        if not await self._sync_tree(guild, scope):
            return False
        await self.store.record_synced_tree(scope, tree_hash, self.clock())
        log.info("slash commands synced (%s)", scope)
        return True

    async def _sync_tree(self, guild: discord.abc.Snowflake | None, scope: str) -> bool:
        """Send the tree (once more at once if the answer was unclear: a sync replaces the whole list, so
        repeating it is harmless). A failure does not stop the bot: Discord keeps the commands it had, the
        new fingerprint is not recorded, so the next start syncs again; the log says what to do."""
        for attempt in (1, 2):
            try:
                await self.tree.sync(guild=guild)
                return True
            except DISCORD_FAILURES as exc:
                if attempt == 1 and outcome_unknown(exc):
                    log.warning("syncing the slash commands (%s) got no clear answer (%s); once more", scope, exc)
                    continue
                log.error(
                    "could not sync the slash commands (%s): %s; Discord keeps the commands it had. The next "
                    "start tries again (or run with --sync); a 403 means the bot was invited without the "
                    "applications.commands scope",
                    scope,
                    failure_text(exc),
                )
                break
        return False

    async def on_ready(self) -> None:
        """Start the scheduler (once) and tick now.

        Discord sends READY again after a reconnect that could not resume; ticking then too catches
        up on whatever fell due, or failed, while the bot was cut off.
        """
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))
        self.scheduler.start()

    async def tick(self) -> None:
        """Run all work due at the clock's now. Idempotent; never sleeps; never raises for Discord failures.

        A kind of work that raises is logged and skipped until the fallback wake, so one broken
        piece neither stops the others nor makes the scheduler spin on it.
        """
        async with self._tick_lock:
            if self._store is None:  # closed, or not set up yet: nothing can be done
                return
            now = self.clock()
            next_times: list[datetime] = []
            for work in self.due_work:
                try:
                    await work.run_due(now)
                    upcoming = await work.next_due(now)
                except Exception:
                    log.exception("scheduled work %s failed; it is tried again at the next wake", work.name)
                    continue
                if upcoming is not None:
                    next_times.append(upcoming)
            self.scheduler.rearm(min(next_times, default=None), now)

    async def close(self) -> None:
        """Stop waking, let a running tick finish (it must not lose its store half-way), then disconnect
        and close the store. Safe to call twice."""
        self.scheduler.shutdown()
        held = False
        try:
            held = await asyncio.wait_for(self._tick_lock.acquire(), CLOSE_GRACE.total_seconds())
        except TimeoutError:
            log.warning("scheduled work still running after %s; closing anyway", CLOSE_GRACE)
        try:
            await super().close()
        finally:
            if self._store is not None:
                await self._store.close()
                self._store = None
            if held:
                self._tick_lock.release()


def create_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
    open_store: OpenStore = open_store,
    force_sync: bool = False,
) -> ConcordBot:
    """Build the bot. Needs no token: connecting happens later, in `python -m bot run`.

    `open_store` opens the database in setup_hook (tests may pass their own); `force_sync` syncs the
    slash commands even when they have not changed since the last sync.
    """
    bot = ConcordBot(settings, clock or discord.utils.utcnow, open_store)
    bot.force_sync = force_sync
    return bot
