"""Broken configurations as a user meets them: `python -m bot migrate --config FILE` prints exactly one line
naming the key (or the file) and exits with status 2, with no traceback and nothing opened.

Each case is a TOML text (and environment variables, when the case is about them) and the exact line
expected. The command runs in-process through `bot.cli.main`, so the test sees the user's standard error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.cli import main

THEME = '[[themes]]\nslug = "{slug}"\ntitle = "T"\nquestion = "Q?"\nstances = [{stances}]\n'
TWO_STANCES = '{ key = "a", label = "A" }, { key = "b", label = "B" }'


def theme(slug: str = "roles", stances: str = TWO_STANCES) -> str:
    return THEME.format(slug=slug, stances=stances)


@dataclass(frozen=True)
class Case:
    toml: str
    line: str  # "{config}" stands for the configuration file's path
    env: dict[str, str] = field(default_factory=dict)


CASES: dict[str, Case] = {
    # --- the file itself
    "not TOML": Case(
        "[discord\n",
        "config: {config} is not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 9)",
    ),
    "not UTF-8": Case("", "config: {config} is not UTF-8 text (byte 0xe9 on line 3); save it as UTF-8"),
    # --- unknown keys
    "misspelt section": Case(
        "[dicsord]\nguild_id = 1\n", "config: dicsord: unknown key (check its spelling against config.example.toml)"
    ),
    "misspelt key": Case(
        "[discord]\nguild = 1\n", "config: discord.guild: unknown key (check its spelling against config.example.toml)"
    ),
    # --- session
    "bad timezone": Case(
        '[session]\ntimezone = "Asia/Atlantis"\n',
        "config: session.timezone: unknown timezone 'Asia/Atlantis' (use an IANA name such as 'Asia/Baku')",
    ),
    "timezone that is a folder of zones": Case(
        '[session]\ntimezone = "America"\n',
        "config: session.timezone: unknown timezone 'America' (use an IANA name such as 'Asia/Baku')",
    ),
}


@pytest.fixture(autouse=True)
def _no_outside_configuration(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("CONCORD_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # a configuration wrongly accepted would create its database here, not in the checkout


def migrate(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`python -m bot migrate --config <config>`, in-process: its exit status, standard output and error."""
    status = main(["migrate", "--config", str(config)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line(config: Path, capsys: pytest.CaptureFixture[str], expected: str) -> None:
    status, out, err = migrate(config, capsys)
    assert (status, out, err) == (2, "", expected.format(config=config) + "\n")
    assert not list(config.parent.glob("*.db")), "nothing may be opened or created"


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_broken_configuration_is_one_line_naming_the_key(case, tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.toml"
    if case.toml:
        config.write_text(case.toml, encoding="utf-8")
    else:  # "not UTF-8": a file saved in Latin-1
        config.write_bytes('[discord]\nguild_id = 1\n# "Café" in Latin-1\n'.encode("latin-1"))
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    assert_one_line(config, capsys, case.line)


def test_a_configuration_file_that_is_a_folder(tmp_path, capsys):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    assert_one_line(folder, capsys, "config: {config} is a folder, not a configuration file")


def test_a_configuration_file_that_is_missing(tmp_path, capsys):
    assert_one_line(tmp_path / "config.toml", capsys, "config: file {config} not found")


def test_a_symbolic_link_to_nothing(tmp_path, capsys):
    link = tmp_path / "config.toml"
    link.symlink_to(tmp_path / "moved-away.toml")
    assert_one_line(
        link, capsys, f"config: {{config}} is a symbolic link to {tmp_path / 'moved-away.toml'}, which does not exist"
    )


def test_a_configuration_file_without_read_permission(tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.toml"
    config.write_text("[discord]\nguild_id = 1\n", encoding="utf-8")
    config.chmod(0)
    if os.access(config, os.R_OK):  # running as root, whom permissions do not stop: refuse the read as the OS would
        opening = Path.open

        def refused(self: Path, *args: object, **kwargs: object):
            if self == config:
                raise PermissionError(13, "Permission denied", str(self))
            return opening(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refused)
    assert_one_line(config, capsys, "config: {config} cannot be read: permission denied")
