"""`/mydata export` and `/mydata delete` end to end: exactly the caller's data, in this server only; an
erasure behind a confirmation only the caller can answer, that leaves no trace of them in the database
files (WAL included), nor in tallies, bridges or digests, while secret ballots stay counted."""

from __future__ import annotations

import json

import pytest
import simcord

from bot.core.consensus import Reaction
from tests.support.erasure import traces
from tests.support.polls import open_poll, sql
from tests.support.world import World, build_world, embed_text

HOUR = 3600
NAME = "Zofia Quillfeather"


async def take(world: World, member, text: str | None, stance: str = "some") -> None:
    options = {"stance": stance} if text is None else {"stance": stance, "rationale": text}
    res = await member.slash(world.channel, "gaps position", **options)
    assert res.ephemeral


async def react(world: World, member, author_id: int, reaction: str) -> None:
    [(statement_id,)] = sql(
        world.bot.settings.database.path, "SELECT statement_id FROM positions WHERE user_id = ?", author_id
    )
    await world.bot.store.react(world.guild.id, statement_id, member.id, Reaction(reaction), world.env.now())


async def seeded(world: World):
    """Zofia, a facilitator with a history everywhere, and Bob, who meets her on every table."""
    zofia = world.guild.add_member(
        world.env.create_user("zofia", global_name=NAME), roles=[world.guild.create_role("Facilitator")]
    )
    bob = world.members[0]
    await zofia.slash(world.channel, "profile set", stakeholder="academia")
    await zofia.slash(world.channel, "profile set", stakeholder="civil-society", region="weog")
    await bob.slash(world.channel, "profile set", stakeholder="government")
    await take(world, zofia, "Zofia's first thought.")
    await take(world, zofia, "Zofia's second thought.", "widespread")
    await take(world, bob, "Bob's own argument.")
    await take(world, world.members[1], "Carol's argument.", "none")
    await react(world, zofia, bob.id, "agree")
    await react(world, bob, zofia.id, "disagree")
    await react(world, world.members[1], zofia.id, "agree")
    open_ballot = await open_poll(world, hours=2, hide_results=False)
    secret = await open_poll(world, hours=2, secret=True)
    await open_poll(world, hours=2, question="Zofia's own poll?", actor=zofia)
    await zofia.click(open_ballot, label="Yes")
    await bob.click(open_ballot, label="No")
    await zofia.click(secret, label="Yes")
    await bob.click(secret, label="No")
    await world.members[2].click(secret, label="No")
    return zofia, bob


async def report_next(world: World, member, reason: str) -> int:
    """Report the statement `/gaps discuss` shows the member next; return its number."""
    res = await member.slash(world.channel, "gaps discuss")
    number = int((res.response.embeds[0].footer.text or "").split(" ")[0].lstrip("#"))
    form = await member.click(res.response, label="Report")
    await member.submit_modal(form, {"reason": reason})
    return number


async def export_of(world: World, member) -> dict:
    res = await member.slash(world.channel, "mydata export")
    assert res.ephemeral
    [attachment] = res.response.attachments
    assert attachment.filename == "concord-mydata.json"
    return json.loads(await attachment.read())


async def test_export_holds_exactly_the_callers_data(world, db_path):
    zofia, bob = await seeded(world)
    other = build_world(world.env, name="Another forum")
    twin = other.guild.add_member(zofia.user)  # the same person in another server
    data = await export_of(world, zofia)

    assert data["format"] == "concord-mydata/1"
    assert data["guild_id"] == str(world.guild.id) and data["user_id"] == str(zofia.id)
    assert data["profile"]["stakeholder"] == "civil-society" and data["profile"]["region"] == "weog"
    assert [entry["stakeholder"] for entry in data["profile_history"]] == ["academia", "civil-society"]
    [position] = data["positions"]
    assert position["display_name"] == NAME and position["rationale"] == "Zofia's second thought."
    assert [change["rationale"] for change in data["position_history"]] == [
        "Zofia's first thought.",
        "Zofia's second thought.",
    ]
    assert [(s["text"], s["current"]) for s in data["statements"]] == [
        ("Zofia's first thought.", False),
        ("Zofia's second thought.", True),
    ]
    assert data["statements"][1]["reactions"] == {"agree": 1, "disagree": 1, "pass": 0}  # counts, no one named
    [reaction] = data["reactions"]
    assert reaction["reaction"] == "agree" and reaction["statement"] == 3
    assert len(data["reaction_history"]) == 1 and data["reports"] == []
    [vote] = data["poll_votes"]  # the open ballot only: the secret one cannot be linked to her
    assert vote["poll"] == 1 and vote["label"] == "Yes" and vote["poll_closed"] is False
    assert [poll["poll"] for poll in data["polls_created"]] == [3]

    text = json.dumps(data)
    for someone_else in (bob.id, world.members[1].id, world.members[2].id, world.facilitator.id):
        assert str(someone_else) not in text
    assert "Bob's own argument." not in text and "Carol" not in text
    # another member's export is theirs alone; another server holds nothing of Zofia
    assert NAME not in json.dumps(await export_of(world, bob))
    elsewhere = await export_of(other, twin)
    assert elsewhere["positions"] == [] and elsewhere["profile"] is None and elsewhere["poll_votes"] == []


async def test_delete_asks_first_and_only_the_caller_can_answer(world, db_path):
    zofia, bob = await seeded(world)
    asked = await zofia.slash(world.channel, "mydata delete")
    assert asked.ephemeral
    assert "not edited" in asked.response.content and "secret ballots" in asked.response.content
    labels = [c["label"] for row in asked.response.components for c in row["components"]]
    assert labels == ["Delete my data", "Cancel"]

    with pytest.raises(simcord.SetupError):  # Discord shows the ephemeral question to Zofia alone
        await bob.click(asked.response, label="Delete my data")
    cancelled = await zofia.click(asked.response, label="Cancel")
    assert "nothing was erased" in cancelled.response.content
    assert sql(db_path, "SELECT count(*) FROM positions WHERE user_id = ?", zofia.id) == [(1,)]


async def test_delete_leaves_no_trace_in_the_files_tallies_bridges_or_digests(world, db_path):
    zofia, bob = await seeded(world)
    assert traces(db_path, zofia.id, NAME)  # the scan finds her before
    [(poll_id,)] = sql(db_path, "SELECT id FROM polls WHERE secret = 1")
    keys, seed = world.bot.context.ballot_keys, await world.bot.store.poll_ballot_seed(poll_id)
    assert seed is not None
    her_key = keys.voter_key(poll_id, seed, zofia.id)
    assert sql(db_path, "SELECT count(*) FROM poll_ballots WHERE voter_key = ?", her_key) == [(1,)]
    asked = await zofia.slash(world.channel, "mydata delete")
    done = await zofia.click(asked.response, label="Delete my data")
    assert "no longer holds any data about you" in done.response.content

    assert traces(db_path, zofia.id, NAME) == []
    assert sql(db_path, "SELECT created_by FROM polls WHERE number = 3") == [(0,)]
    # her secret ballot: still there, under a key nothing leads to from her
    assert sql(db_path, "SELECT count(*) FROM poll_ballots WHERE voter_key = ?", her_key) == [(0,)]
    assert sql(db_path, "SELECT count(DISTINCT voter_key), count(*) FROM poll_ballots") == [(3, 3)]
    # tallies, bridges, digests: she is gone, the others stay
    store, guild = world.bot.store, world.guild.id
    assert await store.stance_counts(guild, "gaps") == {("some", "government"): 1, ("none", None): 1}
    assert await store.theme_votes(guild, "gaps") == []  # her agree on Bob's was its only reaction
    assert sql(db_path, "SELECT number, agrees, disagrees, passes FROM statements ORDER BY number") == [
        (3, 0, 0, 0),
        (4, 0, 0, 0),
    ]
    bridges = await world.members[2].slash(world.channel, "gaps bridges")
    assert "Zofia" not in "".join(embed_text(e) for e in bridges.response.embeds)
    source = await store.digest_source(guild, ["gaps"], world.env.now())
    assert {entry.user_id for entry in source.histories["gaps"]} == {bob.id, world.members[1].id}
    assert zofia.id not in source.profiles and zofia.id not in source.names
    # her secret ballot stays counted, unlinked: three voters when the poll closes
    await world.env.advance_time(3 * HOUR)
    await world.bot.tick()
    [closed] = [p for p in await store.closed_polls(guild, None, world.env.now()) if p.secret]
    assert closed.voters == 3
    assert traces(db_path, zofia.id, NAME) == []


async def test_delete_in_one_server_leaves_the_other_untouched(world, db_path):
    zofia, _ = await seeded(world)
    other = build_world(world.env, name="Another forum")
    there = other.guild.add_member(world.env.create_user("zofia-elsewhere"))
    await other.members[0].slash(other.channel, "gaps position", stance="some", rationale="Elsewhere.")
    await there.slash(other.channel, "gaps position", stance="none", rationale="Mine elsewhere.")
    asked = await zofia.slash(world.channel, "mydata delete")
    await zofia.click(asked.response, label="Delete my data")
    assert sql(db_path, "SELECT count(*) FROM positions WHERE guild_id = ?", other.guild.id) == [(2,)]


async def test_a_member_with_nothing_stored_gets_an_empty_export_and_a_plain_answer(world):
    newcomer = world.members[3]
    data = await export_of(world, newcomer)
    assert data["profile"] is None and data["positions"] == [] and data["statements"] == []
    asked = await newcomer.slash(world.channel, "mydata delete")
    done = await newcomer.click(asked.response, label="Delete my data")
    assert "held no data about you" in done.response.content


async def test_export_lists_the_reports_the_caller_made_and_no_one_elses(world):
    zofia, bob = await seeded(world)
    dan = world.members[2]
    await take(world, dan, "Dan's argument.", "none")  # statement #5
    first = await report_next(world, zofia, "It repeats another argument.")
    await world.env.advance_time(60)  # oldest first
    second = await report_next(world, zofia, "")
    assert {first, second} == {4, 5}  # she has reacted to #3 already; #1 and #2 are hers
    by_dan_number = await report_next(world, dan, "A report by Dan.")
    hidden = await world.facilitator.slash(world.channel, "moderate hide", statement=first, reason="Duplicate")
    assert hidden.ephemeral

    reports = (await export_of(world, zofia))["reports"]
    assert [(r["statement"], r["theme"], r["reason"], r["outcome"]) for r in reports] == [
        (first, "gaps", "It repeats another argument.", "hidden"),
        (second, "gaps", None, None),
    ]
    assert all(r["at"].endswith("+00:00") for r in reports)
    [by_dan] = (await export_of(world, dan))["reports"]
    assert (by_dan["statement"], by_dan["reason"]) == (by_dan_number, "A report by Dan.")
    assert (await export_of(world, bob))["reports"] == []
