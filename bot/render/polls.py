"""What people see of a poll: the poll message and its buttons, results, the open-poll list, confirmations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import discord

from bot.core.polls import Click, ClickKind, OptionResult, PollInfo, PollResults
from bot.render.limits import EMBED_DESCRIPTION, FIELD_NAME, FIELD_VALUE, clip, fit_embed, join_within
from bot.render.wording import group_label

COLOUR = discord.Colour.from_rgb(255, 204, 0)  # the EU flag's gold, beside the themes' blue
CUSTOM_ID_TEMPLATE = r"poll:(?P<poll>[0-9]+):(?P<choice>[0-9]+|retract)"
RETRACT_LABEL = "Retract my vote"
BUTTONS_PER_ROW = 5


@dataclass(frozen=True, slots=True)
class ButtonSpec:
    """One button of the poll message; the cog turns these into persistent DynamicItem buttons."""

    custom_id: str
    label: str
    row: int
    retract: bool
    disabled: bool


def option_custom_id(poll_id: int, position: int) -> str:
    return f"poll:{poll_id}:{position}"


def retract_custom_id(poll_id: int) -> str:
    return f"poll:{poll_id}:retract"


def poll_buttons(poll: PollInfo, *, disabled: bool) -> list[ButtonSpec]:
    """Answers five to a row, in the order typed, then "Retract my vote" on a row of its own."""
    specs = [
        ButtonSpec(option_custom_id(poll.id, position), clip(label, 80), position // BUTTONS_PER_ROW, False, disabled)
        for position, label in enumerate(poll.options)
    ]
    last_row = (len(poll.options) - 1) // BUTTONS_PER_ROW + 1
    specs.append(ButtonSpec(retract_custom_id(poll.id), RETRACT_LABEL, last_row, True, disabled))
    return specs


def when(moment: datetime) -> str:
    """A Discord timestamp every reader sees in their own timezone, with the relative time beside it."""
    return f"{discord.utils.format_dt(moment, 'F')} ({discord.utils.format_dt(moment, 'R')})"


def _question(poll: PollInfo, limit: int = EMBED_DESCRIPTION) -> str:
    return discord.utils.escape_markdown(clip(poll.question, limit))


def poll_embed(poll: PollInfo, theme_title: str | None = None) -> discord.Embed:
    """The public poll message; once the poll is closed the same message says so (its buttons are disabled)."""
    status = "Closed" if poll.is_closed else "Open"
    embed = discord.Embed(title=f"Poll #{poll.number} · {status}", description=_question(poll), colour=COLOUR)
    if poll.is_closed and poll.closed_at is not None:
        embed.add_field(name="Closed", value=when(poll.closed_at), inline=False)
    else:
        embed.add_field(name="Closes", value=when(poll.closes_at), inline=False)
    ballot = (
        "Secret: the bot stores no Discord id with your vote, and at close only the counts are kept."
        if poll.secret
        else "Open ballot: one vote per person, stored with your Discord id (never shown)."
    )
    embed.add_field(name="Ballot", value=ballot, inline=False)
    choose = "One answer" if poll.max_choices == 1 else f"Up to {poll.max_choices} answers (click to add or remove)"
    embed.add_field(name="Choose", value=choose, inline=True)
    if poll.is_closed:
        shown = "In the reply to this poll"
    elif poll.hide_results:
        shown = "Hidden until the poll closes"
    else:
        shown = f"Any time: `/poll results poll:{poll.number}`"
    embed.add_field(name="Results", value=shown, inline=True)
    if theme_title:
        embed.add_field(name="Theme", value=clip(f"{theme_title} (/{poll.theme})", FIELD_VALUE), inline=True)
    footer = (
        "This poll has closed: the results are in the reply below."
        if poll.is_closed
        else "Click an answer to vote; click another to change it. You can retract your vote until the poll closes."
    )
    embed.set_footer(text=footer)
    return embed


def option_line(item: OptionResult) -> str:
    """The line users read and tests assert: `<label>: <count> (<pct>%)`."""
    return f"{discord.utils.escape_markdown(item.label)}: {item.count} ({item.percent}%)"


def results_embed(poll: PollInfo, shown: PollResults) -> discord.Embed:
    embed = discord.Embed(title=f"Results · Poll #{poll.number}", colour=COLOUR)
    heading = _question(poll, 600)
    if shown.voters == 0:
        status = "Nobody voted." if poll.is_closed else "Nobody has voted yet."
        embed.description = f"{heading}\n\n{status}"
        return embed
    lines = [option_line(item) for item in shown.options]
    voters = f"**Voters: {shown.voters}**"
    embed.description = join_within([heading, "", *lines, "", voters], EMBED_DESCRIPTION)
    for group in shown.groups:
        value = join_within([option_line(item) for item in group.options if item.count], FIELD_VALUE)
        embed.add_field(name=clip(f"{group_label(group.group)} ({group.voters})", FIELD_NAME), value=value or "—")
    notes = ["By stakeholder group at the time of voting; groups of fewer than 3 voters are merged into Other"]
    notes.append("percentages are of voters, whole numbers rounded half up")
    if poll.max_choices > 1:
        notes.append(f"each voter could choose up to {poll.max_choices} answers")
    if not poll.is_closed:
        notes.append("the poll is still open")
    embed.set_footer(text=" · ".join(notes))
    return fit_embed(embed)


def closed_text(poll: PollInfo) -> str:
    return f"Poll #{poll.number} has closed. Here are the results."


def hidden_results_text(poll: PollInfo, voters: int, now: datetime) -> str:
    if now >= poll.closes_at:  # past the deadline, not sealed yet: the tick that seals it is moments away
        return (
            f"Poll #{poll.number} closed {when(poll.closes_at)} ({voters} {'voter' if voters == 1 else 'voters'}); "
            "its results are being counted and will be posted in reply to it shortly."
        )
    people = (
        "Nobody has voted yet" if voters == 0 else f"{voters} {'person has' if voters == 1 else 'people have'} voted"
    )
    return (
        f"The results of poll #{poll.number} are hidden until it closes {when(poll.closes_at)}, for everyone "
        f"(facilitators included), so early votes don't sway later ones. {people} so far."
    )


def closing_soon_text(poll: PollInfo) -> str:
    return (
        f"⏳ Poll #{poll.number} closes {discord.utils.format_dt(poll.closes_at, 'R')} "
        f"({discord.utils.format_dt(poll.closes_at, 'F')}). Haven't voted yet? Click an answer on the poll above."
    )


def created_text(poll: PollInfo, jump_url: str, clamped_from: int | None) -> str:
    lines = [f"Poll #{poll.number} is open until {when(poll.closes_at)}: {jump_url}"]
    if clamped_from is not None:
        lines.append(f"(You asked for up to {clamped_from} answers; it has {len(poll.options)}, so that is the limit.)")
    lines.append(f"Close it early with `/poll close poll:{poll.number}`.")
    return "\n".join(lines)


def _choices(poll: PollInfo, positions: frozenset[int]) -> str:
    return ", ".join(f"**{discord.utils.escape_markdown(poll.options[p])}**" for p in sorted(positions))


def vote_text(poll: PollInfo, click: Click) -> str:
    """The ephemeral confirmation of a click, naming the choice."""
    label = f"**{discord.utils.escape_markdown(poll.options[click.option])}**"
    where = f"poll #{poll.number}"
    match click.kind:
        case ClickKind.RECORDED:
            text = f"Your vote on {where} is recorded: {label}."
        case ClickKind.CHANGED:
            text = f"Your vote on {where} is changed to {label} (it was {_choices(poll, click.previous)})."
        case ClickKind.CONFIRMED:
            text = f"You have already voted {label} on {where}; your vote stands."
        case ClickKind.ADDED:
            text = f"Added {label} to your vote on {where}."
        case ClickKind.REMOVED:
            text = f"Removed {label} from your vote on {where}."
        case ClickKind.FULL:
            text = (
                f"You have already chosen {poll.max_choices} answers, the most {where} allows: "
                f"{_choices(poll, click.choices)}. Click one of them to remove it first."
            )
    if poll.max_choices > 1 and click.kind in (ClickKind.RECORDED, ClickKind.ADDED, ClickKind.REMOVED):
        if click.choices:
            text += (
                f" Your choices ({len(click.choices)} of up to {poll.max_choices}): {_choices(poll, click.choices)}."
            )
        else:
            text += " You have no answers chosen, so you have no vote on this poll."
    if poll.secret and click.kind is not ClickKind.FULL:
        text += " (Secret ballot: stored without your Discord id.)"
    return text


def retract_text(poll: PollInfo, previous: frozenset[int]) -> str:
    if not previous:
        return f"You have no vote on poll #{poll.number} to retract."
    return f"Your vote on poll #{poll.number} ({_choices(poll, previous)}) is retracted."


def closed_vote_text(poll: PollInfo) -> str:
    number = poll.number
    return f"Sorry, poll #{number} has closed, so votes are no longer counted. See `/poll results poll:{number}`."


def list_embed(polls: Sequence[PollInfo], guild_id: int) -> discord.Embed:
    embed = discord.Embed(title="Open polls", colour=COLOUR)
    if not polls:
        embed.description = "No polls are open in this server right now."
        return embed
    lines = []
    for poll in polls:
        link = (
            f" · [poll](https://discord.com/channels/{guild_id}/{poll.channel_id}/{poll.message_id})"
            if poll.message_id
            else ""
        )
        secret = " · secret ballot" if poll.secret else ""
        lines.append(f"**#{poll.number}** {_question(poll, 100)}\ncloses {when(poll.closes_at)}{secret}{link}")
    embed.description = join_within(lines, EMBED_DESCRIPTION)
    return embed
