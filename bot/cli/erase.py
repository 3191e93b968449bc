"""`python -m bot erase --guild ID --user ID`: erase a member's data from one server's database, as
`/mydata delete` does, for a request an operator receives (from someone who left the server, say).

Run it while the bot runs or not (the database is in WAL mode). It prints one line of what was erased.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.core.ballot_keys import BallotKeys
    from bot.core.member_data import Erased


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    erase = sub.add_parser("erase", help="erase a member's data from one server (a data-rights request)")
    erase.add_argument("--config", default=None, help="path to config.toml (default: defaults and environment only)")
    erase.add_argument("--guild", type=int, required=True, help="the Discord server (guild) id")
    erase.add_argument("--user", type=int, required=True, help="the member's Discord user id")
    erase.set_defaults(handler=run_erase)


def run_erase(args: argparse.Namespace) -> int:
    settings = Settings.load(args.config)
    if not Path(settings.database.path).exists():
        print(f"concord erase: no database at {settings.database.path} (check --config)", file=sys.stderr)
        return 2
    erased = asyncio.run(_erase(settings, args.guild, args.user))
    print(describe(erased))
    return 0


def _ballot_keys(settings: Settings) -> BallotKeys | None:
    """The server secret, to find the member's ballots in open secret polls; none exists yet (no key
    variable, no key file) when no secret poll was ever created, and then none is made."""
    from bot.ballot_key import key_file_path, load_ballot_keys

    if settings.ballot_key is None and not key_file_path(settings.database.path).exists():
        return None
    return load_ballot_keys(settings)


async def _erase(settings: Settings, guild_id: int, user_id: int) -> Erased:
    from bot.store import open_store

    keys = _ballot_keys(settings)
    store = await open_store(settings.database)
    try:
        return await store.erase_member(guild_id, user_id, keys)
    finally:
        await store.close()


def describe(erased: Erased) -> str:
    """One line: every table the erasure changed, with its rows, and the secret ballots it unlinked."""
    parts = [f"{table} {count}" for table, count in erased.rows.items()]
    if erased.secret_ballots_unlinked:
        parts.append(f"open secret ballots unlinked {erased.secret_ballots_unlinked}")
    what = ", ".join(parts) if parts else "nothing was stored about them"
    return f"erased user {erased.user_id} in guild {erased.guild_id}: {what}"
