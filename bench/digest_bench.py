"""A digest at forum scale, measured by hand: `python -m bench.digest_bench [--participants 1000 10000 50000]`.

For each size, a deterministic forum (seeded) is written in bulk with SQL into a real SQLite file (WAL) with
the bot's own schema (`open_store` applies the migrations): participants with profiles (some changed
later, some never given), positions on the five themes of the example configuration with one to several
changes each (new rationales supersede old ones, some withdraw, a few changes come after the digest),
each distinct rationale a statement, 1% of statements hidden (half restored later), reactions to the
popular statements, a posted before-session and weekly digest, and closed polls. Then the after-session
digest as of a moment after the session, which counts every moment a digest can (now, the previous
digest, the shift since the before-session digest):

- digest: `store.load_digest_source` + `build_digest`, as `/digest post` and the schedule build it;
- sql (the limit): the same counts as of the digest's moments computed in SQL and nothing else (the
  store's own count statements, `bot/store/digest_facts.py` and the reactions as of then, run on a
  plain sqlite3 connection in a thread), in the same run;
- before (optional, `--before`): the replay the digest used to be built from, `store.digest_source`
  (every history row, rationale and name) + `build_digest` over it.

Times are medians of interleaved repeats (sql, digest, before, sql, ...; a first round warms the
caches and is dropped). While each side runs, a ticker task on the event loop records the longest
gap between its 5 ms ticks beyond those 5 ms: the longest stall of the loop (the limit's own stalls,
while the loop has nothing to do but wait for its thread, show what the machine's scheduling alone
costs). Peak memory is the peak resident set (VmHWM from /proc, not tracemalloc: SQLite's own memory
counts) of a fresh subprocess per side, which imports the same modules, opens the same store and runs
that side once. Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from bot.core.digest import DigestRequest, build_digest
from bot.core.schedule import DigestKind
from bot.settings import Settings
from bot.store import Store, open_store
from bot.store.dbtime import to_db_time
from bot.store.digest_facts import COUNTS_ONLY
from bot.store.statements import _VOTES_AS_OF, _votes_as_of_params

GUILD = 1
START = datetime(2012, 11, 1, tzinfo=UTC)
BEFORE_AT = datetime(2012, 11, 8, 1, 0, tzinfo=UTC)  # the before-session digest's moment
AS_OF = datetime(2012, 11, 8, 8, 0, tzinfo=UTC)  # after the session (05:00-06:30Z)
LATER = datetime(2012, 11, 8, 12, 0, tzinfo=UTC)
TIME_LIMIT = 2.0
MEMORY_LIMIT = 1.2
STALL_LIMIT_MS = 50.0
FILLER = "because the evidence from our region points that way and the process should reflect it"


def _settings(db: Path) -> Settings:
    return Settings.load(None, database={"path": db})


def _moment(rng: Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))


async def _fixed_rows(store: Store) -> None:
    """The posted digests and a few closed polls, through the store."""
    for kind, at in (("weekly", datetime(2012, 11, 5, tzinfo=UTC)), ("before", BEFORE_AT)):
        run = await store.claim_digest(GUILD, kind, at, at)
        assert run is not None
        await store.mark_digest_posted(run.id, at)
    for number in range(12):
        closes = START + timedelta(hours=13 * number + 5)
        poll = await store.create_poll(
            guild_id=GUILD,
            channel_id=1,
            created_by=1,
            question=f"Question {number}?",
            options=["Yes", "No", "Not sure"],
            theme=None,
            secret=number % 2 == 1,
            hide_results=False,
            max_choices=1,
            now=closes - timedelta(hours=1),
            closes_at=closes,
            ballot_seed=None,
        )
        await store.close_poll(poll.id, closes)


def generate(path: Path, participants: int, seed: int) -> None:
    settings = _settings(path)
    rng = Random(seed)
    groups = settings.profiles.expected_stakeholders
    regions = settings.profiles.expected_regions

    async def schema() -> None:
        store = await open_store(settings.database)
        try:
            await _fixed_rows(store)
        finally:
            await store.close()

    asyncio.run(schema())
    profiles, profile_history, statements, history, positions, reactions, actions = [], [], [], [], [], [], []
    number = 0
    by_text: dict[tuple[str, int, str], int] = {}
    popular: dict[str, list[int]] = {theme.slug: [] for theme in settings.themes}
    for user in range(1, participants + 1):
        first = _moment(rng, START, BEFORE_AT)
        if rng.random() < 0.95:
            group, region = rng.choice(groups), rng.choice(regions)
            profile_history.append((GUILD, user, to_db_time(first), group, region))
            if rng.random() < 0.1:
                group = rng.choice(groups)
                profile_history.append((GUILD, user, to_db_time(_moment(rng, first, LATER)), group, region))
            profiles.append((GUILD, user, group, region, profile_history[-1][2]))
        for theme in settings.themes:
            if rng.random() > 0.85:
                continue
            at, last = first, None
            for change in range(1 + min(4, int(rng.expovariate(1.5)))):
                at = _moment(rng, at, AS_OF if rng.random() < 0.95 else LATER)
                stance: str | None = rng.choice(theme.stances).key
                text = None
                if rng.random() < 0.8:
                    common = rng.random() < 0.05
                    text = "I agree with the proposal." if common else f"{theme.slug} {user}/{change}: {FILLER}."
                if change and rng.random() < 0.05:
                    stance = text = None
                statement = None
                if text is not None:
                    key = (theme.slug, user, text)
                    if key not in by_text:
                        number += 1
                        by_text[key] = number
                        statements.append((number, GUILD, number, theme.slug, user, text, to_db_time(at)))
                        if number % 20 == 0:
                            popular[theme.slug].append(number)
                    statement = by_text[key]
                history.append((GUILD, theme.slug, user, to_db_time(at), stance, text, statement))
                last = (stance, text, to_db_time(at), statement)
            if last is not None and last[0] is not None:
                stance, text, moment, statement = last
                positions.append((GUILD, theme.slug, user, f"Member {user}", stance, text, moment, statement))
    history.sort(key=lambda row: row[3])
    for user in range(1, participants + 1):
        for numbers in popular.values():
            for statement in rng.sample(numbers, min(3, len(numbers))):
                moment = to_db_time(_moment(rng, START, LATER))
                reaction = rng.choice(("agree", "agree", "disagree", "pass"))
                reactions.append((GUILD, statement, user, reaction, moment))
    reactions.sort(key=lambda row: row[4])
    for statement in rng.sample(range(1, number + 1), number // 100):
        hidden = _moment(rng, START, LATER)
        actions.append((GUILD, statement, "hide", 9, to_db_time(hidden)))
        if statement % 2:
            actions.append((GUILD, statement, "restore", 9, to_db_time(_moment(rng, hidden, LATER))))
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO profiles VALUES (?, ?, ?, ?, ?)", profiles)
        db.executemany(
            "INSERT INTO profile_history (guild_id, user_id, at, stakeholder, region) VALUES (?, ?, ?, ?, ?)",
            profile_history,
        )
        db.executemany(
            "INSERT INTO statements (id, guild_id, number, theme, author_id, text, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            statements,
        )
        db.execute("INSERT INTO statement_counters VALUES (?, ?)", (GUILD, number))
        db.executemany(
            "INSERT INTO position_history (guild_id, theme, user_id, at, stance, rationale, statement_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            history,
        )
        db.executemany(
            "INSERT INTO positions (guild_id, theme, user_id, display_name, stance, rationale, updated_at, "
            "statement_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            positions,
        )
        db.executemany(
            "INSERT INTO reaction_history (guild_id, statement_id, user_id, reaction, at) VALUES (?, ?, ?, ?, ?)",
            reactions,
        )
        db.executemany(
            "INSERT INTO moderation_actions (guild_id, statement_id, action, moderator_id, at) VALUES (?, ?, ?, ?, ?)",
            actions,
        )
        db.execute(
            "UPDATE statements SET hidden_since = (SELECT hidden_from FROM statement_hidden_spans h "
            "WHERE h.statement_id = statements.id AND h.hidden_until IS NULL)"
        )
        db.execute("ANALYZE")


# --- the sides ---------------------------------------------------------------------------------------


def sql_counts(path: Path) -> int:
    """The limit: every count the digest shows, as of its moments, in SQL only: the store's own statements
    for the stances (`COUNTS_ONLY`) and the reactions then (`_VOTES_AS_OF`), their rows read and dropped."""
    settings = _settings(path)
    moments = {"previous": to_db_time(BEFORE_AT), "origin": to_db_time(BEFORE_AT), "until": to_db_time(AS_OF)}
    rows = 0
    with sqlite3.connect(path) as db:
        for theme in settings.themes:
            rows += sum(1 for _ in db.execute(COUNTS_ONLY, {"guild": GUILD, "theme": theme.slug, **moments}))
        rows += sum(1 for _ in db.execute(_VOTES_AS_OF, _votes_as_of_params(GUILD, AS_OF)))
    return rows


async def digest(store: Store, settings: Settings) -> int:
    slugs = [theme.slug for theme in settings.themes]
    request = DigestRequest.from_settings(settings, DigestKind.AFTER)
    source = await store.load_digest_source(GUILD, slugs, AS_OF, request)
    built = build_digest(settings, source, DigestKind.AFTER, AS_OF)
    return sum(theme.participants for theme in built.themes)


async def before(store: Store, settings: Settings) -> int:
    source = await store.digest_source(GUILD, [theme.slug for theme in settings.themes], AS_OF)
    built = build_digest(settings, source, DigestKind.AFTER, AS_OF)
    return sum(theme.participants for theme in built.themes)


class Ticker:
    """The longest gap of the event loop beyond a 5 ms tick while something else runs on it."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            self.longest = max(self.longest, time.perf_counter() - start - 0.005)

    def __enter__(self) -> Ticker:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def timed(path: Path, repeats: int, with_before: bool) -> dict[str, list[float]]:
    settings = _settings(path)
    store = await open_store(settings.database)
    found: dict[str, list[float]] = {
        "sql": [],
        "digest": [],
        "before": [],
        "stall": [],
        "before_stall": [],
        "sql_stall": [],
    }
    try:
        await asyncio.sleep(0)  # the ticker's first sleep starts here
        for round_ in range(repeats + 1):
            with Ticker() as control:
                start = time.perf_counter()
                await asyncio.to_thread(sql_counts, path)
                sql = time.perf_counter() - start
            with Ticker() as ticker:
                start = time.perf_counter()
                participants = await digest(store, settings)
                took = time.perf_counter() - start
            if with_before:
                with Ticker() as old:
                    start = time.perf_counter()
                    assert await before(store, settings) == participants, "the two ways disagree"
                    found["before"].append(time.perf_counter() - start) if round_ else None
                    found["before_stall"].append(old.longest) if round_ else None
            if round_:  # the first round warms the caches
                found["sql"].append(sql)
                found["digest"].append(took)
                found["stall"].append(ticker.longest)
                found["sql_stall"].append(control.longest)
    finally:
        await store.close()
    return found


def child(path: Path, side: str) -> None:
    """One side, once, in this fresh process; print its peak resident memory (MiB)."""
    settings = _settings(path)

    async def run() -> None:
        store = await open_store(settings.database)
        try:
            if side == "sql":
                await asyncio.to_thread(sql_counts, path)
            else:
                await digest(store, settings)
        finally:
            await store.close()

    asyncio.run(run())
    print(json.dumps({"peak_mib": peak_resident_mib()}))


def peak_resident_mib() -> float:
    """The process's peak resident set (VmHWM). Not ru_maxrss: Linux carries that across exec from the
    parent, so a child started by a parent that generated 50,000 participants reports the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere: the nearest figure


def peak_memory(path: Path, side: str) -> float:
    done = subprocess.run(
        [sys.executable, "-m", "bench.digest_bench", "--child", side, "--db", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["peak_mib"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument("--before", action="store_true", help="also time the replay it used to be (slow at 50,000)")
    parser.add_argument("--child", choices=("sql", "digest"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.db, args.child)
        return
    curve = []
    with tempfile.TemporaryDirectory() as folder:
        for participants in args.participants:
            path = Path(folder) / f"digest-{participants}.db"
            start = time.perf_counter()
            generate(path, participants, args.seed)
            print(f"-- {participants:,} participants x 5 themes (generated in {time.perf_counter() - start:.1f} s)")
            found = asyncio.run(timed(path, args.repeats, args.before))
            sql, built = statistics.median(found["sql"]), statistics.median(found["digest"])
            stall = max(found["stall"]) * 1000
            print(f"   sql counts (limit)   {sql * 1000:9.1f} ms")
            print(
                f"   digest               {built * 1000:9.1f} ms  {built / sql:5.2f}x the limit (target {TIME_LIMIT}x)"
            )
            control = max(found["sql_stall"]) * 1000
            print(
                f"   longest loop stall   {stall:9.1f} ms  (target under {STALL_LIMIT_MS:.0f} ms; "
                f"{control:.1f} ms while the loop only awaited the limit's thread)"
            )
            if found["before"]:
                old = statistics.median(found["before"])
                print(
                    f"   before (replay)      {old * 1000:9.1f} ms  {old / sql:5.2f}x the limit, "
                    f"longest stall {max(found['before_stall']) * 1000:.0f} ms"
                )
            sql_mib, digest_mib = (peak_memory(path, side) for side in ("sql", "digest"))
            print(
                f"   peak memory (VmHWM) sql {sql_mib:.1f} MiB, digest {digest_mib:.1f} MiB: "
                f"{digest_mib / sql_mib:.2f}x (target {MEMORY_LIMIT}x)"
            )
            curve.append((participants, built))
    if len(curve) > 1:
        print("-- scale curve of the digest (linear or better: exponent <= 1)")
        base_n, base_t = curve[0]
        for participants, took in curve:
            growth = took / base_t
            exponent = math.log(growth) / math.log(participants / base_n) if participants != base_n else float("nan")
            print(
                f"   {participants:>7,}: {took * 1000:8.1f} ms, {took / participants * 1e6:6.1f} us per participant, "
                f"x{growth:.1f} for x{participants / base_n:.0f} participants (exponent {exponent:.2f})"
            )


if __name__ == "__main__":
    main()
