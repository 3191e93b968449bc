"""The secret ballots' server secret as `python -m bot run` meets it, before it logs in to Discord: written
to a key file for its owner alone on the first run, taken from CONCORD_BALLOT_KEY instead when set, and
refused in one line (status 2) when the file is open to others, is not a key, or is not the key the open
secret polls were created with.
"""

from __future__ import annotations

import asyncio
import base64
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest

from bot.ballot_key import key_file_path
from bot.cli import main
from bot.cli.run import BAD_TOKEN
from bot.config_values import parse_secret
from bot.core.ballot_keys import BallotKeys
from bot.settings import DatabaseSettings
from bot.store import open_store

SECRET = bytes(range(32))


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("CONCORD_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.not-a-real-token")
    monkeypatch.chdir(tmp_path)

    async def refused(self, *args, **kwargs):  # what Discord says to a made-up token: the run got that far
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord.Client, "start", refused)


@pytest.fixture
def database(tmp_path) -> Path:
    return tmp_path / "forum.db"


def run(database: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    Path("config.toml").write_text(f'[database]\npath = "{database}"\n', encoding="utf-8")
    status = main(["run", "--config", "config.toml"])
    return status, capsys.readouterr().err


def test_the_first_run_writes_a_key_file_for_its_owner_alone_and_the_next_uses_it(database, capsys):
    assert run(database, capsys) == (1, BAD_TOKEN + "\n")  # got as far as Discord
    key_file = database.with_name("forum.ballot-key")
    assert key_file_path(database) == key_file and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    written = key_file.read_text(encoding="ascii")
    assert len(parse_secret(written)) == 32
    assert run(database, capsys) == (1, BAD_TOKEN + "\n")
    assert key_file.read_text(encoding="ascii") == written


def test_concord_ballot_key_is_used_instead_of_a_key_file(database, capsys, monkeypatch):
    monkeypatch.setenv("CONCORD_BALLOT_KEY", base64.b64encode(SECRET).decode())
    assert run(database, capsys) == (1, BAD_TOKEN + "\n")
    assert not key_file_path(database).exists()


def test_a_malformed_concord_ballot_key_is_one_line_that_does_not_repeat_it(database, capsys, monkeypatch):
    monkeypatch.setenv("CONCORD_BALLOT_KEY", "correct horse battery staple")
    assert run(database, capsys) == (
        2,
        "config: CONCORD_BALLOT_KEY: must be hex or base64 of at least 32 random bytes\n",
    )
    monkeypatch.setenv("CONCORD_BALLOT_KEY", SECRET[:16].hex())
    assert run(database, capsys) == (
        2,
        "config: CONCORD_BALLOT_KEY: holds 16 bytes; it needs at least 32 (e.g. openssl rand -base64 32)\n",
    )


def test_a_key_file_others_may_read_is_refused_not_used(database, capsys):
    key_file = key_file_path(database)
    key_file.write_text(base64.b64encode(SECRET).decode() + "\n", encoding="ascii")
    key_file.chmod(0o644)
    assert run(database, capsys) == (
        2,
        f"concord: ballot key file {key_file}: others may read or write it (mode 0644); make it its owner's alone: "
        f"chmod 600 {key_file}\n",
    )
    key_file.chmod(0o600)
    assert run(database, capsys) == (1, BAD_TOKEN + "\n")


@pytest.mark.parametrize(
    "content", ["", "not a key\n", base64.b64encode(SECRET[:20]).decode()], ids=["empty", "text", "short"]
)
def test_a_key_file_that_holds_no_key_is_refused_not_replaced(database, capsys, content):
    key_file = key_file_path(database)
    key_file.write_text(content, encoding="ascii")
    key_file.chmod(0o600)
    status, err = run(database, capsys)
    assert status == 2 and err.count("\n") == 1
    assert err.startswith(f"concord: ballot key file {key_file}: is not a ballot key: ")
    assert err.endswith(
        "If no secret poll is open, delete it and a new one is made; else restore it (or set CONCORD_BALLOT_KEY)\n"
    )
    assert key_file.read_text(encoding="ascii") == content


def test_a_key_file_that_is_a_folder(database, capsys):
    key_file = key_file_path(database)
    key_file.mkdir()
    assert run(database, capsys) == (2, f"concord: ballot key file {key_file}: is a folder, not a key file\n")


async def open_secret_poll_under(database: Path, keys: BallotKeys) -> int:
    store = await open_store(DatabaseSettings(path=database))
    try:
        now = datetime.now(UTC)
        poll = await store.create_poll(
            guild_id=1,
            channel_id=2,
            created_by=3,
            question="Kept?",
            options=["Yes", "No"],
            theme=None,
            secret=True,
            hide_results=True,
            max_choices=1,
            now=now,
            closes_at=now + timedelta(days=1),
            ballot_seed=keys.new_seed(),
        )
        return poll.id
    finally:
        await store.close()


def test_another_key_than_the_open_secret_polls_were_created_with_is_refused(database, capsys, monkeypatch):
    poll_id = asyncio.run(open_secret_poll_under(database, BallotKeys(SECRET)))
    key_file = key_file_path(database)
    key_file.write_text(base64.b64encode(bytes(32)).decode(), encoding="ascii")  # a key file lost and remade
    key_file.chmod(0o600)
    assert run(database, capsys) == (
        2,
        f"concord: ballot key file {key_file}: is not the key the open secret poll (id {poll_id}) was created with; "
        "restore that key (its votes could not be told apart from new ones)\n",
    )
    monkeypatch.setenv("CONCORD_BALLOT_KEY", SECRET.hex())  # the key it was created with
    assert run(database, capsys) == (1, BAD_TOKEN + "\n")
