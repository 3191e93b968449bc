"""The discussion script: who weighs the statements with `/<slug> discuss`, when, and how they react.

Pure and seeded, like the positions and polls scripts. The statements are the rationales the
positions script has participants write, numbered as the bot numbers them: in the order they are
first recorded, across themes. A reader reads a theme until discuss says none is left, so what they
react to (every current statement on it by someone else that they have not weighed yet) does not
depend on the order the bot draws statements in. How they react is a rule of their camp and
stakeholder group, the statement's stance and its author's group, with now and then a second
thought drawn from the seed. The reactions, and the common ground they make, can therefore be
predicted (`standing`) and checked against the bot's `/<slug> bridges` and its digests.

Who reads: on every theme, three readers from three stakeholder groups before the live session;
on one theme (the "featured" one) two readers from a group of the reform camp and two from a group
of the keep camp instead, so the groups divide, plus one from a third group; after the session a
reader from a fourth group joins there, so an argument bridges four groups. After the session
every earlier reader comes back for the statements that are new to them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from bot.core.consensus import (
    Argument,
    CommonGround,
    GroupSplit,
    Reaction,
    StatementVotes,
    Votes,
    bridges,
)
from bot.core.privacy import shown_groups, visible_bridges
from bot.forum import STAKEHOLDERS, UNDECLARED
from rehearsal.roster import Camp, Participant
from rehearsal.script import PREFERRED, THEMES, UNDECIDED, Move, moment_between, waking
from rehearsal.timeline import Calendar

READERS = 3  # per theme before the live session, one per stakeholder group
BEFORE_FROM, BEFORE_TO = timedelta(days=4), timedelta(hours=30)  # before the session: ends before its digest
AFTER_FROM, AFTER_TO = timedelta(hours=1), timedelta(hours=20)  # after it: ends before the after-session digest
#: Sessions start half a minute past the minute: never at the same moment as a position, a poll or a digest
#: (all on whole minutes), so what is current when a reader opens discuss is never a matter of step order.
OFFSET = timedelta(seconds=30)
SECOND_THOUGHTS = 0.1  # share of reactions where the reader is more doubtful or more generous than their rule
BRIDGING_GROUPS = 4  # the featured theme has an argument that this many groups agree with
FEATURED_MIN_GROUP = 3  # privacy.min_group's default: the featured theme's groups are at least this big
#: A reaction on second thought: doubt where they would agree, a hearing where they would disagree or pass.
SECOND_THOUGHT = {Reaction.AGREE: Reaction.PASS, Reaction.DISAGREE: Reaction.PASS, Reaction.PASS: Reaction.AGREE}


@dataclass(frozen=True, slots=True)
class ScriptStatement:
    """A rationale the positions script has someone write, as the bot will number it."""

    number: int
    theme: str
    author: Participant
    text: str
    stance: str
    since: datetime
    until: datetime | None  # when its author changed or withdrew it

    def current_before(self, moment: datetime) -> bool:
        """Current just before `moment` (at a digest's due time, which the bot posts before anything else)."""
        return self.since < moment and (self.until is None or self.until >= moment)


@dataclass(frozen=True, slots=True)
class Session:
    """One reader running `/<slug> discuss` and clicking until none is left."""

    at: datetime
    reader: Participant
    theme: str
    reactions: Mapping[int, Reaction]  # statement number -> reaction: exactly the statements discuss shows
    after_session: bool


@dataclass(frozen=True, slots=True)
class Discussion:
    statements: Mapping[int, ScriptStatement]
    sessions: tuple[Session, ...]
    featured: str  # the theme where the groups divide and an argument bridges four groups
    sides: tuple[str, str]  # the stakeholder groups the featured theme's pairs of readers come from

    @property
    def clicks(self) -> int:
        return sum(len(session.reactions) for session in self.sessions)


def script_statements(moves: Sequence[Move]) -> dict[int, ScriptStatement]:
    """Every statement the moves make, by number: each distinct (theme, author, text), numbered in the order
    first recorded; current from then until its author records something else on the theme or withdraws."""
    found: dict[tuple[str, str, str], ScriptStatement] = {}
    holding: dict[tuple[str, str], tuple[str, str, str]] = {}  # (theme, author) -> the statement their position gives
    for move in sorted(moves, key=lambda m: m.at):
        if move.kind == "profile":
            continue
        place = (move.theme, move.who.handle)
        held = holding.pop(place, None)
        key = (move.theme, move.who.handle, move.rationale or "")
        if held is not None and held != key:
            found[held] = _ended(found[held], move.at)
        if move.kind == "withdraw" or not move.rationale:
            continue
        if key in found and key != held:
            raise ValueError(f"the script makes statement {key} current twice; the plan does not model that")
        found.setdefault(
            key, ScriptStatement(len(found) + 1, move.theme, move.who, move.rationale, move.stance, move.at, None)
        )
        holding[place] = key
    return {statement.number: statement for statement in found.values()}


def _ended(statement: ScriptStatement, at: datetime) -> ScriptStatement:
    return ScriptStatement(
        statement.number, statement.theme, statement.author, statement.text, statement.stance, statement.since, at
    )


def reaction(reader: Participant, statement: ScriptStatement) -> Reaction:
    """What a reader makes of a statement, by their camp and group and its stance and author.

    Everyone agrees with their own camp's stance and with the middle ground (the "evolve" camp's
    stance) and passes on "undecided". The other side's argument is disagreed with, except that the
    middle camp, and anyone reading a colleague of their own stakeholder group, passes instead.
    """
    theme, stance = statement.theme, statement.stance
    if stance == UNDECIDED:
        return Reaction.PASS
    if stance in (PREFERRED[reader.camp][theme], PREFERRED["evolve"][theme]):
        return Reaction.AGREE
    if reader.camp == "evolve" or statement.author.stakeholder == reader.stakeholder:
        return Reaction.PASS
    return Reaction.DISAGREE


def plan_discussion(
    roster: tuple[Participant, ...], moves: Sequence[Move], calendar: Calendar, rng: Random
) -> Discussion:
    """Every discuss session and its reactions, in time order."""
    statements = script_statements(moves)
    before = (calendar.starts_at - BEFORE_FROM, calendar.starts_at - BEFORE_TO)
    after = (calendar.ends_at + AFTER_FROM, calendar.ends_at + AFTER_TO)
    profiled = {move.who.handle: move.at for move in moves if move.kind == "profile"}
    ready = [person for person in roster if profiled.get(person.handle, before[0]) < before[0]]
    featured, named = _featured(rng, moves, before[0], calendar.closes)
    nameable_ready = [person for person in ready if person.stakeholder in named]  # the groups the bot may name there
    reform_side = _group_of(rng, nameable_ready, "reform", exclude="")
    sides = (reform_side, _group_of(rng, nameable_ready, "keep", exclude=reform_side))
    first: list[tuple[str, Participant]] = []  # (theme, reader) before the session
    joining: list[tuple[str, Participant]] = []  # (theme, reader) first after it
    for theme in THEMES:
        if theme == featured:
            pairs = [*_pick(rng, ready, sides[0], "reform", 2), *_pick(rng, ready, sides[1], "keep", 2)]
            third, fourth = _groups(rng, nameable_ready, exclude=set(sides), count=2)
            first += [(theme, person) for person in [*pairs, third]]
            joining.append((theme, fourth))
        else:
            first += [(theme, person) for person in _groups(rng, ready, exclude=set(), count=READERS)]
    timed = [(_when(rng, person, before), theme, person, False) for theme, person in first]
    timed += [(_when(rng, person, after), theme, person, True) for theme, person in joining]
    timed += [(_when(rng, person, after), theme, person, True) for theme, person in first]  # they come back
    sessions = _react(sorted(timed, key=lambda item: (item[0], item[1], item[2].handle)), statements, rng)
    return Discussion(statements, tuple(sessions), featured, sides)


def _featured(rng: Random, moves: Sequence[Move], start: datetime, end: datetime) -> tuple[str, frozenset[str]]:
    """The featured theme, and its stakeholder groups the Chatham House rule lets the bot name throughout the
    discussion (checked every hour), so its divide and its four-group bridge can be shown: a theme with at
    least four such groups."""
    for theme in rng.sample(THEMES, len(THEMES)):
        named = frozenset(STAKEHOLDERS)
        moment = start
        while moment <= end:
            named &= nameable(moves, theme, moment, FEATURED_MIN_GROUP)
            moment += timedelta(hours=1)
        if len(named) >= BRIDGING_GROUPS:
            return theme, named
    raise ValueError("no theme has four stakeholder groups large enough to name for the whole discussion")


def _group_of(rng: Random, people: Sequence[Participant], camp: Camp, exclude: str) -> str:
    """A stakeholder group with at least two members of `camp`."""
    counted = Counter(person.stakeholder for person in people if person.camp == camp)
    return rng.choice(sorted(group for group, count in counted.items() if count >= 2 and group != exclude))


def _pick(rng: Random, people: Sequence[Participant], group: str, camp: Camp, count: int) -> list[Participant]:
    return rng.sample([person for person in people if person.stakeholder == group and person.camp == camp], count)


def _groups(rng: Random, people: Sequence[Participant], exclude: set[str], count: int) -> list[Participant]:
    """One member from each of `count` stakeholder groups, none of them in `exclude`."""
    groups = sorted({person.stakeholder for person in people} - exclude)
    return [rng.choice([p for p in people if p.stakeholder == group]) for group in rng.sample(groups, count)]


def _when(rng: Random, person: Participant, window: tuple[datetime, datetime]) -> datetime:
    start, end = window
    return waking(moment_between(rng, start, end), person, end) + OFFSET


def _react(
    timed: Sequence[tuple[datetime, str, Participant, bool]], statements: Mapping[int, ScriptStatement], rng: Random
) -> list[Session]:
    """Each session's reactions: every statement on its theme current then, by someone else, not yet weighed
    by the reader (a return visit with none of those is no session)."""
    weighed: dict[tuple[str, str], set[int]] = defaultdict(set)
    sessions = []
    for at, theme, reader, after_session in timed:
        seen = weighed[(theme, reader.handle)]
        shown = [
            statement
            for number, statement in sorted(statements.items())
            if statement.theme == theme
            and statement.current_before(at)
            and statement.author != reader
            and number not in seen
        ]
        if not shown:
            continue
        reactions = {s.number: _with_second_thoughts(rng, reaction(reader, s)) for s in shown}
        seen.update(reactions)
        sessions.append(Session(at, reader, theme, reactions, after_session))
    return sessions


def _with_second_thoughts(rng: Random, planned: Reaction) -> Reaction:
    return SECOND_THOUGHT[planned] if rng.random() < SECOND_THOUGHTS else planned


def nameable(moves: Sequence[Move], theme: str, moment: datetime, min_group: int) -> frozenset[str]:
    """The stakeholder groups of `theme` the Chatham House rule lets the bot name at `moment` (bot/core/privacy.py),
    from the script alone: who holds a position then, in the group their profile gives then (none: undeclared)."""
    profiled = {move.who.handle for move in moves if move.kind == "profile" and move.at <= moment}
    held: dict[str, Participant] = {}
    for move in sorted(moves, key=lambda m: m.at):
        if move.at > moment or move.theme != theme:
            continue
        if move.kind in ("position", "change"):
            held[move.who.handle] = move.who
        elif move.kind == "withdraw":
            held.pop(move.who.handle, None)
    sizes = Counter(person.stakeholder if handle in profiled else UNDECLARED for handle, person in held.items())
    return shown_groups(sizes, min_group)


def standing(
    discussion: Discussion,
    theme: str,
    moment: datetime,
    groups: Sequence[str],
    *,
    common_limit: int,
    divide_limit: int,
    shown: frozenset[str] | None = None,
) -> tuple[list[CommonGround], list[GroupSplit]]:
    """Common ground and divides on a theme just before `moment`, from the script alone (bot/core/consensus.py),
    with only the groups in `shown` named (None: every group; see `nameable`).

    Every reader has set their profile before their first session, so their group is their roster group.
    """
    arguments = {
        number: Argument(number, statement.text, statement.stance)
        for number, statement in discussion.statements.items()
        if statement.theme == theme and statement.current_before(moment)
    }
    counted: dict[int, dict[str, Counter[Reaction]]] = defaultdict(lambda: defaultdict(Counter))
    for session in discussion.sessions:
        if session.theme == theme and session.at < moment:
            for number, reacted in session.reactions.items():
                counted[number][session.reader.stakeholder][reacted] += 1
    votes = []
    for number, by_group in sorted(counted.items()):
        grouped = {group: _votes(reactions) for group, reactions in by_group.items()}
        overall = sum(grouped.values(), Votes())
        votes.append(StatementVotes(number, number, overall, grouped))
    found = bridges(arguments, votes, groups, common_limit=common_limit, divide_limit=divide_limit)
    return visible_bridges(*found, shown)


def reacted_before(discussion: Discussion, theme: str, moment: datetime) -> bool:
    """Whether anyone has reacted to a statement on the theme that is current just before `moment`."""
    return any(
        discussion.statements[number].current_before(moment)
        for session in discussion.sessions
        if session.theme == theme and session.at < moment
        for number in session.reactions
    )


def _votes(reactions: Counter[Reaction]) -> Votes:
    return Votes(reactions[Reaction.AGREE], reactions[Reaction.DISAGREE], reactions[Reaction.PASS])


def bridging(common: Sequence[CommonGround], groups: int = BRIDGING_GROUPS) -> list[CommonGround]:
    """The common ground that at least `groups` stakeholder groups reacted to, each agreeing more than not."""
    return [
        item
        for item in common
        if len(item.consensus.reacted) >= groups and all(g.agreement > 0.5 for g in item.consensus.reacted)
    ]
