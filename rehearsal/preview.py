"""Try Concord without Discord: the rehearsal's forum in SimCord, served as SimCord's browser preview.

The real bot (`create_bot`, its cogs, a real SQLite file) runs in the rehearsal's server: one channel,
the Facilitator and Organiser roles, the forum's facilitator and its forty participants, and an
organiser who holds only the Organiser role. The page shows the channel with a composer, so a visitor
types every slash command, clicks buttons and fills forms as whichever of the offered members they
pick in the page. No Discord account, no token, no network: the page is served on 127.0.0.1 only.

The clock stands at the forum's opening (three weeks before the session) while the page is served:
polls close with `/poll close`, digests are seen with `/digest preview` or posted with `/digest post`.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import simcord

from bot.settings import Settings
from rehearsal.rehearsal import build_world
from rehearsal.roster import ROSTER
from rehearsal.timeline import Calendar, ForumClock

DATABASE_NAME = "concord-preview.db"
ORGANISER_HANDLE = "forum.organiser"


@dataclass(frozen=True, slots=True)
class PreviewForum:
    """What a running preview offers: its address and the members a visitor may be."""

    url: str
    env: simcord.Env
    channel: simcord.ChannelHandle
    viewers: tuple[simcord.MemberActor, ...]  # a participant, the facilitator, the organiser, then the others


def preview_settings(folder: Path) -> Settings:
    """Real settings (defaults and CONCORD_* variables), the store in `folder`, the forum's five themes."""
    return Settings.load(None, database={"path": folder / DATABASE_NAME}, themes=[])


def _fresh(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


async def serve_preview(
    folder: Path,
    *,
    port: int | None = None,
    until: Callable[[PreviewForum], Awaitable[None]],
) -> None:
    """Run the forum and serve its preview until `until(forum)` returns (or is cancelled), then stop both."""
    from bot import create_bot

    settings = preview_settings(folder)
    _fresh(settings.database.path)
    opens = Calendar.from_session(settings.session).opens
    bot = create_bot(settings, clock=ForumClock(opens))
    try:
        async with simcord.run(bot) as env:
            guild, channel, facilitator, members = build_world(env, settings, ROSTER)
            organiser = guild.add_member(
                env.create_user(ORGANISER_HANDLE, global_name="Forum organiser"),
                roles=[guild.roles[settings.discord.organiser_role]],
            )
            participants = list(members.values())
            viewers = (participants[0], facilitator, organiser, *participants[1:])
            async with env.preview(
                channel,
                viewers=list(viewers),
                layout="channel",
                timezone=settings.session.timezone,
                port=port,
            ) as shown:
                await until(PreviewForum(shown.url, env, channel, viewers))
    finally:
        await bot.close()


async def until_interrupted(forum: PreviewForum) -> None:
    """Print the address and wait for Ctrl+C (SIGINT) or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    print(f"Concord preview: open {forum.url}", flush=True)
    print(
        "Pick who you are at the top of the page: a participant, the facilitator (also an organiser) or the "
        "organiser. Type / in the message box for the commands (try /help). Ctrl+C stops.",
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
