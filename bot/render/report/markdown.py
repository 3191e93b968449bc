"""A digest as Markdown: the offline record (CLI report, demo) with full rationales and real tables.

User text is escaped so a rationale can neither break a table nor inject markup; times are
shown in the digest's timezone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.digest import Digest, ThemeDigest
from bot.core.polls import ClosedPoll
from bot.core.tally import GroupTally
from bot.render.digest_wording import (
    as_of_line,
    attribution_note,
    breakdown_columns,
    by_region_heading,
    by_stakeholder_heading,
    chart_caption,
    common_ground_heading,
    common_ground_note,
    divides_heading,
    divides_note,
    is_empty,
    joined_label,
    missing_heading,
    missing_lines,
    more_rationales,
    no_positions_yet,
    participants_line,
    percent_label,
    poll_breakdown_columns,
    poll_breakdown_heading,
    poll_closed_line,
    poll_columns,
    poll_heading,
    polls_heading,
    quote_source,
    rationales_heading,
    shift_columns,
    shift_label,
    shift_section_heading,
    signed,
    stance_columns,
    summary_columns,
    unchanged_line,
    withdrew_label,
)
from bot.render.wording import agreement_line, author, digest_heading, group_label, score_label

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~&])")
# What can start a block where the text begins a line (after `> ` in a quote): a bullet or a
# thematic break (`-`), or a numbered list item (`1.` or `1)`).
_LEADING = re.compile(r"^(?:-|(\d+)([.)]))")


def md(text: str) -> str:
    """Escape Markdown, inline HTML and entities in user text; newlines become spaces (for table cells,
    headings and one-line quotes), and nothing it begins with starts a list or a break."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else "\\-", escaped)


def table(header: Sequence[str], rows: Sequence[Sequence[object]], right_from: int = 1) -> list[str]:
    align = ["---" if index < right_from else "---:" for index in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def digest_markdown(digest: Digest, chart_path: str | None = None) -> str:
    """The whole digest; `chart_path` (relative to the Markdown file) adds the chart image."""
    lines = [f"# {md(digest_heading(digest))}", "", as_of_line(digest), "", attribution_note(digest), ""]
    if chart_path:
        lines += [f"![{chart_caption()}]({chart_path})", ""]
    summary = [(md(t.title), t.participants, signed(t.participants_change)) for t in digest.themes]
    lines += [*table(summary_columns(), summary), ""]
    for theme in digest.themes:
        lines += theme_markdown(theme, digest)
    if digest.polls:
        lines += [f"## {polls_heading()}", ""]
        for poll in digest.polls:
            lines += poll_markdown(poll, digest.timezone)
    return "\n".join(lines).rstrip() + "\n"


def theme_markdown(theme: ThemeDigest, digest: Digest) -> list[str]:
    lines = [f"## {md(theme.title)}", "", f"> {md(theme.question)}", ""]
    rows = [(md(s.label), s.count, percent_label(s.percent), signed(s.change)) for s in theme.stances]
    lines += [*table(stance_columns(), rows), ""]
    lines += [f"**{participants_line(theme.participants)}** ({signed(theme.participants_change)})", ""]
    if is_empty(theme):
        return [*lines, no_positions_yet(), ""]
    if theme.participants:
        labels = [md(s.label) for s in theme.stances]
        lines += [f"### {by_stakeholder_heading()}", "", *breakdown_table(theme.by_stakeholder, labels), ""]
        lines += [f"### {by_region_heading()}", "", *breakdown_table(theme.by_region, labels), ""]
    missing = missing_lines(theme)
    if missing:
        lines += [f"**{missing_heading()}**", "", *(f"- {line}" for line in missing), ""]
    if theme.shift is not None and digest.shift_from is not None and (theme.shift.rows or theme.shift.unchanged):
        lines += [f"### {shift_section_heading(digest)}", ""]
        moves = [
            (
                md(shift_label(theme, r.from_stance, joined_label())),
                md(shift_label(theme, r.to_stance, withdrew_label())),
                r.count,
            )
            for r in theme.shift.rows
        ]
        if moves:
            lines += [*table(shift_columns(), moves, right_from=2), ""]
        lines += [unchanged_line(theme.shift.unchanged), ""]
    if theme.quotes:
        lines += [f"### {rationales_heading()}", ""]
        for stance in theme.quotes:
            lines += [f"**{md(stance.label)}**", ""]
            for quote in stance.quotes:
                who = quote_source(quote.number, author(quote.author, digest.attribution))
                lines += [f"> {md(quote.text)}", f"> — {md(who)}", ""]
            if stance.more:
                lines += [f"*{more_rationales(stance.more)}*", ""]
    lines += bridges_markdown(theme)
    return lines


def bridges_markdown(theme: ThemeDigest) -> list[str]:
    """Common ground and where groups divide, each statement with its groups' agreement."""
    lines: list[str] = []
    if theme.common_ground:
        lines += [f"### {common_ground_heading()}", "", md(common_ground_note()), ""]
        for item in theme.common_ground:
            label = theme.stance_labels.get(item.argument.stance, item.argument.stance)
            groups = " · ".join(agreement_line(group) for group in item.consensus.reacted)
            score = score_label(item.consensus.score)
            lines += [
                f"- **#{item.argument.number}** {md(item.argument.text)} ({md(label)}; {score})",
                f"  {md(groups)}",
            ]
        lines.append("")
    if theme.divides:
        lines += [f"### {divides_heading()}", "", md(divides_note()), ""]
        for split in theme.divides:
            label = theme.stance_labels.get(split.argument.stance, split.argument.stance)
            groups = " · ".join(agreement_line(group) for group in (split.divide.high, split.divide.low))
            lines += [f"- **#{split.argument.number}** {md(split.argument.text)} ({md(label)})", f"  {md(groups)}"]
        lines.append("")
    return lines


def breakdown_table(groups: Sequence[GroupTally], labels: Sequence[str]) -> list[str]:
    """One row per group, one column per stance, headed by its (escaped) label."""
    rows = [(md(group_label(g.group)), g.total, *(item.count for item in g.counts)) for g in groups]
    return table(breakdown_columns(labels), rows)


def poll_markdown(poll: ClosedPoll, zone: str) -> list[str]:
    lines = [f"### {poll_heading(poll.number, md(poll.question))}", ""]
    lines += [poll_closed_line(poll.closed_at, zone, count=poll.voters, secret=poll.secret), ""]
    rows = [(md(option.label), option.count, percent_label(option.percent)) for option in poll.options]
    lines += [*table(poll_columns(), rows), ""]
    if poll.groups:
        groups = [(md(group_label(g.group)), g.voters, *(o.count for o in g.options)) for g in poll.groups]
        labels = [md(option.label) for option in poll.options]
        lines += [f"**{poll_breakdown_heading()}**", "", *table(poll_breakdown_columns(labels), groups), ""]
    return lines
