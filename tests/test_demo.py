"""The offline rehearsal: it runs the real bot end to end and writes a record whose tallies add up."""

from __future__ import annotations

import os
import re
import sqlite3
from collections import Counter
from datetime import timedelta
from pathlib import Path
from random import Random

import pytest

from bot.cli import main
from bot.demo import run_demo
from bot.demo.roster import ROSTER
from bot.demo.script import LATER_CHANGES, SESSION_CHANGES, WITHDRAWALS, final_positions, plan_positions
from bot.demo.timeline import Calendar
from bot.forum import DEFAULT_THEMES, REGIONS, STAKEHOLDERS
from bot.settings import Settings

STANCE_LINE = re.compile(r"^> (?P<label>.+): (?P<count>\d+) \((?P<pct>\d+)%\)\s*$")


@pytest.fixture(autouse=True)
def _no_outside_config(monkeypatch):
    """The demo reads CONCORD_* variables like the real bot; the developer's own must not leak in."""
    for name in list(os.environ):
        if name.startswith("CONCORD_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)


def theme_block(record: str, slug: str) -> list[str]:
    """The lines of one theme's tally in the record, from its heading to the next heading."""
    lines = record.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"### /{slug} — "))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[start:end]


def overall_counts(block: list[str]) -> tuple[list[tuple[str, int]], int]:
    """(label, count) of the overall stance lines, and the participants line (lines after it are by group)."""
    counts: list[tuple[str, int]] = []
    for line in block:
        participants = re.search(r"Participants: (\d+)", line)
        if participants:
            return counts, int(participants.group(1))
        match = STANCE_LINE.match(line)
        if match:
            counts.append((match["label"], int(match["count"])))
    raise AssertionError("no participants line in the tally")


def stored(database: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(sql, args).fetchall()


def check_record(record_path: Path, database: Path) -> int:
    record = record_path.read_text(encoding="utf-8")
    total = 0
    for theme in DEFAULT_THEMES:
        counts, participants = overall_counts(theme_block(record, theme["slug"]))
        held = stored(database, "SELECT count(*) FROM positions WHERE theme = ?", theme["slug"])[0][0]
        assert [label for label, _ in counts] == [stance["label"] for stance in theme["stances"]]
        assert sum(count for _, count in counts) == participants == held > 0
        total += held
    return total


async def test_demo_writes_a_record_whose_tallies_add_up(tmp_path):
    out = tmp_path / "out"
    result = await run_demo(out)

    assert result.record == out / "record.md" and result.record.exists()
    total = check_record(result.record, result.database)
    assert total == sum(theme.participants for theme in result.tallies) > 100
    assert stored(result.database, "SELECT count(*) FROM profiles") == [(len(ROSTER),)]
    withdrawals = stored(result.database, "SELECT count(*) FROM position_history WHERE stance IS NULL")
    assert withdrawals == [(WITHDRAWALS,)]
    record = _read(result.record)
    assert "changed their position" in record and "withdrew their position" in record
    assert "rationale written in the form" in record and "| Amina Wanjiru | Government | African Group" in record


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_demo_command_prints_the_tallies_and_repeats_itself_exactly(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "a")]) == 0
    printed = capsys.readouterr().out
    for theme in DEFAULT_THEMES:
        assert f"Tally — {theme['title']}" in printed
    assert "Participants:" in printed and "record.md" in printed

    assert main(["demo", "--out", str(tmp_path / "b")]) == 0
    assert _read(tmp_path / "a" / "record.md") == _read(tmp_path / "b" / "record.md")


def test_the_roster_spans_every_stakeholder_group_and_region():
    assert len(ROSTER) == 40 and len({person.handle for person in ROSTER}) == 40
    assert set(Counter(p.stakeholder for p in ROSTER)) == set(STAKEHOLDERS)
    assert set(Counter(p.region for p in ROSTER)) == set(REGIONS)
    assert min(Counter(p.region for p in ROSTER).values()) >= 6


def test_the_script_takes_changes_and_withdraws_positions_inside_the_forum_calendar():
    calendar = Calendar.from_session(Settings.load(None).session)
    moves = plan_positions(ROSTER, calendar, Random("test"))
    kinds = Counter(move.kind for move in moves)

    assert kinds["profile"] == len(ROSTER)
    assert kinds["change"] == SESSION_CHANGES + LATER_CHANGES and kinds["withdraw"] == WITHDRAWALS
    assert {move.theme for move in moves if move.kind == "position"} == {t["slug"] for t in DEFAULT_THEMES}
    assert all(calendar.opens <= move.at < calendar.closes for move in moves)
    in_session = [m for m in moves if m.kind == "change" and calendar.starts_at <= m.at <= calendar.ends_at]
    assert len(in_session) == SESSION_CHANGES
    assert all(move.stance != move.previous for move in moves if move.kind == "change")
    positions = [move for move in moves if move.kind == "position"]
    assert any(move.rationale is None for move in positions) and any(move.via_modal for move in positions)

    held = final_positions(moves)
    for move in moves:
        if move.kind == "withdraw":
            assert move.who.handle not in held[move.theme]
    assert plan_positions(ROSTER, calendar, Random("test")) == moves  # seeded: the same every time


def test_the_discussion_opens_three_weeks_before_the_session_at_the_same_local_time():
    calendar = Calendar.from_session(Settings.load(None).session)
    assert calendar.starts_at - calendar.opens == timedelta(days=21, hours=1)  # Baku kept summer time until 28 Oct
    assert calendar.local(calendar.opens).strftime("%Y-%m-%d %H:%M") == "2012-10-18 09:00"
