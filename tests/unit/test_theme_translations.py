"""Theme translations: the configuration's, over the shipped themes.toml; a missing one falls back to the
forum's language, else to the base text, never to a key; a bad language key is one line naming it."""

from __future__ import annotations

import pytest

from bot.config_reading import ConfigError
from bot.i18n import language
from bot.settings import Settings
from bot.theme_translations import TranslationFileError, read_theme_file

THEME = """
[forum]
language = "{forum}"

[[themes]]
slug = "gaps"
title = "Policy gaps"  # not the default theme's English, so no shipped translation applies
question = "Can we identify areas?"
[themes.translations.fr]
title = "Lacunes"
question = "Pouvons-nous identifier ?"
[themes.translations.es]
title = "Lagunas"
[[themes.stances]]
key = "some"
label = "Gaps in some policy areas"
labels = {{ fr = "Lacunes dans certains domaines" }}
[[themes.stances]]
key = "none"
label = "No gaps"
"""


def load(tmp_path, forum="en"):
    path = tmp_path / "config.toml"
    path.write_text(THEME.format(forum=forum), encoding="utf-8")
    return Settings.load(path)


def test_each_language_reads_its_own_translation_else_the_base_text(tmp_path):
    theme = load(tmp_path).theme("gaps")
    with language("fr"):
        assert (theme.title, theme.question, theme.label("some")) == (
            "Lacunes",
            "Pouvons-nous identifier ?",
            "Lacunes dans certains domaines",
        )
        assert theme.label("none") == "No gaps"
    with language("es"):
        assert (theme.title, theme.question) == ("Lagunas", "Can we identify areas?")
    with language("ru"):
        assert (theme.title, theme.label("some")) == ("Policy gaps", "Gaps in some policy areas")


def test_a_missing_translation_falls_back_to_the_forum_language(tmp_path):
    theme = load(tmp_path, forum="fr").theme("gaps")
    with language("ru"):
        assert (theme.title, theme.label("some"), theme.label("none")) == (
            "Lacunes",
            "Lacunes dans certains domaines",
            "No gaps",
        )
    with language("es"):
        assert (theme.title, theme.question) == ("Lagunas", "Pouvons-nous identifier ?")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[forum]\nlanguage = "de"\n', "forum.language"),
        ('[digest]\nlanguage = "pt"\n', "digest.language"),
        (THEME.format(forum="en").replace("translations.es", "translations.de"), "themes[0].translations"),
    ],
)
def test_a_bad_language_key_is_one_line_naming_it(tmp_path, text, key):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Settings.load(path)
    message = str(caught.value)
    assert message.startswith(f"config: {key}") and "'" in message and "\n" not in message, message


def test_the_shipped_file_format_is_read(tmp_path):
    path = tmp_path / "themes.toml"
    path.write_text(
        '[gaps]\ntitle = "Lacunes"\nquestion = "Q ?"\ncontext = ""\n[gaps.stances]\nsome = "Certaines"\n',
        encoding="utf-8",
    )
    found = read_theme_file(path)["gaps"]
    assert found.texts == {"title": "Lacunes", "question": "Q ?"} and found.stances == {"some": "Certaines"}
    assert read_theme_file(tmp_path / "none.toml") == {}
    path.write_text('[gaps]\nslogan = "x"\n', encoding="utf-8")
    with pytest.raises(TranslationFileError, match=r"gaps\.slogan"):
        read_theme_file(path)


def test_shipped_translations_apply_to_an_unchanged_default_and_the_config_wins(tmp_path, monkeypatch):
    from bot import settings as settings_module
    from bot.theme_translations import ThemeTranslation

    shipped = {"fr": {"gaps": ThemeTranslation({"title": "Lacunes (fichier)"}, {"some": "Certaines (fichier)"})}}
    monkeypatch.setattr(settings_module, "shipped_translations", lambda: shipped)
    defaults = Settings.load(None).theme("gaps")
    with language("fr"):
        assert (defaults.title, defaults.label("some")) == ("Lacunes (fichier)", "Certaines (fichier)")
    with language("en"):
        assert defaults.title == "Gaps"
    configured = load(tmp_path).theme("gaps")  # its own question and labels: only what matches is taken
    with language("fr"):
        assert configured.title == "Lacunes" and configured.label("some") == "Lacunes dans certains domaines"
