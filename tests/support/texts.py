"""Hypothesis strategies of hostile text: what a participant, a facilitator or a prankster may type.

Texts are built from pieces that have each broken some renderer somewhere: every kind of Discord
mention, Markdown and code fences, `$` and backslashes (maths in charts, escapes), zero-width and
right-to-left characters, combining marks, control characters, numbered lists, full-width signs
and spreadsheet formulas, mixed with ordinary text; from empty up to 6,000 characters.

So that a mention could really ping someone, pass the ids of real members, roles and channels as
`ids`; or, where they are only known inside the test (SimCord builds the world per test), leave
`ids` out and `aim(text, ids)` each drawn text: the small placeholder ids 1 to 9 become real ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from hypothesis import strategies as st

MAX_LENGTH = 6000
SOME_ID = 123456789012345678
SLOTS = tuple(range(1, 10))
_SLOT = re.compile(r"<(@!?|@&|#|/[^:<>]+:)([1-9])>")

INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f", "\u2061")
BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f")
COMBINING = ("\u0301", "\u0336", "\u20dd", "\u0489", "e\u0301", "Z\u0351\u0344\u0313\u0310\u033e")
CONTROL = (*(chr(code) for code in (*range(32), 0x7F, 0x85)), "\u2028", "\u2029")
FULL_WIDTH = ("＝", "＋", "－", "＠", "＃", "＊", "＞", "﹦", "﹢", "﹣", "﹫", "＄", "＼")
FORMULAS = (
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    '=HYPERLINK("https://example.com","x")',
    "=cmd|' /C calc'!A0",
    "\t=1",
    "\r=1",
    "＝1+1",
    "\u200b=1+1",
    "\ufeff=1",
    " =1",
)
MARKDOWN = (
    "#",
    "# ",
    "## heading",
    "### ",
    "-# small",
    "> ",
    ">>> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "10. ",
    "1\\. ",
    "```",
    "```py\nprint(1)\n```",
    "~~~",
    "`",
    "``",
    "**",
    "__",
    "*",
    "_",
    "~~",
    "||",
    "|",
    "| a | b |",
    "---",
    "***",
    "===",
    "[link](https://example.com)",
    "<https://example.com>",
    "![image](https://example.com/x.png)",
    "[^1]",
    "\\",
    "\\\\",
    "\\n",
    "&amp;",
    "&lt;b&gt;",
    "&#60;",
    "<b>",
    "</blockquote>",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<!-- x -->",
    '"',
    "'",
    "{",
    "}",
    "{name}",
    "%s",
    "%(name)s",
)
MATHS = ("$", "$$", "$x^$", "$5 or $10", "\\$", "$\\frac{1}{0}$", "^", "_{", "\\mathrm{", "$\\$")
WHITESPACE = (" ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u3000", "\u2003")


def mentions(ids: Sequence[int] = ()) -> st.SearchStrategy[str]:
    """Every kind of mention Discord reads: everyone, here, users (both forms), roles, channels, commands."""
    some_id = st.sampled_from(ids or SLOTS)
    some_id = st.one_of(some_id, st.just(SOME_ID), st.integers(1, 2**63 - 1))
    return st.one_of(
        st.sampled_from(("@everyone", "@here", "@ everyone", "@\u200beveryone", "＠everyone")),
        some_id.map(lambda n: f"<@{n}>"),
        some_id.map(lambda n: f"<@!{n}>"),
        some_id.map(lambda n: f"<@&{n}>"),
        some_id.map(lambda n: f"<#{n}>"),
        some_id.map(lambda n: f"</poll create:{n}>"),
        some_id.map(lambda n: f"</gaps position:{n}>"),
    )


def pieces(ids: Sequence[int] = ()) -> st.SearchStrategy[str]:
    return st.one_of(
        mentions(ids),
        st.sampled_from(MARKDOWN),
        st.sampled_from(MARKDOWN).map(lambda marker: "\n" + marker),  # where a block starts
        st.sampled_from(MATHS),
        st.sampled_from(INVISIBLE + BIDI + COMBINING),
        st.sampled_from(CONTROL),
        st.sampled_from(FULL_WIDTH),
        st.sampled_from(FORMULAS),
        st.sampled_from(WHITESPACE),
        st.text(min_size=1, max_size=12),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8),
        st.sampled_from(("Spam has no home.", "Yes", "No", "x", "5", "-", ";")),
    )


@st.composite
def _long(draw: st.DrawFn, ids: Sequence[int], min_size: int, max_size: int) -> str:
    """A long text: one hostile piece repeated (or a few, cycled) up to a drawn length."""
    chunk = "".join(draw(st.lists(pieces(ids), min_size=1, max_size=4)))
    length = draw(st.integers(max(min_size, 1), max_size))
    return (chunk * (length // len(chunk) + 1))[:length]


def hostile_text(ids: Sequence[int] = (), *, min_size: int = 0, max_size: int = MAX_LENGTH) -> st.SearchStrategy[str]:
    """Hostile text of `min_size` to `max_size` characters (0 to 6,000 by default)."""
    short = st.lists(pieces(ids), max_size=16).map("".join)
    texts = st.one_of(short, short, short, _long(ids, min_size, max_size)) if max_size > 200 else short
    return texts.map(lambda text: text[:max_size]).filter(lambda text: len(text) >= min_size)


def hostile_line(ids: Sequence[int] = (), *, max_size: int = 120) -> st.SearchStrategy[str]:
    """Short hostile text without the separator `;` (one poll answer, one name)."""
    return hostile_text(ids, max_size=max_size).map(lambda text: text.replace(";", ","))


def aim(text: str, ids: Sequence[int]) -> str:
    """Point the placeholder mentions (ids 1 to 9) of a drawn text at real ids."""
    return _SLOT.sub(lambda m: f"<{m[1]}{ids[(int(m[2]) - 1) % len(ids)]}>", text)


# What a spreadsheet may take for the start of a formula, seen as it sees a cell: invisible characters
# (format characters, marks alone, spaces and controls) skipped, full-width and small signs read as ASCII.
_FORMULA = set("=+-@")
_INVISIBLE = ("Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp")


def spreadsheet_formula(cell: str) -> bool:
    """Whether a spreadsheet could evaluate this CSV cell (the test's own reading, independent of the product's)."""
    if cell.startswith("'"):
        return False
    if cell[:1] in ("\t", "\r"):
        return True
    visible = [char for char in cell if unicodedata.category(char) not in _INVISIBLE]
    return bool(visible) and unicodedata.normalize("NFKC", visible[0])[:1] in _FORMULA
