"""The language of every interaction, set once where Discord's events enter the bot.

`LanguageState` is discord.py's connection state with one change: an INTERACTION_CREATE is handled
inside `with language(key):`, the key chosen by `bot.languages.reply_language` from the member's own
choice (read from the store), their client's locale, the server's preferred locale and the forum's
language. Every task discord.py starts for the interaction (the slash command with its checks and error
handler, a button, a form) copies that context, so each cog renders in the caller's language without
knowing it. Public messages (polls, results, digests) set their own language where they are rendered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from discord import app_commands
from discord.state import ConnectionState

from bot.i18n import language
from bot.languages import LANGUAGES, NATIVE_NAMES

log = logging.getLogger(__name__)

#: `/profile language` and `/poll create language:`: each language under its own name, in every client.
LANGUAGE_CHOICES = [app_commands.Choice(name=NATIVE_NAMES[key], value=key) for key in LANGUAGES]

Resolver = Callable[[dict[str, Any]], Awaitable[str]]


class LanguageState(ConnectionState[Any]):
    """The connection state whose interactions are each handled in the language `resolve` chooses."""

    resolve: Resolver | None = None

    def parse_interaction_create(self, data: Any) -> None:
        resolve = self.resolve
        if resolve is None:
            super().parse_interaction_create(data)
            return
        # Choosing reads the store, so the interaction is handed on from a task, in arrival order
        # (the store's reads are answered first in, first out).
        running: set[asyncio.Task[None]] = self.__dict__.setdefault("_language_tasks", set())
        task = asyncio.get_running_loop().create_task(self._handle_in_language(resolve, data))
        running.add(task)  # a strong reference, so a pending hand-on is not collected
        task.add_done_callback(running.discard)

    async def _handle_in_language(self, resolve: Resolver, data: Any) -> None:
        try:
            key = await resolve(data)
        except Exception:
            log.exception("could not choose the language of an interaction; English it is")
            key = "en"
        with language(key):
            super().parse_interaction_create(data)


def interaction_ids(data: dict[str, Any]) -> tuple[int | None, int | None]:
    """The server and the member of an INTERACTION_CREATE payload."""
    guild_id = int(data["guild_id"]) if data.get("guild_id") else None
    user = (data.get("member") or {}).get("user") or data.get("user") or {}
    return guild_id, int(user["id"]) if user.get("id") else None
