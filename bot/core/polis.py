"""Each theme as a Pol.is conversation: the rows of Pol.is's export files, so tools built for Pol.is
(Talk to the City, red-dwarf, notebooks written for Pol.is's open data) read Concord's discussion as is.

A conversation in Pol.is is one question, so each theme is one conversation: its statements are the
comments, members' reactions the votes. Pure: computed from what the store read in one snapshot
(`PolisSource`); `bot/render/report/polis_files.py` only formats the rows.

- Who: one integer per person, the same in every theme and on every export (`participant_ids`):
  0, 1, 2... in order of each person's first appearance in the server (a position, a statement or a
  reaction; ties by the order of their Discord ids, which the export never shows). Pol.is numbers its
  participants from 0 too.
- Votes: each member's latest reaction to each statement, signed as Pol.is's export signs them
  (`VOTE_SIGN`: 1 agree, -1 disagree, 0 pass).
- Groups: Pol.is infers opinion groups; Concord's participants declare a stakeholder group, so a
  participant's group is the index of their group in `profiles.expected_stakeholders` (0-based), as
  their profile stood at the export's moment; none when undeclared or in a group the forum does not
  expect (such reactions count in no group for common ground either). Under the Chatham House rule
  (bot/core/privacy.py) a participant's group is given only when it may be named in every conversation
  they take part in (a group with fewer than `privacy.min_group` of them is withheld), since the
  participant ids link the conversations; none otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.consensus import Reaction
from bot.core.models import Profile
from bot.core.privacy import shown_groups, threshold
from bot.forum import FORUM_CONTEXT

if TYPE_CHECKING:
    from bot.settings import Settings, ThemeConfig

VOTE_SIGN: Mapping[Reaction, int] = {Reaction.AGREE: 1, Reaction.DISAGREE: -1, Reaction.PASS: 0}
SHOWN, HIDDEN = 1, -1  # `moderated` in comments.csv: Pol.is writes -1 for a comment a moderator rejected


@dataclass(frozen=True, slots=True)
class PolisStatement:
    """A statement as the export needs it: current or not, with its author."""

    number: int
    theme: str
    author_id: int
    text: str
    created_at: datetime
    hidden: bool = False  # hidden by moderation (never, today): written as `moderated` -1


@dataclass(frozen=True, slots=True)
class PolisReaction:
    """A member's latest reaction to a statement (as of the export's moment)."""

    number: int
    theme: str
    user_id: int
    reaction: Reaction
    at: datetime


@dataclass(frozen=True, slots=True)
class PolisSource:
    """What the export is built from, read by the store in one snapshot."""

    statements: Sequence[PolisStatement]  # every statement written by the moment, lowest number first
    reactions: Sequence[PolisReaction]  # each member's latest reaction to each statement by the moment
    first_seen: Mapping[int, datetime]  # each person's first appearance in the server, ever (by user id)
    profiles: Mapping[int, Profile]  # as they stood at the moment (by user id)


@dataclass(frozen=True, slots=True)
class CommentRow:
    at: datetime
    comment_id: int  # the statement's number
    author_id: int
    agrees: int
    disagrees: int
    moderated: int  # SHOWN or HIDDEN
    body: str


@dataclass(frozen=True, slots=True)
class VoteRow:
    at: datetime  # when the member gave this reaction
    comment_id: int
    voter_id: int
    vote: int  # 1, -1 or 0


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    participant: int
    group_id: int | None
    n_comments: int
    n_votes: int
    n_agree: int
    n_disagree: int
    votes: tuple[int | None, ...]  # one per comment id, in the conversation's comment order; None: no vote


@dataclass(frozen=True, slots=True)
class Summary:
    topic: str
    url: str
    voters: int  # who reacted
    voters_in_conv: int  # ... of whom counted in a stakeholder group (Pol.is: voters placed in a group)
    commenters: int  # who wrote a statement
    comments: int  # statements not hidden
    groups: int  # stakeholder groups among the participants
    description: str


@dataclass(frozen=True, slots=True)
class Conversation:
    """One theme's four files, as rows."""

    slug: str
    comment_ids: tuple[int, ...]  # every statement's number, in order: the comments and the columns
    comments: tuple[CommentRow, ...]
    votes: tuple[VoteRow, ...]  # by comment id, then voter id
    participants: tuple[ParticipantRow, ...]  # by participant id
    summary: Summary


def participant_ids(first_seen: Mapping[int, datetime]) -> dict[int, int]:
    """0, 1, 2... by first appearance (ties: by user id), so an id never changes once given."""
    ordered = sorted(first_seen, key=lambda user: (first_seen[user], user))
    return {user: index for index, user in enumerate(ordered)}


def group_id(profile: Profile | None, groups: Sequence[str]) -> int | None:
    """The index of the participant's stakeholder group among the expected ones, else None."""
    if profile is None or profile.stakeholder not in groups:
        return None
    return groups.index(profile.stakeholder)


def conversation(
    theme: ThemeConfig,
    source: PolisSource,
    ids: Mapping[int, int],
    groups: Sequence[str],
    withheld: frozenset[int] = frozenset(),
) -> Conversation:
    """The theme's statements and reactions as Pol.is's export rows."""
    statements = sorted((s for s in source.statements if s.theme == theme.slug), key=lambda s: s.number)
    reactions = sorted((r for r in source.reactions if r.theme == theme.slug), key=lambda r: (r.number, ids[r.user_id]))
    counts = Counter((r.number, r.reaction) for r in reactions)
    comments = tuple(
        CommentRow(
            at=s.created_at,
            comment_id=s.number,
            author_id=ids[s.author_id],
            agrees=counts[s.number, Reaction.AGREE],
            disagrees=counts[s.number, Reaction.DISAGREE],
            moderated=HIDDEN if s.hidden else SHOWN,
            body=s.text,
        )
        for s in statements
    )
    votes = tuple(VoteRow(r.at, r.number, ids[r.user_id], VOTE_SIGN[r.reaction]) for r in reactions)
    comment_ids = tuple(s.number for s in statements)
    written = Counter(ids[s.author_id] for s in statements)
    participants = _participants(source, theme.slug, ids, groups, comment_ids, written, votes, withheld)
    voters = {vote.voter_id for vote in votes}
    summary = Summary(
        topic=theme.question,
        url="",
        voters=len(voters),
        voters_in_conv=sum(1 for row in participants if row.participant in voters and row.group_id is not None),
        commenters=len(written),
        comments=sum(1 for s in statements if not s.hidden),
        groups=len({row.group_id for row in participants if row.group_id is not None}),
        description=theme.context or FORUM_CONTEXT,
    )
    return Conversation(theme.slug, comment_ids, comments, votes, participants, summary)


def _participants(
    source: PolisSource,
    theme: str,
    ids: Mapping[int, int],
    groups: Sequence[str],
    comment_ids: tuple[int, ...],
    written: Mapping[int, int],
    votes: Sequence[VoteRow],
    withheld: frozenset[int] = frozenset(),
) -> tuple[ParticipantRow, ...]:
    """Everyone who wrote a statement or reacted on the theme, by participant id (the groups of `withheld`
    users not given)."""
    users = _theme_users(source, theme)
    cast: dict[int, dict[int, int]] = {}
    for vote in votes:
        cast.setdefault(vote.voter_id, {})[vote.comment_id] = vote.vote
    rows = []
    for user in sorted(users, key=ids.__getitem__):
        participant = ids[user]
        theirs = cast.get(participant, {})
        signs = list(theirs.values())
        rows.append(
            ParticipantRow(
                participant=participant,
                group_id=None if user in withheld else group_id(source.profiles.get(user), groups),
                n_comments=written.get(participant, 0),
                n_votes=len(signs),
                n_agree=signs.count(VOTE_SIGN[Reaction.AGREE]),
                n_disagree=signs.count(VOTE_SIGN[Reaction.DISAGREE]),
                votes=tuple(theirs.get(number) for number in comment_ids),
            )
        )
    return tuple(rows)


def polis_export(settings: Settings, source: PolisSource) -> list[Conversation]:
    """One conversation per configured theme, in the configured order (a theme with nothing yet too)."""
    ids = participant_ids(source.first_seen)
    groups = settings.profiles.expected_stakeholders
    withheld = _withheld(settings, source, groups)
    return [conversation(theme, source, ids, groups, withheld) for theme in settings.themes]


def _theme_users(source: PolisSource, theme: str) -> set[int]:
    users = {s.author_id for s in source.statements if s.theme == theme}
    return users | {r.user_id for r in source.reactions if r.theme == theme}


def _withheld(settings: Settings, source: PolisSource, groups: Sequence[str]) -> frozenset[int]:
    """The users whose group is too small to name in some conversation they take part in (Chatham House)."""
    smallest = threshold(settings.privacy.attribution, settings.privacy.min_group)
    if smallest <= 1:
        return frozenset()
    withheld: set[int] = set()
    for theme in settings.themes:
        members = {user: group_id(source.profiles.get(user), groups) for user in _theme_users(source, theme.slug)}
        sizes = Counter(str(group) for group in members.values() if group is not None)
        shown = shown_groups(sizes, smallest)
        withheld |= {user for user, group in members.items() if group is not None and str(group) not in shown}
    return frozenset(withheld)
