"""The default themes' translations, shipped as data beside each catalogue: `bot/locales/<lang>/themes.toml`.

    [<slug>]
    title = "..."
    question = "..."
    context = "..."
    [<slug>.stances]
    <stance key> = "label"

A translation applies to a theme only where the configured English text is the default's own (a forum
that rewrites a default question does not get the old question's translation), and the configuration's
own `translations` and `labels` override it. Imports nothing of the project but the language keys.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bot.languages import LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
FILE_NAME = "themes.toml"
TEXT_FIELDS = ("title", "question", "context")


@dataclass(frozen=True)
class ThemeTranslation:
    """One theme in one language: whichever of its texts and stance labels the file gives."""

    texts: dict[str, str] = field(default_factory=dict)
    stances: dict[str, str] = field(default_factory=dict)


class TranslationFileError(ValueError):
    """A themes.toml that cannot be read: one line naming the file and what is wrong."""


def read_theme_file(path: Path) -> dict[str, ThemeTranslation]:
    """One language's file, by theme slug; a missing file is no translation."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TranslationFileError(f"{path}: {exc}") from None
    found: dict[str, ThemeTranslation] = {}
    for slug, entry in data.items():
        if not isinstance(entry, dict):
            raise TranslationFileError(f"{path}: [{slug}] must be a table")
        found[slug] = _translation(path, slug, entry)
    return found


def _translation(path: Path, slug: str, entry: dict[str, Any]) -> ThemeTranslation:
    texts: dict[str, str] = {}
    stances: dict[str, str] = {}
    for key, value in entry.items():
        if key == "stances" and isinstance(value, dict):
            for stance, label in value.items():
                if not isinstance(label, str):
                    raise TranslationFileError(f"{path}: {slug}.stances.{stance} must be text")
                if label.strip():
                    stances[stance] = label
        elif key in TEXT_FIELDS and isinstance(value, str):
            if value.strip():
                texts[key] = value
        else:
            raise TranslationFileError(
                f"{path}: {slug}.{key} is not a theme's text (title, question, context, stances)"
            )
    return ThemeTranslation(texts, stances)


@cache
def shipped_translations(directory: Path = LOCALES_DIR) -> dict[str, dict[str, ThemeTranslation]]:
    """Every language's file under `directory`, by language then slug."""
    return {lang: found for lang in LANGUAGES if (found := read_theme_file(directory / lang / FILE_NAME))}
