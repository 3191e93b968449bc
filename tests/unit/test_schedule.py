"""The digest schedule as a pure function: offsets, timezones, weekly times, grace and retries."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import (
    DigestPlan,
    Occurrence,
    RunState,
    RunStatus,
    decide,
    next_wake,
)
from bot.settings import ConfigError, Settings
from bot.times import Weekly, parse_weekly

PENDING, POSTED, MISSED = RunStatus.PENDING, RunStatus.POSTED, RunStatus.MISSED


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def plan(**digest) -> DigestPlan:
    return DigestPlan.from_settings(Settings.load(None, digest=digest))


def test_defaults_follow_the_baku_session_offset():
    schedule = plan()
    # The session runs 09:00-10:30 Baku time (UTC+4) on 8 November 2012.
    assert schedule.before_at == utc("2012-11-07T05:00:00+00:00")
    assert schedule.after_at == utc("2012-11-09T06:30:00+00:00")
    assert schedule.zone == ZoneInfo("Asia/Baku")
    assert schedule.weekly == Weekly(0, time(9, 0))
    assert schedule.grace == timedelta(hours=12)


def test_weekly_is_monday_nine_in_baku_which_is_five_utc():
    schedule = plan()
    found = schedule.weekly_between(utc("2026-01-01T00:00:00+00:00"), utc("2026-01-31T00:00:00+00:00"))
    assert found == [utc(f"2026-01-{day:02d}T05:00:00+00:00") for day in (5, 12, 19, 26)]
    assert all(due.astimezone(ZoneInfo("Asia/Baku")).strftime("%a %H:%M") == "Mon 09:00" for due in found)


def test_weekly_bounds_are_inclusive_and_next_is_strictly_after():
    schedule = plan()
    due = utc("2026-01-05T05:00:00+00:00")
    assert schedule.weekly_between(due, due) == [due]
    assert schedule.next_weekly(due - timedelta(seconds=1)) == due
    assert schedule.next_weekly(due) == due + timedelta(days=7)


def test_digest_timezone_overrides_the_session_timezone():
    schedule = plan(weekly="fri 17:30", timezone="America/Sao_Paulo")
    assert schedule.next_weekly(utc("2026-01-01T00:00:00+00:00")) == utc("2026-01-02T20:30:00+00:00")


def test_weekly_keeps_local_time_across_a_dst_change():
    schedule = plan(weekly="monday 09:00", timezone="Europe/Brussels")
    found = schedule.weekly_between(utc("2026-03-20T00:00:00+00:00"), utc("2026-04-07T00:00:00+00:00"))
    # Brussels moves from UTC+1 to UTC+2 on 29 March 2026: 09:00 local stays 09:00 local.
    assert found == [
        utc("2026-03-23T08:00:00+00:00"),
        utc("2026-03-30T07:00:00+00:00"),
        utc("2026-04-06T07:00:00+00:00"),
    ]


@pytest.mark.parametrize(
    ("weekly", "start", "expected"),
    [
        # 02:30 does not exist on 29 March 2026 in Brussels: one occurrence, an hour later in local time.
        ("sun 02:30", "2026-03-28T00:00:00+00:00", "2026-03-29T01:30:00+00:00"),
        # 02:30 happens twice on 25 October 2026: one occurrence, the first.
        ("sun 02:30", "2026-10-24T00:00:00+00:00", "2026-10-25T00:30:00+00:00"),
    ],
)
def test_weekly_in_a_dst_gap_or_overlap_happens_once(weekly, start, expected):
    schedule = plan(weekly=weekly, timezone="Europe/Brussels")
    begin = utc(start)
    assert schedule.weekly_between(begin, begin + timedelta(days=3)) == [utc(expected)]


def test_parse_weekly_and_off():
    assert parse_weekly("off") is None
    assert parse_weekly(" Wednesday   7:05 ") == Weekly(2, time(7, 5))
    assert str(parse_weekly("thu 18:00")) == "thu 18:00"
    for bad in ("mon", "monkey 09:00", "mon 24:00", "mon 9:60", "every monday"):
        with pytest.raises(ValueError):
            parse_weekly(bad)


def test_bad_digest_settings_name_the_key():
    with pytest.raises(ConfigError, match=r"^config: digest\.weekly: "):
        Settings.load(None, digest={"weekly": "someday"})
    with pytest.raises(ConfigError, match=r"^config: digest\.grace: "):
        Settings.load(None, digest={"grace": "a while"})
    with pytest.raises(ConfigError, match=r"^config: digest\.timezone: "):
        Settings.load(None, digest={"timezone": "Baku"})
    assert Settings.load(None, digest={"weekly": "off", "before": "off"}).digest.before is None


def test_occurrences_and_upcoming_across_the_session():
    session = {"starts_at": "2026-01-10T09:00:00+04:00", "ends_at": "2026-01-10T10:30:00+04:00"}
    schedule = DigestPlan.from_settings(Settings.load(None, session=session, digest={"before": "36h", "after": "2h"}))
    assert schedule.before_at == utc("2026-01-08T17:00:00+00:00")
    assert schedule.after_at == utc("2026-01-10T08:30:00+00:00")
    start = utc("2026-01-01T00:00:00+00:00")
    assert schedule.occurrences_between(start, utc("2026-01-13T00:00:00+00:00")) == [
        Occurrence(utc("2026-01-05T05:00:00+00:00"), "weekly"),
        Occurrence(utc("2026-01-08T17:00:00+00:00"), "before"),
        Occurrence(utc("2026-01-10T08:30:00+00:00"), "after"),
        Occurrence(utc("2026-01-12T05:00:00+00:00"), "weekly"),
    ]
    assert [o.kind for o in schedule.upcoming(utc("2026-01-06T00:00:00+00:00"))] == [
        "before",
        "after",
        "weekly",
        "weekly",
    ]
    assert schedule.upcoming(utc("2026-01-11T00:00:00+00:00"), weekly_count=1) == [
        Occurrence(utc("2026-01-12T05:00:00+00:00"), "weekly")
    ]


def _weekly_only() -> DigestPlan:
    return plan(before="off", after="off")


def test_decide_posts_within_grace_and_misses_older():
    schedule = _weekly_only()
    since = utc("2026-01-01T00:00:00+00:00")
    first, second = utc("2026-01-05T05:00:00+00:00"), utc("2026-01-12T05:00:00+00:00")
    # Down from before the first until 6 hours after the second: the first is stale, the second still fresh.
    due = decide(schedule, since, second + timedelta(hours=6), [])
    assert due.post == (Occurrence(second, "weekly"),)
    assert due.miss == (Occurrence(first, "weekly"),)
    # Exactly at the edge of grace it is still posted; a second later it is missed.
    assert decide(schedule, since, second + timedelta(hours=12), [RunState("weekly", first, MISSED)]).post
    late = decide(schedule, since, second + timedelta(hours=12, seconds=1), [RunState("weekly", first, MISSED)])
    assert late.post == () and late.miss == (Occurrence(second, "weekly"),)


def test_decide_skips_what_is_done_and_waits_for_the_retry_time():
    schedule = _weekly_only()
    since = utc("2026-01-01T00:00:00+00:00")
    due_at = utc("2026-01-05T05:00:00+00:00")
    now = due_at + timedelta(minutes=3)
    assert decide(schedule, since, now, [RunState("weekly", due_at, POSTED)]).post == ()
    waiting = RunState("weekly", due_at, PENDING, next_attempt_at=due_at + timedelta(minutes=5))
    assert decide(schedule, since, now, [waiting]).post == ()
    assert next_wake(schedule, since, now, [waiting]) == due_at + timedelta(minutes=5)
    assert decide(schedule, since, due_at + timedelta(minutes=5), [waiting]).post == (Occurrence(due_at, "weekly"),)


def test_decide_ignores_occurrences_before_the_window_and_retries_manual_posts():
    schedule = _weekly_only()
    since = utc("2026-01-06T00:00:00+00:00")
    now = utc("2026-01-06T01:00:00+00:00")
    manual = RunState("before", utc("2026-01-06T00:30:00+00:00"), PENDING, next_attempt_at=now)
    due = decide(schedule, since, now, [manual])
    assert due == decide(schedule, since, now, [manual])
    assert due.post == (Occurrence(manual.due_at, "before"),) and due.miss == ()
    assert next_wake(schedule, since, now, []) == utc("2026-01-12T05:00:00+00:00")


def test_next_wake_is_now_at_the_exact_due_instant_of_an_unposted_digest():
    schedule = _weekly_only()
    since = utc("2026-01-01T00:00:00+00:00")
    due_at = utc("2026-01-05T05:00:00+00:00")
    assert next_wake(schedule, since, due_at, []) == due_at
    assert next_wake(schedule, since, due_at, [RunState("weekly", due_at, POSTED)]) == utc("2026-01-12T05:00:00+00:00")
