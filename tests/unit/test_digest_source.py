"""Reading a digest's data from the store: a fixed number of queries however many take part, one server only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.settings import DatabaseSettings
from bot.store import Store, open_store

GUILD = 77
T0 = datetime(2026, 1, 1, tzinfo=UTC)
THEMES = ["gaps", "existing"]


async def seed(store: Store, first: int, last: int) -> None:
    for user in range(first, last):
        await store.set_profile(GUILD, user, "academia", "weog", T0)
        for theme in THEMES:
            await store.record_position(GUILD, theme, user, f"user{user}", "some", f"Reason {user}.", T0)


async def poll_closed_at(store: Store, closed_at: datetime) -> None:
    poll = await store.create_poll(
        guild_id=GUILD,
        channel_id=1,
        created_by=1,
        question=f"Closed at {closed_at:%H:%M}?",
        options=["Yes", "No"],
        theme=None,
        secret=False,
        hide_results=False,
        max_choices=1,
        now=closed_at - timedelta(hours=1),
        closes_at=closed_at,
        ballot_seed=None,
    )
    assert await store.close_poll(poll.id, closed_at)


async def test_queries_do_not_grow_with_participants_and_only_shown_polls_are_read(tmp_path: Path):
    store = await open_store(DatabaseSettings(path=tmp_path / "concord.db"))
    statements: list[str] = []
    try:
        await seed(store, 0, 3)
        await poll_closed_at(store, T0 + timedelta(hours=1))  # before the previous digest: not shown, not read
        run = await store.claim_digest(GUILD, "weekly", T0 + timedelta(hours=2), T0 + timedelta(hours=2))
        assert run is not None
        await store.mark_digest_posted(run.id, T0 + timedelta(hours=2))
        await poll_closed_at(store, T0 + timedelta(hours=3))
        await store.record_position(GUILD + 1, "gaps", 1, "elsewhere", "none", "Another server.", T0)
        until = T0 + timedelta(hours=4)
        await store.reader.set_trace_callback(statements.append)
        small = await store.digest_source(GUILD, THEMES, until)
        few = len(statements)
        await store.reader.set_trace_callback(None)
        await seed(store, 3, 60)
        statements.clear()
        await store.reader.set_trace_callback(statements.append)
        large = await store.digest_source(GUILD, THEMES, until)
        await store.reader.set_trace_callback(None)
    finally:
        await store.close()
    assert len(statements) == few
    assert [len(small.histories[t]) for t in THEMES] == [3, 3] and [len(large.histories[t]) for t in THEMES] == [60, 60]
    assert len(large.profiles) == 60 and set(large.names) == set(range(60))
    assert [poll.question for poll in large.polls] == ["Closed at 03:00?"]
    assert all(entry.rationale != "Another server." for entries in large.histories.values() for entry in entries)
