"""A database that cannot be used stops `python -m bot migrate` and `python -m bot run` with one line naming
its path and the problem, status 2, before anything is sent to Discord (and leaves the file as it was).

Read-only files and folders cannot be made by chmod when the tests run as root (root writes anyway), so
those cases open the file the way SQLite opens one it may not write (`mode=ro`): the errors that follow
are SQLite's own. Where the tests run as another user, chmod makes the real thing.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import discord
import pytest

from bot.cli import main
from bot.cli.run import BAD_TOKEN
from bot.migrate import available_migrations

COMMANDS = ["migrate", "run"]
READ_ONLY = "is read-only: Concord must be able to write the file and its folder (for the -wal and -shm files)"
CANNOT_OPEN = "cannot be opened: check that its folder exists and that Concord may write there"


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("CONCORD_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.not-a-real-token")
    monkeypatch.chdir(tmp_path)

    async def no_login(self, *args, **kwargs):
        raise AssertionError("the bot tried to connect to Discord with a database it cannot use")

    monkeypatch.setattr(discord.Client, "start", no_login)


def concord(command: str, database: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    config = Path("config.toml")  # in the test's own folder (see _offline)
    config.write_text(f'[database]\npath = "{database}"\n', encoding="utf-8")
    status = main([command, "--config", str(config)])
    captured = capsys.readouterr()
    return status, captured.err


def read_only_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make these paths read-only: with chmod where that stops the user, else as SQLite sees such a file."""
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    if all(not os.access(path, os.W_OK) for path in paths):
        return
    connect = sqlite3.connect

    def read_only(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        return connect(f"file:{database}?mode=ro", *args, uri=True, **kwargs)  # type: ignore[misc]

    monkeypatch.setattr(sqlite3, "connect", read_only)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_that_is_not_a_database(command, tmp_path, capsys):
    database = tmp_path / "forum.db"
    garbage = bytes(range(256)) * 16
    database.write_bytes(garbage)
    assert concord(command, database, capsys) == (
        2,
        f"concord: database {database}: is not an SQLite database (check database.path)\n",
    )
    assert database.read_bytes() == garbage


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_that_cannot_be_created(command, tmp_path, capsys):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the database's folder should be", encoding="utf-8")
    database = blocker / "concord" / "forum.db"
    assert concord(command, database, capsys) == (
        2,
        f"concord: database {database}: its folder cannot be created: {blocker} is a file\n",
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_database_file(command, tmp_path, capsys, monkeypatch):
    database = tmp_path / "forum.db"
    assert concord("migrate", database, capsys)[0] == 0  # a good database, then made read-only
    before = database.read_bytes()
    read_only_files(monkeypatch, database)
    assert concord(command, database, capsys) == (2, f"concord: database {database}: {READ_ONLY}\n")
    assert database.read_bytes() == before


@pytest.mark.parametrize("command", COMMANDS)
def test_an_existing_database_in_a_read_only_folder(command, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "forum.db"
    assert concord("migrate", database, capsys)[0] == 0
    before = database.read_bytes()
    read_only_files(monkeypatch, folder)
    status, said = concord(command, database, capsys)
    assert status == 2 and said.count("\n") == 1 and said.startswith(f"concord: database {database}: "), said
    assert said in (f"concord: database {database}: {READ_ONLY}\n", f"concord: database {database}: {CANNOT_OPEN}\n")
    assert database.read_bytes() == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_new_database_in_a_read_only_folder(command, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "forum.db"
    read_only_files(monkeypatch, folder)
    assert concord(command, database, capsys) == (2, f"concord: database {database}: {CANNOT_OPEN}\n")
    assert not database.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_path_that_is_a_folder(command, tmp_path, capsys):
    folder = tmp_path / "forum.db"
    folder.mkdir()
    assert concord(command, folder, capsys) == (
        2,
        f"config: database.path: '{folder}' is a folder; give the database file's path, e.g. concord.db\n",
    )


def test_run_opens_and_migrates_the_database_before_it_logs_in(tmp_path, capsys, monkeypatch):
    database = tmp_path / "forum.db"
    versions_at_login: list[int] = []

    async def refused(self, *args, **kwargs):
        with closing(sqlite3.connect(database)) as db:
            versions_at_login.append(db.execute("PRAGMA user_version").fetchone()[0])
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord.Client, "start", refused)
    assert concord("run", database, capsys) == (1, BAD_TOKEN + "\n")
    assert versions_at_login == [len(available_migrations())]
