"""Broken configurations as a user meets them: `python -m bot migrate --config FILE` and `python -m bot run
--config FILE` print exactly one line naming the key (or the file) and exit with status 2, with no traceback,
nothing opened and no connection to Discord.

Each case is a TOML text (and environment variables, when the case is about them) and the exact line
expected. The command runs in-process through `bot.cli.main`, so the test sees the user's standard error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import discord
import pytest

from bot.cli import main
from bot.settings import Settings, StanceConfig, ThemeConfig

THEME = '[[themes]]\nslug = "{slug}"\ntitle = "T"\nquestion = "Q?"\nstances = [{stances}]\n'
TWO_STANCES = '{ key = "a", label = "A" }, { key = "b", label = "B" }'


def theme(slug: str = "roles", stances: str = TWO_STANCES) -> str:
    return THEME.format(slug=slug, stances=stances)


@dataclass(frozen=True)
class Case:
    toml: str
    line: str  # "{config}" stands for the configuration file's path
    env: dict[str, str] = field(default_factory=dict)


DURATION = 'must be a duration like "90s", "30m", "1h30m" or "2d", or a whole number of seconds'
WEEKLY = 'must be a weekly time like "mon 09:00", or "off"'
MOMENT = "must be a date and time with a UTC offset, e.g. 2012-11-08T09:00:00+04:00"
UNKNOWN = "unknown key (check its spelling against config.example.toml)"
NAME_RULE = "is not a valid Discord command/choice name (1-32 characters: lowercase letters, digits, '-' or '_')"
TOKEN = "the bot token is read only from the DISCORD_TOKEN environment variable; remove it from the file"

CASES: dict[str, Case] = {
    # --- the file as a whole
    "not TOML": Case(
        "[discord\n",
        "config: {config} is not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 9)",
    ),
    "not UTF-8": Case("", "config: {config} is not UTF-8 text (byte 0xe9 on line 3); save it as UTF-8"),
    "a section that is not a table": Case("polls = [1]\n", "config: polls: must be a table, not a list"),
    "a section that is a number": Case("discord = 5\n", "config: discord: must be a table, not 5"),
    # --- unknown keys
    "misspelt section": Case("[dicsord]\nguild_id = 1\n", f"config: dicsord: {UNKNOWN}"),
    "misspelt key": Case("[discord]\nguild = 1\n", f"config: discord.guild: {UNKNOWN}"),
    "unknown key in a theme": Case(theme() + 'colour = "red"\n', f"config: themes[0].colour: {UNKNOWN}"),
    "unknown key in a stance": Case(
        theme(stances='{ key = "a", label = "A", emoji = "x" }, { key = "b", label = "B" }'),
        f"config: themes[0].stances[0].emoji: {UNKNOWN}",
    ),
    # --- the token never in the file
    "token at the top": Case('token = "abc"\n', f"config: token: {TOKEN}"),
    "token in [discord]": Case('[discord]\ntoken = "abc"\n', f"config: token: {TOKEN}"),
    "DISCORD_TOKEN in the file": Case('DISCORD_TOKEN = "abc"\n', f"config: DISCORD_TOKEN: {TOKEN}"),
    "ballot key in the file": Case(
        f'ballot_key = "{"ab" * 32}"\n',
        "config: ballot_key: the ballot key is read only from the CONCORD_BALLOT_KEY environment variable or its "
        "key file beside the database; remove it from the file",
    ),
    # --- [discord]
    "guild id true": Case("[discord]\nguild_id = true\n", "config: discord.guild_id: must be a whole number, not true"),
    "guild id in quotes": Case(
        '[discord]\nguild_id = "123"\n', 'config: discord.guild_id: must be a whole number, not "123"'
    ),
    "guild id with a fraction": Case(
        "[discord]\nguild_id = 1.5\n", "config: discord.guild_id: must be a whole number, not 1.5"
    ),
    "negative guild id": Case(
        "[discord]\nguild_id = -1\n", "config: discord.guild_id: Input should be greater than or equal to 0"
    ),
    "role that is a number": Case(
        "[discord]\nfacilitator_role = 5\n", "config: discord.facilitator_role: must be text in quotes, not 5"
    ),
    "blank role": Case(
        '[discord]\norganiser_role = ""\n', "config: discord.organiser_role: String should have at least 1 character"
    ),
    # --- [database]
    "database path that is a number": Case(
        "[database]\npath = 5\n", 'config: database.path: must be a file path in quotes, such as "concord.db", not 5'
    ),
    "empty database path": Case(
        '[database]\npath = ""\n',
        'config: database.path: must not be empty: give the database file\'s path, such as "concord.db"',
    ),
    "database path that is a folder": Case(
        '[database]\npath = "."\n',
        "config: database.path: '.' is a folder; give the database file's path, e.g. concord.db",
    ),
    # --- [session]
    "ends before it starts": Case(
        '[session]\nstarts_at = "2012-11-08T10:30:00+04:00"\nends_at = "2012-11-08T09:00:00+04:00"\n',
        "config: session.ends_at: must be after starts_at (2012-11-08T10:30:00+04:00)",
    ),
    "time without an offset": Case(
        "[session]\nstarts_at = 2012-11-08T09:00:00\n",
        "config: session.starts_at: must carry a UTC offset, e.g. 2012-11-08T09:00:00+04:00",
    ),
    "a date without a time": Case(
        "[session]\nends_at = 2012-11-08\n", f"config: session.ends_at: {MOMENT}, not 2012-11-08"
    ),
    "a time as a number": Case(
        "[session]\nstarts_at = 1352350800\n", f"config: session.starts_at: {MOMENT}, not 1352350800"
    ),
    "a time nobody can read": Case(
        '[session]\nstarts_at = "tomorrow"\n',
        'config: session.starts_at: "tomorrow" is not a date and time like 2012-11-08T09:00:00+04:00',
    ),
    "bad timezone": Case(
        '[session]\ntimezone = "Asia/Atlantis"\n',
        "config: session.timezone: unknown timezone 'Asia/Atlantis' (use an IANA name such as 'Asia/Baku')",
    ),
    "timezone that is a folder of zones": Case(
        '[session]\ntimezone = "America"\n',
        "config: session.timezone: unknown timezone 'America' (use an IANA name such as 'Asia/Baku')",
    ),
    "title that is a number": Case(
        "[session]\ntitle = 2012\n", "config: session.title: must be text in quotes, not 2012"
    ),
    # --- [privacy]
    "unknown attribution": Case(
        '[privacy]\nattribution = "anonymous"\n',
        "config: privacy.attribution: Input should be 'chatham-house' or 'named', not \"anonymous\"",
    ),
    "attribution true": Case(
        "[privacy]\nattribution = true\n",
        "config: privacy.attribution: Input should be 'chatham-house' or 'named', not true",
    ),
    # --- [profiles]
    "stakeholders as one string": Case(
        '[profiles]\nexpected_stakeholders = "government"\n',
        'config: profiles.expected_stakeholders: must be a list, not "government"',
    ),
    "regions as a table": Case(
        "[profiles]\nexpected_regions = { weog = true }\n",
        "config: profiles.expected_regions: must be a list, not a table",
    ),
    "unknown stakeholder": Case(
        '[profiles]\nexpected_stakeholders = ["government", "media"]\n',
        "config: profiles.expected_stakeholders: unknown stakeholder key(s) media; known: government, "
        "private-sector, civil-society, technical-community, academia, intergovernmental",
    ),
    # --- [polls]
    "closing_soon true": Case("[polls]\nclosing_soon = true\n", f"config: polls.closing_soon: {DURATION}, not true"),
    "closing_soon with a fraction": Case(
        "[polls]\nclosing_soon = 1.5\n", f"config: polls.closing_soon: {DURATION}, not 1.5"
    ),
    "closing_soon negative": Case(
        "[polls]\nclosing_soon = -60\n", "config: polls.closing_soon: cannot be negative (got -60)"
    ),
    "closing_soon negative text": Case(
        '[polls]\nclosing_soon = "-1h"\n', 'config: polls.closing_soon: cannot be negative (got "-1h")'
    ),
    "closing_soon unreadable": Case(
        '[polls]\nclosing_soon = "soon"\n',
        "config: polls.closing_soon: 'soon' is not a duration like '90s', '30m', '1h', '1h30m' or '2d'",
    ),
    "duration beyond reach": Case(
        '[polls]\nclosing_soon = "99999999999999d"\n',
        "config: polls.closing_soon: '99999999999999d' is longer than any duration Concord can use",
    ),
    # --- [digest]
    "grace negative": Case("[digest]\ngrace = -3600\n", "config: digest.grace: cannot be negative (got -3600)"),
    "grace zero": Case('[digest]\ngrace = "0s"\n', 'config: digest.grace: must be longer than 0s (got "0s")'),
    "before negative": Case("[digest]\nbefore = -86400\n", "config: digest.before: cannot be negative (got -86400)"),
    "after negative": Case("[digest]\nafter = -1\n", "config: digest.after: cannot be negative (got -1)"),
    "after true": Case("[digest]\nafter = true\n", f"config: digest.after: {DURATION}, not true"),
    "bad weekly": Case(
        '[digest]\nweekly = "someday"\n',
        "config: digest.weekly: 'someday' is not a weekly time like 'mon 09:00' (or 'off')",
    ),
    "weekly as a number": Case("[digest]\nweekly = 5\n", f"config: digest.weekly: {WEEKLY}, not 5"),
    "weekly as a table": Case(
        '[digest]\nweekly = { day = "mon", at = "09:00" }\n', f"config: digest.weekly: {WEEKLY}, not a table"
    ),
    "digest timezone as a number": Case(
        "[digest]\ntimezone = 4\n", "config: digest.timezone: must be text in quotes, not 4"
    ),
    # --- [[themes]]
    "themes as one table": Case('[themes]\nslug = "x"\n', "config: themes: must be a list, not a table"),
    "bad slug": Case(theme("Roles!"), f"config: themes[0].slug: theme slug 'Roles!' {NAME_RULE}"),
    "slug of a Concord command": Case(
        theme("poll"), "config: themes[0].slug: 'poll' is already a Concord command; choose another slug"
    ),
    "duplicate slugs": Case(theme() + theme(), "config: themes: duplicate theme slug(s): roles"),
    "theme without stances": Case(
        '[[themes]]\nslug = "roles"\ntitle = "T"\nquestion = "Q?"\n',
        "config: themes[0].stances: missing: this key is required",
    ),
    "stances as one table": Case(
        '[[themes]]\nslug = "roles"\ntitle = "T"\nquestion = "Q?"\n[themes.stances]\nkey = "a"\nlabel = "A"\n',
        "config: themes[0].stances: must be a list, not a table",
    ),
    "too many stances": Case(
        theme(stances=", ".join(f'{{ key = "k{i}", label = "L{i}" }}' for i in range(26))),
        "config: themes[0].stances: needs between 2 and 25 stances, got 26",
    ),
    "one stance": Case(
        theme(stances='{ key = "a", label = "A" }'), "config: themes[0].stances: needs between 2 and 25 stances, got 1"
    ),
    "bad stance key": Case(
        theme(stances='{ key = "a", label = "A" }, { key = "B!", label = "B" }'),
        f"config: themes[0].stances[1].key: stance key 'B!' {NAME_RULE}",
    ),
    "duplicate stance labels": Case(
        theme(stances='{ key = "a", label = "Same" }, { key = "b", label = "Same" }'),
        "config: themes[0].stances: duplicate stance label(s): Same",
    ),
    "stance label that is a number": Case(
        theme(stances='{ key = "a", label = 1 }, { key = "b", label = "B" }'),
        "config: themes[0].stances[0].label: must be text in quotes, not 1",
    ),
    # --- environment variables (always text: read as each key says)
    "environment: guild id true": Case(
        "",
        'config: discord.guild_id: must be a whole number, not "true" (from CONCORD_DISCORD__GUILD_ID)',
        {"CONCORD_DISCORD__GUILD_ID": "true"},
    ),
    "environment: negative closing_soon": Case(
        "",
        "config: polls.closing_soon: cannot be negative (got -60) (from CONCORD_POLLS__CLOSING_SOON)",
        {"CONCORD_POLLS__CLOSING_SOON": "-60"},
    ),
    "environment: zero grace": Case(
        "",
        "config: digest.grace: must be longer than 0s (got 0) (from CONCORD_DIGEST__GRACE)",
        {"CONCORD_DIGEST__GRACE": "0"},
    ),
    "environment: a list that is not JSON": Case(
        "",
        "config: profiles.expected_regions: CONCORD_PROFILES__EXPECTED_REGIONS must hold a JSON list, "
        'such as ["a", "b"], not "weog"',
        {"CONCORD_PROFILES__EXPECTED_REGIONS": "weog"},
    ),
    "environment: a section as JSON with a wrong type": Case(
        "",
        "config: discord.guild_id: must be a whole number, not true (from CONCORD_DISCORD)",
        {"CONCORD_DISCORD": '{"guild_id": true}'},
    ),
    "environment: misspelt key": Case(
        "", f"config: discord.guildid: {UNKNOWN} (from CONCORD_DISCORD__GUILDID)", {"CONCORD_DISCORD__GUILDID": "1"}
    ),
    "environment: unknown attribution": Case(
        "",
        "config: privacy.attribution: Input should be 'chatham-house' or 'named', not \"public\" "
        "(from CONCORD_PRIVACY__ATTRIBUTION)",
        {"CONCORD_PRIVACY__ATTRIBUTION": "public"},
    ),
    "environment: a ballot key too short": Case(
        "",
        "config: CONCORD_BALLOT_KEY: holds 16 bytes; it needs at least 32 (e.g. openssl rand -base64 32)",
        {"CONCORD_BALLOT_KEY": "ab" * 16},
    ),
    "environment wins over a good file": Case(
        "[discord]\nguild_id = 123\n",
        'config: discord.guild_id: must be a whole number, not "12x" (from CONCORD_DISCORD__GUILD_ID)',
        {"CONCORD_DISCORD__GUILD_ID": "12x"},
    ),
}


@pytest.fixture(autouse=True)
def _no_outside_configuration(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("CONCORD_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # a configuration wrongly accepted would create its database here, not in the checkout


COMMANDS = ["migrate", "run"]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """For `run`: a token, so that the configuration is what stops it, and no connection to Discord."""
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.not-a-real-token")

    async def no_login(self: discord.Client, *args: object, **kwargs: object) -> None:
        raise AssertionError("the bot tried to connect to Discord with a broken configuration")

    monkeypatch.setattr(discord.Client, "start", no_login)


def migrate(config: Path, capsys: pytest.CaptureFixture[str], command: str = "migrate") -> tuple[int, str, str]:
    """`python -m bot <command> --config <config>`, in-process: its exit status, standard output and error."""
    status = main([command, "--config", str(config)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line(config: Path, capsys: pytest.CaptureFixture[str], expected: str, command: str = "migrate") -> None:
    status, out, err = migrate(config, capsys, command)
    assert (status, out, err) == (2, "", expected.format(config=config) + "\n")
    assert not list(config.parent.glob("*.db")), "nothing may be opened or created"


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_broken_configuration_is_one_line_naming_the_key(case, command, tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.toml"
    if case.line.endswith("save it as UTF-8"):  # a file saved in Latin-1
        config.write_bytes('[discord]\nguild_id = 1\n# "Café" in Latin-1\n'.encode("latin-1"))
    else:
        config.write_text(case.toml, encoding="utf-8")
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    assert_one_line(config, capsys, case.line, command)


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_configuration_file_that_is_a_folder(command, tmp_path, capsys):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    assert_one_line(folder, capsys, "config: {config} is a folder, not a configuration file", command)


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_configuration_file_that_is_missing(command, tmp_path, capsys):
    assert_one_line(tmp_path / "config.toml", capsys, "config: file {config} not found", command)


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_symbolic_link_to_nothing(command, tmp_path, capsys):
    link = tmp_path / "config.toml"
    link.symlink_to(tmp_path / "moved-away.toml")
    moved = tmp_path / "moved-away.toml"
    assert_one_line(link, capsys, f"config: {{config}} is a symbolic link to {moved}, which does not exist", command)


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_configuration_file_without_read_permission(command, tmp_path, monkeypatch, capsys):
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
    assert_one_line(config, capsys, "config: {config} cannot be read: permission denied", command)


def every_key() -> list[tuple[str, str]]:
    """(TOML text, key) for every key of the file, each set to `true`, which no key takes."""
    sections = {name: field.annotation for name, field in Settings.model_fields.items() if not field.exclude}
    cases = [
        (f"[{section}]\n{key} = true\n", f"{section}.{key}")
        for section, model in sections.items()
        if section != "themes"
        for key in model.model_fields  # type: ignore[union-attr]
    ]
    stance = {"key": '"a"', "label": '"A"'}
    for name, info in ThemeConfig.model_fields.items():
        key = info.alias or name  # what the file calls it (`title` holds the base text `base_title`)
        fields = {"slug": '"roles"', "title": '"T"', "question": '"Q?"', "context": '""'} | {key: "true"}
        body = "".join(f"{name} = {value}\n" for name, value in fields.items() if name != "stances")
        stances = "true" if key == "stances" else f"[{TWO_STANCES}]"
        cases.append((f"[[themes]]\n{body}stances = {stances}\n", f"themes[0].{key}"))
    for name, info in StanceConfig.model_fields.items():
        key = info.alias or name
        first = ", ".join(f"{name} = {value}" for name, value in ({**stance, key: "true"}).items())
        cases.append((theme(stances=f'{{ {first} }}, {{ key = "b", label = "B" }}'), f"themes[0].stances[0].{key}"))
    return cases


@pytest.mark.parametrize(("toml", "key"), every_key(), ids=[key for _, key in every_key()])
def test_no_key_takes_a_boolean(toml, key, tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    status, out, err = migrate(config, capsys)
    assert (status, out) == (2, "")
    assert err.startswith(f"config: {key}: ") and err.endswith(" true\n") and err.count("\n") == 1, err
