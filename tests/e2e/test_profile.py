"""`/profile set` and `/profile show`."""

from __future__ import annotations

import pytest
import simcord

from tests.support.world import db_rows


async def test_show_before_any_profile_explains_undeclared(world):
    res = await world.members[0].slash(world.channel, "profile show")
    assert res.response.ephemeral
    assert res.response.content == (
        "You have no profile yet, so your positions count as **undeclared**. Set one with `/profile set`.\n"
        "Language: not chosen (choose one with `/profile language`)"
    )


async def test_set_then_show_with_and_without_region(world, db_path):
    alice = world.members[0]
    res = await alice.slash(world.channel, "profile set", stakeholder="technical-community")
    assert res.response.ephemeral
    assert res.response.content.startswith("Profile saved: **Technical community**.")
    shown = await alice.slash(world.channel, "profile show")
    assert shown.response.content.startswith("Stakeholder group: **Technical community**\nRegion: **not given**\n")

    res = await alice.slash(world.channel, "profile set", stakeholder="academia", region="latin-american-caribbean")
    assert res.response.content.startswith("Profile saved: **Academia, Latin American and Caribbean Group**.")
    shown = await alice.slash(world.channel, "profile show")
    assert shown.response.content.startswith(
        "Stakeholder group: **Academia**\nRegion: **Latin American and Caribbean Group**\nLanguage:"
    )
    assert db_rows(db_path, "SELECT guild_id, user_id, stakeholder, region FROM profiles") == [
        (world.guild.id, alice.id, "academia", "latin-american-caribbean")
    ]


async def test_profiles_are_private_to_each_member(world):
    await world.members[0].slash(world.channel, "profile set", stakeholder="government", region="weog")
    res = await world.members[1].slash(world.channel, "profile show")
    assert "no profile yet" in res.response.content


@pytest.mark.parametrize(
    ("option", "value"), [("stakeholder", "press"), ("stakeholder", "Government"), ("region", "europe")]
)
async def test_unknown_keys_never_reach_the_bot(world, db_path, option, value):
    options = {"stakeholder": "government", option: value}
    with pytest.raises(simcord.OptionError):
        await world.members[0].slash(world.channel, "profile set", **options)
    assert db_rows(db_path, "SELECT * FROM profiles") == []


async def test_profile_commands_offer_every_stakeholder_and_region(world):
    profile = world.bot.tree.get_command("profile")
    (set_command,) = [command for command in profile.commands if command.name == "set"]
    params = {param.name: param for param in set_command.parameters}
    assert [choice.value for choice in params["stakeholder"].choices] == [
        "government",
        "private-sector",
        "civil-society",
        "technical-community",
        "academia",
        "intergovernmental",
    ]
    assert [choice.value for choice in params["region"].choices] == [
        "african",
        "asia-pacific",
        "eastern-european",
        "latin-american-caribbean",
        "weog",
    ]
    assert params["stakeholder"].required and not params["region"].required


async def test_profile_show_lists_your_own_positions_on_every_theme(world):
    alice, bob = world.members[0], world.members[1]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="Spam and cybercrime.")
    await alice.slash(world.channel, "igf position", stance="home", rationale="   ")
    await bob.slash(world.channel, "existing position", stance="lacking", rationale="Not mine to show.")
    await alice.slash(world.channel, "structures position", stance="improve", rationale="Soon withdrawn.")
    await alice.slash(world.channel, "structures withdraw")

    shown = await alice.slash(world.channel, "profile show")

    assert shown.response.ephemeral
    [embed] = shown.response.embeds
    fields = {field.name: field.value for field in embed.fields}
    assert list(fields) == [
        "Existing cooperation",
        "Gaps",
        "Existing structures",
        "The role of the IGF",
        "A new UN structure?",
    ]
    assert fields["Gaps"].startswith("**Gaps in specific policy areas** · <t:")
    assert fields["Gaps"].endswith("\nSpam and cybercrime.")  # the text itself, not its length
    assert fields["The role of the IGF"].startswith("**Enhanced cooperation belongs within the IGF** · <t:")
    assert fields["The role of the IGF"].endswith("*(no rationale given)*")
    assert fields["Existing cooperation"] == "No position yet: `/existing position`"  # Bob's position is his own
    assert fields["Existing structures"] == "No position yet: `/structures position`"
