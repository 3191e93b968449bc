"""Chapter "positions": participants set profiles and take, change and withdraw positions.

Every move goes through the real slash commands (and, for some, the rationale modal), and the
bot's answer is checked, so a rehearsal that completes is also an end-to-end check of profiles and positions.
"""

from __future__ import annotations

from functools import partial
from random import Random
from typing import TYPE_CHECKING

from bot.render.wording import group_label
from rehearsal.rehearsal import DemoError, Step, expect
from rehearsal.roster import ROSTER, Participant
from rehearsal.script import Move, final_positions, plan_positions
from rehearsal.timeline import Calendar

if TYPE_CHECKING:
    from rehearsal.rehearsal import Rehearsal


class PositionsChapter:
    """Profiles and positions of the whole roster, from the opening of the discussion to its close."""

    name = "positions"

    def __init__(self, roster: tuple[Participant, ...] = ROSTER) -> None:
        self.roster = roster
        self.moves: list[Move] = []

    def steps(self, calendar: Calendar, rng: Random) -> list[Step]:
        self.moves = plan_positions(self.roster, calendar, rng)
        steps = [Step(calendar.opens, self._open, "the facilitator opens the discussion")]
        steps += [Step(move.at, partial(self._perform, move), move.kind) for move in self.moves]
        return steps

    def expected(self) -> dict[str, dict[str, str]]:
        """theme -> handle -> stance the script leaves each participant holding."""
        return final_positions(self.moves)

    async def finish(self, rehearsal: Rehearsal) -> None:
        counts = {kind: sum(move.kind == kind for move in self.moves) for kind in ("position", "change", "withdraw")}
        commands = [move for move in self.moves if move.kind in ("position", "change")]  # withdrawals: no form
        modal = sum(move.via_modal or move.rationale is None for move in commands)
        rehearsal.summary.extend(
            [
                f"{len(self.roster)} participants set their profile and took {counts['position']} positions "
                f"({modal} of the {len(commands)} position commands, changes of mind included, went through the "
                "rationale form)",
                f"{counts['change']} changes of mind, {counts['withdraw']} withdrawals",
            ]
        )

    async def _open(self, rehearsal: Rehearsal) -> None:
        for theme in rehearsal.settings.themes:
            result = await rehearsal.facilitator.slash(rehearsal.channel, f"{theme.slug} about")
            expect(result, theme.question[:40])
        rehearsal.log(rehearsal.facilitator_name, "opened the discussion: `/<theme> about` for each of the five themes")

    async def _perform(self, move: Move, rehearsal: Rehearsal) -> None:
        member = rehearsal.member(move.who.handle)
        channel = rehearsal.channel
        who = move.who.name
        if move.kind == "profile":
            result = await member.slash(
                channel, "profile set", stakeholder=move.who.stakeholder, region=move.who.region
            )
            expect(result, "Profile saved")
            group = f"{group_label(move.who.stakeholder)}, {group_label(move.who.region)}"
            rehearsal.log(who, f"set their profile: {group} (`/profile set`)")
            return
        theme = rehearsal.theme(move.theme)
        if move.kind == "withdraw":
            expect(await member.slash(channel, f"{move.theme} withdraw"), "withdrawn")
            rehearsal.log(who, f"withdrew their position on *{theme.title}* (it was: {theme.label(move.previous)})")
            return
        if move.via_modal or move.rationale is None:
            shown = await member.slash(channel, f"{move.theme} position", stance=move.stance)
            if shown.modal is None:
                raise DemoError(f"/{move.theme} position without a rationale should open the rationale form")
            result = await member.submit_modal(shown, {"rationale": move.rationale or ""})
            how = "rationale written in the form" if move.rationale else "no rationale"
        else:
            result = await member.slash(channel, f"{move.theme} position", stance=move.stance, rationale=move.rationale)
            how = "rationale given with the command"
        if move.kind == "change":
            expect(result, "updated", theme.label(move.stance))
            shift = f"{theme.label(move.previous)} → **{theme.label(move.stance)}**"
            rehearsal.log(who, f"changed their position on *{theme.title}*: {shift} ({how})")
        else:
            expect(result, "recorded", theme.label(move.stance))
            rehearsal.log(who, f"took a position on *{theme.title}*: **{theme.label(move.stance)}** ({how})")
