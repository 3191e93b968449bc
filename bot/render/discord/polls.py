"""What people see of a poll: the poll message and its buttons, results, the poll list, confirmations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import discord

from bot.core.polls import MAX_OPTIONS, MIN_GROUP_VOTERS, Click, ClickKind, OptionResult, PollInfo, PollResults
from bot.core.schedule import DeliveryError
from bot.i18n import N_, _
from bot.render.discord.common import COLOUR_GOLD as COLOUR
from bot.render.discord.common import escape, stamp, when
from bot.render.discord.limits import EMBED_DESCRIPTION, FIELD_NAME, FIELD_VALUE, clip, fit_embed, join_within
from bot.render.wording import count_of, delivery_advice, group_label, permission_names

BUTTONS_PER_ROW = 5
MAX_HOURS = 768


@dataclass(frozen=True, slots=True)
class ButtonSpec:
    """One button of the poll message: the answer it votes for (None: retract), its label and row."""

    position: int | None
    label: str
    row: int
    disabled: bool

    @property
    def retract(self) -> bool:
        return self.position is None


def retract_label() -> str:
    return _("Retract my vote")


def poll_buttons(poll: PollInfo, *, disabled: bool) -> list[ButtonSpec]:
    """Answers five to a row, in the order typed, then "Retract my vote" on a row of its own."""
    specs = [
        ButtonSpec(position, clip(label, 80), position // BUTTONS_PER_ROW, disabled)
        for position, label in enumerate(poll.options)
    ]
    last_row = (len(poll.options) - 1) // BUTTONS_PER_ROW + 1
    specs.append(ButtonSpec(None, retract_label(), last_row, disabled))
    return specs


def _question(poll: PollInfo, limit: int = EMBED_DESCRIPTION) -> str:
    return escape(clip(poll.question, limit))


def poll_embed(poll: PollInfo, theme_title: str | None = None) -> discord.Embed:
    """The public poll message; once the poll is closed the same message says so (its buttons are disabled)."""
    status = _("Closed") if poll.is_closed else _("Open")
    title = _("Poll #{number} · {status}").format(number=poll.number, status=status)
    embed = discord.Embed(title=title, description=_question(poll), colour=COLOUR)
    if poll.is_closed and poll.closed_at is not None:
        embed.add_field(name=_("Closed"), value=when(poll.closed_at), inline=False)
    else:
        embed.add_field(name=_("Closes"), value=when(poll.closes_at), inline=False)
    ballot = (
        _("Secret: the bot stores no Discord id with your vote, and at close only the counts are kept.")
        if poll.secret
        else _("Open ballot: one vote per person, stored with your Discord id (never shown).")
    )
    embed.add_field(name=_("Ballot"), value=ballot, inline=False)
    choose = (
        _("One answer")
        if poll.max_choices == 1
        else _("Up to {count} answers (click to add or remove)").format(count=poll.max_choices)
    )
    embed.add_field(name=_("Choose"), value=choose, inline=True)
    if poll.is_closed:
        shown = _("In the reply to this poll")
    elif poll.hide_results:
        shown = _("Hidden until the poll closes")
    else:
        shown = _("Any time: `/poll results poll:{number}`").format(number=poll.number)
    embed.add_field(name=_("Results"), value=shown, inline=True)
    if theme_title:
        embed.add_field(name=_("Theme"), value=clip(f"{theme_title} (/{poll.theme})", FIELD_VALUE), inline=True)
    footer = (
        _("This poll has closed: the results are in the reply below.")
        if poll.is_closed
        else _("Click an answer to vote; click another to change it. You can retract your vote until the poll closes.")
    )
    embed.set_footer(text=footer)
    return embed


def option_line(item: OptionResult) -> str:
    """The line users read and tests assert: `<label>: <count> (<pct>%)`."""
    return f"{escape(item.label)}: {item.count} ({item.percent}%)"


def results_embed(poll: PollInfo, shown: PollResults, min_group: int = MIN_GROUP_VOTERS) -> discord.Embed:
    embed = discord.Embed(title=_("Results · Poll #{number}").format(number=poll.number), colour=COLOUR)
    heading = _question(poll, 600)
    if shown.voters == 0:
        status = _("Nobody voted.") if poll.is_closed else _("Nobody has voted yet.")
        embed.description = f"{heading}\n\n{status}"
        return embed
    lines = [option_line(item) for item in shown.options]
    voters = "**" + _("Voters: {count}").format(count=shown.voters) + "**"
    embed.description = join_within([heading, "", *lines, "", voters], EMBED_DESCRIPTION)
    for group in shown.groups:
        value = join_within([option_line(item) for item in group.options if item.count], FIELD_VALUE)
        embed.add_field(name=clip(f"{group_label(group.group)} ({group.voters})", FIELD_NAME), value=value or "—")
    notes = [
        _(
            "By stakeholder group at the time of voting; groups of fewer than {count} voters are merged into Other"
        ).format(count=min_group),
        _("percentages are of voters, whole numbers rounded half up"),
    ]
    if poll.max_choices > 1:
        notes.append(_("each voter could choose up to {count} answers").format(count=poll.max_choices))
    if not poll.is_closed:
        notes.append(_("the poll is still open"))
    embed.set_footer(text=" · ".join(notes))
    return fit_embed(embed)


def closed_text(poll: PollInfo) -> str:
    return _("Poll #{number} has closed. Here are the results.").format(number=poll.number)


def hidden_results_text(poll: PollInfo, voters: int, now: datetime) -> str:
    if now >= poll.closes_at:  # past the deadline, not sealed yet: the tick that seals it is moments away
        return _(
            "Poll #{number} closed {when} ({voters}); its results are being counted and will be posted in "
            "reply to it shortly."
        ).format(
            number=poll.number,
            when=when(poll.closes_at),
            voters=count_of(voters, "{count} voter", "{count} voters"),
        )
    people = (
        _("Nobody has voted yet")
        if voters == 0
        else count_of(voters, "{count} person has voted", "{count} people have voted")
    )
    return _(
        "The results of poll #{number} are hidden until it closes {when}, for everyone (facilitators included), "
        "so early votes don't sway later ones. {people} so far."
    ).format(number=poll.number, when=when(poll.closes_at), people=people)


def closing_soon_text(poll: PollInfo) -> str:
    return _(
        "⏳ Poll #{number} closes {relative} ({moment}). Haven't voted yet? Click an answer on the poll above."
    ).format(
        number=poll.number,
        relative=discord.utils.format_dt(poll.closes_at, "R"),
        moment=discord.utils.format_dt(poll.closes_at, "F"),
    )


def created_text(poll: PollInfo, jump_url: str, clamped_from: int | None) -> str:
    lines = [
        _("Poll #{number} is open until {when}: {link}").format(
            number=poll.number, when=when(poll.closes_at), link=jump_url
        )
    ]
    if clamped_from is not None:
        lines.append(
            _("(You asked for up to {asked} answers; it has {count}, so that is the limit.)").format(
                asked=clamped_from, count=len(poll.options)
            )
        )
    lines.append(_("Close it early with `/poll close poll:{number}`.").format(number=poll.number))
    return "\n".join(lines)


def _choices(poll: PollInfo, positions: frozenset[int]) -> str:
    return ", ".join(f"**{escape(poll.options[p])}**" for p in sorted(positions))


def vote_text(poll: PollInfo, click: Click) -> str:
    """The ephemeral confirmation of a click, naming the choice."""
    label = f"**{escape(poll.options[click.option])}**"
    where = _("poll #{number}").format(number=poll.number)
    match click.kind:
        case ClickKind.RECORDED:
            text = _("Your vote on {poll} is recorded: {choice}.").format(poll=where, choice=label)
        case ClickKind.CHANGED:
            text = _("Your vote on {poll} is changed to {choice} (it was {before}).").format(
                poll=where, choice=label, before=_choices(poll, click.previous)
            )
        case ClickKind.CONFIRMED:
            text = _("You have already voted {choice} on {poll}; your vote stands.").format(choice=label, poll=where)
        case ClickKind.ADDED:
            text = _("Added {choice} to your vote on {poll}.").format(choice=label, poll=where)
        case ClickKind.REMOVED:
            text = _("Removed {choice} from your vote on {poll}.").format(choice=label, poll=where)
        case ClickKind.FULL:
            text = _(
                "You have already chosen {count} answers, the most {poll} allows: {choices}. "
                "Click one of them to remove it first."
            ).format(count=poll.max_choices, poll=where, choices=_choices(poll, click.choices))
    if poll.max_choices > 1 and click.kind in (ClickKind.RECORDED, ClickKind.ADDED, ClickKind.REMOVED):
        if click.choices:
            text += " " + _("Your choices ({count} of up to {most}): {choices}.").format(
                count=len(click.choices), most=poll.max_choices, choices=_choices(poll, click.choices)
            )
        else:
            text += " " + _("You have no answers chosen, so you have no vote on this poll.")
    if poll.secret and click.kind is not ClickKind.FULL:
        text += " " + _("(Secret ballot: stored without your Discord id.)")
    return text


def own_vote_text(poll: PollInfo, choices: frozenset[int] | None) -> str | None:
    """Beside a poll's results, what the caller chose; after a secret poll closes, why that cannot be said.
    Nothing for a closed poll the caller did not vote on."""
    if choices is None:
        return _(
            "Your vote: no longer linkable to you, by design. Poll #{number} was a secret ballot: at close its "
            "ballots became counts and the key that matched them to voters was erased."
        ).format(number=poll.number)
    if not choices:
        if poll.is_closed:
            return None
        return _("Your vote: none yet. Click an answer on the poll to vote.")
    return _("Your vote: {choices}.").format(choices=_choices(poll, choices))


def retract_text(poll: PollInfo, previous: frozenset[int]) -> str:
    if not previous:
        return _("You have no vote on poll #{number} to retract.").format(number=poll.number)
    return _("Your vote on poll #{number} ({choices}) is retracted.").format(
        number=poll.number, choices=_choices(poll, previous)
    )


def closed_vote_text(poll: PollInfo) -> str:
    return _(
        "Sorry, poll #{number} has closed, so votes are no longer counted. See `/poll results poll:{number}`."
    ).format(number=poll.number)


RECENTLY_CLOSED = 10  # closed polls `/poll list` shows, latest first


def _link(poll: PollInfo, guild_id: int) -> str:
    if not poll.message_id:
        return ""
    return " · [" + _("poll") + f"](https://discord.com/channels/{guild_id}/{poll.channel_id}/{poll.message_id})"


def list_embed(
    polls: Sequence[PollInfo],
    guild_id: int,
    failing: Sequence[PollInfo] = (),
    closed: Sequence[PollInfo] = (),
) -> discord.Embed:
    """The open polls; the recently closed ones with their numbers (so last week's poll can be found); and,
    for facilitators to act on, closed polls whose results could not be shown yet."""
    embed = discord.Embed(title=_("Polls"), colour=COLOUR)
    if failing:
        lines = [f"**#{poll.number}** {_question(poll, 100)}\n{delivery_problem(poll)}" for poll in failing]
        embed.add_field(name=_("Closed, not fully shown yet"), value=join_within(lines, FIELD_VALUE), inline=False)
    shown_closed = [poll for poll in closed if poll.id not in {failed.id for failed in failing}]
    if shown_closed:
        lines = []
        for poll in shown_closed:
            moment = _("closed {when}").format(when=stamp(poll.closed_at or poll.closes_at, "R"))
            secret = " · " + _("secret ballot") if poll.secret else ""
            lines.append(f"**#{poll.number}** {_question(poll, 60)} · {moment}{secret}")
        embed.add_field(name=_("Recently closed"), value=join_within(lines, FIELD_VALUE), inline=False)
        embed.set_footer(text=_("Any poll's results: /poll results poll:<number>"))
    if not polls:
        embed.description = _("No polls are open in this server right now.")
        return fit_embed(embed)
    lines = []
    for poll in polls:
        secret = " · " + _("secret ballot") if poll.secret else ""
        closes = _("closes {when}").format(when=when(poll.closes_at))
        problem = f"\n{delivery_problem(poll)}" if poll.notice_failing else ""
        lines.append(f"**#{poll.number}** {_question(poll, 100)}\n{closes}{secret}{_link(poll, guild_id)}{problem}")
    embed.description = join_within([f"**{_('Open')}**", *lines], EMBED_DESCRIPTION)
    return fit_embed(embed)


# --- replies of the poll commands ----------------------------------------------------------------


def bad_numbers() -> str:
    return _("Sorry, `hours` must be 1 to {hours} and `max_choices` 1 to {choices}. Nothing was posted.").format(
        hours=MAX_HOURS, choices=MAX_OPTIONS
    )


def unknown_theme(typed: str, slugs: Sequence[str]) -> str:
    return _("Sorry, `{typed}` is not a theme of this forum. Choose one of: {slugs}.").format(
        typed=clip(typed, 40), slugs=clip(", ".join(f"`{slug}`" for slug in slugs), 1500)
    )


def not_a_text_channel() -> str:
    return _("Sorry, polls can only be posted in a text channel or thread.")


def cannot_post_poll(missing: Sequence[str]) -> str:
    return _(
        "Sorry, I can't post a poll in this channel: I am missing {permissions} here. Ask someone who manages "
        "the server to give me those permissions (or use another channel). Nothing was posted."
    ).format(permissions=permission_names(missing))


_NOT_POSTED = {
    DeliveryError.FORBIDDEN: N_("Discord refused me permission to post here"),
    DeliveryError.CHANNEL: N_("this channel is gone or out of my reach"),
    DeliveryError.SERVER: N_("Discord failed"),
    DeliveryError.TIMEOUT: N_("Discord did not answer, twice"),
}


def could_not_post(kind: DeliveryError, reason: str, *, may_show: bool) -> str:
    """The poll was discarded; `may_show` when Discord's answer was lost, so a late message may still appear."""
    why = _(_NOT_POSTED.get(kind, N_("something went wrong")))
    text = _("Sorry, I could not post the poll: {why} (Discord said: {reason}). Nothing was saved.").format(
        why=why, reason=clip(reason, 200)
    )
    if may_show:
        text += " " + _("If the poll appears anyway, it takes no votes: delete it.")
    return text


def created_again(poll: PollInfo, jump_url: str) -> str:
    """The confirmation's second try, shorter: the poll is posted, whatever happened to the first answer."""
    return _("Poll #{number} was posted: {link}").format(number=poll.number, link=jump_url)


def closed_again(number: int) -> str:
    return _("Poll #{number} is closed. `/poll list` and `/poll results` show how its delivery went.").format(
        number=number
    )


def no_such_poll(number: int) -> str:
    return _("There is no poll #{number} in this server. `/poll list` shows the open ones.").format(number=number)


def already_closed(number: int) -> str:
    return _("Poll #{number} is already closed. See `/poll results poll:{number}`.").format(number=number)


def closed_now(poll: PollInfo) -> str:
    if poll.delivered:
        if poll.results_message_id == 0:  # the channel is gone
            return _(
                "Poll #{number} is closed. Its channel is gone, so its results are only in `/poll results`."
            ).format(number=poll.number)
        return _("Poll #{number} is closed; its results are posted in reply to it.").format(number=poll.number)
    text = _(
        "Poll #{number} is closed and no more votes count, but Discord refused to show it just now; "
        "the bot will retry by itself."
    ).format(number=poll.number)
    problem = delivery_problem(poll)
    return f"{text}\n{problem}" if problem else text


_POLL_ADVICE = {
    DeliveryError.FORBIDDEN: N_(
        "the bot lacks permission there: give it View Channel, Send Messages, Embed Links and Read Message History"
    ),
    DeliveryError.CHANNEL: N_("Discord could not find the poll's message or channel"),
}


def delivery_problem(poll: PollInfo) -> str | None:
    """What failed in showing a poll (its closing, or its closing-soon notice), what to do, and the next try;
    None when nothing is failing."""
    if poll.closing_failing:
        what = (
            _("its results could not be posted yet")
            if poll.results_message_id is None
            else _("its buttons could not be disabled yet")
        )
        attempts, retry = poll.close_attempts, poll.close_retry_at
    elif poll.notice_failing:
        what, attempts, retry = _("its closing-soon notice could not be posted"), poll.soon_attempts, poll.soon_retry_at
    else:
        return None
    advice = _(_POLL_ADVICE[poll.error_kind]) if poll.error_kind in _POLL_ADVICE else delivery_advice(poll.error_kind)
    text = _("⚠️ Poll #{number}: {what} in {channel}: {advice} (`{error}`, {attempts}).").format(
        number=poll.number,
        what=what,
        channel=f"<#{poll.channel_id}>",
        advice=advice,
        error=clip(poll.last_error or "", 80),
        attempts=count_of(attempts, "{count} attempt", "{count} attempts"),
    )
    if retry is not None:
        text += " " + _("The bot retries by itself, next {when}.").format(when=stamp(retry, "R"))
    return text


def poll_gone() -> str:
    return _("Sorry, this poll no longer exists.")


def poll_elsewhere() -> str:
    return _("Sorry, this poll belongs to another server; you can only vote on it there.")


def no_such_answer() -> str:
    return _("Sorry, that answer is not on this poll.")


def vote_not_stored() -> str:
    return _("Sorry, your vote could not be recorded, so nothing was changed. Please click again.")
