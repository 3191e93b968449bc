"""`python -m bot report --format polis` on a database seeded through the store, run in-process through main().

Two themes with statements (one rationale changed, so its first statement is no longer current), reactions
with a change of mind and passes, members in several stakeholder groups and one without a profile.
"""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.consensus import Reaction
from bot.forum import FORUM_CONTEXT
from bot.settings import DatabaseSettings
from bot.store import Store, open_store

GUILD, OTHER = 1_042_112_345_678_901_234, 1_042_112_345_678_909_999
ANA, BEN, CHEN, DIA, EVE, FAY = (1_042_112_999_999_999_000 + n for n in range(6))
NAMES = {ANA: "Ana Lopez", BEN: "Ben Okafor", CHEN: "Chen Wei", DIA: "Dia Noor", EVE: "Eve Varga", FAY: "Fay Lund"}
T0 = datetime(2012, 11, 8, 5, 0, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://evil.example","spam has no home")'
GAPS_QUESTION = "Can we identify areas in which such mechanisms are weak or lacking and need correction or improvement?"
TOML = '[database]\npath = "{db}"\n\n[privacy]\nmin_group = 1\n'  # tiny groups named: see test_small_groups
COMMENTS_HEADER = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote"
PARTICIPANTS_HEADER = "participant,group-id,n-comments,n-votes,n-agree,n-disagree"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ms(minutes: int) -> str:
    return str(1352350800000 + minutes * 60_000)  # 2012-11-08T05:00:00Z is 1352350800 s


async def statement_id(store: Store, number: int) -> int:
    """The id of the current statement with this number (found as a member who has not reacted would)."""
    for theme in ("gaps", "existing"):
        for candidate in await store.discussion_candidates(GUILD, theme, FAY):
            if candidate.number == number:
                return candidate.statement_id
    raise AssertionError(f"no current statement #{number}")


async def position(store: Store, user: int, theme: str, stance: str, rationale: str | None, minutes: int) -> None:
    await store.record_position(GUILD, theme, user, NAMES[user], stance, rationale, at(minutes))


async def react(store: Store, number: int, user: int, reaction: Reaction, minutes: int) -> None:
    await store.react(GUILD, await statement_id(store, number), user, reaction, at(minutes))


async def seed(db: Path) -> None:
    store = await open_store(DatabaseSettings(path=db))
    try:
        for user, group in ((ANA, "government"), (BEN, "civil-society"), (CHEN, "academia"), (EVE, "private-sector")):
            await store.set_profile(GUILD, user, group, None, at(-60))  # DIA never sets one
        await position(store, ANA, "gaps", "some", FORMULA, 0)  # #1
        await position(store, BEN, "gaps", "none", "Existing fora cope.", 10)  # #2
        await react(store, 1, BEN, Reaction.AGREE, 20)
        await react(store, 1, CHEN, Reaction.DISAGREE, 25)  # CHEN's first appearance: a reaction
        await position(store, ANA, "gaps", "widespread", "Spam, fraud and worse.", 30)  # #3; #1 no longer current
        await position(store, CHEN, "existing", "develop", "Build on the IGF.", 40)  # #4
        await position(store, DIA, "gaps", "some", None, 50)  # no rationale: no statement
        await react(store, 2, ANA, Reaction.DISAGREE, 60)
        await react(store, 2, CHEN, Reaction.AGREE, 60)
        await react(store, 2, DIA, Reaction.PASS, 60)
        await react(store, 3, BEN, Reaction.PASS, 70)
        await react(store, 3, DIA, Reaction.DISAGREE, 70)
        await react(store, 4, ANA, Reaction.AGREE, 70)
        await react(store, 4, DIA, Reaction.PASS, 70)
        await react(store, 2, EVE, Reaction.AGREE, 70)
        await react(store, 2, DIA, Reaction.AGREE, 80)  # a change of mind: pass, then agree
        await store.record_position(OTHER, "gaps", ANA, "Ana elsewhere", "some", "Other server.", at(5))
    finally:
        await store.close()


async def seed_more(db: Path) -> None:
    """A newcomer after the first export."""
    store = await open_store(DatabaseSettings(path=db))
    try:
        await react(store, 2, FAY, Reaction.DISAGREE, 90)
    finally:
        await store.close()


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    db = tmp_path / "forum.db"
    asyncio.run(seed(db))
    path = tmp_path / "config.toml"
    path.write_text(TOML.format(db=db.as_posix()), encoding="utf-8")
    return path


def export(config: Path, out: Path, *args: str) -> int:
    return main(
        ["report", "--config", str(config), "--guild", str(GUILD), "--format", "polis", "--out", str(out), *args]
    )


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def first_line(path: Path) -> str:
    return path.read_bytes().decode("utf-8").split("\r\n", 1)[0]


def test_one_folder_per_theme_with_polis_headers(config, tmp_path):
    out = tmp_path / "polis"
    assert export(config, out, "--at", "2012-11-08T12:00:00+04:00") == 0
    assert sorted(p.name for p in out.iterdir()) == ["existing", "gaps", "igf", "newbody", "structures"]
    for theme in out.iterdir():
        names = sorted(p.name for p in theme.iterdir())
        assert names == ["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]
        assert first_line(theme / "comments.csv") == COMMENTS_HEADER
        assert first_line(theme / "votes.csv") == VOTES_HEADER
        assert first_line(theme / "participants-votes.csv").startswith(PARTICIPANTS_HEADER)
        assert [row[0] for row in rows(theme / "summary.csv")] == [
            "topic",
            "url",
            "voters",
            "voters-in-conv",
            "commenters",
            "comments",
            "groups",
            "conversation-description",
        ]
    assert rows(out / "igf" / "participants-votes.csv") == [PARTICIPANTS_HEADER.split(",")]


def test_gaps_as_a_polis_conversation(config, tmp_path):
    # ids by first appearance: ANA 0 (minute 0), BEN 1 (10), CHEN 2 (a reaction at 25), DIA 3 (50), EVE 4 (70).
    out = tmp_path / "polis"
    assert export(config, out) == 0
    gaps = out / "gaps"
    assert rows(gaps / "comments.csv")[1:] == [
        [ms(0), "Thu Nov 08 05:00:00 UTC 2012", "1", "0", "1", "1", "1", "'" + FORMULA],  # not current, kept
        [ms(10), "Thu Nov 08 05:10:00 UTC 2012", "2", "1", "3", "1", "1", "Existing fora cope."],
        [ms(30), "Thu Nov 08 05:30:00 UTC 2012", "3", "0", "0", "1", "1", "Spam, fraud and worse."],
    ]
    assert rows(gaps / "votes.csv")[1:] == [
        [ms(20), "Thu Nov 08 05:20:00 UTC 2012", "1", "1", "1"],
        [ms(25), "Thu Nov 08 05:25:00 UTC 2012", "1", "2", "-1"],
        [ms(60), "Thu Nov 08 06:00:00 UTC 2012", "2", "0", "-1"],
        [ms(60), "Thu Nov 08 06:00:00 UTC 2012", "2", "2", "1"],
        [ms(80), "Thu Nov 08 06:20:00 UTC 2012", "2", "3", "1"],  # the latest reaction: pass became agree
        [ms(70), "Thu Nov 08 06:10:00 UTC 2012", "2", "4", "1"],
        [ms(70), "Thu Nov 08 06:10:00 UTC 2012", "3", "1", "0"],
        [ms(70), "Thu Nov 08 06:10:00 UTC 2012", "3", "3", "-1"],
    ]
    # group-id: expected_stakeholders' order (government 0, private sector 1, civil society 2, ..., academia 4).
    assert rows(gaps / "participants-votes.csv") == [
        [*PARTICIPANTS_HEADER.split(","), "1", "2", "3"],
        ["0", "0", "2", "1", "0", "1", "", "-1", ""],
        ["1", "2", "1", "2", "1", "0", "1", "", "0"],
        ["2", "4", "0", "2", "1", "1", "-1", "1", ""],
        ["3", "", "0", "2", "1", "1", "", "1", "-1"],  # no profile: no group
        ["4", "1", "0", "1", "1", "0", "", "1", ""],
    ]
    assert dict(rows(gaps / "summary.csv")) == {
        "topic": GAPS_QUESTION,
        "url": "",
        "voters": "5",
        "voters-in-conv": "4",  # DIA reacted but counts in no group
        "commenters": "2",
        "comments": "3",
        "groups": "4",
        "conversation-description": FORUM_CONTEXT,
    }


def test_the_other_theme_uses_the_same_ids(config, tmp_path):
    out = tmp_path / "polis"
    assert export(config, out) == 0
    existing = out / "existing"
    assert rows(existing / "comments.csv")[1:] == [
        [ms(40), "Thu Nov 08 05:40:00 UTC 2012", "4", "2", "1", "0", "1", "Build on the IGF."]
    ]
    assert [row[2:] for row in rows(existing / "votes.csv")[1:]] == [["4", "0", "1"], ["4", "3", "0"]]
    assert rows(existing / "participants-votes.csv")[1:] == [
        ["0", "0", "0", "1", "1", "0", "1"],
        ["2", "4", "1", "0", "0", "0", ""],
        ["3", "", "0", "1", "0", "0", "0"],
    ]
    summary = dict(rows(existing / "summary.csv"))
    assert (summary["voters"], summary["voters-in-conv"], summary["commenters"], summary["groups"]) == (
        "2",
        "1",
        "1",
        "2",
    )


def test_no_discord_id_or_name_in_any_file(config, tmp_path):
    out = tmp_path / "polis"
    assert export(config, out) == 0
    text = "".join(path.read_text(encoding="utf-8") for path in out.rglob("*.csv"))
    for secret in (GUILD, OTHER, *NAMES):
        assert str(secret) not in text
    for name in (*NAMES.values(), "Ana elsewhere", "Other server."):
        assert name not in text


def test_a_reexport_gives_the_same_files_and_a_newcomer_the_next_id(config, tmp_path):
    first, second, third = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    assert export(config, first) == 0
    assert export(config, second) == 0
    for path in first.rglob("*.csv"):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()
    asyncio.run(seed_more(tmp_path / "forum.db"))
    assert export(config, third) == 0
    before, after = rows(first / "gaps" / "participants-votes.csv"), rows(third / "gaps" / "participants-votes.csv")
    assert after[: len(before)] == before
    assert after[len(before)] == ["5", "", "0", "1", "0", "1", "", "-1", ""]
    assert rows(third / "existing" / "participants-votes.csv") == rows(first / "existing" / "participants-votes.csv")


def test_at_exports_the_statements_and_reactions_as_they_stood(config, tmp_path):
    out = tmp_path / "polis"
    assert export(config, out, "--at", "2012-11-08T06:05:00+00:00") == 0  # minute 65
    gaps = out / "gaps"
    assert [row[2:6] for row in rows(gaps / "comments.csv")[1:]] == [
        ["1", "0", "1", "1"],
        ["2", "1", "1", "1"],  # CHEN agrees, ANA disagrees; DIA's pass is a vote, not an agree
        ["3", "0", "0", "0"],
    ]
    assert [row[2:] for row in rows(gaps / "votes.csv")[1:]] == [
        ["1", "1", "1"],
        ["1", "2", "-1"],
        ["2", "0", "-1"],
        ["2", "2", "1"],
        ["2", "3", "0"],  # DIA's pass: the agree came later
    ]
    assert [row[0] for row in rows(gaps / "participants-votes.csv")[1:]] == ["0", "1", "2", "3"]  # EVE not yet
    earlier = tmp_path / "earlier"
    assert export(config, earlier, "--at", "2012-11-08T05:15:00+00:00") == 0
    assert [row[2] for row in rows(earlier / "gaps" / "comments.csv")[1:]] == ["1", "2"]
    assert rows(earlier / "gaps" / "votes.csv")[1:] == []
    assert rows(earlier / "existing" / "comments.csv")[1:] == []


def test_polis_needs_a_directory(config, capsys):
    assert main(["report", "--config", str(config), "--guild", str(GUILD), "--format", "polis"]) == 2
    err = capsys.readouterr().err
    assert err == "concord report: --format polis writes a folder per theme: give a directory with --out DIR\n"
