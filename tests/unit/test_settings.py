"""Settings: every TOML key, environment overrides, the token, one-line errors; the CLI without a token; durations."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings
from bot.times import format_duration, parse_duration

ROOT = Path(__file__).resolve().parents[2]

FULL = """
[discord]
guild_id = 123456789012345678
facilitator_role = "Moderator"
organiser_role = "EC staff"

[database]
path = "{db}"

[session]
title = "Enhanced cooperation: who does what?"
starts_at = "2012-11-08T11:00:00+04:00"
ends_at = 2012-11-08T12:30:00+04:00
timezone = "Europe/Brussels"

[privacy]
attribution = "named"

[profiles]
expected_stakeholders = ["government", "civil-society"]
expected_regions = ["african", "weog"]

[[themes]]
slug = "roles"
title = "Roles and responsibilities"
question = "Who does what?"
context = "Tunis Agenda, paragraphs 34-35."

[[themes.stances]]
key = "clear"
label = "Roles are clear"

[[themes.stances]]
key = "unclear"
label = "Roles are unclear"
"""

THEME = """
[[themes]]
slug = "{slug}"
title = "T"
question = "Q?"
stances = [{{ key = "a", label = "A" }}, {{ key = "{key}", label = "B" }}]
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("CONCORD_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_baku_forum(tmp_path):
    settings = Settings.load(None)
    assert settings.discord.guild_id == 0
    assert settings.discord.facilitator_role == "Facilitator"
    assert settings.discord.organiser_role == "Organiser"
    assert settings.database.path == Path("concord.db")
    assert settings.session.title == "Open Forum on Enhanced Cooperation"
    assert settings.session.starts_at == datetime.fromisoformat("2012-11-08T09:00:00+04:00")
    assert settings.session.ends_at == datetime.fromisoformat("2012-11-08T10:30:00+04:00")
    assert settings.session.timezone == "Asia/Baku"
    assert settings.privacy.attribution == "chatham-house"
    assert settings.token is None
    themes = {theme.slug: [stance.key for stance in theme.stances] for theme in settings.themes}
    assert themes == {
        "existing": ["sufficient", "develop", "lacking", "undecided"],
        "gaps": ["none", "some", "widespread", "undecided"],
        "structures": ["as-is", "improve", "none-fit", "undecided"],
        "igf": ["home", "contributor", "separate", "undecided"],
        "newbody": ["new-un-body", "status-quo", "analyse-first", "undecided"],
    }
    assert settings.themes[4].stances[2].label == "Analyse the current ecosystem first"
    assert settings.themes[3].question.startswith("What is the role of the Internet Governance Forum")


def test_every_toml_key_is_read(tmp_path):
    db = tmp_path / "forum.db"
    settings = Settings.load(write(tmp_path, FULL.format(db=db)))

    assert settings.discord.guild_id == 123456789012345678
    assert settings.discord.facilitator_role == "Moderator"
    assert settings.discord.organiser_role == "EC staff"
    assert settings.database.path == db
    assert settings.session.title == "Enhanced cooperation: who does what?"
    assert settings.session.starts_at == datetime.fromisoformat("2012-11-08T11:00:00+04:00")
    assert settings.session.ends_at == datetime.fromisoformat("2012-11-08T12:30:00+04:00")
    assert settings.session.timezone == "Europe/Brussels"
    assert settings.privacy.attribution == "named"
    assert settings.profiles.expected_stakeholders == ("government", "civil-society")
    assert settings.profiles.expected_regions == ("african", "weog")
    (theme,) = settings.themes
    assert (theme.slug, theme.title, theme.question, theme.context) == (
        "roles",
        "Roles and responsibilities",
        "Who does what?",
        "Tunis Agenda, paragraphs 34-35.",
    )
    assert [(s.key, s.label) for s in theme.stances] == [("clear", "Roles are clear"), ("unclear", "Roles are unclear")]


def test_an_empty_themes_list_falls_back_to_the_five_forum_themes(tmp_path):
    settings = Settings.load(write(tmp_path, "themes = []\n"))
    assert [theme.slug for theme in settings.themes] == ["existing", "gaps", "structures", "igf", "newbody"]


def test_environment_overrides_the_file_with_prefix_and_nesting(tmp_path, monkeypatch):
    monkeypatch.setenv("CONCORD_DISCORD__GUILD_ID", "42")
    monkeypatch.setenv("CONCORD_PRIVACY__ATTRIBUTION", "chatham-house")
    monkeypatch.setenv("CONCORD_DATABASE__PATH", str(tmp_path / "env.db"))
    monkeypatch.setenv("CONCORD_SESSION__TIMEZONE", "UTC")

    settings = Settings.load(write(tmp_path, FULL.format(db=tmp_path / "file.db")))

    assert settings.discord.guild_id == 42
    assert settings.discord.facilitator_role == "Moderator"  # the rest of the section still from the file
    assert settings.privacy.attribution == "chatham-house"
    assert settings.database.path == tmp_path / "env.db"
    assert settings.session.timezone == "UTC"
    assert settings.session.title == "Enhanced cooperation: who does what?"


def test_environment_text_is_read_as_each_key_expects(monkeypatch):
    monkeypatch.setenv("CONCORD_DISCORD__GUILD_ID", "123456789012345678")
    monkeypatch.setenv("CONCORD_DISCORD__FACILITATOR_ROLE", "2024")  # a role named with digits stays text
    monkeypatch.setenv("CONCORD_POLLS__CLOSING_SOON", "90")  # whole seconds, as in the file
    monkeypatch.setenv("CONCORD_DIGEST__BEFORE", "off")
    monkeypatch.setenv("CONCORD_DIGEST__GRACE", "2h")
    monkeypatch.setenv("CONCORD_PROFILES__EXPECTED_REGIONS", '["weog"]')
    settings = Settings.load(None)
    assert settings.discord.guild_id == 123456789012345678
    assert settings.discord.facilitator_role == "2024"
    assert settings.polls.closing_soon == timedelta(seconds=90)
    assert settings.digest.before is None
    assert settings.digest.grace == timedelta(hours=2)
    assert settings.profiles.expected_regions == ("weog",)


def test_durations_are_text_or_whole_seconds_and_zero_means_what_the_key_says(tmp_path):
    settings = Settings.load(
        write(tmp_path, "[polls]\nclosing_soon = 0\n[digest]\nbefore = 0\nafter = 5400\ngrace = 60\n")
    )
    assert settings.polls.closing_soon == timedelta(0)  # no closing-soon notice
    assert settings.digest.before == timedelta(0)  # the before-session digest at the start
    assert settings.digest.after == timedelta(hours=1, minutes=30)
    assert settings.digest.grace == timedelta(minutes=1)
    assert Settings.load(write(tmp_path, '[polls]\nclosing_soon = "off"\n')).polls.closing_soon == timedelta(0)


def test_the_token_comes_only_from_discord_token_and_never_shows(tmp_path, monkeypatch):
    monkeypatch.setenv("CONCORD_TOKEN", "not-this-one")
    assert Settings.load(None).token is None

    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.secret-token-value")
    settings = Settings.load(write(tmp_path, FULL.format(db=tmp_path / "x.db")))

    assert settings.token.get_secret_value() == "MTIz.secret-token-value"
    for shown in (
        repr(settings),
        str(settings),
        str(settings.model_dump()),
        settings.model_dump_json(),
        str(settings.token),
    ):
        assert "secret-token-value" not in shown


def test_the_ballot_key_comes_only_from_concord_ballot_key_and_never_shows(monkeypatch):
    assert Settings.load(None).ballot_key is None  # then the key file beside the database holds it
    secret = bytes(range(32))
    monkeypatch.setenv("CONCORD_BALLOT_KEY", secret.hex())
    settings = Settings.load(None)
    assert settings.ballot_key.get_secret_value() == secret
    for shown in (repr(settings), str(settings), str(settings.model_dump()), settings.model_dump_json()):
        assert secret.hex() not in shown and str(secret) not in shown and "ballot_key" not in shown


@pytest.mark.parametrize("where", ["token = 'abc'\n", "[discord]\ntoken = 'abc'\n", "DISCORD_TOKEN = 'abc'\n"])
def test_a_token_in_the_file_is_refused(tmp_path, where):
    with pytest.raises(ConfigError) as caught:
        Settings.load(write(tmp_path, where))
    message = str(caught.value)
    assert "\n" not in message
    assert "DISCORD_TOKEN environment variable" in message
    assert "abc" not in message


def theme_toml(slug: str = "roles", key: str = "b") -> str:
    return THEME.format(slug=slug, key=key)


BAD_CONFIGS = {
    "duplicate slugs": (theme_toml("roles") + theme_toml("roles"), "themes", "duplicate theme slug(s): roles"),
    "slug with capitals": (theme_toml("Roles"), "themes[0].slug", "'Roles' is not a valid Discord"),
    "slug with a space": (theme_toml("who does"), "themes[0].slug", "not a valid Discord command/choice name"),
    "slug too long": (theme_toml("x" * 33), "themes[0].slug", "not a valid Discord"),
    "slug of an existing command": (theme_toml("profile"), "themes[0].slug", "already a Concord command"),
    "stance key": (theme_toml(key="B!"), "themes[0].stances[1].key", "stance key 'B!' is not a valid"),
    "26 stances": (
        '[[themes]]\nslug = "many"\ntitle = "T"\nquestion = "Q"\n'
        + "".join(f'[[themes.stances]]\nkey = "k{i}"\nlabel = "L{i}"\n' for i in range(26)),
        "themes[0].stances",
        "between 2 and 25 stances, got 26",
    ),
    "duplicate stance keys": (theme_toml(key="a"), "themes[0].stances", "duplicate stance key(s): a"),
    "stance label over 100": (
        '[[themes]]\nslug = "s"\ntitle = "T"\nquestion = "Q"\n'
        f'stances = [{{ key = "a", label = "{"x" * 101}" }}, {{ key = "b", label = "B" }}]\n',
        "themes[0].stances[0].label",
        "at most 100 characters",
    ),
    "unknown stakeholder": (
        '[profiles]\nexpected_stakeholders = ["government", "media"]\n',
        "profiles.expected_stakeholders",
        "unknown stakeholder key(s) media",
    ),
    "unknown region": ('[profiles]\nexpected_regions = ["mars"]\n', "profiles.expected_regions", "unknown region"),
    "ends before it starts": (
        '[session]\nstarts_at = "2012-11-08T10:30:00+04:00"\nends_at = "2012-11-08T09:00:00+04:00"\n',
        "session.ends_at",
        "must be after starts_at",
    ),
    "unknown timezone": ('[session]\ntimezone = "Asia/Atlantis"\n', "session.timezone", "unknown timezone"),
    "time without offset": ('[session]\nstarts_at = "2012-11-08T09:00:00"\n', "session.starts_at", "UTC offset"),
    "unknown attribution": ('[privacy]\nattribution = "anonymous"\n', "privacy.attribution", "'named'"),
    "misspelt key": ("[discord]\nguild = 1\n", "discord.guild", "unknown key"),
    "slug ending in a newline": (theme_toml("roles\\n"), "themes[0].slug", "not a valid Discord"),
    "stance key ending in a newline": (theme_toml(key="b\\n"), "themes[0].stances[1].key", "not a valid Discord"),
    "duplicate stance labels": (
        '[[themes]]\nslug = "s"\ntitle = "T"\nquestion = "Q"\n'
        'stances = [{ key = "a", label = "Same" }, { key = "b", label = "Same" }]\n',
        "themes[0].stances",
        "duplicate stance label(s): Same",
    ),
    "negative guild id": ("[discord]\nguild_id = -1\n", "discord.guild_id", "greater than or equal to 0"),
    "discord not a table": ("discord = 5\n", "discord", "must be a table, not 5"),
    "database path is a folder": ('[database]\npath = "."\n', "database.path", "'.' is a folder"),
    "duration beyond reach": (
        '[polls]\nclosing_soon = "99999999999999d"\n',
        "polls.closing_soon",
        "longer than any duration",
    ),
    "not TOML": ("[discord\n", "", "is not valid TOML"),
}


@pytest.mark.parametrize(("text", "key", "words"), BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_bad_configuration_is_one_line_naming_the_key(tmp_path, text, key, words):
    with pytest.raises(ConfigError) as caught:
        Settings.load(write(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"config: {key}: " if key else "config: ")
    assert words in message


def test_bad_environment_values_are_one_line_too(monkeypatch):
    monkeypatch.setenv("CONCORD_DISCORD__GUILD_ID", "the-forum")
    with pytest.raises(ConfigError, match=r"^config: discord\.guild_id: ") as caught:
        Settings.load(None)
    assert "\n" not in str(caught.value)

    monkeypatch.delenv("CONCORD_DISCORD__GUILD_ID")
    monkeypatch.setenv("CONCORD_THEMES", "[not json")
    with pytest.raises(ConfigError, match="themes") as caught:
        Settings.load(None)
    assert "\n" not in str(caught.value)


def test_a_missing_file_is_one_line():
    with pytest.raises(ConfigError, match=r"^config: file .*nowhere\.toml not found$"):
        Settings.load("/nowhere/nowhere.toml")


def run_cli(tmp_path: Path, *args: str, config: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("CONCORD_")}
    path = write(tmp_path, config if config is not None else f'[database]\npath = "{tmp_path / "cli.db"}"\n')
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_a_token_exits_with_one_line_and_no_traceback(tmp_path):
    done = run_cli(tmp_path, "run")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "DISCORD_TOKEN" in line
    assert not (tmp_path / "cli.db").exists()  # refused before touching anything


def test_run_with_a_bad_config_exits_with_the_one_line(tmp_path):
    done = run_cli(tmp_path, "run", config='[session]\ntimezone = "Nowhere/Land"\n')
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "config: session.timezone: unknown timezone 'Nowhere/Land' (use an IANA name such as 'Asia/Baku')"
    ]


# --- durations (pure) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("30m", timedelta(minutes=30)),
        ("1h", timedelta(hours=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        (" 2D ", timedelta(days=2)),
        ("1w 2d", timedelta(days=9)),
    ],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "1x", "h", "1h then", "-1h"])
def test_parse_duration_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_parse_duration_refuses_a_duration_too_long_to_hold():
    with pytest.raises(ValueError, match="longer than any duration"):
        parse_duration("99999999999999d")


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=-5), "0s"),
        (timedelta(seconds=5400), "1h30m"),
        (timedelta(days=1, seconds=1), "1d1s"),
    ],
)
def test_format_duration_round_trips(delta, text):
    assert format_duration(delta) == text
    if delta > timedelta(0):
        assert parse_duration(text) == delta
