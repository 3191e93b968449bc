"""Fixtures: a real Concord bot over a temporary SQLite file, inside a SimCord simulated Discord."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import simcord
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bot import create_bot
from bot.settings import Settings
from tests.support.world import World, build_world, restarted

# Property-based tests: a modest, repeatable run in CI (`ci`, the default); `make fuzz` runs `fuzz`.
# One bot serves every example of a test (SimCord is slow to build), hence the fixture health check.
_SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
hypothesis_settings.register_profile(
    "ci", max_examples=20, deadline=None, derandomize=True, print_blob=True, suppress_health_check=_SHARED
)
hypothesis_settings.register_profile(
    "fuzz", max_examples=600, deadline=None, print_blob=True, suppress_health_check=_SHARED
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "concord.db"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "concord_settings(**sections): settings overrides for the bot, e.g. privacy={'attribution': 'named'}"
    )
    config.addinivalue_line("markers", "properties: property-based tests over generated hostile text (`make fuzz`)")


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
