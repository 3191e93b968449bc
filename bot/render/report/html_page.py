"""A digest as one self-contained HTML file: inline CSS, the chart as a data: URI, nothing fetched.

Meant to be opened in a browser or printed for the session report: print CSS keeps tables and
quotes whole across pages. All user text goes through html.escape.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from bot.core.digest import Digest, ThemeDigest
from bot.core.polls import ClosedPoll
from bot.core.tally import GroupTally
from bot.i18n import current_language
from bot.languages import direction
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

CSS = """
:root { --blue: #003399; --gold: #ffcc00; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a1a1a;
       line-height: 1.45; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { color: var(--blue); font-size: 1.6rem; margin-bottom: .2rem; }
h2 { color: var(--blue); border-bottom: 2px solid var(--blue); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { color: #555; margin: .2rem 0; }
.question { font-style: italic; color: #333; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #c9cfe0; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #eef1f8; vertical-align: bottom; }
td:first-child { white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
blockquote { border-left: 4px solid var(--gold); background: #f7f8fc; margin: .5rem 0; padding: .35rem .8rem; }
blockquote footer { color: #555; font-size: .9rem; margin-top: .2rem; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
.missing { background: #fff6d6; padding: .35rem .6rem; border-radius: 4px; }
@page { margin: 1.6cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2, h3, h4 { break-after: avoid; }
  table, blockquote, figure, .missing { break-inside: avoid; }
  table { font-size: 9pt; }
  figure img { max-height: 21cm; width: auto; }
  section.theme { break-before: page; }
}
"""


def digest_html(digest: Digest, chart_png: bytes | None = None) -> str:
    """The complete page."""
    body = [
        f"<h1>{escape(digest_heading(digest))}</h1>",
        f'<p class="meta">{escape(as_of_line(digest))}</p>',
        f'<p class="meta">{escape(attribution_note(digest))}</p>',
    ]
    rows = [(escape(t.title), t.participants, signed(t.participants_change)) for t in digest.themes]
    body.append(table(summary_columns(), rows))
    if chart_png:
        data = base64.b64encode(chart_png).decode("ascii")
        caption = escape(chart_caption())
        body.append(
            f'<figure><img alt="{caption}" src="data:image/png;base64,{data}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    body += [theme_html(theme, digest) for theme in digest.themes]
    if digest.polls:
        body.append(f'<section class="polls"><h2>{escape(polls_heading())}</h2>')
        body += [poll_html(poll, digest.timezone) for poll in digest.polls]
        body.append("</section>")
    lang = current_language()
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}" dir="{direction(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(digest_heading(digest))}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def table(header: Sequence[str], rows: Sequence[Sequence[object]], right_from: int = 1) -> str:
    """Header cells are escaped here; body cells must already be escaped (numbers need not be)."""

    def cls(index: int) -> str:
        return ' class="n"' if index >= right_from else ""

    head = "".join(f"<th{cls(i)}>{escape(h)}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def theme_html(theme: ThemeDigest, digest: Digest) -> str:
    parts = [f'<section class="theme" id="{escape(theme.slug)}">', f"<h2>{escape(theme.title)}</h2>"]
    parts.append(f'<p class="question">{escape(theme.question)}</p>')
    rows = [(escape(s.label), s.count, escape(percent_label(s.percent)), signed(s.change)) for s in theme.stances]
    parts.append(table(stance_columns(), rows))
    total = escape(participants_line(theme.participants))
    parts.append(f"<p><strong>{total}</strong> ({signed(theme.participants_change)})</p>")
    if is_empty(theme):
        parts += [f"<p>{escape(no_positions_yet())}</p>", "</section>"]
        return "\n".join(parts)
    if theme.participants:
        labels = [s.label for s in theme.stances]
        parts += [f"<h3>{escape(by_stakeholder_heading())}</h3>", breakdown(theme.by_stakeholder, labels)]
        parts += [f"<h3>{escape(by_region_heading())}</h3>", breakdown(theme.by_region, labels)]
    missing = missing_lines(theme)
    if missing:
        items = "".join(f"<li>{escape(line)}</li>" for line in missing)
        parts.append(f'<div class="missing"><strong>{escape(missing_heading())}</strong><ul>{items}</ul></div>')
    shift = theme.shift
    if shift is not None and digest.shift_from is not None and (shift.rows or shift.unchanged):
        parts.append(f"<h3>{escape(shift_section_heading(digest))}</h3>")
        moves = [
            (
                escape(shift_label(theme, r.from_stance, joined_label())),
                escape(shift_label(theme, r.to_stance, withdrew_label())),
                r.count,
            )
            for r in shift.rows
        ]
        if moves:
            parts.append(table(shift_columns(), moves, right_from=2))
        parts.append(f"<p>{escape(unchanged_line(shift.unchanged))}</p>")
    if theme.quotes:
        parts.append(f"<h3>{escape(rationales_heading())}</h3>")
        for stance in theme.quotes:
            parts.append(f"<h4>{escape(stance.label)}</h4>")
            for quote in stance.quotes:
                text = escape(quote.text).replace("\n", "<br>")
                who = escape(quote_source(quote.number, author(quote.author, digest.attribution)))
                parts.append(f"<blockquote><p>{text}</p><footer>— {who}</footer></blockquote>")
            if stance.more:
                parts.append(f"<p><em>{escape(more_rationales(stance.more))}</em></p>")
    parts += bridges_html(theme)
    parts.append("</section>")
    return "\n".join(parts)


def bridges_html(theme: ThemeDigest) -> list[str]:
    """Common ground and where groups divide, each statement with its groups' agreement."""
    parts: list[str] = []
    if theme.common_ground:
        parts += [f"<h3>{escape(common_ground_heading())}</h3>", f'<p class="meta">{escape(common_ground_note())}</p>']
        items = []
        for item in theme.common_ground:
            label = theme.stance_labels.get(item.argument.stance, item.argument.stance)
            groups = " · ".join(agreement_line(group) for group in item.consensus.reacted)
            items.append(
                f"<li><strong>#{item.argument.number}</strong> {escape(item.argument.text)} "
                f"({escape(label)}; {escape(score_label(item.consensus.score))})<br>{escape(groups)}</li>"
            )
        parts.append("<ul>" + "".join(items) + "</ul>")
    if theme.divides:
        parts += [f"<h3>{escape(divides_heading())}</h3>", f'<p class="meta">{escape(divides_note())}</p>']
        items = []
        for split in theme.divides:
            label = theme.stance_labels.get(split.argument.stance, split.argument.stance)
            groups = " · ".join(agreement_line(group) for group in (split.divide.high, split.divide.low))
            items.append(
                f"<li><strong>#{split.argument.number}</strong> {escape(split.argument.text)} "
                f"({escape(label)})<br>{escape(groups)}</li>"
            )
        parts.append("<ul>" + "".join(items) + "</ul>")
    return parts


def breakdown(groups: Sequence[GroupTally], labels: Sequence[str]) -> str:
    """One row per group, one column per stance (headed by its label: a printed page has no tooltips)."""
    rows = [(escape(group_label(g.group)), g.total, *(item.count for item in g.counts)) for g in groups]
    return table(breakdown_columns(labels), rows)


def poll_html(poll: ClosedPoll, zone: str) -> str:
    rows = [(escape(option.label), option.count, escape(percent_label(option.percent))) for option in poll.options]
    closed = poll_closed_line(poll.closed_at, zone, count=poll.voters, secret=poll.secret)
    heading = poll_heading(poll.number, escape(poll.question))
    html = f'<h3>{heading}</h3><p class="meta">{escape(closed)}</p>' + table(poll_columns(), rows)
    if poll.groups:
        groups = [(escape(group_label(g.group)), g.voters, *(o.count for o in g.options)) for g in poll.groups]
        header = poll_breakdown_columns([option.label for option in poll.options])
        html += f"<p><strong>{escape(poll_breakdown_heading())}</strong></p>" + table(header, groups)
    return html
