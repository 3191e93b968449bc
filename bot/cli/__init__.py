"""`python -m bot <command>`: each command lives in its own module and registers an argparse sub-parser."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import demo as demo_command
from bot.cli import erase as erase_command
from bot.cli import preview as preview_command
from bot.cli import report as report_command
from bot.cli import run as run_command

COMMANDS = (run_command, demo_command, report_command, erase_command, preview_command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Concord, the forum discussion bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.handler(args) or 0)
    except Exception as exc:
        line = one_line(exc)
        if line is None:
            raise
        print(line, file=sys.stderr)
        return 2


def one_line(exc: Exception) -> str | None:
    """The one line a known problem of the configuration, the database or the ballot key is told in;
    None for anything else. (The modules are imported here, not at start: each command imports only
    what it uses, and whichever raised is already loaded.)"""
    from bot.ballot_key import BallotKeyError
    from bot.config_reading import ConfigError
    from bot.store import StoreUnavailable

    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, StoreUnavailable | BallotKeyError):
        return f"concord: {exc}"
    return None
