"""The rehearsal's Markdown record: who took part, what happened when, and what the bot counted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from bot.forum import STAKEHOLDERS
from bot.render.wording import group_label

if TYPE_CHECKING:
    from rehearsal.rehearsal import Rehearsal
    from rehearsal.timeline import Calendar


def _day(calendar: Calendar, moment: datetime) -> str:
    """E.g. "8 November 2012", in the session's timezone."""
    local = calendar.local(moment)
    return f"{local.day} {local:%B %Y}"


def _time(calendar: Calendar, moment: datetime) -> str:
    return f"{calendar.local(moment):%H:%M}"


def short_time(calendar: Calendar, moment: datetime) -> str:
    """E.g. "Tue 6 Nov 09:00", in the session's timezone (for tables and lists in the record)."""
    local = calendar.local(moment)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def quoted(text: str) -> str:
    """A block of the bot's text as a Markdown quote that keeps its line breaks."""
    return "\n".join(f"> {line}  " if line.strip() else ">" for line in text.splitlines())


def _intro(rehearsal: Rehearsal) -> list[str]:
    settings, calendar = rehearsal.settings, rehearsal.calendar
    offset = f"{calendar.local(calendar.starts_at):%z}"
    offset = f"UTC{offset[:3]}:{offset[3:]}"
    attribution = (
        "Chatham House rule: rationales are shown with stakeholder groups, never names"
        if settings.privacy.attribution == "chatham-house"
        else "named: rationales are shown with their authors' names"
    )
    return [
        f"# Rehearsal record — {settings.session.title}",
        "",
        f"*An offline rehearsal of Concord (seed {rehearsal.seed}). Times are local to {calendar.zone.key} "
        f"({offset} on the day of the session).*",
        "",
        "The real bot (its slash commands, rationale form, poll buttons, scheduler, SQLite store, tallies and "
        "digests) ran inside a SimCord simulated Discord server, with a facilitator and the simulated participants "
        "below, over virtual time. Every action in the timeline is a real slash command, form submission or button "
        "click; what Concord posted by itself (poll notices and results, digests) came from its own scheduled work "
        "at the virtual time shown; every tally and result is the bot's own answer. The people are fictional and "
        "their affiliations are kinds of organisation, not real ones.",
        "",
        "## Summary",
        "",
        f"- Discussion open from {_day(calendar, calendar.opens)} {_time(calendar, calendar.opens)} to "
        f"{_day(calendar, calendar.closes)} {_time(calendar, calendar.closes)}; live session "
        f"{_day(calendar, calendar.starts_at)}, {_time(calendar, calendar.starts_at)}–"
        f"{_time(calendar, calendar.ends_at)}",
        f"- Attribution: {attribution}",
        *(f"- {line}" for line in rehearsal.summary),
        f"- {len(rehearsal.entries)} timeline entries; the store is `{rehearsal.settings.database.path.name}` "
        "in this folder",
        "",
    ]


def _roster(rehearsal: Rehearsal) -> list[str]:
    lines = [
        "## Participants",
        "",
        "| Participant | Stakeholder group | UN regional group | Joining from | Affiliation (fictional) |",
        "| --- | --- | --- | --- | --- |",
    ]
    order = list(STAKEHOLDERS)
    for person in sorted(rehearsal.roster, key=lambda p: (order.index(p.stakeholder), p.region, p.name)):
        lines.append(
            f"| {person.name} | {group_label(person.stakeholder)} | {group_label(person.region)} | "
            f"{person.city} | {person.affiliation} |"
        )
    return [*lines, ""]


def _timeline(rehearsal: Rehearsal) -> list[str]:
    calendar = rehearsal.calendar
    lines = ["## Timeline", ""]
    entries = sorted(rehearsal.entries, key=lambda entry: entry.at)
    for day, group in groupby(entries, key=lambda entry: calendar.local(entry.at).date()):
        lines += [f"### {day:%A} {day.day} {day:%B %Y}", ""]
        lines += [f"- `{_time(calendar, e.at)}` **{e.actor}** {e.text}" for e in group]
        lines.append("")
    return lines


def render_record(rehearsal: Rehearsal) -> str:
    lines = [*_intro(rehearsal), *_roster(rehearsal)]
    for section in rehearsal.sections:
        lines += [f"## {section.title}", "", *section.body, ""]
    lines += _timeline(rehearsal)
    return "\n".join(_squeeze(lines)).rstrip() + "\n"


def _squeeze(lines: Iterable[str]) -> Iterable[str]:
    """No runs of blank lines, whatever the sections contain."""
    previous_blank = False
    for line in lines:
        blank = not line.strip()
        if not (blank and previous_blank):
            yield line
        previous_blank = blank


def write_record(rehearsal: Rehearsal, path: Path) -> Path:
    path.write_text(render_record(rehearsal), encoding="utf-8")
    return path
