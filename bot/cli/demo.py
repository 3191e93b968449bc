"""`python -m bot demo`: the offline rehearsal, with no token and no network (see rehearsal/).

The rehearsal is a client of the bot, like bench/: it lives beside the bot in a checkout, and its
simulated Discord (SimCord) is the `demo` extra. Both are imported only when the command runs, so the
bot itself (`python -m bot run`) never needs them.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import sys
from pathlib import Path

from bot.languages import LANGUAGES

#: What to say when `python -m bot demo` cannot start the rehearsal, by the missing module, in the order checked.
MISSING = {
    "rehearsal": "the offline rehearsal is not part of the installed bot: run it from a checkout of Concord "
    "(make demo)",
    "simcord": "the offline rehearsal needs SimCord, which is not installed: pip install -e '.[demo]' (or make demo)",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser("demo", help="rehearse the forum offline in a simulated Discord server")
    demo.add_argument(
        "--out",
        default="demo-out",
        help="folder for record.md, the database, digests/ and charts/ (default: demo-out); "
        "earlier digests and charts there are replaced",
    )
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: 2012); same seed, same record")
    demo.add_argument("--verbose", action="store_true", help="show the bot's log while it runs")
    demo.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="the forum's language for the rehearsal: its polls, results and digests (default: [forum] language)",
    )
    demo.set_defaults(handler=run_demo_command)


def run_demo_command(args: argparse.Namespace) -> int:
    missing = missing_part()
    if missing is not None:
        print(f"concord demo: {missing}", file=sys.stderr)
        return 2
    from rehearsal import DEFAULT_SEED, DemoError, run_demo

    root = logging.getLogger()
    level = root.level
    if not args.verbose:
        root.setLevel(logging.ERROR)  # the bot's start-up chatter hides the tallies; its errors still show
    out_dir = Path(args.out)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    print(f"Rehearsing the Open Forum on Enhanced Cooperation offline (seed {seed}) ...", flush=True)
    try:
        result = asyncio.run(run_demo(out_dir, seed=seed, language=args.lang))
    except DemoError as exc:
        print(f"concord demo: {exc}", file=sys.stderr)
        return 1
    finally:
        root.setLevel(level)
    for line in result.console:
        print(plain(line))
    print()
    digests = sum(path.suffix == ".md" for path in result.files)
    charts = sum(path.suffix == ".png" for path in result.files)
    print(
        f"Record written to {result.record} (database: {result.database}), with {digests} digests "
        f"(Markdown and HTML) and {charts} charts, in {result.seconds:.1f} s."
    )
    return 0


def missing_part() -> str | None:
    """What keeps the rehearsal from starting, if anything: one line, rather than a traceback.

    The modules are looked up, not imported: importing SimCord wakes discord.py's start-up warnings,
    which the command keeps quiet until it has lowered the log level.
    """
    return next((message for module, message in MISSING.items() if importlib.util.find_spec(module) is None), None)


def plain(text: str) -> str:
    """Discord Markdown emphasis removed, for a terminal."""
    return text.replace("**", "").replace("__", "")
