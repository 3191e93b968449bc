"""Chapter "polls": the facilitator runs two polls (one secret); participants vote with the real buttons.

Polls are created with the real `/poll create`, every vote, change and retraction is a click on
the poll message's buttons, and nothing closes them but the bot's own scheduled work (`bot.tick()`
at each deadline, after a closing-soon notice). At the end the results the bot posted are checked
against the votes the script cast, and for the secret poll the SQLite file itself is inspected.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from random import Random
from typing import TYPE_CHECKING, Any

from bot.i18n import language
from bot.render.charts import poll_chart_png
from bot.render.discord.polls import retract_label
from bot.settings import PollSettings
from rehearsal.ballots import Click, PollSpec, ballots_at, final_counts, plan_polls
from rehearsal.digests import CHARTS_DIR
from rehearsal.record import quoted, short_time
from rehearsal.rehearsal import DemoError, Step, expect
from rehearsal.roster import ROSTER, Participant
from rehearsal.tallies import embed_as_text, stance_counts
from rehearsal.timeline import Calendar, Section

if TYPE_CHECKING:
    import discord

    from bot.core.polls import PollInfo
    from rehearsal.rehearsal import Rehearsal


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What the bot did with one poll, as checked at the end."""

    spec: PollSpec
    results_text: str  # the results the bot posted in reply to the poll, as plain text
    counts: list[int]  # votes per answer, read from that reply
    voters: int
    notice_at: str  # when the closing-soon notice was posted (local time, for the record)
    closed_at: str
    chart: str  # the chart's path relative to the output folder


def db_rows(rehearsal: Rehearsal, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Read the SQLite file directly, beside the bot's own connection, to see what is really stored."""
    connection = sqlite3.connect(rehearsal.settings.database.path)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


class PollsChapter:
    name = "polls"

    def __init__(self, roster: tuple[Participant, ...] = ROSTER, closing_soon: timedelta | None = None) -> None:
        self.roster = roster
        self.closing_soon = closing_soon or PollSettings().closing_soon  # when late voters can see the notice
        self.specs: tuple[PollSpec, ...] = ()
        self.clicks: list[Click] = []
        self.messages: dict[int, discord.Message] = {}
        self.outcomes: list[PollOutcome] = []

    def steps(self, calendar: Calendar, rng: Random) -> list[Step]:
        self.specs, self.clicks = plan_polls(self.roster, calendar, self.closing_soon, rng)
        steps = [Step(spec.opens, partial(self._create, spec), f"poll #{spec.number} opens") for spec in self.specs]
        steps += [Step(spec.opens + (spec.closes - spec.opens) / 2, partial(self._peek, spec)) for spec in self.specs]
        steps += [Step(click.at, partial(self._click, click), click.kind) for click in self.clicks]
        return steps

    def spec(self, number: int) -> PollSpec:
        return next(spec for spec in self.specs if spec.number == number)

    async def _poll(self, rehearsal: Rehearsal, number: int) -> PollInfo:
        poll = await rehearsal.bot.store.get_poll(rehearsal.guild.id, number)
        if poll is None:
            raise DemoError(f"the bot has no poll #{number}")
        return poll

    async def _create(self, spec: PollSpec, rehearsal: Rehearsal) -> None:
        result = await rehearsal.facilitator.slash(
            rehearsal.channel,
            "poll create",
            question=spec.question,
            options=spec.typed_options,
            hours=spec.hours,
            theme=spec.theme,
            secret=spec.secret,
        )
        expect(result, f"Poll #{spec.number} is open until")
        poll = await self._poll(rehearsal, spec.number)
        self.messages[spec.number] = rehearsal.message(rehearsal.channel, poll.message_id)
        ballot = "secret ballot" if spec.secret else "open ballot"
        length = f"{spec.hours // 24} days" if spec.hours % 24 == 0 and spec.hours > 24 else f"{spec.hours} hours"
        rehearsal.log(
            rehearsal.facilitator_name,
            f"opened poll #{spec.number} with `/poll create` ({ballot}, {length}, results hidden until it closes): "
            f"*{spec.question}* — {' / '.join(spec.options)}",
        )

    async def _click(self, click: Click, rehearsal: Rehearsal) -> None:
        spec = self.spec(click.poll)
        member = rehearsal.member(click.who.handle)
        message = self.messages[click.poll]
        where = f"poll #{click.poll}"
        if click.kind == "retract":
            with language(rehearsal.settings.forum.language):  # the poll's buttons speak the forum's language
                retract = retract_label()
            expect(await member.click(message, label=retract), "is retracted")
            text = f"retracted their vote on {where}"
            if not spec.secret and click.previous is not None:
                text += f" (it was: {spec.options[click.previous]})"
            rehearsal.log(click.who.name, text)
            return
        assert click.option is not None
        label = spec.options[click.option]
        needles = ["is recorded:" if click.kind == "vote" else "is changed to", f"**{label}**"]
        if spec.secret:
            needles.append("Secret ballot: stored without your Discord id")
        expect(await member.click(message, label=label), *needles)
        if spec.secret:
            text = f"{'voted' if click.kind == 'vote' else 'changed their vote'} on {where} (secret ballot)"
        elif click.kind == "vote":
            text = f"voted **{label}** on {where}"
        else:
            text = f"changed their vote on {where}: {spec.options[click.previous or 0]} → **{label}**"
        rehearsal.log(click.who.name, text)

    async def _peek(self, spec: PollSpec, rehearsal: Rehearsal) -> None:
        """Halfway through: results are hidden, even from the facilitator; a secret poll stores no Discord id."""
        voted = len(ballots_at(self.clicks, spec.number, rehearsal.now()))
        result = await rehearsal.facilitator.slash(rehearsal.channel, "poll results", poll=spec.number)
        expect(result, "hidden until it closes", f"{voted} people have voted")
        rehearsal.log(
            rehearsal.facilitator_name,
            f"asked for poll #{spec.number}'s results (`/poll results`): hidden until it closes; {voted} people "
            "have voted so far",
        )
        if not spec.secret:
            return
        poll = await self._poll(rehearsal, spec.number)
        ballots = db_rows(rehearsal, "SELECT count(*) FROM poll_ballots WHERE poll_id = ?", poll.id)[0][0]
        with_ids = db_rows(rehearsal, "SELECT count(*) FROM poll_votes WHERE poll_id = ?", poll.id)[0][0]
        if ballots != voted or with_ids:
            raise DemoError(f"secret poll #{spec.number}: {ballots} keyed ballots and {with_ids} votes with ids")
        rehearsal.log(
            "Rehearsal check",
            f"{rehearsal.settings.database.path.name} holds {ballots} ballots for poll #{spec.number}, each under a "
            "keyed hash, and no Discord id",
        )

    async def finish(self, rehearsal: Rehearsal) -> None:
        for spec in self.specs:
            self.outcomes.append(await self._check(spec, rehearsal))
        section = Section("Polls")
        clicks = len(self.clicks)
        people = len({click.who.handle for click in self.clicks})  # distinct people, whichever polls they voted in
        per_poll = ", ".join(
            f"{len({c.who.handle for c in self.clicks if c.poll == spec.number})} on poll #{spec.number}"
            for spec in self.specs
        )
        section.body += [
            f"The facilitator ran {len(self.specs)} polls with `/poll create`. Participants voted by clicking the "
            f"poll's buttons ({clicks} clicks by {people} people: {per_poll}; changes of mind and a retraction "
            "included). The "
            "bot posted a closing-soon notice before each deadline and closed each poll by itself at its deadline "
            "(its scheduled work, `bot.tick()`); the results below are the ones it posted in reply to the poll, "
            "checked against the votes the script cast.",
            "",
        ]
        for outcome in self.outcomes:
            section.body += self._describe(outcome, rehearsal)
        rehearsal.sections.append(section)
        secret = sum(spec.secret for spec in self.specs)
        rehearsal.summary.append(
            f"{len(self.specs)} polls ({secret} with a secret ballot), voted on with {clicks} button clicks; each "
            "closed by itself at its deadline after a closing-soon notice, and the results the bot posted match the "
            "votes cast"
        )
        for outcome in self.outcomes:
            counts = ", ".join(
                f"{label} {count}" for label, count in zip(outcome.spec.options, outcome.counts, strict=True)
            )
            rehearsal.console.append(
                f"Poll #{outcome.spec.number}: {outcome.spec.question} — {counts} ({outcome.voters} voters)"
            )

    def _describe(self, outcome: PollOutcome, rehearsal: Rehearsal) -> list[str]:
        spec = outcome.spec
        ballot = "secret ballot" if spec.secret else "open ballot"
        cast = [click for click in self.clicks if click.poll == spec.number]
        changes = sum(click.kind == "change" for click in cast)
        retracted = sum(click.kind == "retract" for click in cast)
        lines = [
            f"### Poll #{spec.number}: {spec.question} ({ballot}, theme /{spec.theme})",
            "",
            f"- Opened {short_time(rehearsal.calendar, spec.opens)}; closing-soon notice {outcome.notice_at}; "
            f"closed by itself {outcome.closed_at} (Baku time)",
            f"- {len({c.who.handle for c in cast})} participants clicked {len(cast)} times: {changes} changed their "
            f"vote{f', {retracted} retracted it' if retracted else ''}; the bot counted {outcome.voters} voters, "
            "as the script expects",
            f"- Chart: [{outcome.chart}]({outcome.chart})",
        ]
        if spec.secret:
            lines.append(
                f"- After close, `{rehearsal.settings.database.path.name}` holds no ballot, no keyed hash and no nonce "
                f"for poll #{spec.number}, only the counts per answer and stakeholder group (checked in the file)"
            )
        return [*lines, "", "What the bot posted at the deadline:", "", quoted(outcome.results_text), ""]

    async def _check(self, spec: PollSpec, rehearsal: Rehearsal) -> PollOutcome:
        """The poll closed at its deadline after one notice, and its posted results are the script's votes."""
        calendar, channel = rehearsal.calendar, rehearsal.channel
        poll = await self._poll(rehearsal, spec.number)
        lead = rehearsal.settings.polls.closing_soon
        if poll.closed_at != spec.closes or not poll.soon_message_id or not poll.results_message_id:
            raise DemoError(f"poll #{spec.number} did not close by itself at its deadline after a closing-soon notice")
        notice = rehearsal.message(channel, poll.soon_message_id)
        if abs(rehearsal.forum_time(notice) - (spec.closes - lead)).total_seconds() > 60:
            raise DemoError(f"poll #{spec.number}: the closing-soon notice came at {rehearsal.forum_time(notice)}")
        reply = rehearsal.message(channel, poll.results_message_id)
        if reply.reference is None or reply.reference.message_id != poll.message_id or not reply.embeds:
            raise DemoError(f"poll #{spec.number}: the results were not posted in reply to the poll")
        counted = stance_counts(reply.embeds[0].description or "")
        counts = [counted.get(label, 0) for label in spec.options]
        expected = final_counts(self.clicks, spec)
        if counts != expected:
            raise DemoError(f"poll #{spec.number}: the bot posted {counts}; the votes cast give {expected}")
        shown = rehearsal.message(channel, poll.message_id)
        if any(not child.disabled for row in shown.components for child in getattr(row, "children", [])):
            raise DemoError(f"poll #{spec.number}: buttons still enabled after close")
        if spec.secret:
            left = db_rows(
                rehearsal,
                "SELECT (SELECT count(*) FROM poll_ballots WHERE poll_id = ?), "
                "(SELECT count(*) FROM poll_votes WHERE poll_id = ?), "
                "(SELECT coalesce(salt, ballot_nonce, ballot_check) FROM polls WHERE id = ?)",
                poll.id,
                poll.id,
                poll.id,
            )
            if left != [(0, 0, None)]:
                raise DemoError(f"secret poll #{spec.number} left ballots or its key material in the database: {left}")
        closed_polls = await rehearsal.bot.store.closed_polls(rehearsal.guild.id, None, rehearsal.now())
        closed = next(item for item in closed_polls if item.number == spec.number)
        chart = f"{CHARTS_DIR}/poll-{spec.number}.png"
        (rehearsal.out_dir / CHARTS_DIR).mkdir(exist_ok=True)
        (rehearsal.out_dir / chart).write_bytes(poll_chart_png(closed, closed.question))
        rehearsal.files.append(rehearsal.out_dir / chart)
        return PollOutcome(
            spec,
            f"{reply.content}\n\n{embed_as_text(reply.embeds[0])}",
            counts,
            closed.voters,
            short_time(calendar, rehearsal.forum_time(notice)),
            short_time(calendar, poll.closed_at),
            chart,
        )
