"""The offline rehearsal: it runs the real bot end to end and writes a record whose tallies add up."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from random import Random

import pytest
from matplotlib.image import imread

from bot.cli import main
from bot.core.consensus import Reaction
from bot.forum import DEFAULT_THEMES, REGIONS, STAKEHOLDERS
from bot.settings import PollSettings, Settings
from cogs.themes._cog import BRIDGES_SHOWN, DIVIDES_SHOWN
from rehearsal import DEFAULT_SEED, DemoResult, run_demo
from rehearsal.ballots import final_counts, plan_polls
from rehearsal.reactions import ScriptStatement, bridging, plan_discussion, reaction, standing
from rehearsal.rehearsal import discord_times
from rehearsal.roster import ROSTER
from rehearsal.script import LATER_CHANGES, SESSION_CHANGES, WITHDRAWALS, final_positions, plan_positions
from rehearsal.timeline import Calendar

STANCE_LINE = re.compile(r"^> (?P<label>.+): (?P<count>\d+) \((?P<pct>\d+)%\)\s*$")


def _clear_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo reads CONCORD_* variables like the real bot; the developer's own must not leak in."""
    for name in list(os.environ):
        if name.startswith("CONCORD_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _no_outside_config(monkeypatch):
    _clear_config(monkeypatch)


@dataclass(frozen=True)
class Rehearsed:
    result: DemoResult
    out: Path

    @property
    def record(self) -> str:
        return self.result.record.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rehearsed(tmp_path_factory) -> Rehearsed:
    """One whole rehearsal shared by the tests that read its record, store and files (it takes seconds)."""
    out = tmp_path_factory.mktemp("demo") / "out"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear_config(monkeypatch)
        result = asyncio.run(run_demo(out))
    return Rehearsed(result, out)


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


def test_demo_writes_a_record_whose_tallies_add_up(rehearsed):
    result, out = rehearsed.result, rehearsed.out

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


def test_demo_command_prints_the_tallies_and_repeats_itself_exactly(rehearsed, tmp_path, capsys):
    """The command line runs the same rehearsal: same seed, same record, digests and charts, byte for byte."""
    assert main(["demo", "--out", str(tmp_path / "b")]) == 0
    printed = capsys.readouterr().out
    for theme in DEFAULT_THEMES:
        assert f"Tally — {theme['title']}" in printed
    assert "Participants:" in printed and "record.md" in printed
    assert "Poll #1: Should the IGF host enhanced cooperation? — Yes " in printed
    assert "with 5 digests (Markdown and HTML) and 7 charts" in printed

    assert "Discussion: " in printed and "`/<theme> bridges` matches the script on every theme" in printed

    assert _read(tmp_path / "b" / "record.md") == rehearsed.record
    # The bot's discuss service draws from the rehearsal's seed: the statements came in the same order.
    shown = (
        "SELECT s.number, h.reaction FROM reaction_history h JOIN statements s ON s.id = h.statement_id ORDER BY h.id"
    )
    assert stored(tmp_path / "b" / "concord.db", shown) == stored(rehearsed.result.database, shown)
    written = sorted(path.relative_to(rehearsed.out) for path in rehearsed.result.files)
    assert written == sorted(path.relative_to(tmp_path / "b") for path in (tmp_path / "b").glob("*/*.*"))
    for path in written:
        assert (tmp_path / "b" / path).read_bytes() == (rehearsed.out / path).read_bytes(), path


@pytest.mark.parametrize(
    ("module", "line"),
    [
        (
            "simcord",
            "concord demo: the offline rehearsal needs SimCord, which is not installed: "
            "pip install -e '.[demo]' (or make demo)",
        ),
        (
            "rehearsal",
            "concord demo: the offline rehearsal is not part of the installed bot: "
            "run it from a checkout of Concord (make demo)",
        ),
    ],
)
def test_without_the_demo_extra_the_demo_command_says_what_to_install(module, line, monkeypatch, tmp_path, capsys):
    """A bot installed without SimCord (or without the checkout's rehearsal) answers in one line, with status 2."""
    monkeypatch.setitem(sys.modules, module, None)  # importing it now fails as if it were not installed
    assert main(["demo", "--out", str(tmp_path / "out")]) == 2
    printed = capsys.readouterr()
    assert (printed.out, printed.err) == ("", line + "\n")
    assert not (tmp_path / "out").exists()


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


# --- polls -----------------------------------------------------------------------------------------

RESULT_LINE = re.compile(r"^> (?P<label>[^:]+): (?P<count>\d+) \(\d+%\)\s*$")
VOTED = re.compile(r"\*\*(?P<who>.+?)\*\* voted \*\*(?P<option>.+?)\*\* on poll #(?P<poll>\d+)$")
CHANGED = re.compile(r"\*\*(?P<who>.+?)\*\* changed their vote on poll #(?P<poll>\d+): .+ → \*\*(?P<option>.+?)\*\*$")
RETRACTED = re.compile(r"\*\*(?P<who>.+?)\*\* retracted their vote on poll #(?P<poll>\d+)")


def poll_block(record: str, number: int) -> list[str]:
    lines = record.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"### Poll #{number}: "))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    return lines[start:end]


def posted_results(block: list[str]) -> dict[str, int]:
    """The overall `<answer>: <count> (<pct>%)` lines the record quotes from the bot's results (before "Voters")."""
    counts: dict[str, int] = {}
    for line in block:
        if "Voters:" in line:
            return counts
        match = RESULT_LINE.match(line)
        if match:
            counts[match["label"]] = int(match["count"])
    raise AssertionError("no voters line in the poll's results")


def replayed_open_votes(record: str, number: int) -> Counter[str]:
    """The record's timeline of clicks on an open-ballot poll, replayed: answer -> votes at the close."""
    held: dict[str, str] = {}
    for line in record[record.index("## Timeline") :].splitlines():
        for pattern in (VOTED, CHANGED, RETRACTED):
            match = pattern.search(line)
            if match and int(match["poll"]) == number:
                if pattern is RETRACTED:
                    held.pop(match["who"])
                else:
                    held[match["who"]] = match["option"]
    return Counter(held.values())


def script_polls():
    calendar = Calendar.from_session(Settings.load(None).session)
    rng = Random(f"{DEFAULT_SEED}:polls")  # each chapter's own stream (rehearsal/rehearsal.py:ordered_steps)
    return calendar, *plan_polls(ROSTER, calendar, PollSettings().closing_soon, rng)


def test_the_record_lists_two_polls_whose_posted_results_match_the_votes_cast(rehearsed):
    record, database = rehearsed.record, rehearsed.result.database
    _, specs, clicks = script_polls()
    assert stored(database, "SELECT number, secret, closed_at = closes_at FROM polls ORDER BY number") == [
        (1, 0, 1),
        (2, 1, 1),
    ]
    for spec in specs:
        block = poll_block(record, spec.number)
        assert spec.question in block[0] and ("secret ballot" in block[0]) == spec.secret
        shown = posted_results(block)
        expected = final_counts(clicks, spec)
        assert list(shown) == list(spec.options) and list(shown.values()) == expected
        by_position = dict(
            stored(
                database,
                "SELECT position, sum(votes) FROM poll_result_counts JOIN polls ON polls.id = poll_id "
                "WHERE number = ? GROUP BY position",
                spec.number,
            )
        )
        assert [by_position.get(position, 0) for position in range(len(spec.options))] == expected
        assert "closing-soon notice" in "\n".join(block) and f"**Voters: {sum(expected)}**" in "\n".join(block)
    # The open ballot's clicks, as the timeline tells them (changes and the retraction included), add up too.
    assert replayed_open_votes(record, 1) == Counter(posted_results(poll_block(record, 1)))
    assert "retracted their vote on poll #1" in record and "changed their vote on poll #1" in record
    assert re.search(r"Concord\*\* posted in #open-forum: ⏳ Poll #1 closes in 60 minutes", record)
    assert re.search(r"`09:00` \*\*Concord\*\* posted in #open-forum: Poll #1 has closed", record)


def test_the_secret_poll_left_no_voter_ids_in_the_database(rehearsed):
    database = rehearsed.result.database
    (secret_id,) = stored(database, "SELECT id FROM polls WHERE secret = 1")[0]
    (open_id,) = stored(database, "SELECT id FROM polls WHERE secret = 0")[0]
    assert stored(
        database, "SELECT salt, ballot_nonce, ballot_check, closed_at IS NOT NULL FROM polls WHERE id = ?", secret_id
    ) == [(None, None, None, 1)]
    assert stored(database, "SELECT count(*) FROM poll_ballots") == [(0,)]
    assert stored(database, "SELECT count(*) FROM poll_votes WHERE poll_id = ?", secret_id) == [(0,)]
    # The open ballot does keep ids (so the query above would see them), and the secret one only counts.
    assert stored(database, "SELECT count(DISTINCT user_id) FROM poll_votes WHERE poll_id = ?", open_id)[0][0] > 20
    assert stored(database, "SELECT sum(voters) FROM poll_result_groups WHERE poll_id = ?", secret_id)[0][0] == 22
    assert "holds no ballot, no keyed hash and no nonce for poll #2" in rehearsed.record


def test_the_polls_script_votes_changes_and_retracts_around_the_closing_soon_notice():
    calendar, specs, clicks = script_polls()
    lead = PollSettings().closing_soon
    assert [spec.secret for spec in specs] == [False, True]
    assert specs[0].closes < calendar.starts_at - timedelta(days=1)  # closed before the before-session digest
    assert calendar.starts_at <= specs[1].opens <= calendar.ends_at < specs[1].closes < calendar.ends_at + timedelta(1)
    for spec in specs:
        mine = [click for click in clicks if click.poll == spec.number]
        assert all(spec.opens < click.at < spec.closes for click in mine)
        assert sum(spec.closes - lead < click.at for click in mine) >= 2  # some vote after the notice
        assert all(click.option != click.previous for click in mine if click.kind == "change")
    assert Counter(click.kind for click in clicks) == {"vote": 48, "change": 4, "retract": 1}
    calendar_again = Calendar.from_session(Settings.load(None).session)
    assert plan_polls(ROSTER, calendar_again, lead, Random(f"{DEFAULT_SEED}:polls")) == (specs, clicks)


# --- digests ----------------------------------------------------------------------------------------

DIGEST_FILES = ("2012-10-22-weekly", "2012-10-29-weekly", "2012-11-05-weekly", "2012-11-07-before", "2012-11-09-after")


def test_each_digest_was_posted_once_on_time_and_written_as_markdown_and_html(rehearsed):
    database, out, record = rehearsed.result.database, rehearsed.out, rehearsed.record
    runs = stored(database, "SELECT kind, due_at, status, posted_at = due_at, manual FROM digest_runs ORDER BY due_at")
    assert [(kind, due[:16], status, on_time, manual) for kind, due, status, on_time, manual in runs] == [
        ("weekly", "2012-10-22T04:00", "posted", 1, 0),  # 09:00 in Baku, still on summer time (UTC+5)
        ("weekly", "2012-10-29T05:00", "posted", 1, 0),
        ("weekly", "2012-11-05T05:00", "posted", 1, 0),
        ("before", "2012-11-07T05:00", "posted", 1, 0),
        ("after", "2012-11-09T06:30", "posted", 1, 0),
    ]
    parts = stored(
        database,
        "SELECT r.parts_total, count(m.message_id), count(DISTINCT m.message_id) FROM digest_runs r "
        "LEFT JOIN digest_messages m ON m.run_id = r.id GROUP BY r.id",
    )
    assert all(total == sent == distinct > 0 for total, sent, distinct in parts)
    for stem in DIGEST_FILES:
        markdown, html = _read(out / "digests" / f"{stem}.md"), _read(out / "digests" / f"{stem}.html")
        assert markdown.startswith("# ") and f"](../charts/{stem}.png)" in markdown
        assert html.startswith("<!DOCTYPE html>") and "data:image/png;base64," in html
        for link in (f"digests/{stem}.md", f"digests/{stem}.html", f"charts/{stem}.png"):
            assert f"]({link})" in record and (out / link).exists()
    assert "| Before the session | Wed 7 Nov 09:00 |" in record and "| After the session | Fri 9 Nov 10:30 |" in record
    assert re.search(r"\*\*Concord\*\* posted in #digests: Before the session — .+ \(and \d+ more messages?\)", record)


def test_the_after_session_digest_has_its_shift_table_and_the_polls(rehearsed):
    out = rehearsed.out
    after = _read(out / "digests" / "2012-11-09-after.md")
    assert "### Shift since the before-session digest — 2012-11-07 09:00 (Asia/Baku)" in after
    assert "| From | To | Participants |" in after
    assert "Shift since" in _read(out / "digests" / "2012-11-09-after.html")
    assert "Shift since" not in _read(out / "digests" / "2012-11-07-before.md")
    assert "### Poll #1: Should the IGF host" in _read(out / "digests" / "2012-11-07-before.md")
    assert "### Poll #2: " in after and "### Poll #1: " not in after
    assert "The after-session digest's shift since the before-session digest:" in rehearsed.record


def test_charts_are_valid_pngs(rehearsed):
    charts = sorted((rehearsed.out / "charts").glob("*.png"))
    assert [chart.stem for chart in charts] == [*DIGEST_FILES, "poll-1", "poll-2"]
    for chart in charts:
        data = chart.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        height, width = imread(io.BytesIO(data), format="png").shape[:2]
        assert width == 700 and height > 100


def test_discord_timestamps_read_as_baku_time_in_the_record():
    calendar = Calendar.from_session(Settings.load(None).session)
    soon = int((calendar.starts_at + timedelta(hours=1)).timestamp())
    text = discord_times(f"closes <t:{soon}:R> (<t:{soon}:F>)", calendar, calendar.starts_at)
    assert text == "closes in 60 minutes (8 November 2012 10:00)"
    assert discord_times(f"<t:{soon}:R>", calendar, calendar.starts_at - timedelta(days=3)) == "in 3 days"


# --- discussion -------------------------------------------------------------------------------------

COMMON_LINE = re.compile(r"^Common ground: (?P<common>.+); where groups divide: (?P<divides>.+?)\. ")


def script_discussion(seed: int = DEFAULT_SEED):
    """The positions and discussion scripts as the rehearsal plans them (each chapter's own stream)."""
    settings = Settings.load(None)
    calendar = Calendar.from_session(settings.session)
    moves = plan_positions(ROSTER, calendar, Random(f"{seed}:positions"))
    return settings, calendar, plan_discussion(ROSTER, moves, calendar, Random(f"{seed}:discussion"))


def _listed(cell: str) -> list[int]:
    return [] if cell == "none" else [int(item.strip().lstrip("#")) for item in cell.split(",")]


def test_the_before_and_after_digests_show_common_ground_and_where_groups_divide(rehearsed):
    for stem in ("2012-11-07-before", "2012-11-09-after"):
        markdown, html = (
            _read(rehearsed.out / "digests" / f"{stem}.md"),
            _read(rehearsed.out / "digests" / f"{stem}.html"),
        )
        assert "### Common ground" in markdown and "### Where groups divide" in markdown, stem
        assert "<h3>Common ground</h3>" in html and "<h3>Where groups divide</h3>" in html, stem
        assert re.search(r"^  \S.* \d+ of \d+ agree", markdown, re.MULTILINE), stem


def test_the_record_lists_each_themes_common_ground_as_the_script_gives_it(rehearsed):
    """The record quotes `/<slug> bridges` at the close; its numbers are what the script alone gives."""
    settings, calendar, discussion = script_discussion()
    record = rehearsed.record
    assert "## Discussion: common ground and where groups divide" in record
    for theme in DEFAULT_THEMES:
        block = _bridges_block(record, theme["slug"])
        found = next(COMMON_LINE.match(line) for line in block if line.startswith("Common ground: "))
        common, split = standing(
            discussion,
            theme["slug"],
            calendar.closes,
            settings.profiles.expected_stakeholders,
            common_limit=BRIDGES_SHOWN,
            divide_limit=DIVIDES_SHOWN,
        )
        assert _listed(found["common"]) == [item.argument.number for item in common] != []
        assert _listed(found["divides"]) == [item.argument.number for item in split]
        assert any(line.startswith(f"> **Common ground — {theme['title']}**") for line in block)
    wide = re.search(
        r"on (?P<theme>[^,]+), #(?P<number>\d+) bridges (?P<groups>\d+) stakeholder groups, "
        r"and #\d+ divides (?P<high>.+) and (?P<low>.+)$",
        record,
        re.MULTILINE,
    )
    assert wide and int(wide["groups"]) >= 4


def _bridges_block(record: str, slug: str) -> list[str]:
    lines = record.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"### /{slug} bridges — "))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    return lines[start:end]


def test_the_store_holds_exactly_the_scripts_reactions(rehearsed):
    _, _, discussion = script_discussion()
    scripted = Counter(
        (number, reaction.value) for session in discussion.sessions for number, reaction in session.reactions.items()
    )
    stored_reactions = stored(
        rehearsed.result.database,
        "SELECT s.number, r.reaction FROM reactions r JOIN statements s ON s.id = r.statement_id",
    )
    assert Counter(stored_reactions) == scripted and sum(scripted.values()) == discussion.clicks > 300
    history = stored(
        rehearsed.result.database,
        "SELECT count(*), count(DISTINCT statement_id || ':' || user_id) FROM reaction_history",
    )
    assert history == [(discussion.clicks, discussion.clicks)]  # every statement shown once to each reader


def test_the_discussion_script_reads_every_current_statement_of_others_once():
    _, calendar, discussion = script_discussion()
    statements = discussion.statements
    assert list(statements) == list(range(1, len(statements) + 1))
    weighed: set[tuple[str, int]] = set()
    for session in discussion.sessions:
        on_theme = {
            number
            for number, statement in statements.items()
            if statement.theme == session.theme
            and statement.current_before(session.at)
            and statement.author != session.reader
            and (session.reader.handle, number) not in weighed
        }
        assert set(session.reactions) == on_theme != set()
        weighed |= {(session.reader.handle, number) for number in session.reactions}
    assert {s.after_session for s in discussion.sessions} == {False, True}
    assert all(calendar.opens < s.at < calendar.closes for s in discussion.sessions)
    assert 300 < discussion.clicks < 600  # a few hundred clicks keep the rehearsal quick
    _, _, again = script_discussion()
    assert again == discussion  # seeded: the same every time


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 1, 2, 3, 4, 5, 6, 7])
def test_on_any_seed_an_argument_bridges_four_groups_and_groups_divide(seed):
    settings, calendar, discussion = script_discussion(seed)
    groups = settings.profiles.expected_stakeholders
    before_digest = calendar.starts_at - settings.digest.before
    after_digest = calendar.ends_at + settings.digest.after
    for moment in (before_digest, after_digest, calendar.closes):
        found = [
            standing(discussion, t["slug"], moment, groups, common_limit=BRIDGES_SHOWN, divide_limit=DIVIDES_SHOWN)
            for t in DEFAULT_THEMES
        ]
        assert all(common for common, _ in found) and any(split for _, split in found)
    common, split = standing(
        discussion, discussion.featured, calendar.closes, groups, common_limit=BRIDGES_SHOWN, divide_limit=DIVIDES_SHOWN
    )
    assert bridging(common) and split
    assert {split[0].divide.high.group, split[0].divide.low.group} == set(discussion.sides)


def test_the_reaction_rule_follows_camp_stance_and_author():
    by_name = {person.name: person for person in ROSTER}
    reform, keep, middle = by_name["Amina Wanjiru"], by_name["Ingrid Svensson"], by_name["Leyla Mammadova"]
    colleague = by_name["Kwame Asante"]  # government, like Ingrid

    def said(author, stance):
        return ScriptStatement(1, "existing", author, "text", stance, calendar_start, None)

    calendar_start = Calendar.from_session(Settings.load(None).session).opens
    assert reaction(keep, said(reform, "sufficient")) is Reaction.AGREE  # her camp's stance
    assert reaction(keep, said(middle, "develop")) is Reaction.AGREE  # the middle ground
    assert reaction(keep, said(by_name["Ngozi Eze"], "lacking")) is Reaction.DISAGREE  # the other side
    assert reaction(keep, said(colleague, "lacking")) is Reaction.PASS  # ... unless a colleague of her group says it
    assert reaction(middle, said(reform, "lacking")) is Reaction.PASS  # the middle camp hears both sides out
    assert reaction(reform, said(keep, "undecided")) is Reaction.PASS


# --- the record's own counts -------------------------------------------------------------------------


def test_the_record_counts_form_use_among_position_commands_and_voters_as_people(rehearsed):
    _, calendar, _ = script_discussion()
    moves = plan_positions(ROSTER, calendar, Random(f"{DEFAULT_SEED}:positions"))
    commands = [move for move in moves if move.kind in ("position", "change")]  # a withdrawal opens no form
    formed = sum(move.via_modal or move.rationale is None for move in commands)
    assert f"({formed} of the {len(commands)} position commands, changes of mind included, went through" in (
        rehearsed.record
    )
    _, specs, clicks = script_polls()
    people = {click.who.handle for click in clicks}
    per_poll = [len({c.who.handle for c in clicks if c.poll == spec.number}) for spec in specs]
    assert sum(per_poll) > len(people)  # some voted in both polls: adding the polls' voters would overcount
    assert f"({len(clicks)} clicks by {len(people)} people: {per_poll[0]} on poll #1, {per_poll[1]} on poll #2;" in (
        rehearsed.record
    )


def test_the_record_says_the_after_session_digest_is_not_the_end_state(rehearsed):
    record = rehearsed.record
    tallies = record[record.index("## Tallies at the close") :]
    assert re.search(r"The after-session digest of .+ is not the end state: the discussion ran on", tallies)
