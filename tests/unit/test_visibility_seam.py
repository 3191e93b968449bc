"""Every store read that can bring a statement's text (or its reactions) to an output goes through the one
visibility rule: the `current_statements` view, `statements.hidden_since`, or `hidden_as_of` for a read
as of a moment (bot/store/visibility.py). A new reader that forgets it fails here, unless it is listed
below with why it may see hidden statements."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import bot.store

STORE = Path(bot.store.__file__).parent
READS = re.compile(r"\bSELECT\b.*\b(FROM|JOIN)\s+(statements|positions|position_history|reactions)\b", re.I | re.S)
CARRIES = re.compile(r"\btext\b|\brationale\b|_POSITION_COLUMNS|\breaction\b|\bagrees\b", re.I)
RULE = ("current_statements", "hidden_since", "hidden_as_of")
MAY_SEE_HIDDEN = {
    ("positions.py", "get_position"): "the member's own position, to edit it",
    ("positions.py", "positions_of"): "the member's own positions (/profile)",
    ("positions.py", "_statement_for"): "the writer finding the author's statement with this text",
    ("statements.py", "statement"): "what a click refers to (its number and theme), never shown as such",
    ("statements.py", "reaction_of"): "the member's own reaction",
    ("statements.py", "react"): "the writer, after reading through current_statements",
    ("positions.py", "_record"): "the writer recording the member's own position and finding its statement",
    ("member_data.py", "_member_positions"): "the member's own data, for their export (hidden or not)",
    ("member_data.py", "_member_statements"): "the member's own statements, for their export (hidden or not)",
    ("member_data.py", "_member_changes"): "the member's own history, for their export",
    ("member_data.py", "_member_reactions"): "the member's own reactions, for their export",
    ("polis.py", "_polis_reactions"): "Pol.is keeps the votes of moderated comments (marked moderated -1)",
}


def sql_texts(function: ast.AST) -> list[str]:
    texts = []
    for node in ast.walk(function):
        if isinstance(node, ast.JoinedStr):
            texts.append("".join(v.value if isinstance(v, ast.Constant) else ast.unparse(v) for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append(node.value)
    return texts


def readers_without_the_rule() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(STORE.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        module = ast.parse(source)
        constants = {
            target.id: node.value.value
            for node in module.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for function in ast.walk(module):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            reads = [text for text in sql_texts(function) if READS.search(text) and CARRIES.search(text)]
            used = {node.id for node in ast.walk(function) if isinstance(node, ast.Name)}
            body = (ast.get_source_segment(source, function) or "") + "".join(
                constants[name] for name in used if name in constants
            )
            if reads and not any(marker in body for marker in RULE):
                found.add((path.name, function.name))
    return found


def test_every_reader_of_statements_goes_through_the_visibility_rule():
    assert readers_without_the_rule() - set(MAY_SEE_HIDDEN) == set()


def test_the_exceptions_are_still_there():
    assert set(MAY_SEE_HIDDEN) <= readers_without_the_rule() | set(MAY_SEE_HIDDEN)
    names = {
        (path.name, node.name)
        for path in STORE.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert set(MAY_SEE_HIDDEN) <= names
