"""config.example.toml is the configuration reference: it must list every key, with its default, forever."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.forum import DEFAULT_THEMES
from bot.settings import Settings, StanceConfig, ThemeConfig

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"
HEADER = re.compile(r"^\s*\[\[?\s*([a-z_.]+)\s*\]\]?")
KEY = re.compile(r"^\s*#?\s*([a-z_]+)\s*=")


@pytest.fixture(autouse=True)
def _no_outside_config(monkeypatch):
    for name in list(os.environ):
        if name.startswith("CONCORD_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)


def keys_by_section(text: str) -> dict[str, set[str]]:
    """Keys written in each section of the file, commented-out ones (`# timezone = ...`) included."""
    sections: dict[str, set[str]] = {"": set()}
    current = ""
    for line in text.splitlines():
        header = HEADER.match(line)
        if header:
            current = header.group(1)
            sections.setdefault(current, set())
            continue
        key = KEY.match(line)
        if key:
            sections[current].add(key.group(1))
    return sections


def model_keys(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items() if not field.exclude}


def test_the_example_configures_exactly_the_defaults():
    assert Settings.load(EXAMPLE) == Settings.load(None)


def test_the_example_lists_the_five_forum_themes_in_full():
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert data["themes"] == [{"context": "", **theme} for theme in DEFAULT_THEMES]


def test_the_example_documents_every_settings_key():
    written = keys_by_section(EXAMPLE.read_text(encoding="utf-8"))
    sections = {name for name in model_keys(Settings) if name != "themes"}
    assert sections <= set(written), f"sections missing from config.example.toml: {sections - set(written)}"
    for section in sections:
        model = Settings.model_fields[section].annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        missing = model_keys(model) - written[section]
        assert not missing, f"config.example.toml [{section}] does not document: {', '.join(sorted(missing))}"
    # stances are written as [[themes.stances]] tables; the translations are shown in comments, being optional
    assert model_keys(ThemeConfig) - written["themes"] == {"stances", "translations"}
    assert model_keys(StanceConfig) - written["themes.stances"] == {"labels"}
    assert "[themes.translations.fr]" in EXAMPLE.read_text(encoding="utf-8")
    assert "labels = { fr = " in EXAMPLE.read_text(encoding="utf-8")
