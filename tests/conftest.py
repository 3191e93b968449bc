"""Fixtures: a real Concord bot over a temporary SQLite file, inside a SimCord simulated Discord."""

from __future__ import annotations

from pathlib import Path

import pytest
import simcord

from bot import create_bot
from bot.settings import Settings
from tests.support.world import World, build_world, restarted


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "concord.db"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "concord_settings(**sections): settings overrides for the bot, e.g. privacy={'attribution': 'named'}"
    )


@pytest.fixture
def settings(db_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Settings:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    marker = request.node.get_closest_marker("concord_settings")
    overrides = dict(marker.kwargs) if marker else {}
    return Settings.load(None, database={"path": db_path}, **overrides)


@pytest.fixture
async def simcord_bot(settings: Settings):
    bot = create_bot(settings)
    yield bot
    await bot.close()
    while restarted:
        await restarted.pop().close()


@pytest.fixture
def world(simcord_env: simcord.Env) -> World:
    return build_world(simcord_env)
