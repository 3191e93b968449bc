"""Polls end to end through SimCord: creating, voting, results, closing by hand, the list."""

from __future__ import annotations

import discord
import pytest
import simcord

from bot.render.discord.replies import apology
from bot.store.dbtime import to_db_time
from tests.support.polls import (
    QUESTION,
    buttons,
    callback_types,
    create_poll,
    find_message,
    open_poll,
    poll_messages,
    replies_to,
    sql,
)
from tests.support.world import World, build_world, embed_text

# --- creating ---------------------------------------------------------------------------------

APOLOGY = apology()


async def test_create_posts_a_public_poll_with_persistent_buttons(world):
    since = len(world.env.http_requests)
    res = await create_poll(world, hours=48)
    assert res.ephemeral and "Poll #1 is open" in res.response.content
    assert callback_types(world, since) == [5]  # acknowledged before storing and posting
    [poll] = poll_messages(world)
    assert not poll.flags.ephemeral
    text = embed_text(poll.embeds[0])
    assert poll.embeds[0].title == "Poll #1 · Open"
    assert QUESTION in text and "Open ballot" in text and "Hidden until the poll closes" in text
    deadline = int(world.env.now().timestamp()) + 48 * 3600
    assert f"<t:{deadline}:F>" in text and f"<t:{deadline}:R>" in text
    stored = await world.bot.store.get_poll(world.guild.id, 1)
    assert [(b.label, b.custom_id, b.disabled) for b in buttons(poll)] == [
        ("Yes", f"poll:{stored.id}:0", False),
        ("No", f"poll:{stored.id}:1", False),
        ("Not yet", f"poll:{stored.id}:2", False),
        ("Retract my vote", f"poll:{stored.id}:retract", False),
    ]
    assert stored.message_id == poll.id and stored.closes_at.timestamp() == deadline


async def test_polls_are_numbered_per_server(world):
    await create_poll(world)
    await create_poll(world, secret=True, question="Second question?")
    second = poll_messages(world)[-1].embeds[0]
    assert second.title == "Poll #2 · Open" and "Secret" in embed_text(second)
    other = build_world(world.env, name="Another hub")
    await create_poll(other)
    assert poll_messages(other)[-1].embeds[0].title == "Poll #1 · Open"


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ("Yes", "between 2 and 10 answers"),
        (";".join(f"Answer {i}" for i in range(11)), "you gave 11"),
        (f"{'x' * 56}; No", "at most 55 characters"),
        ("Yes; No; Yes", "appears twice"),
        ("Yes;  ; No", "is blank"),
    ],
    ids=["one-option", "eleven-options", "56-char-option", "duplicate", "blank"],
)
async def test_create_refuses_bad_options_and_posts_nothing(world, options, says):
    res = await create_poll(world, options=options)
    assert res.ephemeral and says in res.response.content and "Nothing was posted" in res.response.content
    assert poll_messages(world) == []
    assert await world.bot.store.open_polls(world.guild.id, world.env.now()) == []


def test_discord_bounds_the_options_text_before_the_bot_sees_it(world):
    create = world.bot.tree.get_command("poll").get_command("create")
    [options] = [option for option in create.to_dict(world.bot.tree)["options"] if option["name"] == "options"]
    assert options["max_length"] == 600  # ten answers of 55 characters, separators and spaces


async def test_an_options_text_beyond_its_bound_is_refused_by_discord(world):
    with pytest.raises(simcord.OptionError, match="at most 600"):
        await create_poll(world, options="a;" * 301)
    assert poll_messages(world) == []


@pytest.mark.parametrize(
    "options",
    [";" * 599, "x" * 600, "; ".join(["y" * 55] * 10), " ;" * 300, ";".join(["z" * 49] * 12)],
    ids=["all-blank", "one-long-answer", "duplicates", "spaced-blanks", "twelve-answers"],
)
async def test_every_explanation_of_a_bad_poll_fits_in_one_message(world, options):
    res = await create_poll(world, options=options, theme="t" * 100)
    assert res.ephemeral and len(res.response.content) <= 2000
    assert res.response.content.endswith("Nothing was posted.")
    assert poll_messages(world) == []


async def test_an_unknown_theme_of_any_length_is_named_within_the_limits(world):
    res = await create_poll(world, theme="t" * 3000)
    assert res.ephemeral and "`" + "t" * 39 + "…`" in res.response.content and len(res.response.content) <= 2000


async def test_a_long_refusal_from_discord_is_shown_within_the_limits(world):
    world.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, message="Missing " * 400)
    res = await create_poll(world)
    assert res.ephemeral and "could not post the poll" in res.response.content and len(res.response.content) <= 2000
    assert poll_messages(world) == []


async def test_when_discord_refuses_the_post_nothing_is_stored_and_the_number_is_kept(world):
    world.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions")
    res = await create_poll(world)
    assert res.ephemeral and res.response.content == (
        "Sorry, I could not post the poll: Discord refused me permission to post here (Discord said: 403 Forbidden "
        "(error code: 50013): Missing Permissions). Nothing was saved."
    )
    assert poll_messages(world) == [] and await world.bot.store.open_polls(world.guild.id, world.env.now()) == []
    await create_poll(world)
    assert poll_messages(world)[-1].embeds[0].title == "Poll #1 · Open"


@pytest.mark.parametrize(
    ("denied", "missing"),
    [
        ({"embed_links": False}, "Embed Links"),
        ({"read_message_history": False}, "Read Message History"),
        ({"send_messages": False, "embed_links": False}, "Send Messages, Embed Links"),
    ],
    ids=["embed-links", "read-history", "send-and-embed"],
)
async def test_create_checks_the_channel_permissions_first_and_posts_nothing(world, db_path, denied, missing):
    locked = world.guild.create_text_channel(
        "locked", overwrites={world.guild.me: discord.PermissionOverwrite(**denied)}
    )
    since = len(world.env.http_requests)
    res = await world.facilitator.slash(locked, "poll create", question=QUESTION, options="Yes; No")
    assert res.ephemeral and f"I am missing {missing} here" in res.response.content
    assert "Nothing was posted" in res.response.content
    assert [r.path for r in world.env.http_requests[since:] if "/channels/" in r.path] == []  # nothing tried
    assert sql(db_path, "SELECT count(*) FROM polls") == [(0,)]
    await create_poll(world)  # where the bot may post, the first poll is still #1
    assert poll_messages(world)[-1].embeds[0].title == "Poll #1 · Open"


async def test_create_refuses_an_unknown_theme_and_shows_a_known_one(world):
    res = await create_poll(world, theme="nonsense")
    assert res.ephemeral and "not a theme of this forum" in res.response.content and "`gaps`" in res.response.content
    assert poll_messages(world) == []
    await create_poll(world, theme="igf")
    assert "The role of the IGF (/igf)" in embed_text(poll_messages(world)[-1].embeds[0])


async def test_non_facilitator_cannot_create_or_close(world):
    res = await create_poll(world, actor=world.members[0])
    assert res.ephemeral and "only facilitators" in res.response.content
    assert poll_messages(world) == []
    await create_poll(world)
    res = await world.members[0].slash(world.channel, "poll close", poll=1)
    assert "only facilitators" in res.response.content
    assert not (await world.bot.store.get_poll(world.guild.id, 1)).is_closed


async def test_role_holder_without_manage_server_and_manager_without_role_are_facilitators(world):
    guild = world.bot.get_guild(world.guild.id)
    for role_id in (world.guild.roles["Facilitator"].id, world.guild.default_role.id):
        assert not guild.get_role(role_id).permissions.manage_guild
    await create_poll(world)
    admin_role = world.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = world.guild.add_member(world.env.create_user("admin"), roles=[admin_role])
    await create_poll(world, actor=admin, question="Another?")
    assert [m.embeds[0].title for m in poll_messages(world)] == ["Poll #1 · Open", "Poll #2 · Open"]


async def test_question_with_mentions_pings_nobody(world):
    await create_poll(world, question="@everyone <@1> should we?")
    [poll] = poll_messages(world)
    assert not poll.mention_everyone and poll.mentions == [] and "@everyone" in poll.embeds[0].description


# --- voting -----------------------------------------------------------------------------------


async def results_text(world: World, number: int = 1, actor: simcord.MemberActor | None = None) -> str:
    res = await (actor or world.members[0]).slash(world.channel, "poll results", poll=number)
    assert res.ephemeral
    return res.response.content + "\n".join(embed_text(e) for e in res.response.embeds)


async def test_vote_change_confirm_and_retract(world):
    poll = await open_poll(world, hide_results=False)
    alice = world.members[0]
    since = len(world.env.http_requests)
    res = await alice.click(poll, label="Yes")
    assert res.ephemeral and res.response.content == "Your vote on poll #1 is recorded: **Yes**."
    assert callback_types(world, since) == [5] and res.followups == []  # "thinking", then the answer in its place
    res = await alice.click(poll, label="No")
    assert res.response.content == "Your vote on poll #1 is changed to **No** (it was **Yes**)."
    res = await alice.click(poll, label="No")
    assert "already voted **No**" in res.response.content and "stands" in res.response.content
    assert "No: 1 (100%)" in await results_text(world) and "Yes: 0 (0%)" in await results_text(world)
    res = await alice.click(poll, label="Retract my vote")
    assert res.response.content == "Your vote on poll #1 (**No**) is retracted."
    res = await alice.click(poll, label="Retract my vote")
    assert res.response.content == "You have no vote on poll #1 to retract."
    assert "Nobody has voted yet" in await results_text(world)


async def test_results_with_a_chart_are_acknowledged_before_drawing_it(world):
    poll = await open_poll(world, hide_results=False)
    since = len(world.env.http_requests)
    res = await world.members[1].slash(world.channel, "poll results", poll=1)
    assert "Nobody has voted yet" in res.response.embeds[0].description and callback_types(world, since) == [4]
    await world.members[0].click(poll, label="Yes")
    since = len(world.env.http_requests)
    res = await world.members[1].slash(world.channel, "poll results", poll=1)
    assert callback_types(world, since) == [5] and res.ephemeral
    assert res.response.attachments[0].filename == "poll-1.png" and "Yes: 1 (100%)" in embed_text(
        res.response.embeds[0]
    )


async def test_an_unexpected_failure_on_a_click_apologises_and_keeps_the_earlier_vote(world, monkeypatch, caplog):
    poll = await open_poll(world, hide_results=False)
    alice = world.members[0]
    await alice.click(poll, label="Yes")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(world.bot.store, "vote", broken)
    res = await alice.click(poll, label="No")
    assert res.ephemeral and res.response.content == APOLOGY
    assert "RuntimeError: disk on fire" in caplog.text  # logged with its traceback
    monkeypatch.undo()
    text = await results_text(world)
    assert "Yes: 1 (100%)" in text and "No: 0 (0%)" in text


async def test_multiple_choices_toggle_up_to_the_maximum(world):
    poll = await open_poll(world, max_choices=2, hide_results=False)
    alice = world.members[0]
    await alice.click(poll, label="Yes")
    res = await alice.click(poll, label="Not yet")
    assert "Added **Not yet**" in res.response.content and "(2 of up to 2)" in res.response.content
    res = await alice.click(poll, label="No")
    assert "already chosen 2 answers" in res.response.content
    res = await alice.click(poll, label="Yes")
    assert "Removed **Yes**" in res.response.content
    text = await results_text(world)
    assert "Yes: 0 (0%)" in text and "Not yet: 1 (100%)" in text and "Voters: 1" in text


async def test_max_choices_above_the_number_of_answers_is_capped(world):
    res = await create_poll(world, options="Yes; No", max_choices=5)
    assert "it has 2, so that is the limit" in res.response.content
    assert (await world.bot.store.get_poll(world.guild.id, 1)).max_choices == 2


async def test_results_hidden_while_open_then_shown_at_close(world):
    poll = await open_poll(world)
    for member, answer in zip(world.members[:3], ["Yes", "Yes", "No"], strict=True):
        await member.click(poll, label=answer)
    for viewer in (world.members[0], world.facilitator):
        text = await results_text(world, actor=viewer)
        assert "hidden until it closes" in text and "3 people have voted so far" in text
        assert "Yes:" not in text and "%" not in text
    res = await world.facilitator.slash(world.channel, "poll close", poll=1)
    assert res.ephemeral and "Poll #1 is closed" in res.response.content
    closed = find_message(world, poll.id)
    assert closed.embeds[0].title == "Poll #1 · Closed" and all(b.disabled for b in buttons(closed))
    [posted] = replies_to(world, poll)
    posted_text = embed_text(posted.embeds[0])
    assert "Yes: 2 (67%)" in posted_text and "No: 1 (33%)" in posted_text and "Voters: 3" in posted_text
    text = await results_text(world)
    assert "Yes: 2 (67%)" in text and "Not yet: 0 (0%)" in text and "Undeclared (3)" in text
    res = await world.facilitator.slash(world.channel, "poll close", poll=1)
    assert "already closed" in res.response.content
    with pytest.raises(simcord.SetupError, match="disabled"):
        await world.members[3].click(closed, label="Yes")


async def test_unknown_poll_numbers_get_a_polite_answer(world):
    res = await world.members[0].slash(world.channel, "poll results", poll=9)
    assert res.ephemeral and "There is no poll #9" in res.response.content
    res = await world.facilitator.slash(world.channel, "poll close", poll=9)
    assert "There is no poll #9" in res.response.content


async def test_list_shows_open_polls_with_closing_times(world):
    res = await world.members[0].slash(world.channel, "poll list")
    assert "No polls are open" in res.response.embeds[0].description
    await create_poll(world, hours=2)
    await create_poll(world, hours=1, question="Shorter?", secret=True)
    await world.facilitator.slash(world.channel, "poll create", question="Closed one?", options="A; B")
    await world.facilitator.slash(world.channel, "poll close", poll=3)
    text = (await world.members[0].slash(world.channel, "poll list")).response.embeds[0].description
    assert "#1" in text and "#2" in text and "#3" not in text
    assert text.index("#2") < text.index("#1")  # soonest closing first
    soonest = int(world.env.now().timestamp()) + 3600
    assert f"<t:{soonest}:F>" in text and "secret ballot" in text


async def test_store_keeps_votes_with_the_voters_group_at_vote_time(world, db_path):
    poll = await open_poll(world)
    alice = world.members[0]
    await alice.slash(world.channel, "profile set", stakeholder="academia")
    await alice.click(poll, label="Yes")
    await alice.slash(world.channel, "profile set", stakeholder="government")
    assert sql(db_path, "SELECT user_id, position, stakeholder, voted_at FROM poll_votes") == [
        (alice.id, 0, "academia", to_db_time(world.env.now()))
    ]
