"""The polls script: the two polls the facilitator runs, and who clicks which button when.

Pure and seeded, like the positions script: the same roster, calendar and seed always give the
same clicks, so the results the bot posts at each deadline can be predicted (`final_counts`)
and checked. One poll is an open ballot during the discussion; the other, secret, is opened
while the live session runs and closes the next morning, before the after-session digest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import Literal

from rehearsal.roster import Camp, Participant
from rehearsal.script import moment_between, waking
from rehearsal.timeline import Calendar

CAMP_ANSWER = 0.7  # share of voters who pick the answer their camp leans to
LATE_VOTERS = 2  # per poll: voters who only click after the closing-soon notice
LAST_CLICK = timedelta(minutes=5)  # nobody clicks in the last minutes before a deadline

ClickKind = Literal["vote", "change", "retract"]


@dataclass(frozen=True, slots=True)
class PollSpec:
    """One poll as the facilitator types it into `/poll create`, and how each camp tends to answer."""

    number: int  # the number the bot gives it (polls are created in this order)
    question: str
    options: tuple[str, ...]
    theme: str
    secret: bool
    opens: datetime
    hours: int
    voters: int
    changes: int
    retractions: int
    camp_answer: dict[Camp, int]

    @property
    def closes(self) -> datetime:
        return self.opens + timedelta(hours=self.hours)

    @property
    def typed_options(self) -> str:
        """The `options` argument as the facilitator types it."""
        return "; ".join(self.options)


@dataclass(frozen=True, slots=True)
class Click:
    """One button click on a poll message: a first vote, a change of vote, or a retraction."""

    at: datetime
    who: Participant
    poll: int
    kind: ClickKind
    option: int | None = None  # None for a retraction
    previous: int | None = None


def poll_specs(calendar: Calendar) -> tuple[PollSpec, PollSpec]:
    """An open poll of a week during the discussion, and a secret one of a day from the live session on."""
    return (
        PollSpec(
            number=1,
            question="Should the IGF host enhanced cooperation?",
            options=("Yes", "No", "Not yet"),
            theme="igf",
            secret=False,
            opens=calendar.starts_at - timedelta(days=9),
            hours=7 * 24,
            voters=26,
            changes=2,
            retractions=1,
            camp_answer={"keep": 0, "reform": 1, "evolve": 2},
        ),
        PollSpec(
            number=2,
            question="Should the WSIS+10 review consider a new intergovernmental body for enhanced cooperation?",
            options=("Yes", "No", "Only after an analysis"),
            theme="newbody",
            secret=True,
            opens=calendar.starts_at + timedelta(minutes=15),
            hours=24,
            voters=22,
            changes=2,
            retractions=0,
            camp_answer={"reform": 0, "keep": 1, "evolve": 2},
        ),
    )


def _answer(rng: Random, spec: PollSpec, camp: Camp) -> int:
    leaning = spec.camp_answer[camp]
    if rng.random() < CAMP_ANSWER:
        return leaning
    return rng.choice([option for option in range(len(spec.options)) if option != leaning])


def plan_clicks(spec: PollSpec, roster: tuple[Participant, ...], closing_soon: timedelta, rng: Random) -> list[Click]:
    """Every click on one poll, in time order: first votes, a few changes of mind and retractions.

    All but LATE_VOTERS vote before the closing-soon notice; those few vote between the notice
    and the deadline, which is what the notice is for.
    """
    voters = rng.sample(roster, spec.voters)
    notice = spec.closes - closing_soon
    early_end = notice - timedelta(minutes=15)
    clicks: list[Click] = []
    for index, person in enumerate(voters):
        if index < spec.voters - LATE_VOTERS:
            at = waking(moment_between(rng, spec.opens + timedelta(minutes=10), early_end), person, early_end)
        else:
            at = moment_between(rng, notice + timedelta(minutes=5), spec.closes - LAST_CLICK)
        clicks.append(Click(at, person, spec.number, "vote", _answer(rng, spec, person.camp)))
    early = [click for click in clicks if click.at < early_end - timedelta(hours=2)]
    movers = rng.sample(early, spec.changes + spec.retractions)
    for number, first in enumerate(movers):
        at = waking(moment_between(rng, first.at + timedelta(hours=1), early_end), first.who, early_end)
        if number < spec.changes:
            option = rng.choice([o for o in range(len(spec.options)) if o != first.option])
            clicks.append(Click(at, first.who, spec.number, "change", option, previous=first.option))
        else:
            clicks.append(Click(at, first.who, spec.number, "retract", previous=first.option))
    return sorted(clicks, key=lambda click: (click.at, click.who.handle))


def plan_polls(
    roster: tuple[Participant, ...], calendar: Calendar, closing_soon: timedelta, rng: Random
) -> tuple[tuple[PollSpec, ...], list[Click]]:
    """Both polls and all their clicks, in time order."""
    specs = poll_specs(calendar)
    clicks = [click for spec in specs for click in plan_clicks(spec, roster, closing_soon, rng)]
    return specs, sorted(clicks, key=lambda click: click.at)


def ballots_at(clicks: list[Click], poll: int, moment: datetime | None = None) -> dict[str, int]:
    """Replay one poll's clicks up to `moment` (all of them by default): voter handle -> chosen answer."""
    held: dict[str, int] = {}
    for click in sorted(clicks, key=lambda c: c.at):
        if click.poll != poll or (moment is not None and click.at > moment):
            continue
        if click.kind == "retract":
            held.pop(click.who.handle, None)
        elif click.option is not None:
            held[click.who.handle] = click.option
    return held


def final_counts(clicks: list[Click], spec: PollSpec) -> list[int]:
    """Votes per answer (in the order typed) once every click of the poll has been made."""
    counted = Counter(ballots_at(clicks, spec.number).values())
    return [counted[option] for option in range(len(spec.options))]
