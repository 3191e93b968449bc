"""The positions script: who sets a profile, takes, changes and withdraws which position, and when.

Pure and seeded: the same roster, calendar and seed always give the same moves, so the rehearsal's
record is reproducible and its final tallies can be predicted (`final_positions`) and checked
against what the bot counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import Literal

from rehearsal.roster import Camp, Participant
from rehearsal.timeline import Calendar
from rehearsal.voices import CHANGE_PREFIXES, RATIONALES, fits, text_of

#: The stance each camp is drawn to on each theme; "evolve" is also everyone's middle ground.
PREFERRED: dict[Camp, dict[str, str]] = {
    "reform": {
        "existing": "lacking",
        "gaps": "widespread",
        "structures": "none-fit",
        "igf": "separate",
        "newbody": "new-un-body",
    },
    "evolve": {
        "existing": "develop",
        "gaps": "some",
        "structures": "improve",
        "igf": "contributor",
        "newbody": "analyse-first",
    },
    "keep": {"existing": "sufficient", "gaps": "none", "structures": "as-is", "igf": "home", "newbody": "status-quo"},
}
THEMES = tuple(RATIONALES)
UNDECIDED = "undecided"

LATE_PROFILES = 5  # participants who take a position before saying who they are
SESSION_CHANGES = 7  # minds changed while the panel speaks
LATER_CHANGES = 3  # minds changed after the session, reading others' rationales
WITHDRAWALS = 2
NO_RATIONALE = 0.15  # share of positions taken without a rationale
VIA_MODAL = 0.3  # share of positions whose rationale is written in the modal form
WAKES_AT = 7  # nobody acts between midnight and 07:00 in their own timezone

Kind = Literal["profile", "position", "change", "withdraw"]


@dataclass(frozen=True, slots=True)
class Move:
    """One participant action on the forum's calendar."""

    at: datetime
    who: Participant
    kind: Kind
    theme: str = ""
    stance: str = ""
    rationale: str | None = None
    via_modal: bool = False
    previous: str = ""  # the stance a change moves away from


def moment_between(rng: Random, start: datetime, end: datetime) -> datetime:
    """A random whole minute in [start, end)."""
    minutes = max(1, int((end - start).total_seconds() // 60))
    return start + timedelta(minutes=rng.randrange(minutes))


def waking(moment: datetime, person: Participant, end: datetime) -> datetime:
    """Moved out of the small hours of the participant's own timezone, unless that would pass `end`."""
    if moment.astimezone(person.zone).hour >= WAKES_AT:
        return moment
    later = moment + timedelta(hours=WAKES_AT)
    return later if later < end else moment


def choose_stance(rng: Random, camp: Camp, theme: str) -> str:
    """Mostly the camp's stance, sometimes the middle ground, now and then undecided."""
    draw = rng.random()
    if draw < 0.65:
        return PREFERRED[camp][theme]
    if draw < 0.87:
        if camp != "evolve":
            return PREFERRED["evolve"][theme]
        return PREFERRED[rng.choice(("reform", "keep"))][theme]
    return UNDECIDED


def changed_stance(rng: Random, camp: Camp, theme: str, current: str) -> str:
    """Where a mind moves: from undecided to the camp's view, otherwise towards or off the middle ground."""
    middle = PREFERRED["evolve"][theme]
    if current == UNDECIDED:
        return PREFERRED[camp][theme]
    if current != middle:
        return middle
    return PREFERRED[rng.choice(("reform", "keep"))][theme] if camp == "evolve" else PREFERRED[camp][theme]


class _Voices:
    """Hands out rationales, least used first, so forty people do not all say the same thing."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: Counter[tuple[str, str, str]] = Counter()

    def rationale(self, theme: str, stance: str, person: Participant) -> str:
        texts = [text_of(item) for item in RATIONALES[theme][stance] if fits(item, person.stakeholder)]
        fewest = min(self.used[(theme, stance, text)] for text in texts)
        text = self.rng.choice([t for t in texts if self.used[(theme, stance, t)] == fewest])
        self.used[(theme, stance, text)] += 1
        return text


def plan_positions(roster: tuple[Participant, ...], calendar: Calendar, rng: Random) -> list[Move]:
    """Every participant's moves, sorted by time."""
    voices = _Voices(rng)
    moves: list[Move] = []
    late = set(rng.sample(range(len(roster)), LATE_PROFILES))
    settle_by = calendar.starts_at - timedelta(hours=6)
    join_by = calendar.opens + (settle_by - calendar.opens) * 0.6
    for index, person in enumerate(roster):
        joined = waking(moment_between(rng, calendar.opens, join_by), person, join_by)
        count = rng.choices((5, 4, 3, 2), weights=(35, 30, 25, 10))[0]
        themes = sorted(rng.sample(THEMES, count), key=THEMES.index)
        times = sorted(
            waking(moment_between(rng, joined + timedelta(minutes=5), settle_by), person, settle_by) for _ in themes
        )
        profile_at = joined if index not in late else times[0] + timedelta(days=rng.randint(1, 3))
        moves.append(Move(min(waking(profile_at, person, settle_by), settle_by), person, "profile"))
        for theme, at in zip(themes, times, strict=True):
            stance = choose_stance(rng, person.camp, theme)
            text = None if rng.random() < NO_RATIONALE else voices.rationale(theme, stance, person)
            moves.append(Move(at, person, "position", theme, stance, text, via_modal=rng.random() < VIA_MODAL))
    moves.sort(key=lambda move: move.at)
    moves += _changes(moves, calendar, rng, voices)
    moves.sort(key=lambda move: move.at)
    return moves


def _changes(moves: list[Move], calendar: Calendar, rng: Random, voices: _Voices) -> list[Move]:
    held = sorted(final_positions(moves).items())
    pairs = [(theme, handle) for theme, by_handle in held for handle in sorted(by_handle)]
    current_stances = dict(held)
    picked = rng.sample(pairs, SESSION_CHANGES + LATER_CHANGES + WITHDRAWALS)
    people = {move.who.handle: move.who for move in moves}
    added: list[Move] = []
    after_session = calendar.ends_at + timedelta(hours=1)
    for number, (theme, handle) in enumerate(picked):
        person = people[handle]
        current = current_stances[theme][handle]
        if number < SESSION_CHANGES + LATER_CHANGES:
            window = (
                (calendar.starts_at + timedelta(minutes=20), calendar.ends_at)
                if number < SESSION_CHANGES
                else (after_session, calendar.closes - timedelta(hours=6))
            )
            stance = changed_stance(rng, person.camp, theme, current)
            prefixes = CHANGE_PREFIXES["session" if number < SESSION_CHANGES else "later"]
            text = f"{rng.choice(prefixes)} {voices.rationale(theme, stance, person)}"
            at = waking(moment_between(rng, *window), person, window[1])
            added.append(Move(at, person, "change", theme, stance, text, rng.random() < 0.5, previous=current))
        else:
            end = calendar.closes - timedelta(hours=6)
            at = waking(moment_between(rng, after_session, end), person, end)
            added.append(Move(at, person, "withdraw", theme, previous=current))
    return added


def final_positions(moves: list[Move]) -> dict[str, dict[str, str]]:
    """Replay the moves in order: theme -> participant handle -> stance held at the end."""
    held: dict[str, dict[str, str]] = {theme: {} for theme in THEMES}
    for move in sorted(moves, key=lambda m: m.at):
        if move.kind in ("position", "change"):
            held[move.theme][move.who.handle] = move.stance
        elif move.kind == "withdraw":
            held[move.theme].pop(move.who.handle, None)
    return held
