"""Acceptance tests for digests and reports, written from the public contract only.

The session sits at 2026-01-03 09:00-10:30 Baku time (UTC+4), i.e. 05:00-06:30Z, two days
after SimCord's clock starts. With the default schedule (before/after 24h, weekly "mon 09:00"
in the session's Asia/Baku timezone, grace 12h) the occurrences are:
before 2026-01-02T05:00Z, after 2026-01-04T06:30Z, weekly 2026-01-05T05:00Z.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

BEFORE = datetime(2026, 1, 2, 5, 0, tzinfo=UTC)
AFTER = datetime(2026, 1, 4, 6, 30, tzinfo=UTC)
WEEKLY = datetime(2026, 1, 5, 5, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
GAPS = {"none": "No significant gaps", "some": "Gaps in specific policy areas", "widespread": "Widespread gaps"}
PNG = b"\x89PNG\r\n\x1a\n"


def digest_payloads(acc: Any) -> dict[str, dict[str, Any]]:
    cmd = next(c for c in acc.bot.tree.get_commands() if c.name == "digest").to_dict(acc.bot.tree)
    return {o["name"]: o for o in cmd["options"] if o["type"] == 1}


async def digest_channel(acc: Any, name: str = "digests", guild: Any = None, who: Any = None) -> Any:
    channel = (guild or acc.guild).create_text_channel(name)
    res = await (who or acc.org).slash(acc.channel if guild is None else channel, "digest channel", channel=channel)
    assert res.response is not None
    return channel


def posted(acc: Any, channel: Any) -> list[discord.Message]:
    return acc.public(channel)


def all_text(acc: Any, messages: list[discord.Message]) -> str:
    return "\n".join(acc.text(m) for m in messages)


async def seed_positions(acc: Any) -> list[Any]:
    a, b, c = acc.members(3, prefix="seed")
    for m, stance in zip((a, b, c), ("some", "some", "none"), strict=True):
        res = await m.slash(acc.channel, "gaps position", stance=stance, rationale=f"R-{m.name} reason")
        assert res.response is not None and res.response.ephemeral
    return [a, b, c]


async def at(acc: Any, when: datetime) -> None:
    """Move the virtual clock to ``when`` and run what is due (twice: tick is idempotent)."""
    await acc.advance_to(when)
    await acc.tick()
    await acc.tick()


# ----------------------------------------------------------------------------- names and options


async def test_digest_commands_and_kinds(acc):
    subs = digest_payloads(acc)
    assert set(subs) >= {"channel", "preview", "post", "schedule"}
    channel = next(o for o in subs["channel"]["options"] if o["name"] == "channel")
    assert channel["type"] == 7 and channel.get("required") is True
    for sub in ("preview", "post"):
        kind = next(o for o in subs[sub]["options"] if o["name"] == "kind")
        assert kind.get("required") is True
        assert {c["value"] for c in kind.get("choices") or []} == {"before", "after", "weekly"}


# ----------------------------------------------------------------------------- scheduled posting


async def test_before_digest_posted_once_at_its_virtual_time_with_content_and_chart(acc):
    people = await seed_positions(acc)
    await acc.fac.slash(acc.channel, "poll create", question="Poll in the digest?", options="Yes;No", hours=1)
    await acc.fac.slash(acc.channel, "poll close", poll=1)
    digests = await digest_channel(acc)
    await at(acc, BEFORE - MINUTE)
    assert posted(acc, digests) == [], "posted early"
    await at(acc, BEFORE + MINUTE)
    messages = posted(acc, digests)
    assert messages, "before digest not posted at its time"
    text = all_text(acc, messages)
    assert "67%" in text and "33%" in text, text
    assert GAPS["some"] in text
    assert "no positions yet from" in text.lower(), text
    assert any(f"R-{m.name}" in text for m in people), "representative rationales"
    assert not any(m.name in text.replace(f"R-{m.name}", "") for m in people), "chatham-house: no names"
    assert "Poll in the digest?" in text, "polls closed since the previous digest"
    pngs = [a for m in messages for a in m.attachments if a.filename.lower().endswith(".png")]
    assert pngs, "a PNG chart is attached"
    assert (await pngs[0].read()).startswith(PNG)
    count = len(messages)
    await at(acc, BEFORE + timedelta(hours=3))
    assert len(posted(acc, digests)) == count, "posted twice"


@pytest.mark.parametrize(
    ("acc_overrides", "due"),
    [
        ({}, WEEKLY),
        ({"digest": {"timezone": "UTC"}}, WEEKLY + timedelta(hours=4)),
    ],
    ids=["baku-default", "utc"],
)
async def test_weekly_digest_at_its_local_time(acc, due):
    digests = await digest_channel(acc)
    await at(acc, due - MINUTE)
    seen = len(posted(acc, digests))
    await at(acc, due + MINUTE)
    assert len(posted(acc, digests)) > seen, f"weekly digest not posted at {due}"
    now_seen = len(posted(acc, digests))
    await at(acc, due + timedelta(hours=2))
    assert len(posted(acc, digests)) == now_seen


@pytest.mark.parametrize(
    ("acc_overrides", "due"),
    [
        ({"digest": {"before": "2h"}}, datetime(2026, 1, 3, 3, 0, tzinfo=UTC)),
        ({"digest": {"after": "90m"}}, datetime(2026, 1, 3, 8, 0, tzinfo=UTC)),
    ],
    ids=["before-2h", "after-90m"],
)
async def test_before_and_after_lead_times_come_from_the_toml(acc, due):
    digests = await digest_channel(acc)
    await acc.advance_to(due - timedelta(hours=6))  # earlier occurrences are long past grace
    await at(acc, due - MINUTE)
    seen = len(posted(acc, digests))
    await at(acc, due + MINUTE)
    assert len(posted(acc, digests)) > seen, f"digest not posted at {due}"


@pytest.mark.parametrize("acc_overrides", [{"digest": {"grace": "1h"}}])
async def test_grace_comes_from_the_toml(acc):
    digests = await digest_channel(acc)
    await acc.advance_to(BEFORE + timedelta(hours=2))
    await acc.restart()
    await acc.tick()
    assert posted(acc, digests) == [], "older than the 1h grace: missed, not posted"


@pytest.mark.parametrize("acc_overrides", [{"digest": {"weekly": "off"}}])
async def test_weekly_off_posts_no_weekly_digest(acc):
    digests = await digest_channel(acc)
    await at(acc, WEEKLY - timedelta(hours=1))
    seen = len(posted(acc, digests))
    await at(acc, WEEKLY + timedelta(hours=1))
    assert len(posted(acc, digests)) == seen


async def test_schedule_lists_next_occurrences_as_discord_timestamps(acc):
    res = await acc.org.slash(acc.channel, "digest schedule")
    text = acc.result_text(res)
    stamps = set(acc.timestamps(text))
    for due in (BEFORE, AFTER, WEEKLY):
        assert int(due.timestamp()) in stamps, f"{due} missing from {text}"


async def test_preview_is_ephemeral_and_not_recorded(acc):
    await seed_positions(acc)
    digests = await digest_channel(acc)
    res = await acc.org.slash(acc.channel, "digest preview", kind="before")
    assert res.response is not None and res.response.ephemeral
    assert "67%" in acc.result_text(res)
    assert all(m.ephemeral for m in [res.response, *res.followups])
    assert posted(acc, digests) == []
    await at(acc, BEFORE + MINUTE)
    assert posted(acc, digests), "a preview must not count as the posted digest"


async def test_post_now_goes_to_the_digest_channel(acc):
    await seed_positions(acc)
    digests = await digest_channel(acc)
    res = await acc.org.slash(acc.channel, "digest post", kind="weekly")
    assert res.response is not None
    messages = posted(acc, digests)
    assert messages and "67%" in all_text(acc, messages)


async def test_digest_commands_are_for_organisers_only(acc):
    digests = acc.guild.create_text_channel("digests")
    someone = acc.member("someone")
    res = await someone.slash(acc.channel, "digest channel", channel=digests)
    assert res.response is not None and res.response.ephemeral
    res = await someone.slash(acc.channel, "digest post", kind="weekly")
    assert res.response is not None and res.response.ephemeral
    assert posted(acc, digests) == []
    managers = acc.guild.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
    manager = acc.member("manager", roles=[managers])
    await manager.slash(acc.channel, "digest channel", channel=digests)
    await manager.slash(acc.channel, "digest post", kind="weekly")
    assert posted(acc, digests)


async def test_digest_channel_where_the_bot_cannot_post_says_so(acc):
    locked = acc.guild.create_text_channel(
        "locked", overwrites={acc.guild.me: discord.PermissionOverwrite(send_messages=False)}
    )
    res = await acc.org.slash(acc.channel, "digest channel", channel=locked)
    text = acc.result_text(res).lower()
    assert re.search(r"permission|can(no|')t|unable|not allowed", text), text


async def test_each_server_gets_its_own_digest_once(acc):
    digests = await digest_channel(acc)
    other = acc.env.create_guild("Second server")
    role = other.create_role("Organiser")
    org2 = acc.member("org", roles=[role], guild=other)
    digests2 = await digest_channel(acc, guild=other, who=org2)
    watcher2 = acc.member("watch", guild=other)
    await at(acc, BEFORE + MINUTE)
    n1, n2 = len(posted(acc, digests)), len(digests2.history(viewer=watcher2))
    assert n1 > 0 and n2 > 0
    await at(acc, BEFORE + timedelta(hours=1))
    assert len(posted(acc, digests)) == n1
    assert len(digests2.history(viewer=watcher2)) == n2


# ----------------------------------------------------------------------------- restarts, downtime, failures


async def test_restart_before_and_after_the_due_time_posts_once(acc):
    digests = await digest_channel(acc)
    await at(acc, BEFORE - timedelta(hours=1))
    await acc.restart()
    await at(acc, BEFORE + MINUTE)
    count = len(posted(acc, digests))
    assert count > 0
    await acc.restart()
    await at(acc, BEFORE + timedelta(minutes=5))
    assert len(posted(acc, digests)) == count


async def test_downtime_inside_grace_posts_on_start_up(acc):
    digests = await digest_channel(acc)
    await acc.advance_to(BEFORE + timedelta(hours=2))  # down: nobody ticked
    await acc.restart()
    await acc.tick()
    await acc.tick()
    count = len(posted(acc, digests))
    assert count > 0
    await at(acc, BEFORE + timedelta(hours=3))
    assert len(posted(acc, digests)) == count


async def test_downtime_past_grace_is_recorded_missed_not_posted(acc):
    digests = await digest_channel(acc)
    await acc.advance_to(BEFORE + timedelta(hours=13))
    await acc.restart()
    await acc.tick()
    assert posted(acc, digests) == [], "a stale digest must not be posted"
    text = acc.result_text(await acc.org.slash(acc.channel, "digest schedule"))
    assert "missed" in text.lower(), text


async def test_server_error_is_retried_within_five_minutes_and_posted_once(acc):
    digests = await digest_channel(acc)
    await acc.advance_to(BEFORE + MINUTE)
    acc.env.inject_error("POST", "/channels/*/messages", status=500)
    await acc.tick()  # must not raise
    first = len(posted(acc, digests))
    schedule = acc.result_text(await acc.org.slash(acc.channel, "digest schedule")).lower()
    assert re.search(r"fail|retry|error", schedule), schedule
    await at(acc, BEFORE + MINUTE + timedelta(minutes=5))
    count = len(posted(acc, digests))
    assert count > first, "not retried within 5 minutes"
    await at(acc, BEFORE + timedelta(hours=3))
    assert len(posted(acc, digests)) == count, "re-posted"


async def test_missing_permission_is_reported_on_digest_schedule(acc):
    digests = await digest_channel(acc)
    await acc.advance_to(BEFORE + MINUTE)
    acc.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions")
    await acc.tick()
    assert posted(acc, digests) == []
    text = acc.result_text(await acc.org.slash(acc.channel, "digest schedule")).lower()
    assert "permission" in text, text


async def test_overlapping_ticks_still_post_once(acc):
    """APScheduler's job and the start-up tick may overlap: tick must stay idempotent."""
    digests = await digest_channel(acc)
    await acc.advance_to(BEFORE + MINUTE)
    await asyncio.gather(acc.tick(), acc.tick(), acc.tick())
    count = len(posted(acc, digests))
    assert count > 0
    await at(acc, BEFORE + timedelta(hours=1))
    assert len(posted(acc, digests)) == count
    serial = [m for m in posted(acc, digests) if m.attachments]
    assert len(serial) == len({a.filename for m in serial for a in m.attachments}), "a chart posted twice"


# ----------------------------------------------------------------------------- the after digest


async def test_after_digest_shows_the_shift_since_the_before_digest(acc):
    a, b, c = await seed_positions(acc)  # some, some, none
    digests = await digest_channel(acc)
    await at(acc, BEFORE + MINUTE)
    before_count = len(posted(acc, digests))
    await acc.env.advance_time(3600)  # people change their minds after the before digest
    await a.slash(acc.channel, "gaps position", stance="widespread", rationale="moved")
    await b.slash(acc.channel, "gaps position", stance="none", rationale="moved too")
    await b.slash(acc.channel, "gaps position", stance="some", rationale="and back")  # no net move
    await c.slash(acc.channel, "gaps position", stance="widespread", rationale="moved as well")
    await at(acc, AFTER + MINUTE)
    after = posted(acc, digests)[before_count:]
    assert after, "after digest not posted"
    text = all_text(acc, after)
    lines = text.splitlines()

    def names(key: str, line: str) -> bool:
        return GAPS[key] in line or re.search(rf"(?<![\w-]){key}(?![\w-])", line) is not None

    def moved(src: str, dst: str) -> list[str]:
        """Lines naming both stances (by key or label), e.g. "some → widespread: 1"."""
        return [line for line in lines if names(src, line) and names(dst, line)]

    assert any(re.search(r"\b1\b", line) for line in moved("some", "widespread")), text
    assert any(re.search(r"\b1\b", line) for line in moved("none", "widespread")), text
    assert not any(re.search(r"\b[1-9]\b", line) for line in moved("some", "none")), "b moved back"
    assert re.search(r"[-−]1\b", text) and re.search(r"\+2\b", text), "change since the previous digest"


# ----------------------------------------------------------------------------- reports


def run_reports(base: list[str], outputs: dict[str, Any]) -> dict[str, str]:
    """Run the report command for every output at once (they are independent); returns failures."""
    runs = {}
    for key, out in outputs.items():
        kind, fmt = ("now", key) if key in ("html", "json", "csv") else (key, "markdown")
        runs[key] = subprocess.Popen(
            [*base, "--kind", kind, "--format", fmt, "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    failures = {}
    for key, proc in runs.items():
        _out, err = proc.communicate(timeout=60)
        if proc.returncode != 0:
            failures[key] = err
    return failures


async def test_report_cli_in_each_format(acc, acc_config_path, tmp_path):
    a, _b, _c = await seed_positions(acc)
    await a.slash(acc.channel, "gaps position", stance="widespread", rationale="R-change")
    base = [sys.executable, "-m", "bot", "report", "--config", str(acc_config_path), "--guild", str(acc.guild.id)]
    outputs = {
        "html": tmp_path / "now.html",
        "json": tmp_path / "now.json",
        "csv": tmp_path / "csv",
        "after": tmp_path / "after.md",
    }
    failures = run_reports(base, outputs)  # the bot is idle: blocking the loop here is harmless
    assert not failures, failures
    markdown = outputs["after"].read_text(encoding="utf-8")  # --kind after, --format markdown
    assert GAPS["some"] in markdown and "33%" in markdown, markdown
    html = outputs["html"].read_text(encoding="utf-8")
    assert "<html" in html.lower() and "data:image/png;base64," in html
    assert not re.search(r"(src|href)\s*=\s*[\"']https?://", html), "HTML must be self-contained"
    assert "33%" in html
    data = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert "gaps" in json.dumps(data) and "widespread" in json.dumps(data)
    with (outputs["csv"] / "positions.csv").open(encoding="utf-8", newline="") as fh:
        positions = list(csv.reader(fh))
    with (outputs["csv"] / "history.csv").open(encoding="utf-8", newline="") as fh:
        history = list(csv.reader(fh))
    assert len(positions) == 1 + 3, positions
    assert len(history) >= 1 + 4, history


async def test_a_big_forum_still_fits_discord_limits(acc):
    """Five themes x 12 participants x 1000-character rationales: the digest is split, never refused."""
    digests = await digest_channel(acc)
    stances = {"existing": "develop", "gaps": "some", "structures": "improve", "igf": "home", "newbody": "status-quo"}
    for i in range(12):
        m = acc.member("big")
        for slug, stance in stances.items():
            text = (f"R-BIG-{slug}-{i} **b** `c` <@{m.id}> " + "long text " * 120)[:1000]
            await m.slash(acc.channel, f"{slug} position", stance=stance, rationale=text)
    res = await acc.org.slash(acc.channel, "digest post", kind="before")
    assert res.response is not None
    messages = posted(acc, digests)
    assert messages
    text = all_text(acc, messages)
    for slug in stances:
        assert f"R-BIG-{slug}-" in text, f"no rationale for {slug}"
    preview = await acc.org.slash(acc.channel, "digest preview", kind="after")
    assert preview.response is not None and preview.response.ephemeral
