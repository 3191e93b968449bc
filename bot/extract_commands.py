"""The catalogue's extraction (`make catalogues`, through babel.cfg): every phrase marked with `_()`, `N_()`
or `ngettext()`, as Babel's own Python extractor finds them, and the slash commands' descriptions, which
are written as plain text in the decorators (`description=`, `group_description=`, `@describe(...)`) and
localised by bot/command_translator.py. Only text written literally is taken (an f-string is not a msgid).
"""

from __future__ import annotations

import ast
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

DESCRIBING = frozenset({"description", "group_description"})
NOT_COMMANDS = frozenset({"ArgumentParser", "add_parser", "add_argument", "Embed"})  # same keywords, not commands


def extract(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Any
) -> Iterator[Any]:
    """Babel's extraction method: (line, function, message, comments) for each message of a module."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for line, text in command_strings(source.decode(options.get("encoding", "utf-8"))):
        yield line, None, text, []


def command_strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every literal description in a module's command decorators and cog classes."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = _called(node)
            if called in NOT_COMMANDS:
                continue
            describing = called == "describe"
            for keyword in node.keywords:
                if (describing or keyword.arg in DESCRIBING) and _literal(keyword.value):
                    yield keyword.value.lineno, keyword.value.value  # type: ignore[attr-defined]
        elif isinstance(node, ast.ClassDef):
            for keyword in node.keywords:
                if keyword.arg in DESCRIBING and _literal(keyword.value):
                    yield keyword.value.lineno, keyword.value.value  # type: ignore[attr-defined]


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _literal(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and isinstance(value.value, str) and bool(value.value.strip())
