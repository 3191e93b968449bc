"""The phrases every digest renderer shares (Discord, Markdown, HTML, charts): each written and
translated once. Each returns plain text: the renderer escapes it for its markup and adds its own
emphasis. The vocabulary they build on (groups, digest kinds, authors) is in bot/render/wording.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.digest import Digest, ThemeDigest
from bot.core.models import Attribution
from bot.core.tally import GroupTally
from bot.forum import UNDECLARED
from bot.i18n import DEFAULT_LANGUAGE, _, current_language
from bot.languages import LANGUAGES
from bot.render.wording import count_of, missing_groups, shift_heading, voters


def local_time(moment: datetime, zone: str) -> str:
    """A moment on the digest's own clock, zone named: "2026-01-02 09:00 (Asia/Baku)" in English, and in each
    other language its own way of writing a date (Babel's medium date and short time)."""
    local = moment.astimezone(ZoneInfo(zone))
    lang = current_language()
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        written = f"{local:%Y-%m-%d %H:%M}"
    else:
        from babel.dates import format_date, format_time  # only where another language is written

        written = f"{format_date(local, 'medium', locale=lang)} {format_time(local, 'short', locale=lang)}"
    return _("{time} ({zone})").format(time=written, zone=zone)


def signed(change: int | None) -> str:
    """A change since the previous digest, in a table cell: "+3", "-1", "±0", or "—" with nothing to compare."""
    if change is None:
        return "—"
    return f"{change:+d}" if change else "±0"


def percent_label(value: int) -> str:
    """A whole percentage, "25%" (some languages space or mirror the sign)."""
    return _("{percent}%").format(percent=value)


def is_empty(theme: ThemeDigest) -> bool:
    """Nobody has a position now and nobody had one at the previous digest: the theme says so in one line."""
    return theme.participants == 0 and not any(stance.change for stance in theme.stances)


def shift_label(theme: ThemeDigest, key: str | None, empty: str) -> str:
    """A stance's label (user-configured text: the renderer escapes it) or, for None, `empty` (ours)."""
    return empty if key is None else theme.stance_labels.get(key, key)


def joined_label() -> str:
    """Where a shift row starts for someone who had no position at the start of the shift."""
    return _("no position yet (joined)")


def withdrew_label() -> str:
    """Where a shift row ends for someone who withdrew their position."""
    return _("withdrew")


def as_of_line(digest: Digest) -> str:
    """When the digest's content was taken and, after a previous digest, what its changes are measured from."""
    now = local_time(digest.as_of, digest.timezone)
    if digest.previous_at is None:
        return _("As of {time}.").format(time=now)
    previous = local_time(digest.previous_at, digest.timezone)
    return _("As of {time} · changes since the previous digest of {previous}.").format(time=now, previous=previous)


def attribution_note(digest: Digest) -> str:
    if digest.attribution == Attribution.NAMED:
        return _("Rationales are shown with their authors' names.")
    return _("Chatham House rule: rationales are shown without names, with the author's stakeholder group.")


def chart_caption() -> str:
    """The digest chart's caption, and its alt text."""
    return _("Stance distribution per theme")


def summary_columns() -> tuple[str, ...]:
    return _("Theme"), _("Participants"), _("Change")


def stance_columns() -> tuple[str, ...]:
    return _("Stance"), _("Count"), _("Share"), _("Change")


def breakdown_columns(stance_labels: Sequence[str]) -> tuple[str, ...]:
    """A breakdown's header: the group, its total, then one column per stance (`stance_labels`, as given)."""
    return _("Group"), _("Total"), *stance_labels


def shift_columns() -> tuple[str, ...]:
    return _("From"), _("To"), _("Participants")


def poll_columns() -> tuple[str, ...]:
    return _("Option"), _("Votes"), _("Share of voters")


def poll_breakdown_heading() -> str:
    """Above a poll's stakeholder breakdown in a report, as its results post says it."""
    return _("By stakeholder group (groups of too few voters merged into Other)")


def poll_breakdown_columns(option_labels: Sequence[str]) -> tuple[str, ...]:
    """The group, its voters, then one column per option (`option_labels`, as given)."""
    return _("Group"), _("Voters"), *option_labels


def participants_line(count: int) -> str:
    """A theme's participants, "Participants: 12" (a total, as in a table: no plural)."""
    return _("Participants: {count}").format(count=count)


def no_positions_yet() -> str:
    return _("No positions yet on this theme.")


def by_stakeholder_heading() -> str:
    return _("By stakeholder group")


def by_region_heading() -> str:
    return _("By region")


def missing_heading() -> str:
    """Leads the lines on the expected groups nobody with a position belongs to (`missing_lines`)."""
    return _("No positions yet from")


def missing_lines(theme: ThemeDigest) -> list[str]:
    """Who has not been heard from, telling "no one from" a group apart from "undeclared": "No one from the
    African Group yet", then, when some gave no region, that they may be from there. A group too small to name
    (Chatham House) is present, so it is never listed; an undeclared count is given only where the breakdown
    shows it."""
    lines = []
    if theme.missing_stakeholders:
        lines.append(
            _("No one from these stakeholder groups yet: {groups}.").format(
                groups=missing_groups(theme.missing_stakeholders)
            )
        )
        if theme.without_profile:
            lines.append(_undeclared_note(theme.by_stakeholder, theme.without_profile, region=False))
    if theme.missing_regions:
        lines.append(_("No one from these regions yet: {groups}.").format(groups=missing_groups(theme.missing_regions)))
        if theme.without_region:
            lines.append(_undeclared_note(theme.by_region, theme.without_region, region=True))
    return lines


def _undeclared_note(groups: Sequence[GroupTally], count: int, *, region: bool) -> str:
    shown = any(group.group == UNDECLARED for group in groups)
    if not shown:
        if region:
            return _("Some participants gave no region (counted under Other), so some may be from these regions.")
        return _("Some participants set no profile (counted under Other), so some may be from these groups.")
    if region:
        return count_of(
            count,
            "{count} participant gave no region (Undeclared), so they may be from these regions.",
            "{count} participants gave no region (Undeclared), so some may be from these regions.",
        )
    return count_of(
        count,
        "{count} participant set no profile (Undeclared), so they may be from these groups.",
        "{count} participants set no profile (Undeclared), so some may be from these groups.",
    )


def shift_section_heading(digest: Digest) -> str:
    """ "Shift since the before-session digest — 2026-01-02 09:00 (Asia/Baku)"."""
    heading = shift_heading(digest.shift_basis)
    if digest.shift_from is None:
        return heading
    return _("{heading} — {time}").format(heading=heading, time=local_time(digest.shift_from, digest.timezone))


def unchanged_line(count: int) -> str:
    """How many kept their stance through the shift (a total, as in the table above it: no plural)."""
    return _("Unchanged: {count}.").format(count=count)


def rationales_heading() -> str:
    return _("Representative rationales")


def more_rationales(count: int) -> str:
    """The rationales of a stance not quoted."""
    return count_of(count, "… and {count} more.", "… and {count} more.")


def polls_heading() -> str:
    return _("Polls closed since the previous digest")


def poll_heading(number: int, question: str) -> str:
    """ "Poll #3: <question>"; `question` comes escaped for the renderer's markup."""
    return _("Poll #{number}: {question}").format(number=number, question=question)


def poll_closed_line(closed_at: datetime, zone: str, *, count: int, secret: bool) -> str:
    """When a poll closed, how many voted (`count`), and whether the ballot was secret."""
    time, counted = local_time(closed_at, zone), voters(count)
    if secret:
        return _("Closed {time} · {voters} · secret ballot.").format(time=time, voters=counted)
    return _("Closed {time} · {voters}.").format(time=time, voters=counted)


def common_ground_heading() -> str:
    return _("Common ground")


def divides_heading() -> str:
    return _("Where groups divide")


def common_ground_note() -> str:
    """What "common ground" means, in plain words, under its heading."""
    return _(
        "Arguments agreed across stakeholder groups, by group-informed consensus: each group's share of "
        "agrees, multiplied across the groups, so only what every group accepts ranks high. The score is how "
        "much a typical group agrees."
    )


def divides_note() -> str:
    return _("Arguments two stakeholder groups see most differently (each with at least two reactions).")


def quote_source(number: int | None, author: str) -> str:
    """Under a quoted rationale: its statement number and who wrote it, "#12 · Government"."""
    return f"#{number} · {author}" if number is not None else author
