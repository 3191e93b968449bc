"""Fixtures for the acceptance tests: only the public contract of positions, polls and digests.

These tests use only what a user or an outside tool can rely on, the way an outside checker would:
``create_bot(Settings.load(<toml>))``, slash commands by their public names, buttons,
``env.advance_time`` + ``bot.tick()``, and the ``python -m bot`` command line. They
deliberately use none of the helpers in tests/support/; ``simcord_bot`` is overridden
here on purpose so the bot is built exactly the way an outsider would build it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio
import simcord

from bot import create_bot
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[3]
TIMESTAMP = re.compile(r"<t:(\d+)(?::[tTdDfFsSR])?>")

# SimCord's virtual clock starts at 2026-01-01T00:00Z; the session is placed relative to it.
SESSION_STARTS = "2026-01-03T09:00:00+04:00"  # 2026-01-03T05:00Z
SESSION_ENDS = "2026-01-03T10:30:00+04:00"  # 2026-01-03T06:30Z


def toml_value(value: Any) -> str:
    """Render one TOML scalar or inline array (enough for our test configs)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot render {value!r}")


def to_toml(config: dict[str, Any]) -> str:
    """A tiny TOML writer: tables of scalars, plus ``themes`` as an array of tables."""
    lines: list[str] = []
    for section, body in config.items():
        if section == "themes":
            for theme in body:
                lines.append("[[themes]]")
                for key, value in theme.items():
                    if key != "stances":
                        lines.append(f"{key} = {toml_value(value)}")
                for stance in theme.get("stances", []):
                    lines.append("[[themes.stances]]")
                    lines.extend(f"{key} = {toml_value(value)}" for key, value in stance.items())
            continue
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in body.items())
    return "\n".join(lines) + "\n"


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = {key: dict(value) if isinstance(value, dict) else value for key, value in base.items()}
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


@pytest.fixture
def acc_overrides() -> dict[str, Any]:
    """Per-test TOML changes; override with ``@pytest.mark.parametrize("acc_overrides", [...])``."""
    return {}


@pytest.fixture
def acc_clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No token and no CONCORD_* variables leak in from the developer's shell."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    for name in list(os.environ):
        if name.startswith("CONCORD_"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def acc_config_path(tmp_path: Path, acc_overrides: dict[str, Any], acc_clean_env: None) -> Path:
    base = {
        "discord": {"guild_id": 0},
        "database": {"path": str(tmp_path / "acceptance.db")},
        "session": {"starts_at": SESSION_STARTS, "ends_at": SESSION_ENDS},
    }
    path = tmp_path / "acceptance.toml"
    path.write_text(to_toml(merge(base, acc_overrides)), encoding="utf-8")
    return path


@pytest.fixture
def acc_db_path(acc_config_path: Path) -> Path:
    return acc_config_path.parent / "acceptance.db"


@pytest_asyncio.fixture
async def acc_bots() -> Any:
    """Every bot a test builds; all are closed at teardown (after SimCord detaches them)."""
    bots: list[discord.Client] = []
    yield bots
    for bot in bots:
        if not bot.is_closed():
            await bot.close()


@pytest.fixture
def simcord_bot(acc_config_path: Path, acc_bots: list[discord.Client]) -> discord.Client:
    bot = create_bot(Settings.load(acc_config_path))
    acc_bots.append(bot)
    return bot


def walk(obj: Any) -> Iterable[Any]:
    """Every component, nested or not, of a discord.py component tree."""
    for item in obj:
        yield item
        yield from walk(getattr(item, "children", None) or getattr(item, "components", None) or [])


class Acc:
    """One simulated forum server and the verbs an outside tester needs."""

    def __init__(self, env: simcord.Env, config_path: Path, bots: list[discord.Client]) -> None:
        self.env = env
        self.config_path = config_path
        self.bots = bots
        self._names = 0
        guild_id = Settings.load(config_path).discord.guild_id
        self.guild = env.create_guild("EC Open Forum", id=guild_id or None)
        self.facilitator_role = self.guild.create_role("Facilitator")
        self.organiser_role = self.guild.create_role("Organiser")
        self.channel = self.guild.create_text_channel("forum")
        self.fac = self.member("facil", roles=[self.facilitator_role])
        self.org = self.member("organ", roles=[self.organiser_role])
        self.watcher = self.member("watcher")

    @property
    def bot(self) -> Any:
        return self.env.bot

    def member(self, prefix: str, *, roles: Iterable[Any] = (), guild: Any = None) -> simcord.MemberActor:
        self._names += 1
        user = self.env.create_user(f"{prefix}{self._names}")
        return (guild or self.guild).add_member(user, roles=list(roles))

    def members(self, count: int, prefix: str = "p") -> list[simcord.MemberActor]:
        return [self.member(prefix) for _ in range(count)]

    async def tick(self) -> None:
        await self.env.bot.tick()

    async def advance_to(self, when: datetime) -> None:
        seconds = (when - self.env.now()).total_seconds()
        assert seconds >= 0, f"cannot go back in time to {when}"
        await self.env.advance_time(seconds)

    async def restart(self) -> Any:
        """A fresh create_bot over the same database, attached in place of the old one."""
        old = self.env.bot
        new = create_bot(Settings.load(self.config_path))
        self.bots.append(new)
        await self.env.restart_bot(new)
        await old.close()
        return new

    def public(self, channel: Any = None) -> list[discord.Message]:
        """What an uninvolved member sees in the channel (no ephemerals)."""
        return (channel or self.channel).history(viewer=self.watcher)

    @staticmethod
    def text(message: Any) -> str:
        """Everything a user reads in a message: content, embeds (fields as "name: value")."""
        if message is None:
            return ""
        parts = [message.content or ""]
        for embed in message.embeds:
            parts += [embed.title or "", embed.description or ""]
            if embed.author and embed.author.name:
                parts.append(embed.author.name)
            parts += [f"{field.name}: {field.value}" for field in embed.fields]
            if embed.footer and embed.footer.text:
                parts.append(embed.footer.text)
        return "\n".join(parts)

    @classmethod
    def result_text(cls, result: Any) -> str:
        """The response plus any follow-ups of an interaction result."""
        messages = [result.response, *result.followups]
        return "\n".join(cls.text(m) for m in messages if m is not None)

    @staticmethod
    def buttons(message: discord.Message) -> list[discord.Button]:
        return [c for c in walk(message.components) if isinstance(c, discord.Button)]

    @staticmethod
    def replies_to(messages: list[discord.Message], target: discord.Message) -> list[discord.Message]:
        return [m for m in messages if m.reference is not None and m.reference.message_id == target.id]

    @staticmethod
    def timestamps(text: str) -> list[int]:
        return [int(m.group(1)) for m in TIMESTAMP.finditer(text)]

    def unix_in(self, hours: float) -> int:
        return int((self.env.now() + timedelta(hours=hours)).timestamp())


@pytest_asyncio.fixture
async def acc(simcord_env: simcord.Env, acc_config_path: Path, acc_bots: list[discord.Client]) -> Acc:
    return Acc(simcord_env, acc_config_path, acc_bots)


async def refused_or_polite(action: Callable[[], Awaitable[Any]]) -> Any:
    """Discord itself rejects it (OptionError) or the bot answers ephemerally; returns the result or None."""
    try:
        result = await action()
    except simcord.OptionError:
        return None
    assert result.modal is None, "expected a refusal, got a modal"
    assert result.response is not None, "the bot stayed silent"
    assert result.response.ephemeral, f"refusal must be ephemeral: {result.response!r}"
    return result


@pytest.fixture
def acc_refused() -> Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]]:
    return refused_or_polite


def db_rows(path: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every table of the SQLite file, read directly (columns, rows)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {}
        for table in tables:
            cursor = con.execute(f'SELECT * FROM "{table}"')
            out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
        return out
    finally:
        con.close()


@pytest.fixture
def acc_db() -> Callable[[Path], dict[str, tuple[list[str], list[tuple[Any, ...]]]]]:
    return db_rows


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m bot ...`` as a user would type it, with no token and no CONCORD_* variables."""
    clean = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("CONCORD_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=cwd or REPO,
        timeout=60,
    )


@pytest.fixture
def acc_cli() -> Callable[..., subprocess.CompletedProcess]:
    return run_cli
