"""Moderation's pure rules, and the store's "hidden as of a moment" agreeing with them over a history of
hides and restores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.moderation import MAX_REASON, Moderated, ModerationAction, Reported, clean_reason, hidden_at
from bot.store.visibility import hidden_as_of, moment_params

T0 = datetime(2026, 1, 1, tzinfo=UTC)
GUILD = 1_042_112_345_678_901_234
AUTHOR, FACILITATOR, MEMBER = 11, 22, 33


def test_a_reason_is_collapsed_clipped_and_none_when_empty():
    assert clean_reason(None) is None
    assert clean_reason("   \n ") is None
    assert clean_reason("  off\n  topic ") == "off topic"
    assert len(clean_reason("x" * 1000) or "") == MAX_REASON


def test_hidden_at_is_from_the_hide_until_the_restore():
    spans = [(T0, T0 + timedelta(hours=1)), (T0 + timedelta(hours=2), None)]
    assert not hidden_at(spans, T0 - timedelta(seconds=1))
    assert hidden_at(spans, T0)
    assert not hidden_at(spans, T0 + timedelta(hours=1))
    assert hidden_at(spans, T0 + timedelta(days=9))


async def test_the_store_says_hidden_as_of_a_moment_as_the_rule_does(store):
    await store.record_position(GUILD, "gaps", AUTHOR, "author", "some", "Spam has no home.", T0)
    statement_id = 1  # the first statement of a fresh database
    moments = [T0 + timedelta(minutes=m) for m in (10, 20, 30)]
    assert (
        await store.moderate(GUILD, 1, ModerationAction.HIDE, FACILITATOR, "a", moments[0])
    ).result is Moderated.DONE
    assert (await store.moderate(GUILD, 1, ModerationAction.HIDE, FACILITATOR, "a", moments[0])).result is (
        Moderated.ALREADY_HIDDEN
    )
    await store.moderate(GUILD, 1, ModerationAction.RESTORE, FACILITATOR, None, moments[1])
    await store.moderate(GUILD, 1, ModerationAction.HIDE, FACILITATOR, "b", moments[2])
    spans = [(moments[0], moments[1]), (moments[2], None)]
    for minute in range(0, 40, 5):
        moment = T0 + timedelta(minutes=minute)
        async with (
            store.reading() as db,
            db.execute(f"SELECT {hidden_as_of('?')}", (statement_id, *moment_params(moment))) as cursor,
        ):
            [(found,)] = list(await cursor.fetchall())
        assert bool(found) is hidden_at(spans, moment), moment


async def test_a_report_is_once_per_member_and_never_of_ones_own(store):
    await store.record_position(GUILD, "gaps", AUTHOR, "author", "some", "Spam has no home.", T0)
    assert await store.report_statement(GUILD, 1, MEMBER, None, T0) is Reported.RECORDED
    assert await store.report_statement(GUILD, 1, MEMBER, "again", T0) is Reported.ALREADY
    assert await store.report_statement(GUILD, 1, AUTHOR, None, T0) is Reported.OWN
    assert await store.report_statement(GUILD + 1, 1, MEMBER, None, T0) is Reported.NOT_CURRENT
    [queued] = await store.report_queue(GUILD, 5)
    assert (queued.number, queued.reports) == (1, 1)
    assert await store.report_queue(GUILD + 1, 5) == []
