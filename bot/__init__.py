"""Concord: a Discord bot for asynchronous multistakeholder discussion around a live policy session.

`from bot import create_bot` builds the bot; the app (discord.py, the store, the scheduler) is
imported only then, so `import bot.core.tally` loads nothing but the pure core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import create_bot

__all__ = ["create_bot"]


def __getattr__(name: str) -> Any:
    if name == "create_bot":
        from bot.app import create_bot

        return create_bot
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
