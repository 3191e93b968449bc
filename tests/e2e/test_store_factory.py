"""The bot opens its store through the factory it was built with, so a test or a tool can supply its own."""

from __future__ import annotations

import pytest

from bot import create_bot
from bot.settings import DatabaseSettings, Settings
from bot.store import Store, open_store


@pytest.fixture
def opened() -> list[tuple[DatabaseSettings, Store]]:
    return []


@pytest.fixture
async def simcord_bot(settings: Settings, opened: list[tuple[DatabaseSettings, Store]]):
    async def recording_open_store(database: DatabaseSettings) -> Store:
        store = await open_store(database)
        opened.append((database, store))
        return store

    bot = create_bot(settings, open_store=recording_open_store)
    yield bot
    await bot.close()


async def test_setup_opens_the_store_through_the_given_factory(world, settings, opened):
    await world.members[0].slash(world.channel, "profile set", stakeholder="civil-society")

    assert opened == [(settings.database, world.bot.store)]
    profile = await world.bot.store.get_profile(world.guild.id, world.members[0].id)
    assert profile is not None and profile.stakeholder == "civil-society"
