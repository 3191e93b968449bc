"""What cogs, services and tools may ask of the store, by domain, without knowing it is SQLite.

Every method is a coroutine. Unless a docstring says otherwise:
- a write is atomic and durable once it returns (a failure leaves nothing of it behind);
- a read sees only committed data, never another coroutine's transaction half-way, and a read
  made of several statements sees one consistent moment;
- `guild_id` scopes the call: nothing of another server is read or changed;
- `now` and other times are timezone-aware; returned times are UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.ballot_keys import BallotKeys, BallotSeed
from bot.core.consensus import Reacted, Reaction, StatementVotes
from bot.core.digest import DigestRequest, DigestSource, PostedDigest
from bot.core.member_data import Erased, MemberData
from bot.core.models import HistoryEntry, Position, PositionChange, Profile, Statement
from bot.core.moderation import LogEntry, ModerationAction, ModerationOutcome, QueuedStatement, Reported
from bot.core.polis import PolisSource
from bot.core.polls import MIN_GROUP_VOTERS, Aggregate, Click, ClosedPoll, PollInfo, VoteOutcome
from bot.core.schedule import DeliveryError, DigestKind, RunState

Voter = int | bytes  # a Discord user id (open ballot) or a keyed hash (secret ballot)


@dataclass(frozen=True, slots=True)
class PositionKey:
    """Where a position stands in the browser's order (newest first, ties by user id): the last row of a page,
    from which `list_positions(after=...)` reads the next page."""

    updated_at: datetime
    user_id: int

    @classmethod
    def of(cls, position: Position) -> PositionKey:
        return cls(position.updated_at, position.user_id)


@dataclass(frozen=True, slots=True)
class DigestChannel:
    guild_id: int
    channel_id: int
    configured_at: datetime


class ProfileStore(Protocol):
    async def set_profile(
        self, guild_id: int, user_id: int, stakeholder: str, region: str | None, now: datetime
    ) -> None:
        """Replace the participant's profile and append the change to the profile history, atomically."""
        ...

    async def get_profile(self, guild_id: int, user_id: int) -> Profile | None:
        """The participant's current profile; None when they never declared one."""
        ...

    async def guild_profiles(self, guild_id: int, as_of: datetime) -> dict[int, Profile]:
        """Each participant's profile as it stood at `as_of` (the latest change at or before it), by user id."""
        ...

    async def set_member_language(self, guild_id: int, user_id: int, language: str, now: datetime) -> None:
        """Keep the language the member chose for their replies in this server (with or without a profile)."""
        ...

    async def member_language(self, guild_id: int, user_id: int) -> str | None:
        """The language the member chose in this server; None when they chose none."""
        ...


class PositionStore(Protocol):
    async def get_position(self, guild_id: int, theme: str, user_id: int) -> Position | None:
        """The participant's current position on the theme with their current profile; None when they hold none."""
        ...

    async def positions_of(self, guild_id: int, user_id: int) -> dict[str, Position]:
        """One participant's current positions in this server, by theme slug."""
        ...

    async def record_position(
        self,
        guild_id: int,
        theme: str,
        user_id: int,
        display_name: str,
        stance: str,
        rationale: str | None,
        now: datetime,
    ) -> PositionChange:
        """Record or replace the participant's position and append the change to the history, atomically, as
        one operation (concurrent ones share one commit; it returns once committed). The same stance and
        rationale again change nothing. Raises `WriteFailed` when the database refused this write alone.

        The rationale is the author's statement on the theme: the same text keeps its statement (number and
        reactions); another text is a new statement and the earlier one stops being current."""
        ...

    async def has_positions_history(self, guild_id: int, user_id: int) -> bool:
        """Whether the participant ever recorded a position in this server, on any theme."""
        ...

    async def withdraw_position(self, guild_id: int, theme: str, user_id: int, now: datetime) -> bool:
        """Remove the current position and append the withdrawal to the history; False (and no change) when
        there was none."""
        ...

    async def list_positions(
        self,
        guild_id: int,
        theme: str,
        stance: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        after: PositionKey | None = None,
    ) -> list[Position]:
        """Current positions on a theme (with that stance, when given), newest first (ties by user id), each
        with its author's current profile; `limit` reads one page only, from the `offset`-th position or from
        the one after `after` (keyset: the same page as the offset of the row after it, at any depth)."""
        ...

    async def count_participants(self, guild_id: int, theme: str, stance: str | None = None) -> int:
        """How many hold a position on the theme (with that stance, when given)."""
        ...

    async def stance_counts(self, guild_id: int, theme: str) -> dict[tuple[str, str | None], int]:
        """How many hold each stance, keyed by (stance, current stakeholder group; None without a profile)."""
        ...

    async def theme_history(self, guild_id: int, theme: str, until: datetime | None = None) -> list[HistoryEntry]:
        """Every change on the theme in the order it was recorded, only those at or before `until` when given."""
        ...

    async def display_names(self, guild_id: int) -> dict[int, str]:
        """Each participant's most recent display name, by user id (for named attribution only)."""
        ...


class StatementStore(Protocol):
    """Statements (every distinct rationale, numbered per server) and members' reactions to them."""

    async def statement(self, guild_id: int, statement_id: int) -> Statement | None:
        """One statement of this server, current or not, with its author's current group and name."""
        ...

    async def discussion_candidates(self, guild_id: int, theme: str, user_id: int) -> list[StatementVotes]:
        """The current statements on a theme this member may still react to (not their own, not one they
        reacted to), each with everyone's reaction counts, lowest number first."""
        ...

    async def react(self, guild_id: int, statement_id: int, user_id: int, reaction: Reaction, now: datetime) -> Reacted:
        """Record the member's reaction to a current statement of this server, replacing their earlier one
        (one reaction per member per statement; every change is kept with its time)."""
        ...

    async def reaction_of(self, statement_id: int, user_id: int) -> Reaction | None:
        """The member's current reaction to a statement, if any."""
        ...

    async def theme_votes(self, guild_id: int, theme: str) -> list[StatementVotes]:
        """Every current statement on the theme with reactions, counted overall and by each reacting
        member's current stakeholder group (members without a profile count overall only)."""
        ...

    async def current_statements(self, guild_id: int, statement_ids: Sequence[int]) -> dict[int, Statement]:
        """These statements of this server that are current, by id."""
        ...

    async def polis_source(self, guild_id: int, themes: Sequence[str], until: datetime) -> PolisSource:
        """What the Pol.is export of these themes as of `until` is built from, read as one snapshot: every
        statement written by then (current or not), each member's latest reaction by then, when each person
        first appeared in the server (at any time, so export ids never change) and the profiles as of then."""
        ...


class ModerationStore(Protocol):
    """Members' reports of statements and facilitators' hide, restore and keep, with their log."""

    async def report_statement(
        self, guild_id: int, statement_id: int, reporter_id: int, reason: str | None, now: datetime
    ) -> Reported:
        """Record the member's report of a statement shown today in this server (once per member per
        statement); a reported statement is not offered to its reporter again."""
        ...

    async def has_reported(self, guild_id: int, statement_id: int, reporter_id: int) -> bool:
        """Whether the member already reported this statement."""
        ...

    async def report_queue(self, guild_id: int, limit: int) -> list[QueuedStatement]:
        """Visible statements with reports no facilitator has answered yet, most reports first (ties by number)."""
        ...

    async def moderate(
        self, guild_id: int, number: int, action: ModerationAction, moderator_id: int, reason: str | None, now: datetime
    ) -> ModerationOutcome:
        """Hide, restore or keep the server's statement with this number and append the action to the log,
        atomically. A hidden statement leaves every reader from `now` (reads as of an earlier moment still
        show it); hide and keep answer its open reports; reactions are kept, so a restore brings them back."""
        ...

    async def record_author_told(self, action_id: int, told: bool) -> None:
        """Record whether the author of a hidden statement was told by DM (False: their DMs were closed)."""
        ...

    async def moderation_log(self, guild_id: int, limit: int) -> list[LogEntry]:
        """The server's most recent moderation actions, newest first."""
        ...


class PollStore(Protocol):
    async def create_poll(
        self,
        *,
        guild_id: int,
        channel_id: int,
        created_by: int,
        question: str,
        options: Sequence[str],
        theme: str | None,
        secret: bool,
        hide_results: bool,
        max_choices: int,
        now: datetime,
        closes_at: datetime,
        ballot_seed: BallotSeed | None,
        language: str | None = None,
    ) -> PollInfo:
        """Store a new poll under the server's next number (1, 2, 3..., never reused while later ones exist);
        `language` is its public messages' (None: the forum's); the ballot seed (nonce and check) is kept for
        a secret poll only. Its message is recorded later with
        `set_poll_message`."""
        ...

    async def set_poll_message(self, poll_id: int, message_id: int) -> None:
        """Remember the message that shows the poll."""
        ...

    async def discard_poll(self, poll: PollInfo) -> None:
        """Forget a poll whose message could not be posted, with its options and votes; its number is handed
        out again if it was the server's last one."""
        ...

    async def get_poll(self, guild_id: int, number: int) -> PollInfo | None:
        """The server's poll with that number, or None."""
        ...

    async def get_poll_by_id(self, poll_id: int) -> PollInfo | None:
        """The poll with that id in any server, or None."""
        ...

    async def open_polls(self, guild_id: int, now: datetime) -> list[PollInfo]:
        """This server's polls still taking votes at `now`, soonest closing first (a poll past its deadline
        awaits sealing, not votes, and is not listed)."""
        ...

    async def recently_closed_polls(self, guild_id: int, limit: int) -> list[PollInfo]:
        """This server's `limit` most recently closed polls, latest closed first."""
        ...

    async def polls_with_due_work(self) -> list[PollInfo]:
        """Every server's open polls, and closed polls whose closing is not fully delivered yet."""
        ...

    async def poll_counts(self, poll: PollInfo) -> Aggregate:
        """The poll's counts as the database holds them at the moment of reading: the sealed counts once it is
        closed, the live ballots while it is open (even when `poll` was read before a seal that has
        committed since)."""
        ...

    async def count_voters(self, poll: PollInfo) -> int:
        """How many have voted (the total of `poll_counts`)."""
        ...

    async def poll_ballot_seed(self, poll_id: int) -> BallotSeed | None:
        """What a secret poll's voter keys are derived from while it is open (with the server secret, or its
        salt for a poll created before ballot keys); None once closed, or for an open ballot."""
        ...

    async def open_ballot_seeds(self) -> dict[int, BallotSeed]:
        """Every server's open secret polls' seeds, by poll id (to check the server secret at start-up)."""
        ...

    async def vote(
        self, guild_id: int, poll_id: int, user_id: int, choice: int | None, now: datetime, keys: BallotKeys
    ) -> VoteOutcome:
        """One click on a poll (`choice` None: retract), as one operation: the poll read, whether it still takes
        votes decided, the member's ballot found (for a secret poll by the key `keys` derive, the id never
        written), the click rule applied and the ballot written. Concurrent clicks share one commit; this
        returns once it is committed. Raises `WriteFailed` when the database refused this vote alone."""
        ...

    async def cast_vote(
        self, guild_id: int, poll_id: int, voter: Voter, position: int, stakeholder: str | None, now: datetime
    ) -> Click | None:
        """Apply one click atomically (read the voter's choices, decide by the core's click rule, write);
        None when the poll no longer takes votes. A vote either lands before the seal or is refused.
        Raises ValueError for an option the poll lacks or the wrong kind of voter (a hash for a secret poll,
        a user id for an open one)."""
        ...

    async def voter_choices(self, poll_id: int, voter: Voter) -> frozenset[int]:
        """The answers a voter's ballot holds now (empty: no vote, or no ballot left to find: a secret poll's
        ballots are gone once it closes)."""
        ...

    async def retract_vote(self, guild_id: int, poll_id: int, voter: Voter, now: datetime) -> frozenset[int] | None:
        """Remove the voter's ballot atomically; returns what it held (empty: there was none), None when the
        poll no longer takes votes."""
        ...

    async def close_poll(self, poll_id: int, now: datetime, min_group: int = MIN_GROUP_VOTERS) -> bool:
        """Seal a poll once, in one transaction: ballots become counts with groups under `min_group` merged (the
        privacy rule); a secret poll's ballots and key material are erased (overwritten, then the write-ahead log
        is emptied). False when it was already closed: a re-run changes nothing."""
        ...

    async def record_close_step(
        self, poll_id: int, *, edited: bool = False, results_message_id: int | None = None
    ) -> None:
        """Record a delivered step of the closing; a step once recorded stays recorded (the first results
        message is kept)."""
        ...

    async def record_close_failure(
        self, poll_id: int, attempts: int, retry_at: datetime, error: str, kind: DeliveryError = DeliveryError.ERROR
    ) -> None:
        """Record a failed closing delivery, what kind of failure it was and when to retry it (the error clipped
        to 500 characters); the poll then shows them (`error_kind`, `last_error`, `close_retry_at`)."""
        ...

    async def record_closing_soon(self, poll_id: int, message_id: int) -> None:
        """Record that the closing-soon notice was posted."""
        ...

    async def record_closing_soon_failure(
        self, poll_id: int, attempts: int, retry_at: datetime, error: str, kind: DeliveryError = DeliveryError.ERROR
    ) -> None:
        """Record a failed closing-soon notice, its kind and when to retry it (as `record_close_failure`)."""
        ...

    async def closed_polls(self, guild_id: int, since: datetime | None, until: datetime) -> list[ClosedPoll]:
        """This server's polls closed in (since, until], oldest first, with their published results."""
        ...


class DigestStore(Protocol):
    async def set_digest_channel(self, guild_id: int, channel_id: int, user_id: int | None, now: datetime) -> None:
        """Choose where this server's digests go; the first choice's time is kept as the schedule's start."""
        ...

    async def get_digest_channel(self, guild_id: int) -> DigestChannel | None:
        """Where this server's digests go, or None when no channel was chosen."""
        ...

    async def digest_channels(self) -> list[DigestChannel]:
        """Every server that gets scheduled digests, by guild id."""
        ...

    async def digest_runs(self, guild_id: int, since: datetime | None = None) -> list[RunState]:
        """This server's digest records due at or after `since` (all when None) and every pending one,
        oldest first."""
        ...

    async def get_digest_run(self, guild_id: int, kind: DigestKind, due_at: datetime) -> RunState | None:
        """The record of one occurrence, or None."""
        ...

    async def claim_digest(
        self, guild_id: int, kind: DigestKind, due_at: datetime, snapshot_at: datetime, *, manual: bool = False
    ) -> RunState | None:
        """Create the pending record of an occurrence about to be posted; None if it already has one, so an
        occurrence is posted at most once."""
        ...

    async def start_digest_parts(self, run_id: int, channel_id: int, parts_total: int) -> None:
        """Fix the channel and the number of messages before the first one is sent."""
        ...

    async def record_digest_part(self, run_id: int, part: int, channel_id: int, message_id: int) -> None:
        """Record one sent message (0-based part) atomically with the count sent, so a retry resumes after it."""
        ...

    async def digest_messages(self, run_id: int) -> list[tuple[int, int]]:
        """The (channel id, message id) of each message of the run sent so far, in part order."""
        ...

    async def mark_digest_posted(self, run_id: int, now: datetime) -> None:
        """The run is fully posted: nothing is due for it any more."""
        ...

    async def mark_digest_failed(
        self, run_id: int, error_kind: DeliveryError, message: str, retry_at: datetime, now: datetime
    ) -> None:
        """A failed attempt: counted, explained (the message clipped to 500 characters) and due again at
        `retry_at`."""
        ...

    async def mark_digest_missed(self, guild_id: int, kind: DigestKind, due_at: datetime, now: datetime) -> None:
        """Too late to post: recorded as missed (creating the record if needed) unless already posted or missed,
        so it is never posted stale."""
        ...

    async def posted_digests(self, guild_id: int) -> list[PostedDigest]:
        """This server's posted digests in the order their content was taken."""
        ...

    async def load_digest_source(
        self, guild_id: int, themes: Sequence[str], until: datetime, request: DigestRequest
    ) -> DigestSource:
        """What a digest as of `until` is built from, counted in SQL as of its moments (each theme's facts,
        see bot/core/digest_facts.py), in one snapshot and off the event loop: only the rationales, polls and
        (under named attribution) names it shows are read."""
        ...

    async def digest_source(self, guild_id: int, themes: Sequence[str], until: datetime) -> DigestSource:
        """The whole history a digest as of `until` can be replayed from (every change, profile, name and
        reaction then; what the CSV export reads), as one snapshot, in a fixed number of queries (one per
        theme) whatever the number of participants; only the polls the digest shows (closed since the
        previous digest) are read. Digests themselves are built from `load_digest_source`."""
        ...


class CommandSyncStore(Protocol):
    async def synced_tree_hash(self, scope: str) -> str | None:
        """The hash of the command tree last synced to `scope` ("global" or "guild:<id>"), or None."""
        ...

    async def record_synced_tree(self, scope: str, tree_hash: str, now: datetime) -> None:
        """Remember that the tree with this hash was synced to `scope` at `now` (replacing the previous record)."""
        ...


class MemberDataStore(Protocol):
    """A member's data rights: what the database holds about them in one server, and its erasure."""

    async def member_data(self, guild_id: int, user_id: int) -> MemberData:
        """Everything this server's database holds about the member (nobody else's data: others' reactions
        to their statements only as counts), read in one snapshot."""
        ...

    async def erase_member(self, guild_id: int, user_id: int, keys: BallotKeys | None) -> Erased:
        """Erase the member from every table of this server in one transaction: their rows deleted (with
        every reaction to their statements), their id as a poll's creator or the digest channel's chooser
        replaced by 0, their ballots in open secret polls kept but unlinked (found with `keys`; None leaves
        them). Freed pages are overwritten and the write-ahead log emptied before it returns."""
        ...


class Store(
    ProfileStore,
    PositionStore,
    StatementStore,
    ModerationStore,
    PollStore,
    DigestStore,
    CommandSyncStore,
    MemberDataStore,
    Protocol,
):
    """The whole store, as cogs, services and tools use it; `bot.store.open_store` opens one."""

    async def close(self) -> None:
        """Release the database; the store is unusable afterwards."""
        ...

    async def schema_version(self) -> int:
        """The migration the database is at (0: none applied)."""
        ...
