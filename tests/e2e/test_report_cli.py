"""`python -m bot report` on a seeded database, in every format, run in-process through the CLI's main()."""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from matplotlib.image import imread

from bot.cli import main
from bot.settings import DatabaseSettings
from bot.store import open_store

GUILD = 4242
T0 = datetime(2026, 1, 1, tzinfo=UTC)
BEFORE_AT = T0 + timedelta(hours=29)
AT = "2026-01-05T00:00:00+00:00"
TOML = """
[database]
path = "{db}"

[privacy]
min_group = 1  # tiny groups named here: the small-group rule has its own tests

[session]
starts_at = "2026-01-03T09:00:00+04:00"
ends_at = "2026-01-03T10:30:00+04:00"
"""


async def seed(db: Path) -> None:
    """Four participants on `gaps`; a before-digest posted at hour 29; then one moves, one withdraws."""
    store = await open_store(DatabaseSettings(path=db))
    try:
        await store.set_profile(GUILD, 1, "government", "weog", T0)
        await store.set_profile(GUILD, 2, "civil-society", "african", T0)
        script = [
            (1, 1, "some", "Spam has no home | <script>alert(1)</script>"),
            (2, 2, "some", "=cmd() cybercrime"),
            (3, 3, "none", "Existing fora cope."),
            (4, 4, "widespread", None),
            (3, 30, "some", "The panel convinced me."),
        ]
        for user, hour, stance, rationale in script:
            await store.record_position(
                GUILD, "gaps", user, f"user{user}", stance, rationale, T0 + timedelta(hours=hour)
            )
        await store.withdraw_position(GUILD, "gaps", 4, T0 + timedelta(hours=31))
        poll = await store.create_poll(
            guild_id=GUILD,
            channel_id=1456074443980800013,
            created_by=1,
            question="Is the IGF the home of enhanced cooperation?",
            options=["Yes", "No"],
            theme="gaps",
            secret=False,
            hide_results=False,
            max_choices=1,
            now=T0 + timedelta(hours=30),
            closes_at=T0 + timedelta(hours=32),
            ballot_seed=None,
        )
        await store.close_poll(poll.id, T0 + timedelta(hours=32))
        run = await store.claim_digest(GUILD, "before", BEFORE_AT, BEFORE_AT)
        assert run is not None
        await store.mark_digest_posted(run.id, BEFORE_AT)
        await store.record_position(GUILD + 1, "gaps", 9, "elsewhere", "none", "Other server.", T0)
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


def report(config: Path, *args: str) -> int:
    return main(["report", "--config", str(config), "--guild", str(GUILD), "--at", AT, *args])


def test_markdown_report_reproduces_the_posted_before_digest(config, tmp_path):
    out = tmp_path / "out" / "before.md"
    assert report(config, "--kind", "before", "--format", "markdown", "--out", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Before the session — Open Forum on Enhanced Cooperation\n")
    assert "As of 2026-01-02 09:00 (Asia/Baku)." in text
    # As of the before-digest: 2 some, 1 none, 1 widespread; the later move and withdrawal are not in it.
    assert "| Gaps in specific policy areas | 2 | 50% | — |" in text
    assert "| Widespread gaps | 1 | 25% | — |" in text
    assert "Spam has no home \\| \\<script\\>alert(1)\\</script\\>" in text
    header = "| Group | Total | No significant gaps | Gaps in specific policy areas | Widespread gaps | Undecided |"
    assert header in text  # breakdown columns are headed by the stances' labels
    assert "![Stance distribution per theme](before.png)" in text
    assert imread(out.with_suffix(".png")).shape[2] in (3, 4)
    assert "Other server" not in text


def test_after_report_as_json_has_the_shift_since_the_before_digest(config, tmp_path):
    out = tmp_path / "after.json"
    assert report(config, "--kind", "after", "--format", "json", "--out", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["kind"] == "after" and data["as_of"] == "2026-01-05T00:00:00+00:00"
    assert data["previous_at"] == data["shift_from"] == "2026-01-02T05:00:00+00:00"
    gaps = next(theme for theme in data["themes"] if theme["slug"] == "gaps")
    assert [(s["key"], s["count"], s["percent"], s["change"]) for s in gaps["stances"]] == [
        ("none", 0, 0, -1),
        ("some", 3, 100, 1),
        ("widespread", 0, 0, -1),
        ("undecided", 0, 0, 0),
    ]
    assert gaps["shift"]["rows"] == [
        {"from_stance": "none", "to_stance": "some", "count": 1},
        {"from_stance": "widespread", "to_stance": None, "count": 1},
    ]
    assert (gaps["shift"]["unchanged"], gaps["shift"]["moved"], gaps["shift"]["withdrew"]) == (2, 1, 1)
    [poll] = data["polls"]
    assert poll["question"] == "Is the IGF the home of enhanced cooperation?" and poll["voters"] == 0
    assert poll["channel_id"] == "1456074443980800013"  # Discord ids as strings, exact in any JSON reader


def test_every_json_field_is_documented(config, tmp_path):
    out = tmp_path / "after.json"
    assert report(config, "--kind", "after", "--format", "json", "--out", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "concord-digest/1"
    docs = (Path(__file__).parents[2] / "docs" / "digests.md").read_text(encoding="utf-8")
    documented = docs.split("### JSON", 1)[1].split("\n## ", 1)[0]
    gaps = next(theme for theme in data["themes"] if theme["slug"] == "gaps")
    objects = [data, gaps, gaps["stances"][0], gaps["by_stakeholder"][0], gaps["by_stakeholder"][0]["counts"][0]]
    objects += [gaps["quotes"][0], gaps["quotes"][0]["quotes"][0], gaps["shift"], gaps["shift"]["rows"][0]]
    objects += [data["polls"][0], data["polls"][0]["options"][0]]
    undocumented = {key for item in objects for key in item if f"`{key}`" not in documented}
    assert undocumented == set()


def test_html_report_is_one_self_contained_escaped_file(config, tmp_path):
    out = tmp_path / "now.html"
    assert report(config, "--kind", "now", "--format", "html", "--out", str(out)) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page
    assert '<img alt="Stance distribution per theme" src="data:image/png;base64,iVBORw0KGgo' in page
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "<h3>By stakeholder group</h3>" in page


def test_csv_report_writes_positions_and_history_with_documented_columns(config, tmp_path):
    out = tmp_path / "csv"
    assert report(config, "--format", "csv", "--out", str(out)) == 0
    with (out / "positions.csv").open(encoding="utf-8", newline="") as handle:
        positions = list(csv.DictReader(handle))
    with (out / "history.csv").open(encoding="utf-8", newline="") as handle:
        history = list(csv.DictReader(handle))
    assert list(positions[0]) == [
        "theme",
        "participant",
        "display_name",
        "stakeholder",
        "region",
        "stance",
        "stance_label",
        "rationale",
        "updated_at",
    ]
    assert [(p["participant"], p["stance"], p["stakeholder"]) for p in positions] == [
        ("P0001", "some", "government"),
        ("P0002", "some", "civil-society"),
        ("P0003", "some", "undeclared"),
    ]
    assert positions[1]["rationale"] == "'=cmd() cybercrime" and positions[0]["display_name"] == ""
    assert [(h["participant"], h["change"], h["stance"]) for h in history] == [
        ("P0001", "joined", "some"),
        ("P0002", "joined", "some"),
        ("P0003", "joined", "none"),
        ("P0004", "joined", "widespread"),
        ("P0003", "changed", "some"),
        ("P0004", "withdrew", ""),
    ]
    assert history[4]["at"] == "2026-01-02T06:00:00Z"


def test_markdown_to_standard_output_and_bad_arguments(config, tmp_path, capsys):
    assert report(config, "--kind", "weekly") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# Weekly digest — ") and "no weekly digest posted yet" in captured.err
    assert report(config, "--format", "csv") == 2
    assert "--out DIR" in capsys.readouterr().err
    missing = tmp_path / "missing.toml"
    missing.write_text('[database]\npath = "nowhere/none.db"\n', encoding="utf-8")
    assert main(["report", "--config", str(missing), "--guild", "1"]) == 2
    assert not (tmp_path / "nowhere").exists()
    with pytest.raises(SystemExit):
        main(["report", "--config", str(config), "--guild", str(GUILD), "--at", "yesterday"])
    assert "--at: 'yesterday' is not an ISO 8601 time" in capsys.readouterr().err
