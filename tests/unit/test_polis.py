"""The Pol.is export's rows (bot.core.polis) on a scripted source, against hand-computed expectations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.consensus import Reaction
from bot.core.models import Profile
from bot.core.polis import (
    HIDDEN,
    SHOWN,
    CommentRow,
    ParticipantRow,
    PolisReaction,
    PolisSource,
    PolisStatement,
    Summary,
    VoteRow,
    participant_ids,
    polis_export,
)
from bot.forum import FORUM_CONTEXT
from bot.settings import Settings

T0 = datetime(2026, 1, 1, tzinfo=UTC)
STANCES = [{"key": "yes", "label": "In favour"}, {"key": "no", "label": "Against"}]
THEMES = [
    {"slug": "alpha", "title": "Alpha", "question": "Alpha?", "context": "About alpha.", "stances": STANCES},
    {"slug": "beta", "title": "Beta", "question": "Beta?", "stances": STANCES},
    {"slug": "gamma", "title": "Gamma", "question": "Gamma?", "stances": STANCES},
]
# Not the default order, and without private-sector: group ids follow this order, 0-based.
EXPECTED = ["civil-society", "government", "academia"]
# User ids deliberately out of order of appearance.
ABE, BAO, CAI, DEV, ELI, FOX = 500, 100, 300, 700, 900, 800


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


FIRST_SEEN = {
    FOX: at(0),  # a position without a rationale on another theme: an id, but in no conversation here
    ABE: at(1),
    CAI: at(2),
    BAO: at(2),  # the same moment as CAI: the smaller user id first
    DEV: at(3),
    ELI: at(5),
}
IDS = {FOX: 0, ABE: 1, BAO: 2, CAI: 3, DEV: 4, ELI: 5}

STATEMENTS = [
    PolisStatement(1, "alpha", ABE, "First.", at(1)),  # no longer current: ABE wrote #4 since
    PolisStatement(2, "alpha", BAO, "Second.", at(2)),
    PolisStatement(3, "beta", CAI, "Beta one.", at(2)),
    PolisStatement(4, "alpha", ABE, "First, better.", at(4)),
]


def react(number: int, user: int, reaction: Reaction, hours: int, theme: str = "alpha") -> PolisReaction:
    return PolisReaction(number, theme, user, reaction, at(hours))


REACTIONS = [
    react(1, BAO, Reaction.AGREE, 3),
    react(1, CAI, Reaction.DISAGREE, 3),
    react(1, DEV, Reaction.PASS, 3),
    react(2, ABE, Reaction.AGREE, 3),
    react(2, DEV, Reaction.DISAGREE, 4),
    react(3, ELI, Reaction.DISAGREE, 5, "beta"),
    react(3, ABE, Reaction.PASS, 6, "beta"),
    react(4, CAI, Reaction.AGREE, 5),
]
PROFILES = {
    ABE: Profile(ABE, "civil-society", None),  # group 0
    BAO: Profile(BAO, "government", "weog"),  # group 1
    CAI: Profile(CAI, "private-sector", None),  # not an expected group: none
    ELI: Profile(ELI, "academia", None),  # group 2
}  # DEV has no profile: none


def settings() -> Settings:
    return Settings.load(None, themes=THEMES, profiles={"expected_stakeholders": EXPECTED}, privacy={"min_group": 1})


def export(statements=STATEMENTS):
    return polis_export(settings(), PolisSource(statements, REACTIONS, FIRST_SEEN, PROFILES))


def test_ids_are_0_based_by_first_appearance_ties_by_user_id():
    assert participant_ids(FIRST_SEEN) == IDS


def test_an_id_never_changes_when_someone_appears_later():
    later = {**FIRST_SEEN, 1: at(9)}
    assert participant_ids(later) == {**IDS, 1: 6}


def test_comments_are_every_statement_of_the_theme_with_its_current_reactions():
    alpha, _, _ = export()
    assert alpha.slug == "alpha" and alpha.comment_ids == (1, 2, 4)
    assert alpha.comments == (
        CommentRow(at(1), 1, author_id=1, agrees=1, disagrees=1, moderated=SHOWN, body="First."),
        CommentRow(at(2), 2, author_id=2, agrees=1, disagrees=1, moderated=SHOWN, body="Second."),
        CommentRow(at(4), 4, author_id=1, agrees=1, disagrees=0, moderated=SHOWN, body="First, better."),
    )


def test_votes_carry_the_export_signs_by_comment_then_voter():
    alpha, beta, _ = export()
    assert alpha.votes == (
        VoteRow(at(3), 1, 2, 1),
        VoteRow(at(3), 1, 3, -1),
        VoteRow(at(3), 1, 4, 0),
        VoteRow(at(3), 2, 1, 1),
        VoteRow(at(4), 2, 4, -1),
        VoteRow(at(5), 4, 3, 1),
    )
    assert beta.votes == (VoteRow(at(6), 3, 1, 0), VoteRow(at(5), 3, 5, -1))


def test_participants_are_authors_and_voters_with_their_group_counts_and_cells():
    alpha, beta, _ = export()
    assert alpha.participants == (
        ParticipantRow(1, 0, n_comments=2, n_votes=1, n_agree=1, n_disagree=0, votes=(None, 1, None)),
        ParticipantRow(2, 1, n_comments=1, n_votes=1, n_agree=1, n_disagree=0, votes=(1, None, None)),
        ParticipantRow(3, None, n_comments=0, n_votes=2, n_agree=1, n_disagree=1, votes=(-1, None, 1)),
        ParticipantRow(4, None, n_comments=0, n_votes=2, n_agree=0, n_disagree=1, votes=(0, -1, None)),
    )
    assert beta.participants == (
        ParticipantRow(1, 0, n_comments=0, n_votes=1, n_agree=0, n_disagree=0, votes=(0,)),
        ParticipantRow(3, None, n_comments=1, n_votes=0, n_agree=0, n_disagree=0, votes=(None,)),
        ParticipantRow(5, 2, n_comments=0, n_votes=1, n_agree=0, n_disagree=1, votes=(-1,)),
    )


def test_summary_counts_voters_those_in_a_group_commenters_comments_and_groups():
    alpha, beta, _ = export()
    # alpha: voters 2, 3, 4, 1; in a group: 1 (civil society) and 2 (government); groups 0 and 1.
    assert alpha.summary == Summary("Alpha?", "", 4, 2, 2, 3, 2, "About alpha.")
    # beta: voters 1 and 5, both in a group; participants' groups 0 and 2 (3 has none); no context: the forum's.
    assert beta.summary == Summary("Beta?", "", 2, 2, 1, 1, 2, FORUM_CONTEXT)


def test_a_theme_with_nothing_yet_is_an_empty_conversation():
    _, _, gamma = export()
    assert (gamma.comment_ids, gamma.comments, gamma.votes, gamma.participants) == ((), (), (), ())
    assert gamma.summary == Summary("Gamma?", "", 0, 0, 0, 0, 0, FORUM_CONTEXT)


def test_a_hidden_statement_is_moderated_minus_one_and_not_counted_as_a_comment():
    hidden = [*STATEMENTS[:3], PolisStatement(4, "alpha", ABE, "First, better.", at(4), hidden=True)]
    alpha, _, _ = export(hidden)
    assert [row.moderated for row in alpha.comments] == [SHOWN, SHOWN, HIDDEN] == [1, 1, -1]
    assert alpha.summary.comments == 2
