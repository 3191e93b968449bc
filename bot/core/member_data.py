"""What Concord holds about one member in one server (for `/mydata export`), and what an erasure removed.

Plain records, filled by the store and laid out by the export's renderer; nobody else's data is in
them: the reactions others gave to the member's statements appear only as counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    stakeholder: str
    region: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class LanguageRecord:
    language: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PositionRecord:
    theme: str
    display_name: str
    stance: str
    rationale: str | None
    statement: int | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PositionChange:
    theme: str
    at: datetime
    stance: str | None  # None: withdrawn
    rationale: str | None
    statement: int | None


@dataclass(frozen=True, slots=True)
class StatementRecord:
    number: int
    theme: str
    text: str
    created_at: datetime
    current: bool
    agrees: int
    disagrees: int
    passes: int


@dataclass(frozen=True, slots=True)
class ReactionRecord:
    statement: int
    theme: str
    reaction: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """A statement report the member made: which statement, their reason, and whether a facilitator
    has answered it yet (`hidden` or `kept`; None while it waits)."""

    statement: int
    theme: str
    reason: str | None
    at: datetime
    outcome: str | None


@dataclass(frozen=True, slots=True)
class PollVoteRecord:
    poll: int
    question: str
    theme: str | None
    position: int
    label: str
    voted_at: datetime
    closed: bool


@dataclass(frozen=True, slots=True)
class PollCreatedRecord:
    poll: int
    question: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DigestChannelRecord:
    channel_id: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class MemberData:
    """Everything the database holds about one member of one server, read in one snapshot."""

    guild_id: int
    user_id: int
    profile: ProfileRecord | None
    profile_history: list[ProfileRecord]
    positions: list[PositionRecord]
    position_history: list[PositionChange]
    statements: list[StatementRecord]
    reactions: list[ReactionRecord]
    reaction_history: list[ReactionRecord]
    poll_votes: list[PollVoteRecord]
    polls_created: list[PollCreatedRecord]
    digest_channel: DigestChannelRecord | None
    language: LanguageRecord | None = None  # the language they chose for their replies here
    reports: list[ReportRecord] = field(default_factory=list)  # the statement reports they made


@dataclass(frozen=True, slots=True)
class Erased:
    """How many rows of each table an erasure deleted or neutralised (only tables it changed), and how
    many open secret ballots it unlinked."""

    guild_id: int
    user_id: int
    rows: dict[str, int]
    secret_ballots_unlinked: int

    @property
    def total(self) -> int:
        return sum(self.rows.values())
