"""Who may run what, checked by the tree before a command runs, and commands the forum no longer has."""

from __future__ import annotations

import discord

from tests.support.polls import create_poll


async def test_a_command_discord_still_lists_but_the_forum_no_longer_has_is_answered_politely(world):
    world.bot.tree.remove_command("gaps")  # as after a theme was removed from the configuration, before a sync

    res = await world.members[0].slash(world.channel, "gaps about")

    assert res.ephemeral
    assert "`/gaps` is no longer part of this forum" in res.response.content


async def test_gates_refuse_before_anything_runs_and_store_nothing(world, db_path):
    member = world.members[0]
    refused = await create_poll(world, actor=member)
    assert refused.ephemeral and "only facilitators can create polls" in refused.response.content
    assert "Facilitator" in refused.response.content
    refused = await member.slash(world.channel, "digest schedule")
    assert refused.ephemeral and "only organisers" in refused.response.content
    assert await world.bot.store.get_poll(world.guild.id, 1) is None


async def test_a_member_with_manage_server_passes_both_gates(world):
    admins = world.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    manager = world.guild.add_member(world.env.create_user("manager"), roles=[admins])
    res = await create_poll(world, actor=manager)
    assert "Poll #1 is open" in res.response.content
    res = await manager.slash(world.channel, "digest schedule")
    assert res.response.embeds[0].title == "Digest schedule"
