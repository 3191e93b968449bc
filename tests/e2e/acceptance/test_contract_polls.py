"""Acceptance tests for facilitator polls, written from the public contract only."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import discord
import pytest
import simcord

OPTIONS = "Approve;Reject;Abstain"
RETRACT = "Retract my vote"
STRING, INTEGER, BOOLEAN = 3, 4, 5


def poll_payloads(acc: Any) -> dict[str, dict[str, Any]]:
    poll = next(cmd for cmd in acc.bot.tree.get_commands() if cmd.name == "poll").to_dict(acc.bot.tree)
    return {o["name"]: o for o in poll["options"] if o["type"] == 1}


def opt(sub: dict[str, Any], name: str) -> dict[str, Any]:
    found = [o for o in sub.get("options") or [] if o["name"] == name]
    assert found, f"/poll {sub['name']} has no option {name!r}"
    return found[0]


def poll_messages(acc: Any, channel: Any = None) -> list[discord.Message]:
    """Public messages carrying a poll (they have the "Retract my vote" button)."""
    return [m for m in acc.public(channel) if any(b.label == RETRACT for b in acc.buttons(m))]


async def create(acc: Any, who: Any = None, channel: Any = None, **options: Any) -> discord.Message:
    options.setdefault("question", "Should the IGF host enhanced cooperation?")
    options.setdefault("options", OPTIONS)
    before = len(poll_messages(acc, channel))
    res = await (who or acc.fac).slash(channel or acc.channel, "poll create", **options)
    assert res.response is not None, "no answer to /poll create"
    polls = poll_messages(acc, channel)
    assert len(polls) == before + 1, f"no poll posted: {acc.result_text(res)}"
    return polls[-1]


def fresh(acc: Any, message: discord.Message, channel: Any = None) -> discord.Message:
    return next(m for m in acc.public(channel) if m.id == message.id)


def replies(acc: Any, poll: discord.Message, channel: Any = None) -> list[discord.Message]:
    return acc.replies_to(acc.public(channel), poll)


def is_closed(acc: Any, poll: discord.Message, channel: Any = None) -> bool:
    buttons = acc.buttons(fresh(acc, poll, channel))
    return all(b.disabled for b in buttons)


async def vote(acc: Any, member: Any, poll: discord.Message, label: str) -> str:
    res = await member.click(poll, label=label)
    assert res.response is not None and res.response.ephemeral, "vote confirmation is ephemeral"
    return acc.result_text(res)


async def results(acc: Any, who: Any, number: int = 1, channel: Any = None) -> str:
    res = await who.slash(channel or acc.channel, "poll results", poll=number)
    text = acc.result_text(res)
    assert text.strip()
    return text


# ----------------------------------------------------------------------------- names and options


async def test_poll_commands_options_and_types(acc):
    subs = poll_payloads(acc)
    assert set(subs) >= {"create", "close", "results", "list"}
    create_cmd = subs["create"]
    for name, kind, required in [
        ("question", STRING, True),
        ("options", STRING, True),
        ("hours", INTEGER, False),
        ("theme", STRING, False),
        ("secret", BOOLEAN, False),
        ("hide_results", BOOLEAN, False),
        ("max_choices", INTEGER, False),
    ]:
        o = opt(create_cmd, name)
        assert o["type"] == kind, name
        assert bool(o.get("required", False)) is required, name
    theme_choices = [c["value"] for c in opt(create_cmd, "theme").get("choices") or []]
    if theme_choices:
        assert set(theme_choices) == {"existing", "gaps", "structures", "igf", "newbody"}
    for sub in ("close", "results"):
        o = opt(subs[sub], "poll")
        assert o["type"] == INTEGER and o.get("required") is True
    visible = set(acc.watcher.available_commands(acc.channel))
    assert {"poll results", "poll list"} <= visible


async def test_create_posts_the_poll_publicly_with_defaults(acc):
    closes = acc.unix_in(24)
    poll = await create(acc)
    text = acc.text(poll)
    assert "Should the IGF host enhanced cooperation?" in text
    assert any(abs(ts - closes) <= 60 for ts in acc.timestamps(text)), f"no closing timestamp ~{closes}: {text}"
    assert re.search(r"(#|poll|no\.?)\s*1\b", text, re.I), text
    labels = [b.label for b in acc.buttons(poll)]
    assert {"Approve", "Reject", "Abstain", RETRACT} <= set(labels)
    ids = [b.custom_id for b in acc.buttons(poll)]
    assert all(ids) and len(set(ids)) == len(ids)
    second = await create(acc, question="Second question?", secret=True)
    assert "secret" in acc.text(second).lower()
    assert re.search(r"(#|poll|no\.?)\s*2\b", acc.text(second), re.I)
    second_ids = {b.custom_id for b in acc.buttons(second)}
    assert not second_ids & set(ids), "custom ids must include the poll id"


async def test_poll_numbers_are_per_server(acc):
    await create(acc)
    other = acc.env.create_guild("Second server")
    role = other.create_role("Facilitator")
    hall = other.create_text_channel("hall")
    chair = acc.member("chair", roles=[role], guild=other)
    watcher2 = acc.member("watch", guild=other)
    res = await chair.slash(hall, "poll create", question="Other server?", options="x;y")
    polls = [m for m in hall.history(viewer=watcher2) if any(b.label == RETRACT for b in acc.buttons(m))]
    assert len(polls) == 1, acc.result_text(res)
    assert re.search(r"(#|poll|no\.?)\s*1\b", acc.text(polls[0]), re.I)
    await chair.slash(hall, "poll close", poll=1)
    closed = next(m for m in hall.history(viewer=watcher2) if m.id == polls[0].id)
    assert all(b.disabled for b in acc.buttons(closed))
    first = poll_messages(acc)[0]
    assert not is_closed(acc, first), "closing poll 1 of another server closed ours"


@pytest.mark.parametrize(
    "options",
    [
        "Only one",
        ";".join(f"opt{i}" for i in range(11)),
        "Fine;" + "x" * 56,
        "Same;Same",
        "Approve;;Reject",
        "Approve; ;Reject",
    ],
    ids=["one-option", "eleven-options", "56-chars", "duplicate", "empty", "blank"],
)
async def test_bad_option_lists_are_refused_and_nothing_is_posted(acc, acc_refused, options):
    result = await acc_refused(lambda: acc.fac.slash(acc.channel, "poll create", question="Q?", options=options))
    if result is not None:
        assert acc.result_text(result).strip(), "refusal must explain"
    assert poll_messages(acc) == []


async def test_option_edges_that_are_fine(acc):
    poll = await create(acc, options="  " + "y" * 55 + "  ;" + ";".join(f"o{i}" for i in range(9)))
    assert "y" * 55 in [b.label for b in acc.buttons(poll)]
    assert len([b for b in acc.buttons(poll) if b.label != RETRACT]) == 10
    await create(acc, question="q" * 300, options="a;b", hours=768, max_choices=2)
    await create(acc, question="Short?", options="a;b", hours=1, max_choices=1)


@pytest.mark.parametrize(
    "bad",
    [{"hours": 0}, {"hours": 769}, {"max_choices": 0}, {"max_choices": 11}, {"question": "q" * 301}],
    ids=["hours-0", "hours-769", "max-choices-0", "max-choices-11", "question-301"],
)
async def test_out_of_range_options_are_refused(acc, acc_refused, bad):
    options = {"question": "Q?", "options": "a;b", **bad}
    await acc_refused(lambda: acc.fac.slash(acc.channel, "poll create", **options))
    assert poll_messages(acc) == []


async def test_only_facilitators_or_manage_server_may_create_and_close(acc):
    someone = acc.member("someone")
    res = await someone.slash(acc.channel, "poll create", question="Q?", options="a;b")
    assert res.response is not None and res.response.ephemeral
    assert poll_messages(acc) == []
    manager_role = acc.guild.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
    manager = acc.member("manager", roles=[manager_role])
    poll = await create(acc, who=manager)
    res = await someone.slash(acc.channel, "poll close", poll=1)
    assert res.response is not None and res.response.ephemeral
    assert not is_closed(acc, poll)
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    assert is_closed(acc, poll)


async def test_theme_option_accepts_a_slug(acc):
    await create(acc, theme="igf")


# ----------------------------------------------------------------------------- voting


async def test_vote_change_confirm_and_retract(acc):
    poll = await create(acc, hide_results=False)
    v = acc.member("voter")
    assert "Approve" in await vote(acc, v, poll, "Approve")
    assert "Reject" in await vote(acc, v, poll, "Reject")
    assert "Reject" in await vote(acc, v, poll, "Reject")
    text = await results(acc, acc.watcher)
    assert re.search(r"Reject\D{0,40}1\b", text) and not re.search(r"Approve\D{0,40}[1-9]", text), text
    res = await v.click(poll, label=RETRACT)
    assert res.response is not None and res.response.ephemeral
    text = await results(acc, acc.watcher)
    assert not re.search(r"(Approve|Reject|Abstain)\D{0,40}[1-9]", text), text


async def test_results_hidden_while_open_then_shown_at_close(acc):
    poll = await create(acc)
    a, b, c = acc.members(3)
    await vote(acc, a, poll, "Approve")
    await vote(acc, b, poll, "Approve")
    await vote(acc, c, poll, "Reject")
    for who in (acc.watcher, acc.fac):
        hidden = await results(acc, who)
        assert "hidden" in hidden.lower(), hidden
        assert re.search(r"\b3\b", hidden), "shows how many have voted"
        assert "%" not in hidden, hidden
        assert not re.search(r"Approve\D{0,40}2\b", hidden), hidden
    res = await acc.fac.slash(acc.channel, "poll close", poll=1)
    assert res.response is not None
    assert is_closed(acc, poll)
    posted = replies(acc, poll)
    assert len(posted) == 1, "results are posted in reply to the poll"
    shown = acc.text(posted[0])
    assert "67%" in shown and "33%" in shown, shown
    after = await results(acc, acc.watcher)
    assert "67%" in after and "33%" in after and "hidden" not in after.lower()
    with pytest.raises(simcord.SetupError):  # the buttons are disabled
        await a.click(fresh(acc, poll), label="Reject")


async def test_max_choices_toggles_up_to_the_maximum(acc):
    poll = await create(acc, max_choices=2, hide_results=False)
    v = acc.member("multi")
    await vote(acc, v, poll, "Approve")
    await vote(acc, v, poll, "Reject")
    await vote(acc, v, poll, "Abstain")  # one too many: refused politely
    await vote(acc, v, poll, "Approve")  # toggles Approve off
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    text = acc.text(replies(acc, poll)[0])
    assert re.search(r"Reject\D{0,40}1\b", text), text
    assert not re.search(r"Approve\D{0,40}[1-9]", text), text
    assert not re.search(r"Abstain\D{0,40}[1-9]", text), text


async def test_poll_list_shows_open_polls_with_closing_times(acc):
    closes = acc.unix_in(5)
    await create(acc, question="Listed question?", hours=5)
    text = acc.result_text(await acc.watcher.slash(acc.channel, "poll list"))
    assert any(abs(ts - closes) <= 60 for ts in acc.timestamps(text)), text
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    text = acc.result_text(await acc.watcher.slash(acc.channel, "poll list"))
    assert not any(abs(ts - closes) <= 60 for ts in acc.timestamps(text)), text


# ----------------------------------------------------------------------------- time


async def test_closes_itself_at_the_virtual_deadline_once(acc):
    poll = await create(acc, hours=1)
    await vote(acc, acc.member("v"), poll, "Approve")
    await acc.env.advance_time(3600 - 30)
    await acc.tick()
    assert not is_closed(acc, poll)
    await acc.env.advance_time(60)
    await acc.tick()
    await acc.tick()
    assert is_closed(acc, poll)
    assert len(replies(acc, poll)) == 1
    await acc.env.advance_time(3 * 3600)
    await acc.tick()
    assert len(replies(acc, poll)) == 1, "closed once only"
    assert "100%" in acc.text(replies(acc, poll)[0])


async def test_overlapping_ticks_close_once(acc):
    """APScheduler's job and the start-up tick may overlap: tick must stay idempotent."""
    poll = await create(acc, hours=3)
    await acc.env.advance_time(2 * 3600 + 60)
    await asyncio.gather(acc.tick(), acc.tick())
    assert len(replies(acc, poll)) == 1, "closing-soon notice posted once"
    await acc.env.advance_time(3600)
    await asyncio.gather(acc.tick(), acc.tick(), acc.tick())
    assert is_closed(acc, poll)
    assert len(replies(acc, poll)) == 2, "results posted once"


async def test_unknown_or_closed_poll_numbers_get_a_polite_answer(acc):
    await create(acc)
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    for who, command in [(acc.fac, "poll close"), (acc.watcher, "poll results"), (acc.fac, "poll close")]:
        number = 99 if command == "poll results" else 1
        res = await who.slash(acc.channel, command, poll=number)
        assert res.response is not None and res.response.ephemeral and acc.result_text(res).strip()
    assert len(replies(acc, poll_messages(acc)[0])) == 1, "closing twice posts results twice"


async def test_default_duration_is_24_hours(acc):
    poll = await create(acc)
    await acc.env.advance_time(24 * 3600 - 60)
    await acc.tick()
    assert not is_closed(acc, poll)
    await acc.env.advance_time(120)
    await acc.tick()
    assert is_closed(acc, poll)


async def test_closing_soon_notice_once_only_for_long_polls(acc):
    long_poll = await create(acc, question="Long?", hours=3)
    short_poll = await create(acc, question="Short?", hours=2)
    await acc.env.advance_time(3600 + 60)  # short poll is 1h from close; not longer than twice 1h
    await acc.tick()
    assert replies(acc, short_poll) == []
    assert replies(acc, long_poll) == []
    await acc.env.advance_time(3600)  # long poll is now < 1h from close
    await acc.tick()
    await acc.tick()
    assert len(replies(acc, long_poll)) == 1, "closing-soon notice"
    assert not is_closed(acc, long_poll)
    await acc.env.advance_time(600)
    await acc.tick()
    assert len(replies(acc, long_poll)) == 1, "notice posted once"
    await acc.env.advance_time(3600)
    await acc.tick()
    assert is_closed(acc, long_poll) and is_closed(acc, short_poll)
    assert len(replies(acc, long_poll)) == 2, "notice + results"
    assert len(replies(acc, short_poll)) == 1, "results only, no notice"


@pytest.mark.parametrize("acc_overrides", [{"polls": {"closing_soon": "30m"}}])
async def test_closing_soon_lead_time_comes_from_the_toml(acc):
    poll = await create(acc, hours=2)
    await acc.env.advance_time(3600 + 20 * 60)  # 40 minutes before close
    await acc.tick()
    assert replies(acc, poll) == [], "the default 1h would have fired here"
    await acc.env.advance_time(15 * 60)  # 25 minutes before close
    await acc.tick()
    assert len(replies(acc, poll)) == 1
    assert not is_closed(acc, poll)


async def test_close_missed_during_downtime_happens_once_after_restart(acc):
    poll = await create(acc, hours=1)
    await vote(acc, acc.member("v"), poll, "Reject")
    await acc.env.advance_time(2 * 3600)  # the bot "was down": nobody ticked
    await acc.restart()
    await acc.tick()
    await acc.tick()
    assert is_closed(acc, poll)
    assert len(replies(acc, poll)) == 1
    assert "100%" in acc.text(replies(acc, poll)[0])


async def test_buttons_keep_working_after_a_restart(acc):
    poll = await create(acc, hide_results=False)
    a, b = acc.members(2)
    await vote(acc, a, poll, "Approve")
    await acc.restart()
    assert "Abstain" in await vote(acc, b, poll, "Abstain")
    assert "Reject" in await vote(acc, a, poll, "Reject")
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    text = acc.text(replies(acc, poll)[0])
    assert "50%" in text and not re.search(r"Approve\D{0,40}[1-9]", text), text


async def test_tick_survives_a_discord_failure_and_retries_later(acc):
    poll = await create(acc, hours=1)
    await acc.env.advance_time(3600 + 5)
    acc.env.inject_error("POST", "/channels/*/messages", status=500)
    await acc.tick()  # must not raise
    await acc.env.advance_time(3600)
    await acc.tick()
    await acc.tick()
    assert is_closed(acc, poll)
    assert len(replies(acc, poll)) == 1


# ----------------------------------------------------------------------------- secrecy and groups


#: The columns that hold a secret poll's key material while it is open (a nonce, or a salt before ballot keys).
KEY_MATERIAL = ("salt", "nonce", "hash", "ballot_check")


def _values_in(db: dict[str, Any], pick: Any) -> list[Any]:
    return [
        row[i]
        for columns, rows in db.values()
        for i, column in enumerate(columns)
        if pick(column)
        for row in rows
        if row[i] not in (None, b"", "")
    ]


def _everything(db: dict[str, Any]) -> list[Any]:
    return [value for _, rows in db.values() for row in rows for value in row]


def _mentions_id(db: dict[str, Any], user_id: int) -> bool:
    return any(value == user_id or (isinstance(value, str) and str(user_id) in value) for value in _everything(db))


async def test_secret_ballot_keeps_no_user_ids_and_erases_the_salt_at_close(acc, acc_db, acc_db_path):
    poll = await create(acc, secret=True)
    voters = acc.members(3, prefix="secret")
    for v, label in zip(voters, ["Approve", "Approve", "Reject"], strict=True):
        await vote(acc, v, poll, label)
    await vote(acc, voters[0], poll, "Approve")  # one ballot per person, even in secret
    db = acc_db(acc_db_path)
    for v in voters:
        assert not _mentions_id(db, v.id), f"voter id {v.id} stored while the secret poll is open"
    secret_bits = _values_in(db, lambda column: any(word in column.lower() for word in KEY_MATERIAL))
    assert secret_bits, "expected a per-poll nonce (or salt) and keyed hashes while open"
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    text = acc.text(replies(acc, poll)[0])
    assert "67%" in text and "33%" in text, text
    db = acc_db(acc_db_path)
    everything = _everything(db)
    for bit in secret_bits:
        assert bit not in everything, "salt / keyed hashes must be erased at close"
    assert not _values_in(db, lambda column: any(word in column.lower() for word in KEY_MATERIAL))
    for v in voters:
        assert not _mentions_id(db, v.id)


async def test_secret_ballot_leaves_no_recoverable_salt_in_the_files(acc, acc_db, acc_db_path):
    """'after close nobody, holding the whole database ..., can link a ballot': not even from free pages."""
    poll = await create(acc, secret=True)
    for v in acc.members(3, prefix="secret"):
        await vote(acc, v, poll, "Approve")
    db = acc_db(acc_db_path)
    salts = _values_in(db, lambda column: any(word in column.lower() for word in ("salt", "nonce")))
    assert salts
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    raw = b"".join(p.read_bytes() for p in acc_db_path.parent.glob(acc_db_path.name + "*"))
    for salt in salts:
        needle = salt if isinstance(salt, bytes) else str(salt).encode()
        assert needle not in raw, "the erased salt can still be read from the database files"


async def test_groups_under_three_voters_are_merged_into_other(acc):
    poll = await create(acc, hide_results=False)
    govs = acc.members(3, prefix="gov")
    for m in govs:
        await m.slash(acc.channel, "profile set", stakeholder="government")
    scholar, activist, anon = acc.members(3, prefix="mix")
    await scholar.slash(acc.channel, "profile set", stakeholder="academia")
    await activist.slash(acc.channel, "profile set", stakeholder="civil-society")
    for m in [*govs, scholar, activist, anon]:
        await vote(acc, m, poll, "Approve")
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    text = acc.text(replies(acc, poll)[0]).lower()
    assert "government" in text and "other" in text, text
    assert "academia" not in text and "civil" not in text and "undeclared" not in text, text
