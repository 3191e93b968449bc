"""One's own contributions: one's own texts in `/profile show`, one's own entry marked among everyone's,
one's own vote beside a poll's results, and the recently closed polls in `/poll list` (to find them)."""

from __future__ import annotations

import pytest

from bot.render.discord.limits import EMBED_TOTAL, FIELD_VALUE
from tests.support.polls import create_poll, open_poll
from tests.support.world import embed_text

LINKABLE = "no longer linkable to you, by design"

# --- /profile show: one's own texts ----------------------------------------------------------------


async def test_profile_show_shows_the_text_of_each_of_ones_own_rationales(world):
    alice, bob = world.members[0], world.members[1]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="Spam and *cybercrime* @everyone.")
    await bob.slash(world.channel, "gaps position", stance="none", rationale="Bob's text, not Alice's.")
    shown = await alice.slash(world.channel, "profile show")
    [embed] = shown.response.embeds
    gaps = next(field.value for field in embed.fields if field.name == "Gaps")
    assert "Spam and *cybercrime* @everyone." in gaps and "characters" not in gaps
    assert "Bob's text" not in embed_text(embed)


async def test_profile_show_shortens_long_texts_politely_within_discords_limits(world):
    alice = world.members[0]
    for theme in ("existing", "gaps", "structures", "igf", "newbody"):
        stance = {"existing": "develop", "gaps": "some", "structures": "improve", "igf": "home"}.get(
            theme, "status-quo"
        )
        await alice.slash(
            world.channel, f"{theme} position", stance=stance, rationale=f"{theme} " + "w" * (999 - len(theme))
        )
    [embed] = (await alice.slash(world.channel, "profile show")).response.embeds
    assert len(embed) <= EMBED_TOTAL and len(embed.fields) == 5
    for field in embed.fields:
        assert len(field.value) <= FIELD_VALUE
        assert "…\n(shortened here; the full text is in `/" in field.value and " positions`)" in field.value
    assert "/gaps positions" in next(f.value for f in embed.fields if f.name == "Gaps")


# --- /<slug> positions: one's own entry marked -----------------------------------------------------


async def test_positions_mark_the_callers_own_entry_only(world):
    alice, bob = world.members[0], world.members[1]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="Alice's reasons.")
    await bob.slash(world.channel, "gaps position", stance="none", rationale="Bob's reasons.")
    for viewer, own in ((alice, "Alice's reasons."), (bob, "Bob's reasons.")):
        [embed] = (await viewer.slash(world.channel, "gaps positions")).response.embeds
        marked = [field for field in embed.fields if "★ yours" in field.name]
        assert [field.value for field in marked] == [own]
    [embed] = (await world.members[2].slash(world.channel, "gaps positions")).response.embeds
    assert not any("★ yours" in field.name for field in embed.fields)


# --- /poll results: one's own vote ---------------------------------------------------------------


async def results_content(world, member, number: int = 1) -> str:
    res = await member.slash(world.channel, "poll results", poll=number)
    assert res.ephemeral
    return res.response.content or ""


@pytest.mark.parametrize("secret", [False, True], ids=["open-ballot", "secret-ballot"])
async def test_results_tell_the_caller_their_current_vote_while_open(world, secret):
    poll = await open_poll(world, secret=secret, max_choices=2)
    alice, bob = world.members[0], world.members[1]
    await alice.click(poll, label="Yes")
    await alice.click(poll, label="Not yet")
    await bob.click(poll, label="No")
    assert "Your vote: **Yes**, **Not yet**." in await results_content(world, alice)
    assert "Your vote: **No**." in await results_content(world, bob)
    assert "Your vote: none yet." in await results_content(world, world.members[2])
    await bob.click(poll, label="Retract my vote")
    assert "Your vote: none yet." in await results_content(world, bob)


async def test_results_with_results_shown_while_open_carry_the_vote_too(world):
    poll = await open_poll(world, hide_results=False, secret=True)
    await world.members[0].click(poll, label="No")
    res = await world.members[0].slash(world.channel, "poll results", poll=1)
    assert "Your vote: **No**." in res.response.content and "No: 1 (100%)" in res.response.embeds[0].description


async def test_after_close_a_secret_vote_is_no_longer_linkable_and_an_open_one_is_shown(world):
    secret = await open_poll(world, secret=True)
    await create_poll(world, question="Open ballot?")
    open_ballot = (await world.bot.store.get_poll(world.guild.id, 2)).message_id
    alice = world.members[0]
    await alice.click(secret, label="Yes")
    opened = next(m for m in world.channel.history() if m.id == open_ballot)
    await alice.click(opened, label="No")
    for number in (1, 2):
        await world.facilitator.slash(world.channel, "poll close", poll=number)
    said = await results_content(world, alice, 1)
    assert LINKABLE in said and "Yes" not in said
    assert "Your vote: **No**." in await results_content(world, alice, 2)
    assert "Your vote" not in await results_content(world, world.members[3], 2)  # did not vote: nothing to say


# --- /poll list: recently closed polls ----------------------------------------------------------


async def test_poll_list_shows_recently_closed_polls_with_their_numbers(world):
    await create_poll(world, question="Still open?", hours=768)
    await create_poll(world, question="Last week's question?", secret=True)
    await world.facilitator.slash(world.channel, "poll close", poll=2)
    await world.env.advance_time(7 * 24 * 3600)
    embed = (await world.members[0].slash(world.channel, "poll list")).response.embeds[0]
    assert "#1" in embed.description and "Last week" not in embed.description
    [closed] = [field for field in embed.fields if field.name == "Recently closed"]
    assert "**#2** Last week's question? · closed <t:" in closed.value
    assert "secret ballot" in closed.value
    assert "/poll results poll:<number>" in embed.footer.text


async def test_poll_list_keeps_only_the_ten_latest_closed_polls(world):
    for number in range(1, 13):
        await create_poll(world, question=f"Question {number}?", options="A; B")
        await world.facilitator.slash(world.channel, "poll close", poll=number)
        await world.env.advance_time(60)
    embed = (await world.members[0].slash(world.channel, "poll list")).response.embeds[0]
    [closed] = [field for field in embed.fields if field.name == "Recently closed"]
    assert closed.value.index("#12") < closed.value.index("#3")  # latest first
    assert "#2 " not in closed.value and "#1 " not in closed.value
