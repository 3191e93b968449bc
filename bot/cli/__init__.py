"""`python -m bot <command>`: each command lives in its own module and registers an argparse sub-parser."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.ballot_key import BallotKeyError
from bot.cli import demo as demo_command
from bot.cli import preview as preview_command
from bot.cli import report as report_command
from bot.cli import run as run_command
from bot.config_reading import ConfigError
from bot.store import StoreUnavailable

COMMANDS = (run_command, demo_command, report_command, preview_command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Concord, the forum discussion bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.handler(args) or 0)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (StoreUnavailable, BallotKeyError) as exc:
        print(f"concord: {exc}", file=sys.stderr)
        return 2
