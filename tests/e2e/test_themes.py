"""Taking, changing and withdrawing positions; tallies; guilds; restarts; bad input. All through SimCord."""

from __future__ import annotations

import discord
import pytest
import simcord

from bot.interactions import UserError
from bot.settings import Settings
from bot.store.dbtime import to_db_time
from cogs.themes._form import clean_rationale
from tests.support.world import DEFERRED, World, build_world, db_rows, embed_text, first_answer, restart

SOME = "Gaps in specific policy areas"
NONE = "No significant gaps"


def positions(db_path, theme="gaps"):
    return db_rows(
        db_path,
        "SELECT guild_id, user_id, display_name, stance, rationale FROM positions WHERE theme = ? ORDER BY user_id",
        theme,
    )


def history(db_path, user_id, theme="gaps"):
    return db_rows(
        db_path,
        "SELECT stance, rationale FROM position_history WHERE theme = ? AND user_id = ? ORDER BY id",
        theme,
        user_id,
    )


def text_input(shown: simcord.InteractionResult) -> dict:
    """The form's one text input (after any text shown above it)."""
    (row,) = [component for component in shown.modal["components"] if component["type"] == 1]
    (field,) = row["components"]
    return field


def form_text(shown: simcord.InteractionResult) -> list[str]:
    """What the form says above its input."""
    return [component["content"] for component in shown.modal["components"] if component["type"] == 10]


async def tally_text(world: World, member=None, theme: str = "gaps") -> discord.Embed:
    res = await (member or world.facilitator).slash(world.channel, f"{theme} tally")
    assert first_answer(world)["type"] == DEFERRED  # at once, then the chart: never past the 3-second deadline
    assert res.response.ephemeral
    (embed,) = res.response.embeds
    return embed


# --- taking a position ---------------------------------------------------------------------------


async def test_position_with_rationale_is_stored_and_confirmed_privately(world, db_path):
    alice = world.members[0]
    res = await alice.slash(world.channel, "gaps position", stance="some", rationale="  Spam lacks a home.  ")

    assert res.response.ephemeral
    assert res.response.content == (
        f"Your position on **Gaps** is recorded: **{SOME}**.\nRationale saved (18 characters).\n"
        "You have no profile yet, so your positions count as “Undeclared”. Say which stakeholder group you "
        "speak from with `/profile set`: it applies to your past positions too."
    )
    assert positions(db_path) == [(world.guild.id, alice.id, "participant0", "some", "Spam lacks a home.")]
    (at,) = db_rows(db_path, "SELECT updated_at FROM positions")[0]
    assert at == to_db_time(discord.utils.utcnow())
    assert history(db_path, alice.id) == [("some", "Spam lacks a home.")]


async def test_position_without_rationale_opens_the_form_and_records_its_submission(world, db_path):
    alice = world.members[0]
    shown = await alice.slash(world.channel, "gaps position", stance="widespread")

    field = text_input(shown)
    assert field["custom_id"] == "rationale"
    assert field["style"] == discord.TextStyle.paragraph.value
    assert field["required"] is False
    assert field["max_length"] == 1000
    assert "value" not in field  # nothing to prefill yet
    assert positions(db_path) == []  # the form alone records nothing

    res = await alice.submit_modal(shown, {"rationale": "Jurisdiction, spam, child protection."})
    assert res.response.ephemeral
    assert "recorded: **Widespread gaps**" in res.response.content
    assert positions(db_path)[0][3:] == ("widespread", "Jurisdiction, spam, child protection.")


async def test_form_is_prefilled_with_the_current_rationale(world, db_path):
    alice = world.members[0]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="First thoughts.")

    shown = await alice.slash(world.channel, "gaps position", stance="none")
    assert text_input(shown)["value"] == "First thoughts."
    # Reasons written for another stance are never carried over unseen: the form says what they were for.
    assert form_text(shown) == [
        f"The text below is the rationale you wrote for “{SOME}”. Edit it to say why you now hold "
        f"“{NONE}”, or clear it to record no rationale."
    ]
    same = await alice.slash(world.channel, "gaps position", stance="some")
    assert text_input(same)["value"] == "First thoughts." and form_text(same) == []
    res = await alice.submit_modal(shown, {"rationale": "Second thoughts."})

    assert res.response.content == (
        f"Your position on **Gaps** is updated: **{NONE}**.\n(It was: {SOME}.)\nRationale saved (16 characters)."
    )
    assert positions(db_path)[0][3:] == ("none", "Second thoughts.")


async def test_form_submitted_empty_records_the_stance_without_a_rationale(world, db_path):
    alice = world.members[0]
    shown = await alice.slash(world.channel, "gaps position", stance="undecided")
    res = await alice.submit_modal(shown, {})

    assert "No rationale recorded" in res.response.content
    assert positions(db_path)[0][3:] == ("undecided", None)


async def test_changing_a_position_replaces_it_and_appends_to_history(world, db_path):
    alice = world.members[0]
    await alice.slash(world.channel, "gaps position", stance="none", rationale="Markets fix it.")
    await world.env.advance_time(3600)
    res = await alice.slash(world.channel, "gaps position", stance="some", rationale="Convinced by the panel.")

    assert res.response.content.startswith(f"Your position on **Gaps** is updated: **{SOME}**.\n(It was: {NONE}.)")
    assert positions(db_path) == [(world.guild.id, alice.id, "participant0", "some", "Convinced by the panel.")]
    assert history(db_path, alice.id) == [("none", "Markets fix it."), ("some", "Convinced by the panel.")]
    times = [row[0] for row in db_rows(db_path, "SELECT at FROM position_history ORDER BY id")]
    assert times[1] > times[0]


async def test_withdrawing_removes_the_position_and_records_it_in_history(world, db_path):
    alice, bob = world.members[:2]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="Yes.")
    await bob.slash(world.channel, "gaps position", stance="none", rationale="No.")

    res = await alice.slash(world.channel, "gaps withdraw")
    assert res.response.ephemeral
    assert res.response.content == "Your position on **Gaps** has been withdrawn."
    assert [row[1] for row in positions(db_path)] == [bob.id]
    assert history(db_path, alice.id) == [("some", "Yes."), (None, None)]

    again = await alice.slash(world.channel, "gaps withdraw")
    assert again.response.content == "You have no position on **Gaps** to withdraw."
    assert history(db_path, alice.id) == [("some", "Yes."), (None, None)]  # nothing appended for a no-op
    assert f"{NONE}: 1 (100%)" in (await tally_text(world)).description


async def test_positions_are_per_theme(world, db_path):
    alice = world.members[0]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="Gaps.")
    await alice.slash(world.channel, "igf position", stance="home", rationale="IGF.")
    await alice.slash(world.channel, "gaps withdraw")

    assert positions(db_path, "gaps") == []
    assert positions(db_path, "igf")[0][3:] == ("home", "IGF.")


# --- tallies -------------------------------------------------------------------------------------


async def test_tally_shows_exact_counts_and_half_up_percentages(world):
    a, b, c = world.members[:3]
    await a.slash(world.channel, "gaps position", stance="some", rationale="a")
    await b.slash(world.channel, "gaps position", stance="some", rationale="b")
    await c.slash(world.channel, "gaps position", stance="none", rationale="c")

    embed = await tally_text(world)
    lines = embed.description.splitlines()
    assert [line for line in lines if ": " in line and "%)" in line] == [
        f"{NONE}: 1 (33%)",
        f"{SOME}: 2 (67%)",
        "Widespread gaps: 0 (0%)",
        "Undecided: 0 (0%)",
    ]
    assert "**Participants: 3**" in lines


async def test_tally_of_eight_rounds_one_eighth_up_to_13_percent(world):
    people = [*world.members, *(world.add_member(f"extra{i}") for i in range(4))]
    for person in people[:7]:
        await person.slash(world.channel, "igf position", stance="contributor", rationale="x")
    await people[7].slash(world.channel, "igf position", stance="home", rationale="y")

    description = (await tally_text(world, theme="igf")).description
    assert "Enhanced cooperation belongs within the IGF: 1 (13%)" in description
    assert "The IGF contributes but is not its home: 7 (88%)" in description
    assert "**Participants: 8**" in description


async def test_tally_with_no_positions_says_so(world):
    embed = await tally_text(world)
    assert "No positions yet on this theme" in embed.description
    assert embed.fields == []


@pytest.mark.concord_settings(privacy={"min_group": 1})  # tiny groups named: this test is about something else
async def test_breakdown_moves_positions_from_undeclared_to_the_group_once_a_profile_is_set(world):
    a, b, c = world.members[:3]
    await a.slash(world.channel, "gaps position", stance="some", rationale="a")
    await b.slash(world.channel, "gaps position", stance="some", rationale="b")
    await c.slash(world.channel, "gaps position", stance="none", rationale="c")

    before = {field.name: field.value for field in (await tally_text(world)).fields}
    assert before == {"Undeclared (3)": f"{NONE}: 1 (33%)\n{SOME}: 2 (67%)"}

    await a.slash(world.channel, "profile set", stakeholder="civil-society", region="african")
    await c.slash(world.channel, "profile set", stakeholder="government")

    after = {field.name: field.value for field in (await tally_text(world)).fields}
    assert after == {
        "Government (1)": f"{NONE}: 1 (100%)",
        "Civil society (1)": f"{SOME}: 1 (100%)",
        "Undeclared (1)": f"{SOME}: 1 (100%)",
    }
    assert list(after) == ["Government (1)", "Civil society (1)", "Undeclared (1)"]


# --- servers and restarts ------------------------------------------------------------------------


@pytest.mark.concord_settings(privacy={"min_group": 1})  # tiny groups named: this test is about something else
async def test_two_servers_never_see_each_others_data(world, db_path):
    other = build_world(world.env, members=0, name="Another server")
    user = world.env.create_user("both")
    here = world.guild.add_member(user)
    there = other.guild.add_member(user)

    await here.slash(world.channel, "gaps position", stance="some", rationale="Here.")
    await here.slash(world.channel, "profile set", stakeholder="academia")
    await there.slash(other.channel, "gaps position", stance="none", rationale="There.")

    assert f"{SOME}: 1 (100%)" in (await tally_text(world, here)).description
    there_tally = await tally_text(other, there)
    assert f"{NONE}: 1 (100%)" in there_tally.description
    assert f"{SOME}: 0 (0%)" in there_tally.description
    assert [field.name for field in there_tally.fields] == ["Undeclared (1)"]  # the profile stayed in its server
    res = await there.slash(other.channel, "profile show")
    assert "no profile yet" in res.response.content
    browse = await there.slash(other.channel, "gaps positions")
    assert "There." in embed_text(browse.response.embeds[0])
    assert "Here." not in embed_text(browse.response.embeds[0])
    assert sorted((row[0], row[4]) for row in positions(db_path)) == sorted(
        [(world.guild.id, "Here."), (other.guild.id, "There.")]
    )


@pytest.mark.concord_settings(privacy={"min_group": 1})  # tiny groups named: this test is about something else
async def test_restart_over_the_same_database_keeps_every_position(world, settings, db_path):
    a, b, c = world.members[:3]
    await a.slash(world.channel, "gaps position", stance="some", rationale="a")
    await b.slash(world.channel, "existing position", stance="develop", rationale="b")
    await c.slash(world.channel, "newbody position", stance="analyse-first", rationale="c")
    await b.slash(world.channel, "profile set", stakeholder="technical-community")
    stored = db_rows(db_path, "SELECT * FROM positions ORDER BY theme")

    await restart(world.env, settings)

    assert db_rows(db_path, "SELECT * FROM positions ORDER BY theme") == stored
    assert f"{SOME}: 1 (100%)" in (await tally_text(world)).description
    existing = await tally_text(world, theme="existing")
    assert [field.name for field in existing.fields] == ["Technical community (1)"]
    assert "Analyse the current ecosystem first: 1 (100%)" in (await tally_text(world, theme="newbody")).description
    res = await c.slash(world.channel, "newbody position", stance="status-quo")
    assert text_input(res)["value"] == "c"


async def test_form_opened_before_a_restart_or_long_ago_still_records(world, settings, db_path):
    alice, bob = world.members[:2]
    early = await alice.slash(world.channel, "gaps position", stance="some")
    slow = await bob.slash(world.channel, "gaps position", stance="none")

    await restart(world.env, settings)
    res = await alice.submit_modal(early, {"rationale": "Written while the bot restarted."})
    assert "recorded" in res.response.content

    await world.env.advance_time(2 * 3600)  # a long, careful rationale
    res = await bob.submit_modal(slow, {"rationale": "Took my time."})
    assert "recorded" in res.response.content
    assert [row[3:] for row in positions(db_path)] == [
        ("some", "Written while the bot restarted."),
        ("none", "Took my time."),
    ]


async def test_form_submitted_after_the_position_changed_elsewhere_records_the_form(world, db_path):
    alice = world.members[0]
    shown = await alice.slash(world.channel, "gaps position", stance="widespread")
    await alice.slash(world.channel, "gaps position", stance="none", rationale="Changed in another tab.")

    res = await alice.submit_modal(shown, {"rationale": "The form, sent last."})

    assert res.response.content.startswith("Your position on **Gaps** is updated: **Widespread gaps**.")
    assert f"(It was: {NONE}.)" in res.response.content
    assert positions(db_path)[0][3:] == ("widespread", "The form, sent last.")
    assert history(db_path, alice.id) == [("none", "Changed in another tab."), ("widespread", "The form, sent last.")]


# --- bad input -----------------------------------------------------------------------------------


async def test_rationale_over_1000_characters_is_refused_and_nothing_changes(world, db_path):
    alice = world.members[0]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="Kept.")

    # The option carries Discord's own max_length: the client counts and refuses before sending.
    with pytest.raises(simcord.OptionError, match="1000"):
        await alice.slash(world.channel, "gaps position", stance="none", rationale="x" * 1001)
    # Should an overlong text reach the bot anyway, it is refused politely and nothing changes.
    with pytest.raises(UserError, match=r"at most 1000 characters; yours has 1001\. Nothing was changed"):
        clean_rationale("x" * 1001)
    assert positions(db_path)[0][3:] == ("some", "Kept.")
    assert history(db_path, alice.id) == [("some", "Kept.")]

    exactly = await alice.slash(world.channel, "gaps position", stance="none", rationale="y" * 1000)
    assert "Rationale saved (1000 characters)" in exactly.response.content


async def test_whitespace_only_rationale_is_stored_as_none_and_said_so(world, db_path):
    alice, bob = world.members[:2]
    res = await alice.slash(world.channel, "gaps position", stance="some", rationale=" \n\t ")
    assert "Your rationale was blank, so it was recorded without one." in res.response.content

    shown = await bob.slash(world.channel, "gaps position", stance="none")
    via_form = await bob.submit_modal(shown, {"rationale": "   \n  "})
    assert "Your rationale was blank, so it was recorded without one." in via_form.response.content

    assert [row[3:] for row in positions(db_path)] == [("some", None), ("none", None)]


async def test_stance_outside_the_choices_never_reaches_the_bot(world, db_path):
    with pytest.raises(simcord.OptionError):
        await world.members[0].slash(world.channel, "gaps position", stance="maybe", rationale="x")
    with pytest.raises(simcord.OptionError):
        await world.members[0].slash(world.channel, "gaps positions", stance="home")  # an igf stance
    assert positions(db_path) == []


REDUCED = {
    "themes": [
        {
            "slug": "gaps",
            "title": "Gaps",
            "question": "Gaps?",
            "stances": [{"key": "none", "label": NONE}, {"key": "some", "label": SOME}],
        }
    ]
}


async def test_form_for_a_stance_since_removed_from_the_config_is_refused_politely(world, db_path):
    alice = world.members[0]
    shown = await alice.slash(world.channel, "gaps position", stance="widespread")

    await restart(world.env, Settings.load(None, database={"path": db_path}, **REDUCED))
    res = await alice.submit_modal(shown, {"rationale": "Too late."})

    assert res.response.ephemeral
    assert res.response.content.startswith("Sorry, `widespread` is not a stance on this theme.")
    assert "`none`, `some`" in res.response.content
    assert positions(db_path) == []


# --- about ---------------------------------------------------------------------------------------


async def test_about_shows_question_context_stances_and_participation(world):
    res = await world.members[0].slash(world.channel, "structures about")
    (embed,) = res.response.embeds
    assert res.response.ephemeral
    assert embed.description.startswith("Which existing structures can be used to operationalize")
    fields = {field.name: field.value for field in embed.fields}
    assert "18 May 2012" in fields["Context"] and "69-71 of the Tunis Agenda" in fields["Context"]
    assert fields["Stances you can take"].splitlines() == [
        "`as-is` — Existing structures as they are",
        "`improve` — Existing structures, once improved",
        "`none-fit` — No existing structure fits",
        "`undecided` — Undecided",
    ]
    assert fields["Participation"] == "Nobody has taken a position yet."

    for person in world.members[:2]:
        await person.slash(world.channel, "structures position", stance="improve", rationale="r")
    res = await world.members[0].slash(world.channel, "structures about")
    assert {f.name: f.value for f in res.response.embeds[0].fields}["Participation"] == (
        "2 participants have taken a position."
    )
