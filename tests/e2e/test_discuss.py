"""`/<slug> discuss` and `/<slug> bridges` end to end: weighing others' arguments, and common ground."""

from __future__ import annotations

import re

import pytest

from bot.core.consensus import Reacted, Reaction
from tests.support.world import World, build_world, db_rows, embed_text, restart

SHOWN = re.compile(r"^#(\d+) · ")
GROUPS = ("government", "private-sector", "civil-society", "technical-community", "academia", "intergovernmental")


def shown_number(result) -> int | None:
    """The statement number a discuss message shows (None when it says none is left)."""
    embeds = result.response.embeds
    if not embeds:
        return None
    match = SHOWN.match(embeds[0].footer.text or "")
    assert match, embeds[0].footer.text
    return int(match.group(1))


async def take(world: World, member, text: str, stance: str = "some", theme: str = "gaps"):
    res = await member.slash(world.channel, f"{theme} position", stance=stance, rationale=text)
    assert res.ephemeral and "Rationale saved" in res.response.content


async def test_discuss_shows_others_statements_only_each_once_then_says_none_is_left(world, db_path):
    alice, bob, carol, dan = world.members
    await take(world, alice, "Spam has no home.")
    await take(world, bob, "Cybercrime cooperation is thin.", "widespread")
    await take(world, carol, "Existing fora cope.", "none")
    await take(world, dan, "My own argument.")  # Dan's own: never shown to him

    res = await dan.slash(world.channel, "gaps discuss")
    assert res.ephemeral
    seen = []
    while (number := shown_number(res)) is not None:
        text = embed_text(res.response.embeds[0])
        assert "My own argument." not in text
        assert ("#1" in text) or number != 1
        seen.append(number)
        res = await dan.click(res.response, label="Pass")
    assert sorted(seen) == [1, 2, 3]
    assert "weighed every current statement" in res.response.content and "/gaps bridges" in res.response.content
    assert res.response.components == []
    again = await dan.slash(world.channel, "gaps discuss")
    assert shown_number(again) is None and "/gaps bridges" in again.response.content
    assert db_rows(db_path, "SELECT count(*), min(reaction) FROM reactions WHERE user_id = ?", dan.id) == [(3, "pass")]


@pytest.mark.concord_settings(privacy={"min_group": 1})  # tiny groups named: this test is about something else
async def test_the_message_shows_the_stance_number_attribution_and_how_many_are_left(world):
    alice, bob, carol, _ = world.members
    await alice.slash(world.channel, "profile set", stakeholder="academia")
    await take(world, alice, "Spam has no home.", "widespread")
    await take(world, carol, "Cybercrime cooperation is thin.", "some")  # Carol has no profile
    expected = {
        1: ("Spam has no home.", {"Argues for": "Widespread gaps", "Written by": "Academia"}),
        2: (
            "Cybercrime cooperation is thin.",
            {"Argues for": "Gaps in specific policy areas", "Written by": "Undeclared"},
        ),
    }

    res = await bob.slash(world.channel, "gaps discuss")

    [embed] = res.response.embeds
    labels = [button["label"] for row in res.response.components for button in row["components"]]
    assert labels == ["Agree", "Disagree", "Pass", "Report"]
    text, fields = expected[shown_number(res)]
    assert embed.description == text
    assert {field.name: field.value for field in embed.fields} == fields
    assert embed.footer.text.endswith("1 more statement left for you")
    last = await bob.click(res.response, label="Pass")
    assert last.response.embeds[0].footer.text.endswith("the last statement left for you on this theme")


async def test_a_reaction_is_stored_and_a_click_on_an_earlier_message_changes_it(world, db_path):
    alice, bob, *_ = world.members
    await take(world, alice, "Spam has no home.")
    first = await bob.slash(world.channel, "gaps discuss")
    second = await bob.slash(world.channel, "gaps discuss")  # both show #1, the only statement
    assert shown_number(first) == shown_number(second) == 1

    res = await bob.click(first.response, label="Agree")
    assert "Recorded: you agree with #1." in res.response.content
    assert db_rows(db_path, "SELECT reaction FROM reactions WHERE user_id = ?", bob.id) == [("agree",)]

    res = await bob.click(second.response, label="Disagree")  # the earlier message still shows #1
    assert "you disagree with #1" in res.response.content and "replaces your earlier reaction" in res.response.content
    assert db_rows(db_path, "SELECT reaction FROM reactions WHERE user_id = ?", bob.id) == [("disagree",)]
    history = db_rows(db_path, "SELECT reaction FROM reaction_history WHERE user_id = ? ORDER BY id", bob.id)
    assert history == [("agree",), ("disagree",)]


async def test_a_changed_rationale_is_a_new_statement_while_the_same_text_keeps_its_reactions(world, db_path):
    alice, bob, carol, _ = world.members
    await take(world, alice, "Spam has no home.")
    res = await bob.slash(world.channel, "gaps discuss")
    await bob.click(res.response, label="Agree")

    await take(world, alice, "Spam has no home.", "widespread")  # same text, another stance: same statement
    assert shown_number(await bob.slash(world.channel, "gaps discuss")) is None  # Bob already weighed it
    shown = await carol.slash(world.channel, "gaps discuss")
    assert shown_number(shown) == 1 and "Widespread gaps" in embed_text(shown.response.embeds[0])

    await take(world, alice, "Spam and fraud have no home.")  # another text: a new statement, no reactions
    res = await bob.slash(world.channel, "gaps discuss")
    assert shown_number(res) == 2
    rows = db_rows(db_path, "SELECT number, agrees FROM statements ORDER BY number")
    assert rows == [(1, 1), (2, 0)]


async def test_a_position_without_rationale_is_no_statement_and_a_withdrawn_one_is_not_shown(world):
    alice, bob, carol, _ = world.members
    await alice.slash(world.channel, "gaps position", stance="some", rationale="   ")
    await take(world, carol, "Existing fora cope.", "none")
    await carol.slash(world.channel, "gaps withdraw")
    res = await bob.slash(world.channel, "gaps discuss")
    assert shown_number(res) is None


async def test_buttons_keep_working_after_a_restart(world, settings, db_path):
    alice, bob, *_ = world.members
    await take(world, alice, "Spam has no home.")
    res = await bob.slash(world.channel, "gaps discuss")

    await restart(world.env, settings)

    clicked = await bob.click(res.response, label="Agree")
    assert "you agree with #1" in clicked.response.content
    assert db_rows(db_path, "SELECT reaction FROM reactions WHERE user_id = ?", bob.id) == [("agree",)]


async def test_two_servers_are_isolated(world, simcord_env):
    other = build_world(simcord_env, name="Another forum")
    await take(world, world.members[0], "Spam has no home.")
    await take(other, other.members[0], "Elsewhere entirely.")

    here = await world.members[1].slash(world.channel, "gaps discuss")
    there = await other.members[1].slash(other.channel, "gaps discuss")

    assert shown_number(here) == 1 and "Spam has no home." in embed_text(here.response.embeds[0])
    assert shown_number(there) == 1 and "Elsewhere entirely." in embed_text(there.response.embeds[0])
    await world.members[1].click(here.response, label="Agree")
    assert (await other.members[2].slash(other.channel, "gaps bridges")).response.embeds[0].fields == []


async def test_user_text_in_a_statement_never_pings(world):
    alice, bob, *_ = world.members
    await take(world, alice, "@everyone <@&1> <@1> should hear this")
    res = await bob.slash(world.channel, "gaps discuss")
    message = res.response.message
    assert not message.mention_everyone and message.mentions == [] and message.role_mentions == []


# --- /<slug> bridges ------------------------------------------------------------------------------


async def forum(world: World, people_per_group: int = 3):
    """Members in every stakeholder group: {group: [members]}."""
    members = {}
    for group in GROUPS:
        members[group] = []
        for index in range(people_per_group):
            member = world.add_member(f"{group}-{index}")
            await member.slash(world.channel, "profile set", stakeholder=group)
            members[group].append(member)
    return members


async def react_to(world: World, member, number: int, reaction: str) -> None:
    """A scripted reaction, recorded through the store (what a click records), to statement #number."""
    [(statement_id,)] = db_rows(world.bot.settings.database.path, "SELECT id FROM statements WHERE number = ?", number)
    outcome = await world.bot.store.react(world.guild.id, statement_id, member.id, Reaction(reaction), world.env.now())
    assert outcome is Reacted.RECORDED


@pytest.mark.concord_settings(privacy={"min_group": 1})  # tiny groups named: this test is about something else
async def test_bridges_rank_common_ground_and_name_where_groups_divide(world):
    people = await forum(world)
    authors = world.members
    await take(world, authors[0], "Everyone agrees with this.")  # 1
    await take(world, authors[1], "Only government loves this.")  # 2
    await take(world, authors[2], "Government yes, civil society no.")  # 3
    await take(world, authors[3], "Three groups agree.")  # 4
    for group in GROUPS:
        for member in people[group]:
            await react_to(world, member, 1, "agree")
    for member in people["government"]:
        await react_to(world, member, 2, "agree")
    for member in people["government"]:
        await react_to(world, member, 3, "agree")
    for member in people["civil-society"]:
        await react_to(world, member, 3, "disagree")
    for member in people["academia"][:2]:
        await react_to(world, member, 3, "agree")
    for group in ("government", "academia", "technical-community"):
        await react_to(world, people[group][0], 4, "agree")

    res = await world.members[0].slash(world.channel, "gaps bridges")

    common, divides = res.response.embeds
    names = [field.name for field in common.fields]
    assert [name.split(" · ")[0] for name in names] == ["#1", "#4", "#3"]  # #2 (one group) is not listed
    assert names[0] == "#1 · Gaps in specific policy areas · score 80%"  # (3+1)/(3+2) in every group
    assert "Government 3 of 3 agree" in common.fields[0].value
    assert "Civil society 0 of 3 agree" in common.fields[2].value
    [divide] = divides.fields
    assert divide.name.startswith("#3 · ")
    assert divide.value.endswith("Government 3 of 3 agree · Civil society 0 of 3 agree")


async def test_bridges_with_no_reactions_say_so_and_point_to_discuss(world):
    await take(world, world.members[0], "Spam has no home.")
    res = await world.members[1].slash(world.channel, "gaps bridges")
    [embed] = res.response.embeds
    assert res.ephemeral and "Nobody has reacted" in embed.description and "/gaps discuss" in embed.description


@pytest.mark.concord_settings(privacy={"attribution": "named"})
async def test_named_attribution_names_the_author_in_discuss(world):
    alice, bob, *_ = world.members
    await alice.slash(world.channel, "profile set", stakeholder="government")
    await take(world, alice, "Spam has no home.")
    res = await bob.slash(world.channel, "gaps discuss")
    fields = {field.name: field.value for field in res.response.embeds[0].fields}
    assert fields["Written by"] == f"{alice.name} (Government)"
