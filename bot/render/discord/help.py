"""`/help`: what the caller may do in this forum, with its themes and the session's dates."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.i18n import _
from bot.render.discord.common import COLOUR, stamp
from bot.render.discord.limits import FIELD_VALUE, clip, fit_embed, join_within
from bot.settings import SessionSettings, ThemeConfig


def help_embed(
    session: SessionSettings, themes: Sequence[ThemeConfig], *, facilitator: bool, organiser: bool
) -> discord.Embed:
    """The participant's guide for everyone; the facilitators' and organisers' parts only for them."""
    embed = discord.Embed(title=clip(_("How to take part — {forum}").format(forum=session.title), 256), colour=COLOUR)
    embed.description = _(
        "The live session runs {start} to {end} ({relative}). You can take part before, during and after it, "
        "from anywhere: everything here is private to you unless it says otherwise."
    ).format(
        start=stamp(session.starts_at, "F"), end=stamp(session.ends_at, "t"), relative=stamp(session.starts_at, "R")
    )
    first = themes[0].slug if themes else "<theme>"
    steps = [
        _("1. **Say who you speak for**: `/profile set` (stakeholder group, and UN region if you wish)."),
        _("2. **Take a position** on each theme: `/<theme> position` with a stance and, ideally, your reasons."),
        _("3. **Weigh others' arguments**: `/<theme> discuss` shows one at a time: agree, disagree, pass or report."),
        _("4. **See the common ground**: `/<theme> bridges`; the counts with `/<theme> tally`."),
        _("5. **Vote in polls** with the buttons under each poll; `/poll list` and `/poll results` show them."),
    ]
    embed.add_field(name=_("Participants"), value=join_within(steps, FIELD_VALUE), inline=False)
    listing = [f"`/{theme.slug}` — {theme.title}" for theme in themes]
    embed.add_field(name=_("The themes"), value=join_within(listing, FIELD_VALUE), inline=False)
    more = _(
        "`/{slug} about` (the question and its stances), `/{slug} positions` (read others' rationales), "
        "`/{slug} withdraw`, `/profile show` (what you have said), `/mydata export` and `/mydata delete` (a file of "
        "everything Concord holds about you here, or its erasure)."
    ).format(slug=first)
    embed.add_field(name=_("Also"), value=clip(more, FIELD_VALUE), inline=False)
    if facilitator:
        lines = [
            _("`/poll create`: a time-boxed poll in this channel (secret ballot, hidden results, several choices)."),
            _("`/poll close poll:<number>`: close one early and post its results."),
            _("`/moderate queue`: reported statements; `/moderate hide`, `/moderate restore`, `/moderate log`."),
        ]
        embed.add_field(name=_("Facilitators"), value=join_within(lines, FIELD_VALUE), inline=False)
    if organiser:
        lines = [
            _("`/digest channel`: where digests go (before and after the session, and weekly)."),
            _("`/digest preview`, `/digest post`, `/digest schedule`: look at one, post one now, see what is due."),
        ]
        embed.add_field(name=_("Organisers"), value=join_within(lines, FIELD_VALUE), inline=False)
    embed.set_footer(text=_("Under the Chatham House rule, others see your stakeholder group, never your name."))
    return fit_embed(embed)
