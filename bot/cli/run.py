"""`python -m bot run`: connect to Discord; and `python -m bot migrate`: bring the database up to date.

Both open the database first and bring it up to date, so a database that cannot be used is one line
naming its path (`StoreUnavailable`, status 2) before anything is sent to Discord; `run` also makes sure
of the secret ballots' server secret (written to its key file on the first run; `BallotKeyError`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from discord.ext import commands

NO_TOKEN = (
    "concord: no bot token: set the DISCORD_TOKEN environment variable (the token is never read from "
    "config.toml); see README, 'Run the real bot'"
)
BAD_TOKEN = (
    "concord: Discord refused the token in DISCORD_TOKEN; copy it again from the Developer Portal (Bot, Reset Token)"
)

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="connect to Discord and serve the forum")
    run.add_argument("--config", default=None, help="path to config.toml (default: defaults and environment only)")
    run.add_argument(
        "--sync",
        action="store_true",
        help="sync the slash commands to Discord even if they have not changed since the last sync",
    )
    run.set_defaults(handler=run_bot)
    migrate = sub.add_parser("migrate", help="apply pending database migrations and exit")
    migrate.add_argument("--config", default=None, help="path to config.toml")
    migrate.set_defaults(handler=migrate_database)


def run_bot(args: argparse.Namespace) -> int:
    settings = Settings.load(args.config)
    if settings.token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    from bot.render.chart_fonts import missing_fonts

    for font in missing_fonts():  # charts would draw Chinese as boxes, or Arabic unjoined: say so at once
        print(
            f"concord: the charts' font {font} is not installed (pip install concord's dependencies)", file=sys.stderr
        )
        return 2
    import aiohttp
    import discord

    from bot import create_bot

    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it reports every wake-up at INFO
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # no voice here: no warning at start
    token = settings.token.get_secret_value()

    async def start() -> None:
        await prepare_store(settings, ballots=True)
        bot = create_bot(settings, force_sync=args.sync)
        # What is loaded by now (discord.py, pydantic, the bot's modules: most of the heap) lives as long as
        # the process: freezing it keeps the garbage collector's full passes to what came after, which halves
        # what a burst of thousands of concurrent votes costs (bench/write_path.py).
        gc.freeze()
        await serve(bot, token)

    try:
        asyncio.run(start())
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 1
    except (aiohttp.ClientConnectionError, OSError) as exc:
        print(f"concord: could not reach Discord ({type(exc).__name__}: {exc}); check the network", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # where stop signals cannot be caught (Windows): discord.py has closed the bot
        pass
    return 0


async def serve(bot: commands.Bot, token: str) -> None:
    """Stay connected until Discord ends it or SIGINT/SIGTERM arrives; either way the bot closes, which
    waits for a running tick and closes the store. (discord.py's own `Bot.run` leaves SIGTERM, what
    systemd and Docker send, to kill the process outright.)"""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C arrives as KeyboardInterrupt
            loop.add_signal_handler(signum, stop.set)
    async with bot:
        connection = asyncio.create_task(bot.start(token))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({connection, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if stop.is_set():
            log.info("stop signal received: closing")
            await bot.close()
        await connection  # a login failure surfaces here


async def prepare_store(settings: Settings, *, ballots: bool = False) -> int:
    """Open the database, apply pending migrations and close it again; return the schema version. With
    `ballots`, also load the ballot key (writing its file on the first run) and check it opens the open
    secret polls.

    Run before logging in, so a database that cannot be used stops start-up with its one line
    (raised as StoreUnavailable, or BallotKeyError) instead of surfacing after the connection, as
    something else.
    """
    from bot.ballot_key import check_ballot_keys, load_ballot_keys
    from bot.store import open_store

    store = await open_store(settings.database)
    try:
        if ballots:
            await check_ballot_keys(store, load_ballot_keys(settings), settings)
        return await store.schema_version()
    finally:
        await store.close()


def migrate_database(args: argparse.Namespace) -> int:
    settings = Settings.load(args.config)
    version = asyncio.run(prepare_store(settings))
    print(f"{settings.database.path}: schema version {version}")
    return 0
