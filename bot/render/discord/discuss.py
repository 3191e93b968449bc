"""Discussing in Discord: one statement to react to (`/<slug> discuss`), and common ground (`/<slug> bridges`)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.consensus import COMMON_GROUPS, CommonGround, GroupSplit, Reacted, Reaction
from bot.core.models import Attribution, Author, Statement
from bot.core.privacy import named_group
from bot.i18n import _
from bot.render.discord.common import COLOUR, escape
from bot.render.discord.limits import FIELD_NAME, FIELD_VALUE, clip, fit_embed, join_within
from bot.render.wording import agreement_line, author, count_of, score_label
from bot.settings import ThemeConfig

EXCERPT = 300  # characters of a statement quoted in a ranking (the whole text is in `/<slug> positions`)


def reaction_label(reaction: Reaction) -> str:
    """The button labels: exactly "Agree", "Disagree", "Pass" in English."""
    match reaction:
        case Reaction.AGREE:
            return _("Agree")
        case Reaction.DISAGREE:
            return _("Disagree")
        case Reaction.PASS:
            return _("Pass")


def report_label() -> str:
    """The button beside them: exactly "Report" in English."""
    return _("Report")


def number(statement: int) -> str:
    return f"#{statement}"


def statement_embed(
    theme: ThemeConfig, statement: Statement, attribution: Attribution, left: int, shown: frozenset[str] | None = None
) -> discord.Embed:
    """One statement by someone else, to agree with, disagree with or pass on; its author's group named only
    when it is among `shown` (the theme's groups big enough to name; None: every group)."""
    title = _("Discuss — {theme}").format(theme=theme.title)
    embed = discord.Embed(title=clip(title, 256), description=escape(statement.text), colour=COLOUR)
    embed.add_field(name=_("Argues for"), value=clip(theme.label(statement.stance or ""), FIELD_VALUE), inline=True)
    who = author(Author(named_group(statement.author_group, shown), statement.author_name), attribution)
    embed.add_field(name=_("Written by"), value=clip(escape(who), FIELD_VALUE), inline=True)
    remaining = (
        _("the last statement left for you on this theme")
        if left == 0
        else count_of(left, "{count} more statement left for you", "{count} more statements left for you")
    )
    embed.set_footer(text=f"{number(statement.number)} · {remaining}")
    return fit_embed(embed)


def reacted_line(outcome: Reacted, reaction: Reaction, statement: int) -> str:
    """What the member is told above the next statement about the one they just reacted to."""
    values = {"number": number(statement)}
    match outcome:
        case Reacted.NOT_CURRENT:
            return _(
                "{number} is no longer current (its author changed or withdrew it), so nothing was recorded."
            ).format(**values)
        case Reacted.OWN:
            return _("{number} is your own statement: members react to others' statements only.").format(**values)
    if reaction is Reaction.AGREE:
        text = _("Recorded: you agree with {number}.")
    elif reaction is Reaction.DISAGREE:
        text = _("Recorded: you disagree with {number}.")
    else:
        text = _("Recorded: you passed on {number}.")
    if outcome is Reacted.CHANGED:
        text += " " + _("(It replaces your earlier reaction.)")
    return text.format(**values)


def none_left(theme: ThemeConfig) -> str:
    return _(
        "You have weighed every current statement on **{theme}** for now. See which arguments bridge the "
        "stakeholder groups with `/{slug} bridges`; new statements will appear here as people write them."
    ).format(theme=theme.title, slug=theme.slug)


def not_here() -> str:
    return _("Sorry, this statement is not part of this server's discussion.")


def theme_gone() -> str:
    return _("Sorry, that statement's theme is no longer part of this forum.")


def excerpt(text: str) -> str:
    return escape(clip(" ".join(text.split()), EXCERPT))


def bridges_embeds(
    theme: ThemeConfig, common: Sequence[CommonGround], split: Sequence[GroupSplit], reacted: bool
) -> list[discord.Embed]:
    """`/<slug> bridges`: the arguments stakeholder groups agree on, then where they divide."""
    embed = discord.Embed(title=clip(_("Common ground — {theme}").format(theme=theme.title), 256), colour=COLOUR)
    if not reacted:
        embed.description = _(
            "Nobody has reacted to statements on this theme yet. Weigh others' arguments with `/{slug} discuss`."
        ).format(slug=theme.slug)
        return [embed]
    embed.description = _(
        "Arguments that stakeholder groups agree on, highest first. A statement is listed once members of at "
        "least {groups} groups have reacted to it; its score is how much a typical group agrees."
    ).format(groups=COMMON_GROUPS)
    if not common:
        embed.description += "\n\n" + _(
            "No statement has reactions from {groups} stakeholder groups yet: `/{slug} discuss` to weigh more of them."
        ).format(groups=COMMON_GROUPS, slug=theme.slug)
    for item in common:
        stance = theme.label(item.argument.stance)
        name = f"{number(item.argument.number)} · {stance} · {score_label(item.consensus.score)}"
        lines = [excerpt(item.argument.text), " · ".join(agreement_line(group) for group in item.consensus.reacted)]
        embed.add_field(name=clip(name, FIELD_NAME), value=join_within(lines, FIELD_VALUE), inline=False)
    embeds = [fit_embed(embed)]
    if split:
        divides = discord.Embed(
            title=clip(_("Where groups divide — {theme}").format(theme=theme.title), 256), colour=COLOUR
        )
        divides.description = _("Arguments two stakeholder groups see most differently.")
        for found in split:
            name = f"{number(found.argument.number)} · {theme.label(found.argument.stance)}"
            groups = " · ".join(agreement_line(group) for group in (found.divide.high, found.divide.low))
            divides.add_field(
                name=clip(name, FIELD_NAME),
                value=join_within([excerpt(found.argument.text), groups], FIELD_VALUE),
                inline=False,
            )
        embeds.append(fit_embed(divides))
    return embeds
