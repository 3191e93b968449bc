"""`python -m bot run`: connect to Discord; and `python -m bot migrate`: bring the database up to date."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings
from bot.store import Store

NO_TOKEN = (
    "concord: no bot token: set the DISCORD_TOKEN environment variable (the token is never read from "
    "config.toml); see README, 'Run the real bot'"
)


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="connect to Discord and serve the forum")
    run.add_argument("--config", default=None, help="path to config.toml (default: defaults and environment only)")
    run.set_defaults(handler=run_bot)
    migrate = sub.add_parser("migrate", help="apply pending database migrations and exit")
    migrate.add_argument("--config", default=None, help="path to config.toml")
    migrate.set_defaults(handler=migrate_database)


def run_bot(args: argparse.Namespace) -> int:
    settings = Settings.load(args.config)
    if settings.token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    from bot import create_bot

    bot = create_bot(settings)
    bot.run(settings.token.get_secret_value(), log_handler=None)
    return 0


def migrate_database(args: argparse.Namespace) -> int:
    settings = Settings.load(args.config)

    async def apply() -> int:
        store = await Store.open(settings.database.path)
        try:
            return await store.schema_version()
        finally:
            await store.close()

    version = asyncio.run(apply())
    print(f"{settings.database.path}: schema version {version}")
    return 0
