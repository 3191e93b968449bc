"""A digest as Discord messages: embeds packed into as many messages as the limits require.

Every list that could outgrow a limit ends with "and N more" instead of being cut silently;
quotes are excerpts marked with an ellipsis (the full text is in `/<slug> positions` and the
offline report). The first message carries the chart.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import discord

from bot.core.digest import Digest, ThemeDigest
from bot.core.history import Shift
from bot.core.polls import ClosedPoll
from bot.core.schedule import Occurrence, RunState, RunStatus
from bot.core.tally import GroupTally
from bot.render.limits import (
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    EMBED_TOTAL,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    clip,
    join_within,
)
from bot.render.wording import (
    author,
    delivery_advice,
    digest_heading,
    digest_name,
    group_label,
    missing_groups,
    shift_heading,
)
from bot.times import format_duration

COLOUR = discord.Colour.from_rgb(0, 51, 153)
CHART_FILE = "digest.png"
QUOTE_CLIP = 280
SHIFT_LABEL_CLIP = 60
MAX_POLLS = 10
EMBED_BUDGET = EMBED_TOTAL - 100  # headroom for the "(continued)" title of a split embed


@dataclass(slots=True)
class DigestPart:
    """One message: its embeds and files (name, PNG bytes); a fresh discord.File is made per attempt."""

    embeds: list[discord.Embed]
    files: list[tuple[str, bytes]] = field(default_factory=list)

    def discord_files(self) -> list[discord.File]:
        return [discord.File(io.BytesIO(data), filename=name) for name, data in self.files]


@dataclass(slots=True)
class Section:
    title: str
    description: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""


def stamp(moment: datetime, style: str = "f") -> str:
    return discord.utils.format_dt(moment, style)


def signed(change: int | None) -> str:
    """The change since the previous digest: " · +3", " · -1", " · ±0", or nothing when there was none."""
    if change is None:
        return ""
    return f" · {change:+d}" if change else " · ±0"


def digest_parts(digest: Digest, chart_png: bytes | None = None) -> list[DigestPart]:
    """The whole digest as messages, each within every Discord limit."""
    sections = [header_section(digest), *(s for theme in digest.themes for s in theme_sections(theme, digest))]
    if digest.polls:
        sections.append(polls_section(digest.polls))
    embeds = [embed for section in sections for embed in pack_section(section)]
    if chart_png is not None:
        embeds[0].set_image(url=f"attachment://{CHART_FILE}")
    parts = [DigestPart(group) for group in pack_messages(embeds)]
    if chart_png is not None:
        parts[0].files.append((CHART_FILE, chart_png))
    return parts


def header_section(digest: Digest) -> Section:
    when = f"As of {stamp(digest.as_of)}"
    when += f" · changes since the previous digest ({stamp(digest.previous_at)})" if digest.previous_at else ""
    lines = [when, ""]
    for theme in digest.themes:
        lines.append(f"**{escape(theme.title)}**: {theme.participants} participants{signed(theme.participants_change)}")
    if digest.polls:
        lines += ["", f"Polls closed since the previous digest: {len(digest.polls)} (below)."]
    attribution = (
        "Rationales are shown with names."
        if digest.attribution == "named"
        else "Chatham House rule: rationales are shown without names."
    )
    return Section(digest_heading(digest), join_within(lines, EMBED_DESCRIPTION), footer=attribution)


def theme_sections(theme: ThemeDigest, digest: Digest) -> list[Section]:
    lines = [f"*{escape(clip(theme.question, 300))}*", ""]
    if theme.participants == 0 and not any(item.change for item in theme.stances):
        return [Section(theme.title, "\n".join([*lines, f"No positions yet on this theme: /{theme.slug} position"]))]
    lines += [
        f"{escape(item.label)}: **{item.count}** ({item.percent}%){signed(item.change)}" for item in theme.stances
    ]
    lines += ["", f"**Participants: {theme.participants}**{signed(theme.participants_change)}"]
    section = Section(theme.title, join_within(lines, EMBED_DESCRIPTION))
    if theme.participants:
        section.fields.append(("By stakeholder group", breakdown(theme.by_stakeholder)))
        section.fields.append(("By region", breakdown(theme.by_region)))
    missing = missing_lines(theme)
    if missing:
        section.fields.append(("No positions yet from", join_within(missing, FIELD_VALUE)))
    if theme.shift is not None and digest.shift_from is not None and (theme.shift.rows or theme.shift.unchanged):
        name = f"{shift_heading(digest.shift_basis)} ({stamp(digest.shift_from, 'd')})"
        section.fields.append((clip(name, FIELD_NAME), join_within(shift_lines(theme.shift, theme), FIELD_VALUE)))
    for stance in theme.quotes:
        budget = max(80, min(QUOTE_CLIP, (FIELD_VALUE - 120) // max(1, len(stance.quotes)) - 40))
        quotes = [
            f"> {escape(clip(one_line(q.text), budget))}\n— {escape(author(q.author, digest.attribution))}"
            for q in stance.quotes
        ]
        if stance.more:
            quotes.append(f"… and {stance.more} more: /{theme.slug} positions")
        section.fields.append((clip(f"Rationales — {stance.label}", FIELD_NAME), join_within(quotes, FIELD_VALUE)))
    return [section]


def breakdown(groups: Sequence[GroupTally]) -> str:
    lines = []
    for group in groups:
        counts = ", ".join(f"{item.key} {item.count}" for item in group.counts if item.count)
        lines.append(f"{escape(group_label(group.group))} ({group.total}): {counts}")
    return join_within(lines, FIELD_VALUE)


def missing_lines(theme: ThemeDigest) -> list[str]:
    lines = []
    if theme.missing_stakeholders:
        lines.append("Stakeholder groups: " + missing_groups(theme.missing_stakeholders))
    if theme.missing_regions:
        lines.append("Regions: " + missing_groups(theme.missing_regions))
    return [clip(line, FIELD_VALUE) for line in lines]


def shift_lines(shift: Shift, theme: ThemeDigest) -> list[str]:
    """One line per move, by stance label (the headline of the after-session digest: say it in words)."""

    def name(key: str | None, empty: str) -> str:
        return empty if key is None else escape(clip(theme.stance_labels.get(key, key), SHIFT_LABEL_CLIP))

    lines = [f"{name(r.from_stance, 'joined')} → {name(r.to_stance, 'withdrew')}: {r.count}" for r in shift.rows]
    if not lines:
        lines.append("Nobody changed position.")
    lines.append(f"Unchanged: {shift.unchanged}")
    return lines


def polls_section(polls: Sequence[ClosedPoll]) -> Section:
    section = Section("Polls closed since the previous digest")
    for poll in polls[:MAX_POLLS]:
        lines = [f"{escape(option.label)}: {option.count} ({option.percent}%)" for option in poll.options]
        lines.append(f"Voters: {poll.voters}" + (" · secret ballot" if poll.secret else ""))
        name = clip(f"Poll #{poll.number}: {poll.question}", FIELD_NAME)
        section.fields.append((name, join_within(lines, FIELD_VALUE)))
    if len(polls) > MAX_POLLS:
        section.description = f"… and {len(polls) - MAX_POLLS} more: see /poll results"
    return section


def escape(text: str) -> str:
    return discord.utils.escape_markdown(text)


def one_line(text: str) -> str:
    """A rationale's lines joined, so the whole excerpt stays inside its "> " quote."""
    return " ".join(text.split())


def pack_section(section: Section) -> list[discord.Embed]:
    """One embed, or several titled "(continued)" when the fields exceed one embed's limits."""
    embeds = [_new_embed(section.title, section.description)]
    for name, value in section.fields:
        name, value = clip(name or "\u200b", FIELD_NAME), clip(value or "\u200b", FIELD_VALUE)
        current = embeds[-1]
        if len(current.fields) >= FIELDS or len(current) + len(name) + len(value) > EMBED_BUDGET:
            current = _new_embed(f"{section.title} (continued)", "")
            embeds.append(current)
        current.add_field(name=name, value=value, inline=False)
    if section.footer:
        embeds[-1].set_footer(text=section.footer)
    return embeds


def _new_embed(title: str, description: str) -> discord.Embed:
    return discord.Embed(title=clip(title, EMBED_TITLE), description=description or None, colour=COLOUR)


def pack_messages(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Greedy: as many embeds per message as fit in 10 embeds and 6000 characters in total."""
    messages: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        if not messages or len(messages[-1]) >= EMBEDS_PER_MESSAGE or size + len(embed) > EMBED_TOTAL:
            messages.append([])
            size = 0
        messages[-1].append(embed)
        size += len(embed)
    return messages


def schedule_embed(
    channel_id: int | None,
    upcoming: Sequence[Occurrence],
    runs: Sequence[RunState],
    grace: timedelta,
) -> discord.Embed:
    """What `/digest schedule` shows: where digests go, what comes next, and anything missed or failing."""
    embed = discord.Embed(title="Digest schedule", colour=COLOUR)
    if channel_id is None:
        embed.description = (
            "**No digest channel is set, so no digests will be posted in this server.** "
            "An organiser can choose one with `/digest channel`."
        )
    else:
        embed.description = f"Digests are posted in <#{channel_id}>."
    next_lines = [f"{digest_name(o.kind)} — {stamp(o.due_at, 'F')} ({stamp(o.due_at, 'R')})" for o in upcoming]
    embed.add_field(name="Next", value=join_within(next_lines or ["Nothing scheduled."], FIELD_VALUE), inline=False)
    problems = problem_lines(runs, grace)
    if problems:
        embed.add_field(name="Missed or failed", value=join_within(problems, FIELD_VALUE), inline=False)
    posted = [r for r in runs if r.status == RunStatus.POSTED and r.posted_at is not None][-3:]
    if posted:
        lines = [f"{digest_name(r.kind)} — {stamp(r.posted_at, 'f')}" for r in reversed(posted) if r.posted_at]
        embed.add_field(name="Recently posted", value=join_within(lines, FIELD_VALUE), inline=False)
    embed.set_footer(text=f"A digest not posted within {format_duration(grace)} of its time is recorded as missed.")
    return embed


def problem_lines(runs: Sequence[RunState], grace: timedelta) -> list[str]:
    """Failing digests first (with what to do), then the most recent missed ones."""
    lines = []
    for run in runs:
        if run.status != RunStatus.PENDING or not run.attempts:
            continue
        advice = delivery_advice(run.error_kind)
        where = f" in <#{run.channel_id}>" if run.channel_id else ""
        retry = f"; next try {stamp(run.next_attempt_at, 'R')}" if run.next_attempt_at else ""
        sent = f" ({run.parts_sent} of {run.parts_total} messages sent)" if run.parts_sent else ""
        lines.append(
            f"⚠️ {digest_name(run.kind)} due {stamp(run.due_at, 'f')}: could not post{where}{sent} — {advice} "
            f"(`{clip(run.last_error or '', 80)}`, {run.attempts} attempt{'s' if run.attempts != 1 else ''}){retry}"
        )
    missed = [run for run in runs if run.status == RunStatus.MISSED][-5:]
    for run in reversed(missed):
        reason = f"last error: {clip(run.last_error, 80)}" if run.last_error else "the bot was not running in time"
        cut = f"; only {run.parts_sent} of its {run.parts_total} messages went out" if run.parts_sent else ""
        lines.append(
            f"✖ {digest_name(run.kind)} due {stamp(run.due_at, 'f')}: missed, not posted more than "
            f"{format_duration(grace)} late ({reason}{cut})"
        )
    return lines
