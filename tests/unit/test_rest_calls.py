"""The list of REST calls (tests/support/rest_calls.py) is the code's: every call site in bot/ and cogs/ is
listed, every listed site exists, docs/faults.md describes every call, and each call is met by a fault test
parametrised over every kind of failure."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from tests.support.faults import FAULTS
from tests.support.rest_calls import NOT_REST, REST_CALLS, Site

ROOT = Path(__file__).resolve().parents[2]
# discord.py methods that reach Discord's REST API (a method of the same name elsewhere is named in NOT_REST).
REST_METHODS = {
    "send", "send_message", "send_modal", "defer", "edit_message", "edit", "edit_original_response",
    "original_response", "delete", "delete_original_response", "create_dm", "sync", "add_roles", "remove_roles",
    "reply", "add_reaction", "remove_reaction", "clear_reactions", "pin", "unpin", "publish", "create_thread",
    "purge", "history", "typing", "application_info", "start", "login", "autocomplete", "pong", "kick", "ban",
    "unban", "timeout", "move_to", "create_webhook", "create_invite", "webhooks", "pins", "launch_activity",
}  # fmt: skip


def is_rest(method: str) -> bool:
    return method in REST_METHODS or method.startswith("fetch_")


class CallSites(ast.NodeVisitor):
    """The calls of REST method names in one file, with the function (Class.method) each is made in."""

    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.scope: list[str] = []
        self.found: set[Site] = set()

    def visit_ClassDef(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and is_rest(node.func.attr):
            self.found.add((self.relative, ".".join(self.scope), ast.unparse(node.func)))
        self.generic_visit(node)


def call_sites() -> set[Site]:
    """Every call of a REST method name in bot/ and cogs/, by file, enclosing function and call as written."""
    found: set[Site] = set()
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").rglob("*.py")]):
        visitor = CallSites(path.relative_to(ROOT).as_posix())
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found |= visitor.found
    return found


def test_every_call_site_in_the_code_is_listed_and_every_listed_one_exists():
    listed = {site for call in REST_CALLS for site in call.sites}
    scanned = call_sites() - set(NOT_REST)
    assert scanned - listed == set(), "a REST call missing from tests/support/rest_calls.py (and docs/faults.md)"
    assert listed - scanned == set(), "listed, but no longer in the code"
    assert set(NOT_REST) <= call_sites()


def test_docs_describe_every_call():
    text = (ROOT / "docs" / "faults.md").read_text(encoding="utf-8")
    assert [call.name for call in REST_CALLS if f"`{call.name}`" not in text] == []


def fault_test(reference: str) -> tuple[object, str | None]:
    path, _, name = reference.partition("::")
    name, _, case = name.partition("[")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return getattr(module, name), case.rstrip("]") or None


@pytest.mark.parametrize("call", REST_CALLS, ids=[call.name for call in REST_CALLS])
def test_every_call_meets_every_fault(call):
    assert call.tests or call.made_by, f"{call.name}: no fault test"
    for reference in call.tests:
        test, case = fault_test(reference)
        marks = [mark for mark in getattr(test, "pytestmark", []) if mark.name == "parametrize"]
        assert any(mark.args[0] == "fault" and list(mark.args[1]) == FAULTS for mark in marks), reference
        if case is not None:
            assert any(case in (mark.kwargs.get("ids") or []) for mark in marks), reference
