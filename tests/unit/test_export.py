"""The CSV export's analysis (bot.core.export) on a scripted history, against hand-computed rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.digest import DigestSource
from bot.core.export import ChangeKind, Participant, change_kind, change_rows, position_rows, pseudonyms
from bot.core.models import HistoryEntry, Profile
from bot.settings import Settings

T0 = datetime(2026, 1, 1, tzinfo=UTC)
AS_OF = T0 + timedelta(hours=8)
STANCES = [{"key": "yes", "label": "In favour"}, {"key": "no", "label": "Against"}]
THEMES = [
    {"slug": "alpha", "title": "Alpha", "question": "Alpha?", "stances": STANCES},
    {"slug": "beta", "title": "Beta", "question": "Beta?", "stances": STANCES},
]


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def entry(user: int, hours: int, stance: str | None, rationale: str | None = None) -> HistoryEntry:
    return HistoryEntry(user, at(hours), stance, rationale)


# In recorded order, per theme. User ids are deliberately not in order of appearance.
ALPHA = [
    entry(30, 2, "yes", "First thoughts."),  # joined
    entry(10, 3, "no"),  # joined
    entry(30, 4, "yes", "Better put."),  # restated: same stance, new rationale
    entry(30, 5, "no", "Convinced otherwise."),  # changed
    entry(10, 6, None),  # withdrew
    entry(10, 7, "yes"),  # joined again after withdrawing
    entry(30, 9, "yes"),  # after the export's moment: not in it
]
BETA = [
    entry(20, 1, "yes"),  # the earliest change of all
    entry(40, 2, "no"),  # same time as user 30 in alpha (earlier theme) and as user 5 (smaller id)
    entry(5, 2, "yes"),
]
PROFILES = {30: Profile(30, "government", "weog"), 10: Profile(10, "academia", None)}
NAMES = {30: "Ada", 10: "Bo", 40: "Cy", 5: "Di"}  # user 20's name is unknown


def source() -> DigestSource:
    return DigestSource({"alpha": ALPHA, "beta": BETA}, PROFILES, NAMES)


def settings(attribution: str = "chatham-house") -> Settings:
    return Settings.load(None, themes=THEMES, privacy={"attribution": attribution, "min_group": 1})


def test_pseudonyms_number_participants_by_first_appearance_ties_by_theme_then_id():
    # 20 first (hour 1); at hour 2: 30 (alpha, the first theme), then 5 and 40 (beta, by id); 10 at hour 3.
    assert pseudonyms(source()) == {20: "P0001", 30: "P0002", 5: "P0003", 40: "P0004", 10: "P0005"}


def test_pseudonyms_stay_when_history_grows():
    later = DigestSource({"alpha": [*ALPHA, entry(1, 10, "no"), entry(20, 11, "no")], "beta": BETA})
    assert pseudonyms(later) == {20: "P0001", 30: "P0002", 5: "P0003", 40: "P0004", 10: "P0005", 1: "P0006"}


@pytest.mark.parametrize(
    ("before", "stance", "kind"),
    [
        (None, "yes", ChangeKind.JOINED),
        ("yes", "yes", ChangeKind.RESTATED),
        ("yes", "no", ChangeKind.CHANGED),
        ("no", None, ChangeKind.WITHDREW),
        (None, None, ChangeKind.WITHDREW),
    ],
)
def test_change_kind(before, stance, kind):
    assert change_kind(before, stance) is kind


def test_change_rows_follow_the_scripted_history_up_to_the_export():
    rows = change_rows(settings(), source(), AS_OF)
    assert [(r.theme, r.participant.pseudonym, r.at, r.change, r.stance, r.stance_label) for r in rows] == [
        ("alpha", "P0002", at(2), ChangeKind.JOINED, "yes", "In favour"),
        ("alpha", "P0005", at(3), ChangeKind.JOINED, "no", "Against"),
        ("alpha", "P0002", at(4), ChangeKind.RESTATED, "yes", "In favour"),
        ("alpha", "P0002", at(5), ChangeKind.CHANGED, "no", "Against"),
        ("alpha", "P0005", at(6), ChangeKind.WITHDREW, None, ""),
        ("alpha", "P0005", at(7), ChangeKind.JOINED, "yes", "In favour"),
        ("beta", "P0001", at(1), ChangeKind.JOINED, "yes", "In favour"),
        ("beta", "P0004", at(2), ChangeKind.JOINED, "no", "Against"),
        ("beta", "P0003", at(2), ChangeKind.JOINED, "yes", "In favour"),
    ]
    assert [r.rationale for r in rows[:4]] == ["First thoughts.", None, "Better put.", "Convinced otherwise."]


def test_position_rows_are_the_positions_as_of_the_export_oldest_first():
    rows = position_rows(settings(), source(), AS_OF)
    assert [(r.theme, r.participant.pseudonym, r.stance, r.stance_label, r.updated_at) for r in rows] == [
        ("alpha", "P0002", "no", "Against", at(5)),
        ("alpha", "P0005", "yes", "In favour", at(7)),  # withdrew, then joined again
        ("beta", "P0001", "yes", "In favour", at(1)),
        ("beta", "P0003", "yes", "In favour", at(2)),  # same time: by user id (5 before 40)
        ("beta", "P0004", "no", "Against", at(2)),
    ]
    assert rows[0].rationale == "Convinced otherwise."


def test_participants_carry_their_profile_and_a_name_only_under_named_attribution():
    hidden = {r.participant for r in position_rows(settings(), source(), AS_OF)}
    assert hidden == {
        Participant("P0002", None, "government", "weog"),
        Participant("P0005", None, "academia", None),
        Participant("P0001", None, "undeclared", None),
        Participant("P0003", None, "undeclared", None),
        Participant("P0004", None, "undeclared", None),
    }
    named = {
        r.participant.pseudonym: r.participant.display_name for r in change_rows(settings("named"), source(), AS_OF)
    }
    assert named == {"P0002": "Ada", "P0005": "Bo", "P0001": "", "P0004": "Cy", "P0003": "Di"}
