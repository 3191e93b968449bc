"""Common ground and divides in digests, and representative rationales chosen by agreement (pure data)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.consensus import StatementVotes, Votes
from bot.core.digest import DigestSource, build_digest
from bot.core.models import HistoryEntry
from bot.forum import DEFAULT_THEMES
from bot.render.discord.digests import digest_parts
from bot.render.report.html_page import digest_html
from bot.render.report.json_data import digest_json
from bot.render.report.markdown import digest_markdown
from bot.settings import Settings

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def settings() -> Settings:
    return Settings.load(None, themes=DEFAULT_THEMES[1:2], privacy={"min_group": 1})  # gaps only


def entry(user: int, hours: float, stance: str, text: str, number: int) -> HistoryEntry:
    return HistoryEntry(user, at(hours), stance, text, number)


def votes(number: int, **groups: tuple[int, int, int]) -> StatementVotes:
    by_group = {group.replace("_", "-"): Votes(*counts) for group, counts in groups.items()}
    return StatementVotes(number * 10, number, sum(by_group.values(), Votes()), by_group)


HISTORY = [
    entry(1, 1, "some", "Spam has no home.", 1),
    entry(2, 2, "some", "Consumer protection is missing online.", 2),
    entry(3, 3, "widespread", "Everything lacks a home.", 3),
    entry(4, 4, "some", "I changed my mind: spam has no home!", 4),  # the same argument as #1
    entry(5, 5, "none", "Existing fora cope.", 5),
]
VOTES = [
    votes(1, government=(3, 0, 0), civil_society=(3, 0, 0), academia=(2, 0, 0), private_sector=(1, 0, 0)),
    votes(2, government=(1, 0, 0), civil_society=(1, 0, 0), academia=(1, 0, 0)),
    votes(3, government=(3, 0, 0), civil_society=(0, 3, 0), academia=(0, 2, 1)),
    votes(5, government=(0, 1, 0)),  # one group only: neither common ground nor a divide
]


def digest(source_votes=VOTES, history=HISTORY, as_of: float = 10):
    source = DigestSource(histories={"gaps": history}, votes={"gaps": source_votes})
    return build_digest(settings(), source, "weekly", at(as_of))


def test_a_digest_ranks_common_ground_and_divides_from_the_reactions_it_was_given():
    [gaps] = digest().themes
    assert [item.argument.number for item in gaps.common_ground] == [1, 2, 3]  # top three
    first = gaps.common_ground[0]
    assert (first.argument.text, first.argument.stance) == ("Spam has no home.", "some")
    assert [group.group for group in first.consensus.reacted] == [
        "government",
        "private-sector",
        "civil-society",
        "academia",
    ]
    # #3: government 4/5 against civil society 1/5; then #1, where agreement differs least (0.8 against 0.75).
    assert [item.argument.number for item in gaps.divides] == [3, 1]
    assert (gaps.divides[0].divide.high.group, gaps.divides[0].divide.low.group) == ("government", "civil-society")


def test_a_statement_no_longer_current_at_the_moment_is_in_neither_section():
    history = [*HISTORY, HistoryEntry(1, at(6), None, None)]  # #1's author withdraws
    [gaps] = digest(history=history).themes
    assert 1 not in [item.argument.number for item in gaps.common_ground]
    [earlier] = digest(history=history, as_of=5.5).themes  # a digest rebuilt for before the withdrawal
    assert earlier.common_ground[0].argument.number == 1


def test_representative_rationales_go_by_agreement_and_near_identical_texts_are_quoted_once():
    [gaps] = digest().themes
    some = next(stance for stance in gaps.quotes if stance.key == "some")
    # #1 (highest agreement across groups) before #2; #4 says what #1 says: quoted once.
    assert [(quote.number, quote.text) for quote in some.quotes] == [
        (1, "Spam has no home."),
        (2, "Consumer protection is missing online."),
    ]
    assert some.more == 1
    # With no reactions at all, the newest come first.
    [quiet] = digest(source_votes=[]).themes
    some = next(stance for stance in quiet.quotes if stance.key == "some")
    assert [quote.number for quote in some.quotes] == [4, 2]


def test_every_renderer_shows_both_sections():
    made = digest()
    discord_text = "\n".join(
        f"{field.name}\n{field.value}" for part in digest_parts(made) for embed in part.embeds for field in embed.fields
    )
    markdown, page, data = digest_markdown(made), digest_html(made), json.loads(digest_json(made))
    for text in (discord_text, markdown, page):
        assert "Common ground" in text and "Where groups divide" in text
        assert "Government 3 of 3 agree" in text and "Civil society 0 of 3 agree" in text
    assert "**#1** Spam has no home. (Gaps in specific policy areas) · score " in discord_text
    assert "— #1 · Undeclared" in discord_text  # quotes name their statement
    [gaps] = data["themes"]
    assert [item["number"] for item in gaps["common_ground"]] == [1, 2, 3]
    assert gaps["divides"][0]["high"] == {
        "group": "government",
        "label": "Government",
        "agrees": 3,
        "disagrees": 0,
        "passes": 0,
        "agreement": 0.8,
    }
    some = next(stance for stance in gaps["quotes"] if stance["key"] == "some")
    assert [quote["number"] for quote in some["quotes"]] == [1, 2]


def test_the_json_fields_of_both_sections_are_documented():
    data = json.loads(digest_json(digest()))
    [gaps] = data["themes"]
    documented = (ROOT / "docs" / "digests.md").read_text(encoding="utf-8").split("### JSON", 1)[1]
    objects = [gaps["common_ground"][0], gaps["common_ground"][0]["groups"][0], gaps["divides"][0]]
    assert {key for item in objects for key in item if f"`{key}`" not in documented} == set()


@pytest.mark.parametrize("attribution", ["chatham-house", "named"])
def test_the_sections_read_the_same_whatever_the_attribution(attribution):
    source = DigestSource(histories={"gaps": HISTORY}, votes={"gaps": VOTES})
    forum = Settings.load(None, themes=DEFAULT_THEMES[1:2], privacy={"attribution": attribution, "min_group": 1})
    made = build_digest(forum, source, "weekly", at(10))
    assert [item.argument.number for item in made.themes[0].common_ground] == [1, 2, 3]
