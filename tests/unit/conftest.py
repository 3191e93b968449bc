"""Fixtures for the unit tests: the store over a temporary SQLite file, driven directly."""

from __future__ import annotations

import pytest

from bot.settings import DatabaseSettings
from bot.store import open_store


@pytest.fixture
async def store(db_path):
    opened = await open_store(DatabaseSettings(path=db_path))
    yield opened
    await opened.close()
