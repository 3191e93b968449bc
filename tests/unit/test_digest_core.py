"""The digest core: a pure function over store data, checked with exact numbers on a scripted history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.digest import DigestSource, PostedDigest, build_digest
from bot.core.history import ShiftRow
from bot.core.models import HistoryEntry, Profile
from bot.core.polls import ClosedPoll, OptionResult
from bot.forum import DEFAULT_THEMES
from bot.render.wording import author, digest_heading, group_label, shift_basis
from bot.settings import Settings

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SESSION = {"starts_at": "2026-01-03T09:00:00+04:00", "ends_at": "2026-01-03T10:30:00+04:00"}


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def forum_settings(**overrides) -> Settings:
    overrides.setdefault("privacy", {"min_group": 1})  # tiny groups named: the small-group rule has its own tests
    return Settings.load(None, session=SESSION, themes=DEFAULT_THEMES[:2], **overrides)


def gaps_history() -> list[HistoryEntry]:
    script = [
        (1, 1, "some", "Spam has no home."),
        (2, 1, "some", "Cybercrime cooperation is thin."),
        (3, 1, "none", "Existing fora cope."),
        (4, 1, "widespread", "Everywhere."),
        (7, 2, "some", "Consumer protection online."),
        # the before-session digest is taken at hour 10
        (3, 11, "some", "The panel convinced me."),
        (5, 11, "undecided", None),
        (4, 12, None, None),
        (6, 13, "some", None),
    ]
    return [HistoryEntry(user, at(hour), stance, rationale) for user, hour, stance, rationale in script]


def closed_poll(number: int, hours: float) -> ClosedPoll:
    return ClosedPoll(
        poll_id=number,
        number=number,
        question=f"Question {number}?",
        theme=None,
        secret=number == 2,
        max_choices=1,
        opened_at=at(hours - 1),
        closed_at=at(hours),
        channel_id=1,
        message_id=None,
        voters=4,
        options=(OptionResult(0, "Yes", 3, 75), OptionResult(1, "No", 1, 25)),
        groups=(),
    )


BEFORE_POSTED = (PostedDigest("before", at(10), at(10)),)


def source(posted=BEFORE_POSTED) -> DigestSource:
    return DigestSource(
        histories={"gaps": gaps_history(), "existing": []},
        profiles={
            1: Profile(1, "government", "weog"),
            2: Profile(2, "civil-society", "african"),
            3: Profile(3, "civil-society", None),
            5: Profile(5, "academia", "weog"),
            7: Profile(7, "civil-society", None),
        },
        names={1: "Ana", 2: "Bakhyt", 3: "Chen", 7: "Giulia"},
        posted=list(posted),
        polls=[closed_poll(1, 5), closed_poll(2, 15), closed_poll(3, 25)],
    )


def test_after_digest_with_exact_numbers():
    digest = build_digest(forum_settings(), source(), "after", at(20))
    assert digest_heading(digest) == "After the session — Open Forum on Enhanced Cooperation"
    assert (digest.previous_at, digest.shift_from, shift_basis(digest.shift_basis)) == (
        at(10),
        at(10),
        "the before-session digest",
    )
    assert digest.timezone == "Asia/Baku"
    existing, gaps = digest.themes
    assert existing.participants == 0 and existing.quotes == ()
    assert [(s.key, s.count, s.percent, s.change) for s in gaps.stances] == [
        ("none", 0, 0, -1),
        ("some", 5, 83, +2),
        ("widespread", 0, 0, -1),
        ("undecided", 1, 17, +1),
    ]
    assert (gaps.participants, gaps.participants_change) == (6, 1)
    assert [(g.group, g.total) for g in gaps.by_stakeholder] == [
        ("government", 1),
        ("civil-society", 3),
        ("academia", 1),
        ("undeclared", 1),
    ]
    assert [(g.group, g.total) for g in gaps.by_region] == [("african", 1), ("weog", 2), ("undeclared", 3)]
    assert tuple(map(group_label, gaps.missing_stakeholders)) == (
        "Private sector",
        "Technical community",
        "Intergovernmental organisation",
    )
    assert tuple(map(group_label, gaps.missing_regions)) == (
        "Asia-Pacific Group",
        "Eastern European Group",
        "Latin American and Caribbean Group",
    )
    [some] = gaps.quotes
    assert some.key == "some" and some.more == 1
    assert [(q.text, author(q.author, digest.attribution)) for q in some.quotes] == [
        ("The panel convinced me.", "Civil society"),
        ("Consumer protection online.", "Civil society"),
        ("Cybercrime cooperation is thin.", "Civil society"),
    ]
    assert gaps.shift is not None
    assert gaps.shift.rows == (
        ShiftRow("none", "some", 1),
        ShiftRow("widespread", None, 1),
        ShiftRow(None, "some", 1),
        ShiftRow(None, "undecided", 1),
    )
    assert gaps.shift.unchanged == 3
    # Only the poll closed between the previous digest (hour 10) and this one (hour 20).
    assert [poll.number for poll in digest.polls] == [2]


def test_first_digest_has_no_changes_and_named_attribution_shows_names():
    settings = forum_settings(privacy={"attribution": "named"})
    digest = build_digest(settings, source(posted=()), "weekly", at(20))
    gaps = digest.themes[1]
    assert digest.previous_at is None and digest.shift_from is None and gaps.shift is None
    assert all(s.change is None for s in gaps.stances) and gaps.participants_change is None
    assert [author(q.author, digest.attribution) for q in gaps.quotes[0].quotes] == [
        "Chen (Civil society)",
        "Giulia (Civil society)",
        "Bakhyt (Civil society)",
    ]
    assert [poll.number for poll in digest.polls] == [1, 2]


def test_digest_as_of_an_earlier_moment_replays_the_history():
    digest = build_digest(forum_settings(), source(posted=()), "before", at(10))
    gaps = digest.themes[1]
    assert [(s.key, s.count) for s in gaps.stances] == [("none", 1), ("some", 3), ("widespread", 1), ("undecided", 0)]
    assert gaps.participants == 5


def test_after_digest_without_a_posted_before_digest_shifts_from_its_due_time():
    # The before-digest was due 24h before 2026-01-03T05:00Z, i.e. at hour 29; nothing was posted.
    digest = build_digest(forum_settings(), source(posted=()), "after", at(40))
    assert (
        digest.shift_from == at(29) and shift_basis(digest.shift_basis) == "the time the before-session digest was due"
    )
    # With no before-digest at all, the shift counts from the session start (hour 53).
    no_before = forum_settings(digest={"before": "off"})
    assert build_digest(no_before, source(posted=()), "after", at(40)).shift_from is None
    late = build_digest(no_before, source(posted=()), "after", at(60))
    assert (late.shift_from, shift_basis(late.shift_basis)) == (at(53), "the start of the session")


def test_a_rationale_posted_word_for_word_by_several_is_quoted_once():
    script = [(1, 1, "Same words."), (2, 2, "Fourth."), (3, 3, "same  WORDS."), (4, 4, "Other."), (5, 5, "Same words.")]
    entries = [HistoryEntry(user, at(hour), "some", text) for user, hour, text in script]
    digest = build_digest(forum_settings(), DigestSource({"gaps": entries}), "weekly", at(6))
    [some] = digest.themes[1].quotes
    assert [quote.text for quote in some.quotes] == ["Same words.", "Other.", "Fourth."]
    assert some.more == 2
