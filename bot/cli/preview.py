"""`python -m bot preview`: try Concord in a browser, with no Discord account and no token (see rehearsal/preview.py).

Like `demo`, it runs from a checkout (the rehearsal is not in the wheel) and needs SimCord with its
preview extra (`simcord[preview]`, in the `demo` and `test` extras); both are imported only when it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import logging
import sys
import tempfile
from pathlib import Path

MISSING = {
    "rehearsal": "the preview runs the rehearsal's forum, which is not part of the installed bot: run it from a "
    "checkout of Concord (make preview)",
    "simcord": "the preview needs SimCord, which is not installed: pip install -e '.[demo]' (or make preview)",
    "aiohttp": "the preview needs SimCord's preview extra: pip install -e '.[demo]' (or make preview)",
    "markdown_it": "the preview needs SimCord's preview extra: pip install -e '.[demo]' (or make preview)",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    preview = sub.add_parser("preview", help="try the forum in your browser, in a simulated Discord server")
    preview.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: any free port)")
    preview.add_argument(
        "--dir", default=None, help="folder for the preview's database (default: a temporary folder, removed after)"
    )
    preview.add_argument("--verbose", action="store_true", help="show the bot's log while it runs")
    preview.set_defaults(handler=run_preview_command)


def run_preview_command(args: argparse.Namespace) -> int:
    missing = next((text for module, text in MISSING.items() if importlib.util.find_spec(module) is None), None)
    if missing is not None:
        print(f"concord preview: {missing}", file=sys.stderr)
        return 2
    if not args.verbose:
        logging.getLogger().setLevel(logging.ERROR)  # discord.py's start-up chatter would hide the address
    from rehearsal.preview import serve_preview, until_interrupted

    print("Starting the Open Forum on Enhanced Cooperation in a simulated Discord server ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="concord-preview-") as scratch:
        folder = Path(args.dir) if args.dir else Path(scratch)
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl+C while stopping
            asyncio.run(serve_preview(folder, port=args.port, until=until_interrupted))
    print("Preview stopped.", flush=True)
    return 0
