"""A theme in Discord: about, tally, a page of positions, the rationale form, and the replies of `/<slug>`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.models import Position
from bot.core.privacy import named_group
from bot.core.tally import GroupTally, StanceCount, Tally
from bot.forum import FORUM_CONTEXT
from bot.i18n import _
from bot.languages import NATIVE_NAMES
from bot.render.discord.common import COLOUR, escape, stamp
from bot.render.discord.limits import (
    EMBED_DESCRIPTION,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    clip,
    fit_embed,
    join_within,
)
from bot.render.wording import count_of, group_label
from bot.settings import ThemeConfig

PAGE_SIZE = 5
FORM_TITLE = 45  # Discord's limit on a form's title and on a text input's label
FORM_TEXT = 4000  # and on a form's text


def stance_line(item: StanceCount) -> str:
    """The tally line users read and tests assert: `<label>: <count> (<pct>%)`."""
    return f"{item.label}: {item.count} ({item.percent}%)"


def position_confirmation(
    theme: ThemeConfig, stance: str, previous: Position | None, rationale: str | None, raw: str | None
) -> str:
    """What the participant is told (ephemerally) after recording; never echoes the rationale itself."""
    values = {"theme": theme.title, "stance": theme.label(stance)}
    if previous:
        lines = [_("Your position on **{theme}** is updated: **{stance}**.").format(**values)]
    else:
        lines = [_("Your position on **{theme}** is recorded: **{stance}**.").format(**values)]
    if previous and previous.stance != stance:
        lines.append(_("(It was: {stance}.)").format(stance=theme.label(previous.stance)))
    if rationale is None and previous is not None and previous.rationale:
        lines.append(
            _("Your earlier rationale, written for “{stance}”, is kept in the history but no longer shown.").format(
                stance=theme.label(previous.stance)
            )
        )
    elif rationale is None and raw:
        lines.append(_("Your rationale was blank, so it was recorded without one."))
    elif rationale is None:
        lines.append(_("No rationale recorded; add one any time with the same command."))
    else:
        lines.append(_("Rationale saved ({count} characters).").format(count=len(rationale)))
    return "\n".join(lines)


def rationale_too_long(limit: int, length: int) -> str:
    return _(
        "Sorry, a rationale can be at most {limit} characters; yours has {length}. "
        "Nothing was changed: please shorten it and try again."
    ).format(limit=limit, length=length)


def not_a_stance(theme: ThemeConfig, typed: str) -> str:
    options = ", ".join(f"`{s.key}`" for s in theme.stances)
    return _("Sorry, `{typed}` is not a stance on this theme. Choose one of: {options}.").format(
        typed=clip(typed, 40), options=options
    )


def withdrawn(theme: ThemeConfig, removed: bool) -> str:
    if removed:
        return _("Your position on **{theme}** has been withdrawn.").format(theme=theme.title)
    return _("You have no position on **{theme}** to withdraw.").format(theme=theme.title)


def form_title(theme: ThemeConfig) -> str:
    return clip(_("{theme}: your rationale").format(theme=theme.title), FORM_TITLE)


def form_label(theme: ThemeConfig, stance: str) -> str:
    return clip(_("Why: {stance}").format(stance=theme.label(stance)), FORM_TITLE)


def form_placeholder() -> str:
    return _("Optional: the reasons for your stance (others will read it)")


def written_for(theme: ThemeConfig, earlier: str, stance: str) -> str:
    """Above a form prefilled with reasons the member gave for another stance."""
    return clip(
        _(
            "The text below is the rationale you wrote for “{earlier}”. Edit it to say why you now hold "
            "“{stance}”, or clear it to record no rationale."
        ).format(earlier=theme.label(earlier), stance=theme.label(stance)),
        FORM_TEXT,
    )


def position_not_stored() -> str:
    return _("Sorry, your position could not be recorded, so nothing was changed. Please try again.")


def position_unchanged(theme: ThemeConfig, stance: str) -> str:
    return _("Your position on **{theme}** is unchanged: **{stance}**, with the same rationale.").format(
        theme=theme.title, stance=theme.label(stance)
    )


def undeclared_hint() -> str:
    """Said once, with a member's first position when they have no profile."""
    return _(
        "You have no profile yet, so your positions count as “Undeclared”. Say which stakeholder group you "
        "speak from with `/profile set`: it applies to your past positions too."
    )


def page_label(way: str) -> str:
    return _("Previous") if way == "prev" else _("Next")


def about_embed(theme: ThemeConfig, participants: int) -> discord.Embed:
    embed = discord.Embed(title=clip(f"/{theme.slug} — {theme.title}", 256), description=theme.question, colour=COLOUR)
    embed.add_field(name=_("Context"), value=clip(theme.context or FORUM_CONTEXT, FIELD_VALUE), inline=False)
    options = [f"`{stance.key}` — {stance.label}" for stance in theme.stances]
    embed.add_field(name=_("Stances you can take"), value=join_within(options, FIELD_VALUE), inline=False)
    taken = (
        _("Nobody has taken a position yet.")
        if participants == 0
        else count_of(
            participants,
            "{count} participant has taken a position.",
            "{count} participants have taken a position.",
        )
    )
    embed.add_field(name=_("Participation"), value=taken, inline=False)
    embed.set_footer(
        text=_("Take yours with /{slug} position · see others with /{slug} positions").format(slug=theme.slug)
    )
    return embed


def _group_value(group: GroupTally) -> str:
    lines = [stance_line(item) for item in group.counts if item.count]
    return join_within(lines, FIELD_VALUE)


def tally_embed(theme: ThemeConfig, result: Tally) -> discord.Embed:
    embed = discord.Embed(title=clip(_("Tally — {theme}").format(theme=theme.title), 256), colour=COLOUR)
    if result.total == 0:
        first = _("No positions yet on this theme. Be the first: /{slug} position").format(slug=theme.slug)
        embed.description = f"{theme.question}\n\n{first}"
        return embed
    lines = [stance_line(item) for item in result.stances]
    total = "**" + _("Participants: {count}").format(count=result.total) + "**"
    embed.description = join_within([clip(theme.question, 600), "", *lines, "", total], EMBED_DESCRIPTION)
    for group in result.groups:
        embed.add_field(
            name=clip(f"{group_label(group.group)} ({group.total})", FIELD_NAME),
            value=_group_value(group),
            inline=True,
        )
    embed.set_footer(text=_("By stakeholder group · percentages are whole numbers rounded half up"))
    return fit_embed(embed)


def positions_embed(
    theme: ThemeConfig,
    page_items: Sequence[Position],
    page: int,
    pages: int,
    total: int,
    stance: str | None,
    named: bool,
    viewer: int | None = None,
    shown: frozenset[str] | None = None,
) -> discord.Embed:
    """One page of rationales; names only under `privacy.attribution = "named"` (Chatham House otherwise:
    the group when it is among `shown`, the groups big enough to name, else "a participant").
    The viewer's own entry is marked, so they find what they wrote among the others."""
    heading = _("Positions — {theme}").format(theme=theme.title)
    if stance:
        heading += f" · {theme.label(stance)}"
    embed = discord.Embed(title=clip(heading, 256), colour=COLOUR)
    if total == 0:
        embed.description = _("No positions to show yet.") if not stance else _("Nobody has taken this stance yet.")
        return embed
    attribution = _("names shown") if named else _("Chatham House rule: no names, only stakeholder groups")
    count = count_of(total, "{count} position", "{count} positions")
    embed.set_footer(
        text=_("Page {page} of {pages} · {count} · {attribution}").format(
            page=page + 1, pages=pages, count=count, attribution=attribution
        )
    )
    names = []
    for item in page_items:
        author = escape(item.display_name) if named else group_label(named_group(item.stakeholder, shown))
        number = f" · #{item.statement}" if item.statement is not None else ""
        mine = " · " + own_mark() if viewer is not None and item.user_id == viewer else ""
        names.append(clip(f"{theme.label(item.stance)} — {author}{number}{mine}", FIELD_NAME))
    # Every position on the page must show (one dropped here would be on no page at all), so the
    # rationales share what the embed has left, each visibly clipped if it must be.
    spare = EMBED_TOTAL - len(embed) - sum(len(name) for name in names)
    budget = min(FIELD_VALUE, spare // max(1, len(names)))
    for name, item in zip(names, page_items, strict=True):
        value = item.rationale or "*" + _("(no rationale given)") + "*"
        embed.add_field(name=name, value=clip(value, budget), inline=False)
    return fit_embed(embed)


def own_mark() -> str:
    """Beside the viewer's own entry in a list of everyone's."""
    return _("★ yours")


def _shortened(slug: str) -> str:
    return _("(shortened here; the full text is in `/{slug} positions`)").format(slug=slug)


def my_positions_embed(themes: Sequence[ThemeConfig], positions: Mapping[str, Position]) -> discord.Embed:
    """The caller's own positions across every theme, for `/profile show`: what they said, with the text
    they wrote. The texts share what the embed has room for; a text cut short says where the whole is."""
    embed = discord.Embed(title=_("Your positions"), colour=COLOUR)
    embed.set_footer(text=_("Change one with /<theme> position; withdraw with /<theme> withdraw"))
    fields: list[tuple[str, str, str | None, str]] = []  # name, heading, rationale, slug
    for theme in themes:
        held = positions.get(theme.slug)
        if held is None:
            heading, text = _("No position yet: `/{slug} position`").format(slug=theme.slug), None
        else:
            number = f" · #{held.statement}" if held.statement is not None else ""
            heading = f"**{theme.label(held.stance)}** · {stamp(held.updated_at, 'R')}{number}"
            text = held.rationale or None
            if text is None:
                heading += "\n*" + _("(no rationale given)") + "*"
        fields.append((clip(theme.title, FIELD_NAME), heading, text, theme.slug))
    fixed = len(embed) + sum(len(name) + len(heading) + 1 for name, heading, _text, _slug in fields)
    texts = [text for _name, _heading, text, _slug in fields if text]
    budget = (EMBED_TOTAL - fixed - 10) // max(1, len(texts))
    for name, heading, text, slug in fields:
        value = heading
        if text:
            room = min(FIELD_VALUE - len(heading) - 1, budget)
            if len(text) > room:
                note = "\n" + _shortened(slug)
                text = clip(text, max(0, room - len(note))) + note
            value = f"{heading}\n{text}"
        embed.add_field(name=name, value=clip(value, FIELD_VALUE), inline=False)
    return fit_embed(embed)


# --- /profile ------------------------------------------------------------------------------------


def profile_saved(stakeholder: str, region: str | None) -> str:
    where = f"{group_label(stakeholder)}, {group_label(region)}" if region else group_label(stakeholder)
    text = _("Profile saved: **{profile}**. All your positions in this server now count under this group.").format(
        profile=where
    )
    if region is None:
        text += " " + _(
            "You gave no region, so the breakdowns by UN regional group will not include you; add one any time "
            "with `/profile set`."
        )
    return text


def profile_text(stakeholder: str | None, region: str | None) -> str:
    if stakeholder is None:
        return _("You have no profile yet, so your positions count as **undeclared**. Set one with `/profile set`.")
    return _("Stakeholder group: **{group}**\nRegion: **{region}**").format(
        group=group_label(stakeholder), region=group_label(region) if region else _("not given")
    )


def language_saved(key: str) -> str:
    """Written in the language just chosen."""
    return _("From now on Concord answers you in {language} in this server.").format(language=NATIVE_NAMES[key])


def language_line(key: str | None) -> str:
    """`/profile show`'s line about the member's language (the language's name in itself)."""
    if key is None:
        return _("Language: not chosen (choose one with `/profile language`)")
    return _("Language: **{language}**").format(language=NATIVE_NAMES[key])


def not_a_listed_group() -> str:
    return _("Sorry, that is not one of the listed stakeholder groups or regions.")
