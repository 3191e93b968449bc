"""Every message has a translation in every catalogue, with the same placeholders, and each catalogue
has its language's plural forms. Read from the .po files themselves (Babel parses them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.languages import LANGUAGES

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
PLURALS = {"ar": 6, "es": 2, "fr": 2, "ru": 3, "zh": 1}
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def catalogue(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / "concord.po").open("rb") as po:
        return read_po(po, locale=lang)


def template_ids() -> set[str]:
    with (LOCALES / "concord.pot").open("rb") as pot:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_catalogue_has_its_plural_forms(lang):
    assert catalogue(lang).num_plurals == PLURALS[lang]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_catalogue_holds_every_message_of_the_template(lang):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang) if m.id}
    assert template_ids() - ids == set()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(lang):
    problems = []
    for message in catalogue(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
        if not all(strings) or "fuzzy" in message.flags:
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = placeholders(ids[-1])
        problems += [f"placeholders differ: {ids[0]!r}" for text in strings if placeholders(text) != expected]
    assert not problems, f"{len(problems)} problem(s) in {lang}:\n" + "\n".join(problems[:20])


def test_the_template_holds_every_phrase_the_code_marks():
    """The committed concord.pot is what `make catalogues` extracts from the code today: a phrase added
    without running it would be shown in English to everyone (and the other tests here would not see it)."""
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "count_of": (2, 3)}  # as the Makefile's extraction
    root = LOCALES.parents[1]
    found = set()
    for folder in ("bot", "cogs"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            root / folder, method_map=[("**.py", "bot.extract_commands:extract")], keywords=keywords
        ):
            found.add(message if isinstance(message, str) else message[0])
    assert found - template_ids() == set()


def test_counted_phrases_are_written_as_literals():
    """`count_of(n, "{count} thing", "{count} things")` with literal texts is what extraction makes one
    plural entry of (keyword count_of:2,3); wrapped in N_() each half would be a separate single entry,
    and languages with other plural forms than English would get the English choice of form."""
    import ast

    root = LOCALES.parents[1]
    wrapped = []
    for path in [*(root / "bot").rglob("*.py"), *(root / "cogs").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            counted = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "count_of"
            literal = counted and all(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args[1:3]
            )
            if counted and not literal:
                wrapped.append(f"{path.relative_to(root)}:{node.lineno}")
    assert wrapped == []
