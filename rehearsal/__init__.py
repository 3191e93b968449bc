"""The offline rehearsal (`python -m bot demo`): the real bot, a simulated forum, a written record.

Entry point: `await run_demo(out_dir)`. The rehearsal is a list of chapters (see rehearsal.py);
to extend it (polls, digests), write a chapter module beside these and add it in
`default_chapters()`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bot.settings import Settings
from rehearsal.digests import CHARTS_DIR, DIGESTS_DIR, DigestsChapter
from rehearsal.discussion import DiscussionChapter
from rehearsal.polls import PollsChapter
from rehearsal.positions import PositionsChapter
from rehearsal.record import write_record
from rehearsal.rehearsal import Chapter, DemoError, Rehearsal, build_world, ordered_steps
from rehearsal.roster import ROSTER, Participant
from rehearsal.tallies import TallyChapter, ThemeResult
from rehearsal.timeline import Calendar, ForumClock

DEFAULT_SEED = 2012
DEFAULT_OUT = Path("demo-out")
RECORD_NAME = "record.md"
DATABASE_NAME = "concord.db"


@dataclass(frozen=True, slots=True)
class DemoResult:
    record: Path
    database: Path
    tallies: list[ThemeResult]
    console: list[str]
    files: list[Path]  # digests (Markdown, HTML) and charts (PNG) written beside the record
    seconds: float  # wall-clock run time, for the report


def default_chapters(roster: tuple[Participant, ...] = ROSTER) -> list[Chapter]:
    """The rehearsal's chapters, in the order their same-time steps and their finish() run.

    Digests come after polls so that the digests' record section can quote the polls' results,
    and before the tallies, whose step at the close is the last of the timeline. The discussion
    reads the positions script's moves (planned first) and checks the digests' common ground, so
    it is given both; its steps come before the digests' at the same moment.
    """
    positions = PositionsChapter(roster)
    digests = DigestsChapter()
    discussion = DiscussionChapter(lambda: positions.moves, digests, roster)
    tallies = TallyChapter(positions.expected, digests)
    return [positions, PollsChapter(roster), discussion, digests, tallies]


def demo_settings(out_dir: Path, language: str | None = None) -> Settings:
    """Real settings (defaults and CONCORD_* variables), with the store in the output folder; `language`
    is the forum's (its polls, results and digests; the participants' clients stay English).

    The script is written for the five forum themes, so configured themes are replaced by them.
    """
    forum = {"forum": {"language": language}} if language else {}
    return Settings.load(None, database={"path": out_dir / DATABASE_NAME}, themes=[], **forum)


def _prepare(out_dir: Path, database: Path) -> None:
    """The output folder exists and holds no database, digest or chart from an earlier run (each rehearsal
    starts empty)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    for folder, pattern in ((DIGESTS_DIR, "*.md"), (DIGESTS_DIR, "*.html"), (CHARTS_DIR, "*.png")):
        for stale in (out_dir / folder).glob(pattern):
            stale.unlink()


async def run_demo(
    out_dir: Path = DEFAULT_OUT,
    *,
    seed: int = DEFAULT_SEED,
    roster: tuple[Participant, ...] = ROSTER,
    chapters: list[Chapter] | None = None,
    language: str | None = None,
) -> DemoResult:
    """Run the whole rehearsal into `out_dir` (record.md and concord.db); raise DemoError if the bot misbehaves."""
    try:
        import simcord
    except ImportError:
        raise DemoError("the demo needs SimCord: install the demo extra (pip install -e '.[demo]')") from None
    from bot import create_bot

    started = time.perf_counter()
    settings = demo_settings(out_dir, language)
    _prepare(out_dir, settings.database.path)
    calendar = Calendar.from_session(settings.session)
    chapters = chapters if chapters is not None else default_chapters(roster)
    steps = ordered_steps(chapters, calendar, seed)
    clock = ForumClock(calendar.opens)
    bot = create_bot(settings, clock=clock)
    try:
        async with simcord.run(bot) as env:
            guild, channel, facilitator, members = build_world(env, settings, roster)
            rehearsal = Rehearsal(
                env, bot, settings, calendar, seed, out_dir, guild, channel, facilitator, roster, members
            )
            rehearsal.watch(channel)
            for step in steps:
                await rehearsal.advance_to(step.at)
                await step.act(rehearsal)
                rehearsal.note_posts()
            for chapter in chapters:
                await chapter.finish(rehearsal)
    finally:
        await bot.close()
    record = write_record(rehearsal, out_dir / RECORD_NAME)
    tallies = next((c.results for c in chapters if isinstance(c, TallyChapter)), [])
    return DemoResult(
        record, settings.database.path, tallies, rehearsal.console, rehearsal.files, time.perf_counter() - started
    )


__all__ = ["DEFAULT_OUT", "DEFAULT_SEED", "DemoError", "DemoResult", "default_chapters", "run_demo"]
