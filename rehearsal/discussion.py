"""Chapter "discussion": participants weigh each other's statements with `/<slug> discuss` and its buttons.

Before and after the live session, readers run `/<slug> discuss` and click Agree, Disagree or Pass
on whatever statement the bot shows (it draws them at random, weighted by priority), until it says
none is left. The reaction to each is the script's (rehearsal/reactions.py) for that statement's
number, and the statement the bot shows under that number is checked to be the script's. The bot's
discussion service draws from the rehearsal's seed, so the whole run repeats exactly.

Every digest's "Common ground" and "Where groups divide" are checked against the script, the before
and after digests must show both, and at the close the facilitator's `/<slug> bridges` must be what
bot/core/consensus.py makes of the script's reactions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from random import Random
from typing import TYPE_CHECKING

from bot.core.consensus import CommonGround, GroupSplit, Reaction
from bot.core.digest import COMMON_GROUND, DIVIDES
from bot.core.privacy import threshold
from bot.render.discord.common import escape
from bot.render.discord.discuss import bridges_embeds, reaction_label
from bot.render.wording import group_label
from cogs.themes import ThemeCog
from cogs.themes._cog import BRIDGES_SHOWN, DIVIDES_SHOWN
from rehearsal.digests import DigestsChapter, WrittenDigest
from rehearsal.reactions import (
    Discussion,
    Session,
    bridging,
    nameable,
    plan_discussion,
    reacted_before,
    standing,
)
from rehearsal.record import quoted, short_time
from rehearsal.rehearsal import DemoError, Step
from rehearsal.roster import ROSTER, Participant
from rehearsal.script import Move
from rehearsal.tallies import embed_as_text
from rehearsal.timeline import Calendar, Section

if TYPE_CHECKING:
    import discord
    import simcord

    from rehearsal.rehearsal import Rehearsal

FOOTER = re.compile(r"^#(?P<number>\d+) · (?P<left>.+)$")
NONE_LEFT = "You have weighed every current statement"
VERBS = {Reaction.AGREE: "agree with", Reaction.DISAGREE: "disagree with", Reaction.PASS: "passed on"}


def _shape(embeds: Sequence[discord.Embed]) -> list[tuple[str | None, list[tuple[str, str]]]]:
    return [(e.title, [(f.name or "", f.value or "") for f in e.fields]) for e in embeds]


def _answer(result: simcord.InteractionResult) -> simcord.ResponseMessage:
    """The message discuss answered with (read once: each read copies it out of SimCord)."""
    if result.response is None:
        raise DemoError("discuss answered nothing")
    return result.response


def _numbers(common: Sequence[CommonGround], split: Sequence[GroupSplit]) -> tuple[list[int], list[int]]:
    return [item.argument.number for item in common], [item.argument.number for item in split]


class DiscussionChapter:
    name = "discussion"

    def __init__(
        self, moves: Callable[[], list[Move]], digests: DigestsChapter, roster: tuple[Participant, ...] = ROSTER
    ) -> None:
        self.moves = moves  # the positions script's moves (planned before this chapter's steps)
        self.digests = digests
        self.roster = roster
        self.plan = Discussion({}, (), "", ("", ""))
        self.answers: list[tuple[str, str, list[int], list[int]]] = []  # slug, bridges as text, numbers shown

    def steps(self, calendar: Calendar, rng: Random) -> list[Step]:
        self.plan = plan_discussion(self.roster, self.moves(), calendar, rng)
        steps = [Step(calendar.opens, self._seed_the_bot, "the discussion service draws from the rehearsal's seed")]
        steps += [Step(session.at, partial(self._discuss, session), "discuss") for session in self.plan.sessions]
        steps.append(Step(calendar.closes, self._bridges, "the facilitator reads every theme's common ground"))
        return steps

    async def _seed_the_bot(self, rehearsal: Rehearsal) -> None:
        """discuss draws the next statement at random; in the rehearsal it draws from the rehearsal's seed."""
        rng = Random(f"{rehearsal.seed}:{self.name}:bot")
        themes = [cog for cog in rehearsal.bot.cogs.values() if isinstance(cog, ThemeCog)]
        if not themes:
            raise DemoError("the bot has no theme cog, so no discussion service to seed")
        for cog in themes:
            cog.discussion.rng = rng  # the service the theme cogs share (cogs/__init__.py:load_cogs)

    async def _discuss(self, session: Session, rehearsal: Rehearsal) -> None:
        """Run discuss and click the script's reaction to whatever statement it shows, until none is left."""
        member = rehearsal.member(session.reader.handle)
        message = _answer(await member.slash(rehearsal.channel, f"{session.theme} discuss"))
        shown: list[int] = []
        while (number := self._shown(message, session, shown)) is not None:
            reacted = session.reactions[number]
            message = _answer(await member.click(message, label=reaction_label(reacted)))
            if not message.content.startswith(f"Recorded: you {VERBS[reacted]} #{number}."):
                raise DemoError(f"a click on {reaction_label(reacted)} for #{number} was answered {message.content!r}")
            shown.append(number)
        if sorted(shown) != sorted(session.reactions):
            raise DemoError(
                f"/{session.theme} discuss showed {session.reader.name} {sorted(shown)}; "
                f"the script expects {sorted(session.reactions)}"
            )
        counted = Counter(session.reactions.values())
        theme = rehearsal.theme(session.theme)
        again = "came back to" if session.after_session and self._returning(session) else "weighed"
        rehearsal.log(
            session.reader.name,
            f"{again} {len(shown)} statement{'s' if len(shown) != 1 else ''} on *{theme.title}* with "
            f"`/{session.theme} discuss`: {counted[Reaction.AGREE]} agree, {counted[Reaction.DISAGREE]} disagree, "
            f"{counted[Reaction.PASS]} pass",
        )

    def _returning(self, session: Session) -> bool:
        return any(
            earlier.reader == session.reader and earlier.theme == session.theme and earlier.at < session.at
            for earlier in self.plan.sessions
        )

    def _shown(self, message: simcord.ResponseMessage, session: Session, shown: list[int]) -> int | None:
        """The number of the statement a discuss message shows, checked against the script; None when none is
        left (checked to say so)."""
        if not message.embeds:
            if NONE_LEFT not in message.content or f"/{session.theme} bridges" not in message.content:
                raise DemoError(f"discuss should say none is left and point to bridges; it said {message.content!r}")
            return None
        embed = message.embeds[0]
        found = FOOTER.match(embed.footer.text or "") if embed.footer else None
        if found is None:
            raise DemoError(f"a discuss message without its statement number: {embed.footer.text!r}")
        number = int(found["number"])
        statement = self.plan.statements.get(number)
        if statement is None or number not in session.reactions or number in shown:
            raise DemoError(
                f"/{session.theme} discuss showed {session.reader.name} #{number}, which the script does not expect "
                f"there and then (expected: {sorted(set(session.reactions) - set(shown))})"
            )
        if embed.description != escape(statement.text):
            raise DemoError(f"#{number} in discuss reads {embed.description!r}; the script wrote {statement.text!r}")
        left = len(session.reactions) - len(shown) - 1
        if not found["left"].startswith(f"{left} more" if left else "the last"):
            raise DemoError(f"discuss says {found['left']!r} for #{number}; {left} more are left in the script")
        return number

    async def _bridges(self, rehearsal: Rehearsal) -> None:
        """At the close, `/<slug> bridges` on every theme, checked against the script."""
        groups = rehearsal.settings.profiles.expected_stakeholders
        for theme in rehearsal.settings.themes:
            result = await rehearsal.facilitator.slash(rehearsal.channel, f"{theme.slug} bridges")
            embeds = result.response.embeds if result.response else []
            common, split = standing(
                self.plan,
                theme.slug,
                rehearsal.now(),
                groups,
                common_limit=BRIDGES_SHOWN,
                divide_limit=DIVIDES_SHOWN,
                shown=self._nameable(rehearsal, theme.slug, rehearsal.now()),
            )
            reacted = reacted_before(self.plan, theme.slug, rehearsal.now())
            expected = bridges_embeds(theme, common, split, reacted=reacted)
            if _shape(embeds) != _shape(expected):
                numbers = _numbers(common, split)
                raise DemoError(
                    f"/{theme.slug} bridges does not match the script (common ground {numbers[0]}, divides "
                    f"{numbers[1]}); it answered: {[embed_as_text(e) for e in embeds]}"
                )
            text = "\n\n".join(embed_as_text(embed) for embed in embeds)
            self.answers.append((theme.slug, text, *_numbers(common, split)))
        rehearsal.log(
            rehearsal.facilitator_name,
            "read every theme's common ground and divides (`/<theme> bridges`); each matches the script",
        )

    async def finish(self, rehearsal: Rehearsal) -> None:
        checked = self._check_digests(rehearsal)
        section = Section("Discussion: common ground and where groups divide")
        section.body += self._intro(rehearsal, checked)
        for slug, text, common, split in self.answers:
            title = rehearsal.theme(slug).title
            listed = ", ".join(f"#{n}" for n in common) or "none"
            divided = ", ".join(f"#{n}" for n in split) or "none"
            section.body += [
                f"### /{slug} bridges — {title}",
                "",
                f"Common ground: {listed}; where groups divide: {divided}. The script's reactions give exactly "
                "these (computed with bot/core/consensus.py from the plan alone), and the bot's answer matches "
                "them line by line.",
                "",
                quoted(text),
                "",
            ]
        rehearsal.sections.append(section)
        highlight = self._highlight(rehearsal)
        rehearsal.summary.append(
            f"{len({s.reader for s in self.plan.sessions})} participants weighed others' statements with "
            f"`/<theme> discuss` ({self.plan.clicks} clicks on Agree, Disagree or Pass, before and after the session); "
            f"every digest's common ground and divides and every `/<theme> bridges` at the close match the script"
            f"{highlight}"
        )
        rehearsal.console.append(
            f"Discussion: {self.plan.clicks} reactions in {len(self.plan.sessions)} discuss sessions; "
            f"`/<theme> bridges` matches the script on every theme{highlight}"
        )

    def _highlight(self, rehearsal: Rehearsal) -> str:
        """The featured theme's bridging argument and its divide, in words."""
        groups = rehearsal.settings.profiles.expected_stakeholders
        common, split = standing(
            self.plan,
            self.plan.featured,
            rehearsal.calendar.closes,
            groups,
            common_limit=BRIDGES_SHOWN,
            divide_limit=DIVIDES_SHOWN,
            shown=self._nameable(rehearsal, self.plan.featured, rehearsal.calendar.closes),
        )
        wide, title = bridging(common), rehearsal.theme(self.plan.featured).title
        if not wide or not split:
            raise DemoError(f"on {title} the script should make an argument bridge four groups and the groups divide")
        bridge, divide = wide[0], split[0]
        return (
            f"; on {title}, #{bridge.argument.number} bridges {len(bridge.consensus.reacted)} stakeholder groups, "
            f"and #{divide.argument.number} divides {group_label(divide.divide.high.group)} and "
            f"{group_label(divide.divide.low.group)}"
        )

    def _nameable(self, rehearsal: Rehearsal, slug: str, moment: datetime) -> frozenset[str] | None:
        """The groups the bot may name on a theme at `moment` (None: all, under named attribution)."""
        privacy = rehearsal.settings.privacy
        smallest = threshold(privacy.attribution, privacy.min_group)
        return None if smallest <= 1 else nameable(self.moves(), slug, moment, smallest)

    def _check_digests(self, rehearsal: Rehearsal) -> list[WrittenDigest]:
        """Each posted digest's common ground and divides are the script's at its moment; the before and after
        digests show both sections."""
        groups = rehearsal.settings.profiles.expected_stakeholders
        for item in self.digests.written:
            moment = item.run.snapshot_at or item.run.due_at
            for theme in item.digest.themes:
                common, split = standing(
                    self.plan,
                    theme.slug,
                    moment,
                    groups,
                    common_limit=COMMON_GROUND,
                    divide_limit=DIVIDES,
                    shown=self._nameable(rehearsal, theme.slug, moment),
                )
                if _numbers(theme.common_ground, theme.divides) != _numbers(common, split) or [
                    c.consensus.reacted for c in theme.common_ground
                ] != [c.consensus.reacted for c in common]:
                    raise DemoError(
                        f"the {item.run.kind} digest of {short_time(rehearsal.calendar, moment)} shows common ground "
                        f"{_numbers(theme.common_ground, theme.divides)} on /{theme.slug}; the script gives "
                        f"{_numbers(common, split)}"
                    )
        for kind in ("before", "after"):
            found = [item for item in self.digests.written if item.run.kind == kind]
            both = found and all(
                any(t.common_ground for t in item.digest.themes) and any(t.divides for t in item.digest.themes)
                for item in found
            )
            if not both:
                raise DemoError(f"the {kind}-session digest should show common ground and where groups divide")
        return self.digests.written

    def _intro(self, rehearsal: Rehearsal, checked: list[WrittenDigest]) -> list[str]:
        calendar = rehearsal.calendar
        before = [s for s in self.plan.sessions if not s.after_session]
        after = [s for s in self.plan.sessions if s.after_session]
        counted = Counter(r for s in self.plan.sessions for r in s.reactions.values())
        sides = " and ".join(group_label(group) for group in self.plan.sides)
        featured = rehearsal.theme(self.plan.featured).title
        return [
            f"Participants weighed each other's statements with `/<theme> discuss`: {len(before)} sessions before the "
            f"live session (from {short_time(calendar, before[0].at)}) and {len(after)} after it, each clicking "
            f"Agree, Disagree or Pass on whatever statement the bot showed until it said none was left "
            f"({self.plan.clicks} clicks: {counted[Reaction.AGREE]} agree, {counted[Reaction.DISAGREE]} disagree, "
            f"{counted[Reaction.PASS]} pass). The bot draws the next statement at random, weighted by priority; here "
            "it draws from the rehearsal's seed. Each statement it showed was checked to be the script's under that "
            "number.",
            "",
            "How the script has them react: everyone agrees with their own camp's stance and with the middle ground, "
            'and passes on "undecided"; the other side\'s argument is disagreed with, except by the middle camp and '
            "by a colleague of the author's stakeholder group, who pass; one reaction in ten is a second thought "
            "(a pass instead of an agree or a disagree, an agree instead of a pass). On every theme three "
            f"participants from three stakeholder groups read before the session; on *{featured}* two from "
            f"{sides} each (camps apart) and one more read, and one from a fourth group joined after it.",
            "",
            f"All {len(checked)} digests showed the common ground and divides the script gives at their moment; the "
            "before- and after-session digests show both sections. At the close the facilitator ran `/<theme> "
            "bridges` on every theme:",
            "",
        ]
