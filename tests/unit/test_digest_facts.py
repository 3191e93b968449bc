"""The digest's facts counted in SQL as of its moments (`load_digest_source`) equal the replay of the whole
history in Python (`digest_source` + `replay_facts`), on seeded random histories: positions changed, withdrawn
and given again, near-identical rationales, profiles changed and never given, reactions changed, statements
hidden and restored, digests posted; as of moments before, between and after all of it, for every kind of
digest and both attributions."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from random import Random

import pytest

from bot.core.consensus import Reaction
from bot.core.digest import DigestRequest, build_digest
from bot.core.digest_facts import QuoteCandidate, replay_facts, top_candidates
from bot.core.moderation import ModerationAction
from bot.core.polls import results
from bot.forum import DEFAULT_THEMES
from bot.settings import Settings
from bot.store import Store, digest_facts

GUILD = 5
T0 = datetime(2026, 1, 1, tzinfo=UTC)
SESSION = {"starts_at": "2026-01-01T12:00:00+00:00", "ends_at": "2026-01-01T13:00:00+00:00"}
THEMES = DEFAULT_THEMES[:2]
TEXTS = ("Spam has no home.", "spam has NO home!", "I changed my mind: spam has no home.", "Thin.", "Fora cope.")


def settings(attribution: str) -> Settings:
    return Settings.load(None, session=SESSION, themes=THEMES, privacy={"attribution": attribution})


async def random_history(store: Store, rng: Random, forum: Settings, steps: int) -> list[datetime]:
    """Random changes one minute apart; returns the moments worth digesting (between and after them)."""
    users = list(range(1, 14))
    slugs = [theme["slug"] for theme in THEMES]
    stances = {theme.slug: [s.key for s in theme.stances] for theme in forum.themes}
    groups = forum.profiles.expected_stakeholders
    moments = [T0 - timedelta(minutes=1)]
    for step in range(steps):
        now = T0 + timedelta(minutes=step // 2, seconds=rng.choice((0, 0, 30)))  # some changes at one moment
        user, slug, draw = rng.choice(users), rng.choice(slugs), rng.random()
        if draw < 0.45:
            text = rng.choice((*TEXTS, f"Reason {user}.", None))
            await store.record_position(GUILD, slug, user, f"name{user}-{step}", rng.choice(stances[slug]), text, now)
        elif draw < 0.55:
            await store.withdraw_position(GUILD, slug, user, now)
        elif draw < 0.65 and user % 5:
            await store.set_profile(GUILD, user, rng.choice(groups[:4]), rng.choice(("weog", "african", None)), now)
        elif draw < 0.85:
            async with store.reading() as db, db.execute("SELECT id FROM statements") as cursor:
                ids = [row[0] for row in await cursor.fetchall()]
            if ids:
                await store.react(GUILD, rng.choice(ids), user, rng.choice(list(Reaction)), now)
        elif draw < 0.93:
            async with store.reading() as db, db.execute("SELECT number FROM statements") as cursor:
                numbers = [row[0] for row in await cursor.fetchall()]
            if numbers:
                action = rng.choice((ModerationAction.HIDE, ModerationAction.RESTORE))
                await store.moderate(GUILD, rng.choice(numbers), action, 99, None, now)
        else:
            kind = rng.choice(("before", "weekly"))
            run = await store.claim_digest(GUILD, kind, now, now)
            if run is not None:
                await store.mark_digest_posted(run.id, now)
        if rng.random() < 0.15:
            moments.append(now + timedelta(seconds=rng.choice((0, 10))))
    moments.append(T0 + timedelta(minutes=steps + 5))
    return moments


@pytest.mark.parametrize(("seed", "keep"), [(1, 12), (2, 12), (3, 1), (4, 1)])
async def test_facts_counted_in_sql_equal_the_replay_of_the_history(store, monkeypatch, seed, keep):
    monkeypatch.setattr(digest_facts, "_KEEP", keep)  # 1: near-identical texts make the store rank again
    rng = Random(seed)
    moments = await random_history(store, rng, settings("named"), 90)
    slugs = [theme["slug"] for theme in THEMES]
    for attribution in ("named", "chatham-house"):
        forum = settings(attribution)
        for as_of in moments:
            replayed = await store.digest_source(GUILD, slugs, as_of)
            for kind in ("now", "weekly", "before", "after"):
                request = DigestRequest.from_settings(forum, kind)
                counted = await store.load_digest_source(GUILD, slugs, as_of, request)
                assert counted.themes is not None
                previous_at, shift_from = request.moments(counted.posted, as_of)
                for theme in forum.themes:
                    expected = replay_facts(
                        replayed.histories[theme.slug],
                        [stance.key for stance in theme.stances],
                        as_of=as_of,
                        previous_at=previous_at,
                        shift_from=shift_from,
                        profiles=replayed.profiles,
                        names=replayed.names,
                        votes=replayed.votes.get(theme.slug, ()),
                        groups=forum.profiles.expected_stakeholders,
                        named=attribution == "named",
                    )
                    assert counted.themes[theme.slug] == expected, (seed, attribution, as_of, kind, theme.slug)
                built = build_digest(forum, counted, kind, as_of)
                assert built == build_digest(forum, replayed, kind, as_of), (seed, attribution, as_of, kind)


def test_no_names_are_read_under_chatham_house():
    forum = settings("chatham-house")
    assert DigestRequest.from_settings(forum, "now").named is False
    assert DigestRequest.from_settings(settings("named"), "now").named is True


def test_the_best_candidates_in_one_pass_are_the_best_of_the_sorted_list():
    rng = Random(7)
    candidates = [
        QuoteCandidate(user, rng.choice("ab"), T0 + timedelta(minutes=rng.randrange(5)), user) for user in range(200)
    ]
    agreement = {c.user_id: rng.choice((0.1, 0.2, 0.3)) for c in candidates}
    best, totals = top_candidates(candidates, lambda c: agreement[c.user_id], 7)
    for stance in "ab":
        mine = [c for c in candidates if c.stance == stance]
        mine.sort(key=lambda c: (-agreement[c.user_id], -c.at.timestamp(), -c.user_id))
        assert best[stance] == mine[:7]
    assert totals == Counter(c.stance for c in candidates)


async def closed_poll(store: Store, number: int) -> None:
    poll = await store.create_poll(
        guild_id=GUILD,
        channel_id=1,
        created_by=1,
        question=f"Question {number}?",
        options=["Yes", "No"],
        theme=None,
        secret=False,
        hide_results=False,
        max_choices=1,
        now=T0,
        closes_at=T0 + timedelta(hours=1),
        ballot_seed=None,
    )
    for voter in range(3 + number):
        await store.cast_vote(GUILD, poll.id, 100 * number + voter, voter % 2, "academia", T0)
    assert await store.close_poll(poll.id, T0 + timedelta(hours=1, minutes=number))


async def test_closed_polls_read_their_counts_in_one_query_whatever_their_number(store):
    statements: list[str] = []
    await closed_poll(store, 0)
    await store.reader.set_trace_callback(statements.append)
    await store.closed_polls(GUILD, None, T0 + timedelta(days=1))
    one = len(statements)
    await store.reader.set_trace_callback(None)
    for number in range(1, 5):
        await closed_poll(store, number)
    statements.clear()
    await store.reader.set_trace_callback(statements.append)
    closed = await store.closed_polls(GUILD, None, T0 + timedelta(days=1))
    await store.reader.set_trace_callback(None)
    assert len(statements) == one and len(closed) == 5
    for poll in closed:
        found = await store.get_poll(GUILD, poll.number)
        assert found is not None
        shown = results(await store.poll_counts(found), found.options)
        assert (poll.voters, poll.options, poll.groups) == (shown.voters, shown.options, shown.groups)
        assert poll.voters == 3 + poll.number - 1
