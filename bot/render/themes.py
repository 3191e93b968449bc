"""Embeds for a theme: about, tally and a page of positions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.models import Position
from bot.core.tally import GroupTally, StanceCount, Tally
from bot.forum import FORUM_CONTEXT, UNDECLARED
from bot.render.limits import (
    EMBED_DESCRIPTION,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    clip,
    fit_embed,
    join_within,
)
from bot.render.wording import group_label
from bot.settings import ThemeConfig

PAGE_SIZE = 5
COLOUR = discord.Colour.from_rgb(0, 51, 153)  # the EU flag's blue


def stance_line(item: StanceCount) -> str:
    """The tally line users read and tests assert: `<label>: <count> (<pct>%)`."""
    return f"{item.label}: {item.count} ({item.percent}%)"


def position_confirmation(
    theme: ThemeConfig, stance: str, previous: Position | None, rationale: str | None, raw: str | None
) -> str:
    """What the participant is told (ephemerally) after recording; never echoes the rationale itself."""
    verb = "updated" if previous else "recorded"
    lines = [f"Your position on **{theme.title}** is {verb}: **{theme.label(stance)}**."]
    if previous and previous.stance != stance:
        lines.append(f"(It was: {theme.label(previous.stance)}.)")
    if rationale is None and raw:
        lines.append("Your rationale was blank, so it was recorded without one.")
    elif rationale is None:
        lines.append("No rationale recorded; add one any time with the same command.")
    else:
        lines.append(f"Rationale saved ({len(rationale)} characters).")
    return "\n".join(lines)


def about_embed(theme: ThemeConfig, participants: int) -> discord.Embed:
    embed = discord.Embed(title=clip(f"/{theme.slug} — {theme.title}", 256), description=theme.question, colour=COLOUR)
    embed.add_field(name="Context", value=clip(theme.context or FORUM_CONTEXT, FIELD_VALUE), inline=False)
    options = [f"`{stance.key}` — {stance.label}" for stance in theme.stances]
    embed.add_field(name="Stances you can take", value=join_within(options, FIELD_VALUE), inline=False)
    taken = (
        "Nobody has taken a position yet."
        if participants == 0
        else (f"{participants} participant{'s have' if participants != 1 else ' has'} taken a position.")
    )
    embed.add_field(name="Participation", value=taken, inline=False)
    embed.set_footer(text=f"Take yours with /{theme.slug} position · see others with /{theme.slug} positions")
    return embed


def _group_value(group: GroupTally) -> str:
    lines = [stance_line(item) for item in group.counts if item.count]
    return join_within(lines, FIELD_VALUE)


def tally_embed(theme: ThemeConfig, result: Tally) -> discord.Embed:
    embed = discord.Embed(title=clip(f"Tally — {theme.title}", 256), colour=COLOUR)
    if result.total == 0:
        embed.description = f"{theme.question}\n\nNo positions yet on this theme. Be the first: /{theme.slug} position"
        return embed
    lines = [stance_line(item) for item in result.stances]
    embed.description = join_within(
        [clip(theme.question, 600), "", *lines, "", f"**Participants: {result.total}**"], EMBED_DESCRIPTION
    )
    for group in result.groups:
        embed.add_field(
            name=clip(f"{group_label(group.group)} ({group.total})", FIELD_NAME),
            value=_group_value(group),
            inline=True,
        )
    embed.set_footer(text="By stakeholder group · percentages are whole numbers rounded half up")
    return fit_embed(embed)


def positions_embed(
    theme: ThemeConfig,
    page_items: Sequence[Position],
    page: int,
    pages: int,
    total: int,
    stance: str | None,
    named: bool,
) -> discord.Embed:
    """One page of rationales; names only under `privacy.attribution = "named"` (Chatham House otherwise)."""
    heading = f"Positions — {theme.title}"
    if stance:
        heading += f" · {theme.label(stance)}"
    embed = discord.Embed(title=clip(heading, 256), colour=COLOUR)
    if total == 0:
        embed.description = "No positions to show yet." if not stance else "Nobody has taken this stance yet."
        return embed
    attribution = "names shown" if named else "Chatham House rule: no names, only stakeholder groups"
    embed.set_footer(text=f"Page {page + 1} of {pages} · {total} position{'s' if total != 1 else ''} · {attribution}")
    names = []
    for item in page_items:
        author = (
            discord.utils.escape_markdown(item.display_name) if named else group_label(item.stakeholder or UNDECLARED)
        )
        names.append(clip(f"{theme.label(item.stance)} — {author}", FIELD_NAME))
    # Every position on the page must show (one dropped here would be on no page at all), so the
    # rationales share what the embed has left, each visibly clipped if it must be.
    spare = EMBED_TOTAL - len(embed) - sum(len(name) for name in names)
    budget = min(FIELD_VALUE, spare // max(1, len(names)))
    for name, item in zip(names, page_items, strict=True):
        embed.add_field(name=name, value=clip(item.rationale or "*(no rationale given)*", budget), inline=False)
    return fit_embed(embed)


def my_positions_embed(themes: Sequence[ThemeConfig], positions: Mapping[str, Position]) -> discord.Embed:
    """The caller's own positions across every theme, for `/profile show`: what they said, at a glance."""
    embed = discord.Embed(title="Your positions", colour=COLOUR)
    for theme in themes:
        held = positions.get(theme.slug)
        if held is None:
            value = f"No position yet: `/{theme.slug} position`"
        else:
            said = f"rationale of {len(held.rationale)} characters" if held.rationale else "no rationale"
            value = f"**{theme.label(held.stance)}** ({said}) · {discord.utils.format_dt(held.updated_at, 'R')}"
        embed.add_field(name=clip(theme.title, FIELD_NAME), value=clip(value, FIELD_VALUE), inline=False)
    embed.set_footer(text="Change one with /<theme> position; withdraw with /<theme> withdraw")
    return fit_embed(embed)
