"""The escaping helpers over generated hostile text: Discord Markdown, report Markdown and CSV cells.

Each helper must leave the text readable exactly as typed and give it no power: no heading, list,
quote, fence or formatting in Markdown, and no formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import example, given, settings
from markdown_it import MarkdownIt

from bot.render.discord.common import escape
from bot.render.report.csv_files import safe
from bot.render.report.markdown import md, table
from tests.support.texts import hostile_text, spreadsheet_formula

pytestmark = pytest.mark.properties
# Pure functions, a millisecond an example: five times the profile's count.
MANY = settings(max_examples=settings().max_examples * 5)

COMMONMARK = MarkdownIt("commonmark").enable("table")
# A line Discord would render as a block: a heading, subtext, a quote, a bullet or numbered list item.
DISCORD_BLOCK = re.compile(r"^[^\S\n]*(#{1,3}\s|-#\s|>{1,3}\s|[-*+]\s|\d+[.)]\s)", re.MULTILINE)
# Discord's escape: a backslash before a character that is neither alphanumeric nor whitespace shows that character.
DISCORD_ESCAPED = re.compile(r"\\([^0-9A-Za-z\s])")
INLINE_MARKERS = set("*_~|`")


def discord_unescaped(text: str) -> str:
    return DISCORD_ESCAPED.sub(r"\1", text)


@MANY
@given(hostile_text(max_size=2000))
@example("1. first\n2) second")
@example("  10. indented")
@example(" # heading after a space\n > quote after a space")
@example("+ plus list")
def test_discord_escape_starts_no_block_and_shows_the_text_as_typed(text):
    escaped = escape(text)
    assert DISCORD_BLOCK.search(escaped) is None, escaped
    left = DISCORD_ESCAPED.sub("", escaped)
    urls = re.compile(r"(?:https?|steam)://[^\s<]+|<[^: >]+:/[^ >]+>")  # links stay whole, as Discord reads them
    assert not INLINE_MARKERS & set(urls.sub("", left)), escaped
    assert discord_unescaped(escaped) == text


def commonmark_text(tokens) -> str:
    """The text an inline token shows, refusing anything that is not plain text."""
    shown = []
    for child in tokens:
        assert child.type == "text", (child.type, child.content)
        shown.append(child.content)
    return "".join(shown)


def plain(text: str) -> str:
    """What md() is meant to show: the text on one line (CommonMark shows NUL as U+FFFD)."""
    return " ".join(text.split()).replace("\x00", "\ufffd")


@MANY
@given(hostile_text(max_size=1500))
@example("1. a numbered list")
@example("- a bullet")
@example("---")
@example("a &amp; b &lt;b&gt;")
@example("=== x")
def test_markdown_md_keeps_a_quote_one_paragraph_of_plain_text(text):
    tokens = COMMONMARK.parse(f"> {md(text)}\n")
    types = [token.type for token in tokens]
    if not plain(text).strip():
        assert types in (["blockquote_open", "blockquote_close"], ["blockquote_open", *_para(), "blockquote_close"])
        return
    assert types == ["blockquote_open", *_para(), "blockquote_close"], types
    assert commonmark_text(tokens[2].children) == plain(text).strip()


def _para() -> list[str]:
    return ["paragraph_open", "inline", "paragraph_close"]


@MANY
@given(hostile_text(max_size=600), hostile_text(max_size=600))
@example("1. x", "- y")
def test_markdown_md_keeps_a_heading_and_a_table_cell_whole(title, cell):
    heading = COMMONMARK.parse(f"## {md(title)}\n")
    assert [t.type for t in heading] == ["heading_open", "inline", "heading_close"]
    assert commonmark_text(heading[1].children) == plain(title).strip()
    tokens = COMMONMARK.parse("\n".join(table(["Name", "n"], [(md(cell), 1)])) + "\n")
    cells = [t for t in tokens if t.type == "inline"]
    assert [t.type for t in tokens].count("tr_open") == 2 and len(cells) == 4
    assert commonmark_text(cells[2].children) == plain(cell).strip()


@MANY
@given(hostile_text(max_size=400))
@example("＝1+1")
@example("\u200b=1+1")
@example("\ufeff@SUM(A1)")
@example("﹢1")
@example("\t=1")
def test_csv_safe_leaves_no_cell_a_spreadsheet_evaluates_and_changes_nothing_else(text):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow([safe(text)])
    [[cell]] = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) or [[""]]
    assert not spreadsheet_formula(cell), repr(cell)
    assert cell in (text, "'" + text)
