"""A digest as Markdown: the offline record (CLI report, demo) with full rationales and real tables.

User text is escaped so a rationale can neither break a table nor inject markup; times are
shown in the digest's timezone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.digest import Digest, ThemeDigest
from bot.core.models import Attribution
from bot.core.polls import ClosedPoll
from bot.core.tally import GroupTally
from bot.render.wording import author, digest_heading, group_label, missing_groups, shift_heading

JOINED, WITHDREW = "no position yet (joined)", "withdrew"
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~])")


def md(text: str) -> str:
    """Escape Markdown (and inline HTML) in user text; newlines become spaces (for table cells and headings)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def local_time(moment: datetime, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} ({zone})"


def signed(change: int | None) -> str:
    if change is None:
        return "—"
    return f"{change:+d}" if change else "±0"


def shift_label(theme: ThemeDigest, key: str | None, empty: str) -> str:
    """A stance's label (user-configured text, escape it) or, for None, `empty` (ours)."""
    return empty if key is None else theme.stance_labels.get(key, key)


def is_empty(theme: ThemeDigest) -> bool:
    """Nobody has a position now and nobody had one at the previous digest."""
    return theme.participants == 0 and not any(stance.change for stance in theme.stances)


def table(header: Sequence[str], rows: Sequence[Sequence[object]], right_from: int = 1) -> list[str]:
    align = ["---" if index < right_from else "---:" for index in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def digest_markdown(digest: Digest, chart_path: str | None = None) -> str:
    """The whole digest; `chart_path` (relative to the Markdown file) adds the chart image."""
    lines = [f"# {md(digest_heading(digest))}", ""]
    when = f"As of {local_time(digest.as_of, digest.timezone)}"
    if digest.previous_at is not None:
        when += f" · changes since the previous digest of {local_time(digest.previous_at, digest.timezone)}"
    lines += [when + ".", "", attribution_note(digest), ""]
    if chart_path:
        lines += [f"![Stance distribution per theme]({chart_path})", ""]
    summary = [(md(t.title), t.participants, signed(t.participants_change)) for t in digest.themes]
    lines += [*table(("Theme", "Participants", "Change"), summary), ""]
    for theme in digest.themes:
        lines += theme_markdown(theme, digest)
    if digest.polls:
        lines += ["## Polls closed since the previous digest", ""]
        for poll in digest.polls:
            lines += poll_markdown(poll, digest.timezone)
    return "\n".join(lines).rstrip() + "\n"


def attribution_note(digest: Digest) -> str:
    if digest.attribution == Attribution.NAMED:
        return "Rationales are shown with their authors' names."
    return "Chatham House rule: rationales are shown without names, with the author's stakeholder group."


def theme_markdown(theme: ThemeDigest, digest: Digest) -> list[str]:
    lines = [f"## {md(theme.title)}", "", f"> {md(theme.question)}", ""]
    rows = [(md(s.label), s.count, f"{s.percent}%", signed(s.change)) for s in theme.stances]
    lines += [*table(("Stance", "Count", "Share", "Change"), rows), ""]
    lines += [f"**Participants: {theme.participants}** ({signed(theme.participants_change)})", ""]
    if is_empty(theme):
        return [*lines, "No positions yet on this theme.", ""]
    if theme.participants:
        labels = [md(s.label) for s in theme.stances]
        lines += ["### By stakeholder group", "", *breakdown_table(theme.by_stakeholder, labels), ""]
        lines += ["### By region", "", *breakdown_table(theme.by_region, labels), ""]
    if theme.missing_stakeholders or theme.missing_regions:
        missing = []
        if theme.missing_stakeholders:
            missing.append("stakeholder groups: " + missing_groups(theme.missing_stakeholders))
        if theme.missing_regions:
            missing.append("regions: " + missing_groups(theme.missing_regions))
        lines += [f"**No positions yet from** {'; '.join(missing)}.", ""]
    if theme.shift is not None and digest.shift_from is not None and (theme.shift.rows or theme.shift.unchanged):
        when = local_time(digest.shift_from, digest.timezone)
        lines += [f"### {shift_heading(digest.shift_basis)} — {when}", ""]
        rows = [
            (
                JOINED if r.from_stance is None else md(shift_label(theme, r.from_stance, "")),
                WITHDREW if r.to_stance is None else md(shift_label(theme, r.to_stance, "")),
                r.count,
            )
            for r in theme.shift.rows
        ]
        if rows:
            lines += [*table(("From", "To", "Participants"), rows, right_from=2), ""]
        lines += [f"Unchanged: {theme.shift.unchanged}.", ""]
    if theme.quotes:
        lines += ["### Representative rationales", ""]
        for stance in theme.quotes:
            lines += [f"**{md(stance.label)}**", ""]
            for quote in stance.quotes:
                lines += [f"> {md(quote.text)}", f"> — {md(author(quote.author, digest.attribution))}", ""]
            if stance.more:
                lines += [f"*… and {stance.more} more.*", ""]
    return lines


def breakdown_table(groups: Sequence[GroupTally], labels: Sequence[str]) -> list[str]:
    """One row per group, one column per stance, headed by its (escaped) label."""
    rows = [(md(group_label(g.group)), g.total, *(item.count for item in g.counts)) for g in groups]
    return table(("Group", "Total", *labels), rows)


def poll_markdown(poll: ClosedPoll, zone: str) -> list[str]:
    ballot = " · secret ballot" if poll.secret else ""
    lines = [f"### Poll #{poll.number}: {md(poll.question)}", ""]
    lines += [f"Closed {local_time(poll.closed_at, zone)} · {poll.voters} voters{ballot}.", ""]
    rows = [(md(option.label), option.count, f"{option.percent}%") for option in poll.options]
    return [*lines, *table(("Option", "Votes", "Share of voters"), rows), ""]
