"""Meta: every cog loads, every command is within Discord's limits, guild-only, and synced where configured;
the bot's life cycle (READY again after a reconnect, closing while scheduled work runs)."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import re
from datetime import datetime
from pathlib import Path

import pytest
import simcord
from discord.ext import commands

from tests.support.world import build_world

COGS_DIR = Path(__file__).resolve().parents[2] / "cogs"
NAME = re.compile(r"[\w-]{1,32}")  # Discord's pattern, for the scripts Python's \w covers; lowercase checked apart
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
FORUM_GUILD = 987_654_321_098_765_432


def payloads(bot) -> list[dict]:
    """Exactly what the bot sends Discord when it syncs."""
    return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]


def check_name(name: str, where: str) -> list[str]:
    if NAME.fullmatch(name) and name == name.lower():
        return []
    return [f"{where}: name {name!r} is not a valid Discord command name"]


def check_description(text: str, where: str) -> list[str]:
    return [] if 1 <= len(text) <= 100 else [f"{where}: description has {len(text)} characters (1-100)"]


def check_options(options: list[dict], where: str) -> list[str]:
    problems = [] if len(options) <= 25 else [f"{where}: {len(options)} options (max 25)"]
    names = [option["name"] for option in options]
    problems += [f"{where}: duplicate option {n!r}" for n in {n for n in names if names.count(n) > 1}]
    for option in options:
        here = f"{where} {option['name']}"
        problems += check_name(option["name"], here) + check_description(option["description"], here)
        if option["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
            problems += check_options(option.get("options", []), here)
        choices = option.get("choices") or []
        if len(choices) > 25:
            problems.append(f"{here}: {len(choices)} choices (max 25)")
        problems += [
            f"{here}: choice {c['name'][:30]!r} name/value over 100 characters"
            for c in choices
            if not 1 <= len(c["name"]) <= 100 or len(str(c["value"])) > 100
        ]
    return problems


def text_size(payload: dict) -> int:
    """Discord caps a command's names, descriptions and choice values at 4000 characters combined."""
    size = len(payload["name"]) + len(payload.get("description", ""))
    for option in payload.get("options", []):
        size += text_size(option)
        size += sum(len(c["name"]) + len(str(c["value"])) for c in option.get("choices") or [])
    return size


async def test_every_cog_loads_one_theme_cog_per_theme(world):
    bot = world.bot
    expected = {f"Theme:{theme.slug}" for theme in bot.settings.themes} | {"ProfileCog"}
    assert expected <= set(bot.cogs)
    defined = set()
    for info in pkgutil.walk_packages([str(COGS_DIR)], prefix="cogs."):
        module = importlib.import_module(info.name)
        defined |= {
            cls
            for cls in vars(module).values()
            if isinstance(cls, type) and issubclass(cls, commands.Cog) and cls.__module__ == module.__name__
        }
    loaded = {type(cog) for cog in bot.cogs.values()}
    assert defined <= loaded, f"cogs never loaded: {sorted(cls.__qualname__ for cls in defined - loaded)}"


async def test_all_commands_are_unique_and_within_discord_limits(world):
    commands = payloads(world.bot)
    names = [command["name"] for command in commands]
    assert len(names) == len(set(names))
    assert len(commands) <= 100
    problems: list[str] = []
    for command in commands:
        where = f"/{command['name']}"
        problems += check_name(command["name"], where)
        if command.get("type", 1) == 1:
            problems += check_description(command["description"], where)
            problems += check_options(command.get("options", []), where)
        if text_size(command) > 4000:
            problems.append(f"{where}: {text_size(command)} characters of names and descriptions (max 4000)")
    assert problems == []


async def test_each_theme_has_its_seven_subcommands_and_stance_choices(world):
    by_name = {command["name"]: command for command in payloads(world.bot)}
    for theme in world.bot.settings.themes:
        sub = {option["name"]: option for option in by_name[theme.slug]["options"]}
        assert sorted(sub) == ["about", "bridges", "discuss", "position", "positions", "tally", "withdraw"]
        params = {option["name"]: option for option in sub["position"]["options"]}
        assert [c["value"] for c in params["stance"]["choices"]] == [s.key for s in theme.stances]
        assert [c["name"] for c in params["stance"]["choices"]] == [s.label for s in theme.stances]
        assert params["stance"]["required"] and not params["rationale"].get("required", False)
        filters = sub["positions"]["options"]
        assert [(o["name"], o.get("required", False)) for o in filters] == [("stance", False)]


async def test_every_command_is_guild_only_and_not_offered_in_dms(world):
    for command in payloads(world.bot):
        assert command["dm_permission"] is False, command["name"]
        assert command.get("contexts") in (None, [0]), command["name"]  # 0 is GUILD: never BOT_DM or group DMs
    stranger = world.env.create_user("stranger")
    assert stranger.available_commands() == ()
    with pytest.raises(simcord.SetupError, match="context"):
        await stranger.slash("profile show")


@pytest.mark.concord_settings(discord={"guild_id": FORUM_GUILD})
async def test_with_a_guild_id_the_tree_syncs_to_that_guild_only(simcord_env):
    world = build_world(simcord_env, members=1)  # an unrelated server first
    forum_guild = simcord_env.create_guild("Baku forum", id=FORUM_GUILD)
    hall = forum_guild.create_text_channel("open-forum")
    member = forum_guild.add_member(simcord_env.create_user("remote"))

    res = await member.slash(hall, "gaps position", stance="some", rationale="Synced here.")
    assert "recorded" in res.response.content
    assert "gaps position" in member.available_commands(hall)
    assert world.members[0].available_commands(world.channel) == ()
    puts = [entry.path for entry in simcord_env.http_requests if entry.method == "PUT"]
    assert any(f"/guilds/{FORUM_GUILD}/commands" in path for path in puts)
    assert all("/guilds/" in path for path in puts)


async def test_ready_again_after_a_reconnect_keeps_one_scheduler_and_catches_up_at_once(world):
    bot = world.bot
    assert bot.scheduler.running  # started by the first READY
    bot.scheduler.rearm(None, bot.clock())  # nothing due: the next wake is the 5-minute fallback
    fallback = bot.scheduler.next_wake

    await bot.on_ready()  # Discord sends READY again when a reconnect cannot resume

    assert bot.scheduler.running
    assert bot.scheduler.next_wake < fallback  # a catch-up tick now, not in five minutes


class SlowWork:
    """Scheduled work that is half-way through when the bot is asked to close."""

    name = "slow"

    def __init__(self, bot, guild_id: int) -> None:
        self.bot, self.guild_id = bot, guild_id
        self.started, self.release = asyncio.Event(), asyncio.Event()
        self.read: list[int] = []

    async def run_due(self, now: datetime) -> None:
        self.started.set()
        await self.release.wait()
        self.read.append(await self.bot.store.count_participants(self.guild_id, "gaps"))

    async def next_due(self, now: datetime) -> datetime | None:
        return None


async def test_closing_lets_a_running_tick_finish_with_its_store_then_closes_it(world):
    bot = world.bot
    await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="Counted.")
    work = SlowWork(bot, world.guild.id)
    bot.due_work.append(work)
    ticking = asyncio.create_task(bot.tick())
    await work.started.wait()

    closing = asyncio.create_task(bot.close())
    for _ in range(10):
        await asyncio.sleep(0)  # let close run as far as it can
    assert not closing.done()  # it waits for the tick
    assert not bot.scheduler.running  # but no new wake-up can start one

    work.release.set()
    await asyncio.gather(ticking, closing)
    assert work.read == [1]  # the tick still had its store
    with pytest.raises(RuntimeError, match="not been set up"):
        bot.store  # noqa: B018 - closed now
    await bot.tick()  # a tick after closing does nothing (and does not fail)
    assert work.read == [1]
