"""`python -m bot report`: a server's digest rendered offline from the database (Markdown, HTML, JSON, CSV),
or its discussion in Pol.is's export layout (one folder per theme).

`--kind before|after|weekly` reproduces the latest digest of that kind this server posted, as of
the moment its content was taken (so the report says what the panel saw); when none was posted
yet, and for `--kind now`, the digest is taken as of now. The Pol.is export is taken as of the same
moment (statements written and reactions given by then).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.core.digest import QUOTES_PER_STANCE, Digest, DigestRequest, DigestSource, build_digest
from bot.core.polis import PolisSource
from bot.i18n import language
from bot.languages import LANGUAGES
from bot.settings import Settings
from bot.store import Store, open_store

KINDS = ("before", "after", "weekly", "now")
FORMATS = ("markdown", "html", "json", "csv", "polis")
# What the formats that write several files write: they need --out DIR.
FOLDERS = {"csv": "two files", "polis": "a folder per theme"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="render a server's digest offline from the database")
    report.add_argument("--config", default=None, help="path to config.toml (default: defaults and environment only)")
    report.add_argument("--guild", type=int, required=True, help="the Discord server (guild) id")
    report.add_argument("--kind", choices=KINDS, default="now", help="which digest (default: now)")
    report.add_argument("--format", choices=FORMATS, default="markdown", help="output format (default: markdown)")
    report.add_argument(
        "--out", default=None, help="output file (default: standard output); for csv and polis, a directory (required)"
    )
    report.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="the report's language (default: [digest] language, else [forum] language)",
    )
    report.add_argument(
        "--at",
        type=_moment,
        default=None,
        help="report as of this ISO 8601 time with offset (default: now); for polis, the statements and reactions then",
    )
    report.add_argument(
        "--full",
        action="store_true",
        help="list every current rationale (default: the digest's three per stance); markdown, html and json",
    )
    report.set_defaults(handler=run_report)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time, e.g. 2012-11-08T12:00:00+04:00") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a UTC offset, e.g. 2012-11-08T12:00:00+04:00")
    return moment


def run_report(args: argparse.Namespace) -> int:
    settings = Settings.load(args.config)
    if args.format in FOLDERS and not args.out:
        what = FOLDERS[args.format]
        print(f"concord report: --format {args.format} writes {what}: give a directory with --out DIR", file=sys.stderr)
        return 2
    if not Path(settings.database.path).exists():
        print(f"concord report: no database at {settings.database.path} (check --config)", file=sys.stderr)
        return 2
    return asyncio.run(_report(settings, args))


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    store = await open_store(settings.database)
    try:
        now = args.at or datetime.now(UTC)
        as_of = await _as_of(store, args.guild, args.kind, now)
        slugs = [theme.slug for theme in settings.themes]
        if args.format == "polis":
            _write_polis(Path(args.out), settings, await store.polis_source(args.guild, slugs, as_of), args.guild)
            return 0
        if args.format == "csv" or args.full:  # the export is the whole history; --full, every rationale
            source = await store.digest_source(args.guild, slugs, as_of)
        else:
            request = DigestRequest.from_settings(settings, args.kind)
            source = await store.load_digest_source(args.guild, slugs, as_of, request)
    finally:
        await store.close()
    if not any(source.histories.values()) and not any(facts.moves for facts in (source.themes or {}).values()):
        print(f"concord report: note: no positions recorded for guild {args.guild}", file=sys.stderr)
    with language(args.lang or settings.digest_language):
        if args.format == "csv":
            _write_csv(Path(args.out), settings, source, as_of)
            return 0
        digest = build_digest(settings, source, args.kind, as_of, quotes=None if args.full else QUOTES_PER_STANCE)
        _write(render(digest, args.format, Path(args.out) if args.out else None), args.out)
    return 0


async def _as_of(store: Store, guild_id: int, kind: str, now: datetime) -> datetime:
    """The moment the latest posted digest of `kind` was taken, else now."""
    if kind == "now":
        return now
    posted = [item for item in await store.posted_digests(guild_id) if item.kind == kind and item.snapshot_at <= now]
    if not posted:
        print(f"concord report: no {kind} digest posted yet in guild {guild_id}: reporting as of now", file=sys.stderr)
        return now
    return posted[-1].snapshot_at


def _write_csv(directory: Path, settings: Settings, source: DigestSource, as_of: datetime) -> None:
    """Both CSV files into `directory` (created if needed)."""
    from bot.core.export import change_rows, position_rows
    from bot.render.report.csv_files import HISTORY_FILE, POSITIONS_FILE, history_csv, positions_csv

    files = {
        POSITIONS_FILE: positions_csv(position_rows(settings, source, as_of)),
        HISTORY_FILE: history_csv(change_rows(settings, source, as_of)),
    }
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="")
        print(f"wrote {path}", file=sys.stderr)


def _write_polis(directory: Path, settings: Settings, source: PolisSource, guild_id: int) -> None:
    """Pol.is's four files for each theme, into `directory/<slug>/` (created if needed)."""
    from bot.core.polis import polis_export
    from bot.render.report.polis_files import polis_files

    if not source.statements and not source.reactions:
        print(f"concord report: note: no statements or reactions recorded for guild {guild_id}", file=sys.stderr)
    for conversation in polis_export(settings, source):
        folder = directory / conversation.slug
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in polis_files(conversation).items():
            (folder / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {folder}", file=sys.stderr)


def render(digest: Digest, fmt: str, out: Path | None) -> str:
    """The report text; Markdown written to a file gets its chart as a PNG beside it."""
    if fmt == "json":
        from bot.render.report.json_data import digest_json

        return digest_json(digest)
    from bot.render.charts import digest_chart_png

    if fmt == "html":
        from bot.render.report.html_page import digest_html

        return digest_html(digest, digest_chart_png(digest))
    from bot.render.report.markdown import digest_markdown

    chart_name = None
    if out is not None:
        chart = out.with_suffix(".png")
        chart.parent.mkdir(parents=True, exist_ok=True)
        chart.write_bytes(digest_chart_png(digest))
        chart_name = chart.name
    return digest_markdown(digest, chart_name)


def _write(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
