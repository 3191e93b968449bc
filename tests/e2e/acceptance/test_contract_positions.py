"""Acceptance tests for positions, tallies and profiles, written from the public contract only."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pydantic
import pytest
import simcord
from discord.ext import commands

from bot import create_bot
from bot.settings import Settings

THEMES = {
    "existing": {
        "sufficient": "Existing mechanisms already deliver it",
        "develop": "They exist but need further development",
        "lacking": "It is largely lacking",
        "undecided": "Undecided",
    },
    "gaps": {
        "none": "No significant gaps",
        "some": "Gaps in specific policy areas",
        "widespread": "Widespread gaps",
        "undecided": "Undecided",
    },
    "structures": {
        "as-is": "Existing structures as they are",
        "improve": "Existing structures, once improved",
        "none-fit": "No existing structure fits",
        "undecided": "Undecided",
    },
    "igf": {
        "home": "Enhanced cooperation belongs within the IGF",
        "contributor": "The IGF contributes but is not its home",
        "separate": "It is a separate process",
        "undecided": "Undecided",
    },
    "newbody": {
        "new-un-body": "A new body within the UN system",
        "status-quo": "Status quo: existing mechanisms suffice",
        "analyse-first": "Analyse the current ecosystem first",
        "undecided": "Undecided",
    },
}
QUESTIONS = {
    "existing": "What aspects of existing enhanced cooperation exist already",
    "gaps": "Can we identify areas in which such mechanisms are weak or lacking",
    "igf": "What is the role of the Internet Governance Forum",
}
STAKEHOLDERS = {
    "government",
    "private-sector",
    "civil-society",
    "technical-community",
    "academia",
    "intergovernmental",
}
REGIONS = {"african", "asia-pacific", "eastern-european", "latin-american-caribbean", "weog"}
GAPS = THEMES["gaps"]
SUBCOMMAND = 1


# ----------------------------------------------------------------------------- helpers


def tally_line(label: str, count: int, pct: int) -> re.Pattern[str]:
    """``<label>: <count> (<pct>%)`` as one line (list markers allowed before it)."""
    return re.compile(rf"^[ \t\-*•>]*{re.escape(label)}: {count} \({pct}%\)[ \t]*$", re.M)


def payloads(bot: commands.Bot) -> dict[str, dict[str, Any]]:
    """The command payloads the bot syncs (global, since guild_id = 0)."""
    return {cmd.name: cmd.to_dict(bot.tree) for cmd in bot.tree.get_commands()}


def option(node: dict[str, Any], name: str) -> dict[str, Any]:
    found = [o for o in node.get("options") or [] if o["name"] == name]
    assert found, f"{node['name']!r} has no option {name!r}: {[o['name'] for o in node.get('options') or []]}"
    return found[0]


def subcommands(node: dict[str, Any]) -> set[str]:
    return {o["name"] for o in node.get("options") or [] if o["type"] == SUBCOMMAND}


def choice_values(opt: dict[str, Any]) -> list[Any]:
    return [c["value"] for c in opt.get("choices") or []]


async def take(m: simcord.MemberActor, channel: Any, slug: str, stance: str, rationale: str = "because") -> Any:
    res = await m.slash(channel, f"{slug} position", stance=stance, rationale=rationale)
    assert res.modal is None
    assert res.response is not None and res.response.ephemeral, "confirmation is ephemeral"
    return res


async def tally_text(acc: Any, slug: str = "gaps", who: Any = None, channel: Any = None) -> str:
    res = await (who or acc.watcher).slash(channel or acc.channel, f"{slug} tally")
    text = acc.result_text(res)
    assert text.strip(), "tally said nothing"
    return text


def modal_inputs(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == 4 and "custom_id" in node:
                found[node["custom_id"]] = node
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(payload)
    return found


# ----------------------------------------------------------------------------- the command tree


async def test_every_theme_group_has_its_subcommands_and_stance_keys(acc):
    synced = payloads(acc.bot)
    for slug, stances in THEMES.items():
        assert slug in synced, f"/{slug} missing; have {sorted(synced)}"
        group = synced[slug]
        assert subcommands(group) >= {"about", "position", "withdraw", "tally", "positions"}
        position = next(o for o in group["options"] if o["name"] == "position")
        stance = option(position, "stance")
        assert stance.get("required") is True
        assert set(choice_values(stance)) == set(stances), slug
        assert not option(position, "rationale").get("required", False)
        positions = next(o for o in group["options"] if o["name"] == "positions")
        browse_stance = option(positions, "stance")
        assert not browse_stance.get("required", False)
        assert set(choice_values(browse_stance)) == set(stances)


async def test_profile_commands_have_stakeholder_and_region_keys(acc):
    profile = payloads(acc.bot)["profile"]
    assert subcommands(profile) >= {"set", "show"}
    set_cmd = next(o for o in profile["options"] if o["name"] == "set")
    stakeholder = option(set_cmd, "stakeholder")
    assert stakeholder.get("required") is True
    assert set(choice_values(stakeholder)) == STAKEHOLDERS
    region = option(set_cmd, "region")
    assert not region.get("required", False)
    assert set(choice_values(region)) == REGIONS


async def test_members_can_see_every_synced_invocation(acc):
    visible = set(acc.watcher.available_commands(acc.channel))
    expected = {f"{slug} {sub}" for slug in THEMES for sub in ("about", "position", "withdraw", "tally", "positions")}
    expected |= {"profile set", "profile show"}
    assert expected <= visible, sorted(expected - visible)


@pytest.mark.parametrize("acc_overrides", [{"discord": {"guild_id": 424242424242424242}}])
async def test_commands_sync_to_the_configured_guild(acc):
    assert acc.guild.id == 424242424242424242
    visible = set(acc.watcher.available_commands(acc.channel))
    assert {"gaps position", "poll create", "digest schedule", "profile set"} <= visible
    elsewhere = acc.env.create_guild("Elsewhere")
    hall = elsewhere.create_text_channel("hall")
    stranger = acc.member("stranger", guild=elsewhere)
    assert "gaps position" not in set(stranger.available_commands(hall))
    await take(acc.member("m"), acc.channel, "gaps", "some")


# ----------------------------------------------------------------------------- settings


def test_settings_defaults_without_a_file(acc_clean_env):
    s = Settings.load(None)
    assert s.discord.guild_id == 0
    assert s.discord.facilitator_role == "Facilitator"
    assert s.discord.organiser_role == "Organiser"
    assert str(s.database.path) == "concord.db"
    assert s.session.title == "Open Forum on Enhanced Cooperation"
    baku = timezone(timedelta(hours=4))
    assert s.session.starts_at == datetime(2012, 11, 8, 9, 0, tzinfo=baku)
    assert s.session.ends_at == datetime(2012, 11, 8, 10, 30, tzinfo=baku)
    assert s.session.starts_at.utcoffset() is not None
    assert str(s.session.timezone) == "Asia/Baku"
    assert s.privacy.attribution == "chatham-house"
    assert [t.slug for t in s.themes] == list(THEMES)
    for theme in s.themes:
        assert {st.key: st.label for st in theme.stances} == THEMES[theme.slug]
        assert theme.title
    for slug, start in QUESTIONS.items():
        assert next(t for t in s.themes if t.slug == slug).question.startswith(start)


def test_settings_mirror_the_toml_as_nested_models(tmp_path, acc_clean_env, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text(
        """
[discord]
guild_id = 1234
facilitator_role = "Moderators"
organiser_role = "EC"
[database]
path = "x.db"
[session]
title = "Rehearsal"
starts_at = "2026-02-01T10:00:00+01:00"
ends_at = "2026-02-01T11:00:00+01:00"
timezone = "Europe/Brussels"
[privacy]
attribution = "named"
[[themes]]
slug = "one"
title = "One"
question = "First?"
[[themes.stances]]
key = "yes"
label = "Yes indeed"
[[themes.stances]]
key = "no"
label = "No way"
""",
        encoding="utf-8",
    )
    s = Settings.load(path)
    assert s.discord.guild_id == 1234
    assert s.discord.facilitator_role == "Moderators"
    assert s.discord.organiser_role == "EC"
    assert str(s.database.path) == "x.db"
    assert s.session.title == "Rehearsal"
    assert s.session.starts_at == datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    assert s.session.ends_at == datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    assert s.privacy.attribution == "named"
    assert [t.slug for t in s.themes] == ["one"]
    assert s.themes[0].question == "First?"
    assert [(st.key, st.label) for st in s.themes[0].stances] == [("yes", "Yes indeed"), ("no", "No way")]
    assert Settings.load(str(path)).discord.guild_id == 1234

    monkeypatch.setenv("CONCORD_DATABASE__PATH", "from-env.db")
    monkeypatch.setenv("CONCORD_DISCORD__FACILITATOR_ROLE", "Chairs")
    s = Settings.load(path)
    assert str(s.database.path) == "from-env.db"
    assert s.discord.facilitator_role == "Chairs"


def _secrets(obj: Any, seen: set[int] | None = None) -> list[pydantic.SecretStr]:
    """Every SecretStr reachable from the settings object."""
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, pydantic.SecretStr):
        return [obj]
    if isinstance(obj, pydantic.BaseModel):
        return [s for name in type(obj).model_fields for s in _secrets(getattr(obj, name), seen)]
    if isinstance(obj, list | tuple):
        return [s for item in obj for s in _secrets(item, seen)]
    return []


def test_token_comes_only_from_discord_token_and_is_secret(tmp_path, acc_clean_env, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text("[discord]\nguild_id = 0\n", encoding="utf-8")
    assert not [s for s in _secrets(Settings.load(path)) if s.get_secret_value()]
    monkeypatch.setenv("DISCORD_TOKEN", "tok.en.SUPERSECRET")
    s = Settings.load(path)
    secrets = [x.get_secret_value() for x in _secrets(s)]
    assert "tok.en.SUPERSECRET" in secrets
    assert "SUPERSECRET" not in repr(s) and "SUPERSECRET" not in str(s)
    assert "SUPERSECRET" not in s.model_dump_json()


def _theme(slug: str, keys: list[str]) -> str:
    body = f'[[themes]]\nslug = "{slug}"\ntitle = "T"\nquestion = "Q?"\n'
    return body + "".join(f'[[themes.stances]]\nkey = "{k}"\nlabel = "L {k}"\n' for k in keys)


BAD_CONFIGS = {
    "duplicate-slug": (_theme("gaps", ["a", "b"]) + _theme("gaps", ["c", "d"]), "slug"),
    "bad-slug": (_theme("Not A Slug", ["a", "b"]), "slug"),
    "bad-stance-key": (_theme("gaps", ["has space", "b"]), "key"),
    "too-many-stances": (_theme("gaps", [f"s{i}" for i in range(26)]), "stances"),
    "ends-before-starts": (
        '[session]\nstarts_at = "2026-01-03T09:00:00+04:00"\nends_at = "2026-01-03T08:00:00+04:00"\n',
        "ends_at",
    ),
    "unknown-timezone": ('[session]\ntimezone = "Mars/Olympus_Mons"\n', "timezone"),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
async def test_bad_configuration_stops_start_up_naming_the_key(case, tmp_path, acc_clean_env):
    text, key = BAD_CONFIGS[case]
    path = tmp_path / "bad.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "bad.db"}"\n' + text, encoding="utf-8")
    with pytest.raises(Exception) as caught:  # the contract names no exception type
        bot = create_bot(Settings.load(path))
        try:
            await bot.setup_hook()
        finally:
            await bot.close()
    assert key in str(caught.value), f"error does not name {key!r}: {caught.value}"


def test_run_without_token_is_one_line_no_traceback(acc_config_path, acc_cli):
    done = acc_cli("run", "--config", str(acc_config_path))
    assert done.returncode != 0
    output = (done.stdout + done.stderr).strip()
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output
    assert "DISCORD_TOKEN" in output


def test_bad_config_on_the_command_line_is_one_line(tmp_path, acc_cli):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_CONFIGS["ends-before-starts"][0], encoding="utf-8")
    done = acc_cli("run", "--config", str(path), env={"DISCORD_TOKEN": "not.a.real.token"})
    assert done.returncode != 0
    output = (done.stdout + done.stderr).strip()
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output
    assert "ends_at" in output


async def test_create_bot_needs_no_token_and_takes_a_clock(acc_config_path):
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    bot = create_bot(Settings.load(acc_config_path), clock=lambda: fixed)
    assert isinstance(bot, commands.Bot)
    await bot.close()


# ----------------------------------------------------------------------------- positions and tallies


async def test_tally_lines_counts_and_rounded_percentages(acc):
    a, b, c = acc.members(3)
    await take(a, acc.channel, "gaps", "some")
    await take(b, acc.channel, "gaps", "some")
    await take(c, acc.channel, "gaps", "none")
    text = await tally_text(acc)
    assert tally_line(GAPS["some"], 2, 67).search(text), text
    assert tally_line(GAPS["none"], 1, 33).search(text), text
    assert tally_line(GAPS["widespread"], 0, 0).search(text), text
    assert re.search(r"participants?\D{0,20}3\b|\b3\D{0,20}participants?", text, re.I), text
    # other themes are separate
    other = await tally_text(acc, "igf")
    assert not re.search(r": [1-9]\d* \(\d+%\)", other), other


async def test_tally_with_zero_positions_says_so(acc):
    res = await acc.watcher.slash(acc.channel, "existing tally")
    text = acc.result_text(res)
    assert text.strip()
    assert re.search(r"\bno\b|\b0\b|none yet|nobody", text, re.I), text


async def test_change_and_withdraw_move_the_tally(acc):
    a, b = acc.members(2)
    await take(a, acc.channel, "gaps", "some")
    await take(b, acc.channel, "gaps", "some")
    await take(a, acc.channel, "gaps", "widespread", "changed my mind")
    text = await tally_text(acc)
    assert tally_line(GAPS["some"], 1, 50).search(text), text
    assert tally_line(GAPS["widespread"], 1, 50).search(text), text
    res = await b.slash(acc.channel, "gaps withdraw")
    assert res.response is not None and res.response.ephemeral
    again = await b.slash(acc.channel, "gaps withdraw")  # nothing left to withdraw: still an answer
    assert again.response is not None and again.response.ephemeral
    text = await tally_text(acc)
    assert tally_line(GAPS["some"], 0, 0).search(text), text
    assert tally_line(GAPS["widespread"], 1, 100).search(text), text


async def test_position_without_rationale_opens_the_rationale_modal(acc):
    a = acc.members(1)[0]
    await take(a, acc.channel, "gaps", "some", "first reason R-FIRST")
    shown = await a.slash(acc.channel, "gaps position", stance="widespread")
    assert shown.modal is not None, "no modal without rationale"
    inputs = modal_inputs(shown.modal)
    assert "rationale" in inputs, inputs
    field = inputs["rationale"]
    assert field.get("style") == 2, "paragraph input"
    assert field.get("max_length") == 1000
    assert field.get("required") is False
    assert field.get("value") == "first reason R-FIRST", "prefilled with the current rationale"
    done = await a.submit_modal(shown, {"rationale": "second reason R-SECOND"})
    assert done.response is not None and done.response.ephemeral
    text = await tally_text(acc)
    assert tally_line(GAPS["widespread"], 1, 100).search(text), text
    browse = acc.result_text(await acc.watcher.slash(acc.channel, "gaps positions"))
    assert "R-SECOND" in browse and "R-FIRST" not in browse


async def test_modal_can_be_submitted_empty(acc):
    a = acc.members(1)[0]
    shown = await a.slash(acc.channel, "igf position", stance="home")
    assert "rationale" in modal_inputs(shown.modal)
    done = await a.submit_modal(shown, {})
    assert done.response is not None and done.response.ephemeral
    assert tally_line(THEMES["igf"]["home"], 1, 100).search(await tally_text(acc, "igf"))


async def test_stakeholder_breakdown_undeclared_then_group(acc):
    a, b, c = acc.members(3)
    for m in (a, b, c):
        await take(m, acc.channel, "gaps", "some")
    before = await tally_text(acc)
    assert "undeclared" in before.lower(), before
    for m in (a, b, c):
        res = await m.slash(acc.channel, "profile set", stakeholder="civil-society", region="african")
        assert res.response is not None and res.response.ephemeral
    after = await tally_text(acc)
    assert re.search(r"civil[- ]society", after, re.I), after
    assert not re.search(r"undeclared\D{0,20}[1-9]", after, re.I), after


async def test_profile_show(acc):
    a = acc.members(1)[0]
    await a.slash(acc.channel, "profile set", stakeholder="technical-community", region="weog")
    res = await a.slash(acc.channel, "profile show")
    text = acc.result_text(res).lower()
    assert re.search(r"technical[- ]community", text), text
    assert "weog" in text or "western" in text, text


async def test_about_shows_question_context_options_and_participation(acc):
    a = acc.members(1)[0]
    await take(a, acc.channel, "igf", "home")
    text = acc.result_text(await acc.watcher.slash(acc.channel, "igf about"))
    assert QUESTIONS["igf"] in text
    assert "Tunis Agenda" in text
    for label in THEMES["igf"].values():
        assert label in text
    assert re.search(r"\b1\b", text)


async def test_guilds_never_see_each_others_positions(acc):
    a = acc.members(1)[0]
    await take(a, acc.channel, "gaps", "some", "only in guild one R-G1")
    other = acc.env.create_guild("Another server")
    hall = other.create_text_channel("hall")
    outsider = acc.member("out", guild=other)
    text = await tally_text(acc, "gaps", who=outsider, channel=hall)
    assert tally_line(GAPS["some"], 0, 0).search(text) or not tally_line(GAPS["some"], 1, 100).search(text), text
    assert "R-G1" not in acc.result_text(await outsider.slash(hall, "gaps positions"))
    assert tally_line(GAPS["some"], 1, 100).search(await tally_text(acc))


async def test_rationale_with_mentions_is_shown_without_pinging(acc):
    a, victim = acc.members(2)
    marker = f"@everyone look <@{victim.id}> R-PING"
    await take(a, acc.channel, "gaps", "some", marker)
    res = await acc.watcher.slash(acc.channel, "gaps positions")
    assert "R-PING" in acc.result_text(res)
    for message in [res.response, *res.followups]:
        if message is not None:
            assert not message.message.mention_everyone
    sent = [e for e in acc.env.http_requests if "R-PING" in json.dumps(e.json)]
    assert sent
    for entry in sent:
        for body in _dicts_with_content(entry.json):
            if "R-PING" in str(body.get("content") or ""):
                allowed = body.get("allowed_mentions")
                assert allowed is not None, body
                assert "everyone" not in allowed.get("parse", []) and "users" not in allowed.get("parse", [])
                assert victim.id not in [int(u) for u in allowed.get("users", [])]


def _dicts_with_content(node: Any) -> list[dict[str, Any]]:
    out = []
    if isinstance(node, dict):
        if "content" in node:
            out.append(node)
        for value in node.values():
            out += _dicts_with_content(value)
    elif isinstance(node, list):
        for value in node:
            out += _dicts_with_content(value)
    return out


async def _browse_all(acc: Any, viewer: Any, **options: Any) -> list[str]:
    """Page through /gaps positions with Next; returns each page's text."""
    res = await viewer.slash(acc.channel, "gaps positions", **options)
    message = res.response
    pages = [acc.text(message)]
    for _ in range(5):
        current = next(m for m in acc.channel.history(viewer=viewer) if m.id == message.id)
        nexts = [b for b in acc.buttons(current) if (b.label or "").lower().startswith("next")]
        if not nexts or nexts[0].disabled:
            break
        await viewer.click(current, custom_id=nexts[0].custom_id)
        current = next(m for m in acc.channel.history(viewer=viewer) if m.id == message.id)
        pages.append(acc.text(current))
    return pages


async def test_positions_browse_five_a_page_anonymous_by_default(acc):
    people = [acc.member("delegate") for _ in range(6)]
    for i, m in enumerate(people, 1):
        await take(m, acc.channel, "gaps", "some" if i < 6 else "none", f"R-{i:02d} my reason")
    pages = await _browse_all(acc, acc.watcher)
    assert len(pages) >= 2, pages
    first = {i for i in range(1, 7) if f"R-{i:02d}" in pages[0]}
    assert len(first) == 5, pages[0]
    rest = {i for i in range(1, 7) if any(f"R-{i:02d}" in p for p in pages[1:])}
    assert first | rest == set(range(1, 7))
    assert "delegate" not in "".join(pages), "names shown under chatham-house"
    buttons = acc.buttons(next(m for m in acc.channel.history(viewer=acc.watcher) if "R-" in acc.text(m)))
    assert any((b.label or "").lower().startswith("prev") for b in buttons)
    only_none = acc.result_text(await acc.watcher.slash(acc.channel, "gaps positions", stance="none"))
    assert "R-06" in only_none and "R-01" not in only_none


@pytest.mark.parametrize("acc_overrides", [{"privacy": {"attribution": "named"}}])
async def test_positions_browse_names_people_when_named(acc):
    m = acc.member("delegate")
    await take(m, acc.channel, "gaps", "some", "R-NAMED reason")
    text = acc.result_text(await acc.watcher.slash(acc.channel, "gaps positions"))
    assert "R-NAMED" in text and m.name in text, text


async def test_bad_rationales_are_refused_politely_and_lose_nothing(acc, acc_refused):
    a = acc.members(1)[0]
    await take(a, acc.channel, "gaps", "some", "R-KEEP")
    await acc_refused(lambda: a.slash(acc.channel, "gaps position", stance="none", rationale="x" * 1001))
    text = await tally_text(acc)
    assert tally_line(GAPS["some"], 1, 100).search(text), text
    assert "R-KEEP" in acc.result_text(await acc.watcher.slash(acc.channel, "gaps positions"))
    with pytest.raises(simcord.OptionError):
        await a.slash(acc.channel, "gaps position", stance="not-a-stance", rationale="r")


async def test_whitespace_rationale_is_stored_as_no_rationale(acc):
    a = acc.members(1)[0]
    res = await a.slash(acc.channel, "igf position", stance="separate", rationale="   \n  ")
    if res.modal is not None:  # treated as "no rationale given": the modal asks for one
        res = await a.submit_modal(res, {})
    assert res.response is not None and res.response.ephemeral
    assert tally_line(THEMES["igf"]["separate"], 1, 100).search(await tally_text(acc, "igf"))


async def test_positions_survive_a_restart_with_a_fresh_bot(acc):
    a, b = acc.members(2)
    await take(a, acc.channel, "gaps", "some", "R-RESTART-A")
    await take(b, acc.channel, "existing", "develop", "R-RESTART-B")
    await a.slash(acc.channel, "profile set", stakeholder="academia")
    await acc.restart()
    assert tally_line(GAPS["some"], 1, 100).search(await tally_text(acc))
    assert tally_line(THEMES["existing"]["develop"], 1, 100).search(await tally_text(acc, "existing"))
    assert "R-RESTART-A" in acc.result_text(await acc.watcher.slash(acc.channel, "gaps positions"))
    assert "academia" in acc.result_text(await a.slash(acc.channel, "profile show")).lower()
    # and the restarted bot keeps working
    await take(b, acc.channel, "gaps", "none")
    assert tally_line(GAPS["none"], 1, 50).search(await tally_text(acc))


async def test_long_rationales_never_break_discord_limits(acc):
    """Six 1000-character rationales (with Markdown and mentions) still browse and tally."""
    people = [acc.member("long") for _ in range(6)]
    for i, m in enumerate(people):
        text = (f"R-LONG-{i} **bold** `code` @here <@{m.id}> " + "word " * 250)[:1000]
        await take(m, acc.channel, "gaps", "some", text)
    pages = await _browse_all(acc, acc.watcher)
    assert sum(p.count("R-LONG-") for p in pages) == 6
    assert tally_line(GAPS["some"], 6, 100).search(await tally_text(acc))
