"""Slash commands are synced when their definitions changed, not at every start (`run --sync` forces it)."""

from __future__ import annotations

from bot.forum import DEFAULT_THEMES
from bot.settings import Settings
from tests.support.world import db_rows, restart


def syncs(world) -> int:
    """How many times the bot sent its command tree to Discord."""
    return sum(1 for entry in world.env.http_requests if entry.method == "PUT" and entry.path.endswith("/commands"))


async def test_a_restart_with_the_same_commands_does_not_sync_again(world, settings, db_path):
    assert syncs(world) == 1
    [(scope, fingerprint)] = db_rows(db_path, "SELECT scope, fingerprint FROM command_sync")
    assert scope == "global" and len(fingerprint) == 64

    bot = await restart(world.env, settings)

    assert syncs(world) == 1
    res = await world.members[0].slash(world.channel, "gaps about")  # the commands still answer
    assert res.response.embeds[0].title.startswith("/gaps")
    assert bot.tree.get_command("gaps") is not None


async def test_changed_commands_are_synced_at_the_next_start(world, settings, db_path):
    fewer = Settings.load(None, database={"path": db_path}, themes=DEFAULT_THEMES[:2])
    await restart(world.env, fewer)
    assert syncs(world) == 2
    assert {command.name for command in world.env.bot.tree.get_commands()} >= {"existing", "gaps"}
    assert world.env.bot.tree.get_command("igf") is None


async def test_a_forced_sync_syncs_even_when_nothing_changed(world, settings):
    await restart(world.env, settings, force_sync=True)
    assert syncs(world) == 2
