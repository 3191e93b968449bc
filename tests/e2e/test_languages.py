"""Every participant in their own language: `/profile language`, replies in it, public messages in the
forum's (or the poll's own) language, and the command tree's localisations as Discord registers them."""

from __future__ import annotations

import json

import pytest

from bot.languages import COMMAND_LOCALES, reply_language
from tests.support.world import db_rows

FRENCH_GAPS = {
    "slug": "gaps",
    "title": "Gaps",
    "question": "Can we identify areas?",
    "translations": {"fr": {"title": "Lacunes", "question": "Pouvons-nous identifier des domaines ?"}},
    "stances": [
        {"key": "some", "label": "Gaps in specific policy areas", "labels": {"fr": "Lacunes dans certains domaines"}},
        {"key": "none", "label": "No significant gaps"},
    ],
}


def registered(world) -> dict[str, dict]:
    """The commands as SimCord's Discord holds them after the bot's sync, by name."""
    found: dict[str, dict] = {}
    for scope in world.env.backend.commands.values():
        found.update({command["name"]: command for command in scope.values()})
    return found


def test_the_reply_language_is_chosen_in_order():
    assert reply_language("ar", "fr", "es-ES", "en") == "ar"
    assert reply_language(None, "es-419", "fr", "en") == "es"
    assert reply_language(None, "zh-TW", None, "en") == "zh"
    assert reply_language(None, "de", "zh-CN", "en") == "zh"
    assert reply_language(None, "de", "ja", "fr") == "fr"
    assert reply_language("xx", None, None, "ru") == "ru"


async def test_the_choice_is_kept_per_server_shown_exported_and_erased(world, db_path):
    alice = world.members[0]
    res = await alice.slash(world.channel, "profile language", language="fr")  # before any /profile set
    assert res.response.ephemeral
    assert db_rows(db_path, "SELECT language FROM member_languages WHERE user_id = ?", alice.id) == [("fr",)]
    shown = await alice.slash(world.channel, "profile show")
    assert "**Français**" in shown.response.content
    exported = await alice.slash(world.channel, "mydata export")
    data = json.loads(await exported.response.attachments[0].read())
    assert data["language"]["language"] == "fr"
    other = await world.members[1].slash(world.channel, "profile show")  # others' choices are their own
    assert "not chosen" in other.response.content
    erased = await world.bot.store.erase_member(world.guild.id, alice.id, None)
    assert erased.rows["member_languages"] == 1
    assert db_rows(db_path, "SELECT count(*) FROM member_languages") == [(0,)]


async def test_the_language_choices_are_named_in_themselves(world):
    command = registered(world)["profile"]
    language = next(option for option in command["options"] if option["name"] == "language")
    choices = {choice["value"]: choice["name"] for choice in language["options"][0]["choices"]}
    assert choices == {
        "ar": "العربية",
        "en": "English",
        "es": "Español",
        "fr": "Français",
        "ru": "Русский",
        "zh": "中文",
    }


@pytest.mark.concord_settings(themes=[FRENCH_GAPS])
async def test_a_french_participant_reads_the_theme_in_french(world):
    alice = world.members[0]
    await alice.slash(world.channel, "profile language", language="fr")
    about = await alice.slash(world.channel, "gaps about")
    embed = about.response.embeds[0]
    assert "Lacunes" in embed.title and embed.description == "Pouvons-nous identifier des domaines ?"
    res = await alice.slash(world.channel, "gaps position", stance="some", rationale="Voir le rapport.")
    assert "Lacunes dans certains domaines" in res.response.content
    english = await world.members[1].slash(world.channel, "gaps about")  # no choice: the client's (en-US)
    assert english.response.embeds[0].description == "Can we identify areas?"


@pytest.mark.concord_settings(themes=[FRENCH_GAPS], forum={"language": "fr"})
async def test_a_missing_translation_falls_back_to_the_forum_language(world):
    alice = world.members[0]
    await alice.slash(world.channel, "profile language", language="ru")  # no Russian translation of the theme
    about = await alice.slash(world.channel, "gaps about")
    assert about.response.embeds[0].description == "Pouvons-nous identifier des domaines ?"


@pytest.mark.concord_settings(themes=[FRENCH_GAPS])
async def test_stance_choices_carry_their_translations_for_each_discord_locale(world):
    position = next(o for o in registered(world)["gaps"]["options"] if o["name"] == "position")
    stance = next(o for o in position["options"] if o["name"] == "stance")
    some = next(choice for choice in stance["choices"] if choice["value"] == "some")
    localised = some.get("name_localizations") or {}
    assert localised.get("fr") == "Lacunes dans certains domaines"
    assert set(localised) <= set(COMMAND_LOCALES)
    assert registered(world)["gaps"].get("name_localizations") in (None, {})  # names never change


def test_every_description_is_localised_for_each_discord_locale_once_translated(world):
    """Descriptions come from the catalogues: this fails until every catalogue is translated."""
    missing = []
    for name, command in registered(world).items():
        stack = [command]
        while stack:
            item = stack.pop()
            localised = item.get("description_localizations") or {}
            missing += [f"{name}/{item['name']}: {loc}" for loc in COMMAND_LOCALES if loc not in localised]
            stack += item.get("options") or []
    assert not missing, f"{len(missing)} missing, e.g. " + "; ".join(missing[:5])
