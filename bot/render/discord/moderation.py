"""Moderation in Discord: the Report button and form, `/moderate queue`, the replies to hide, restore
and keep, the author's DM and `/moderate log`. Every reason and excerpt is user text: escaped and
clipped, and sent without mentions by the cog."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.moderation import LogEntry, Moderated, ModerationAction, QueuedStatement, Reported
from bot.i18n import _
from bot.render.discord.common import COLOUR, escape, stamp
from bot.render.discord.limits import EMBED_DESCRIPTION, EMBED_TITLE, FIELD_VALUE, clip, fit_embed, join_within

EXCERPT = 200  # characters of a statement quoted in the queue


def number(statement: int) -> str:
    return f"#{statement}"


def report_label() -> str:
    return _("Report")


def hide_label() -> str:
    return _("Hide")


def keep_label() -> str:
    return _("Keep")


def report_form_title(statement: int) -> str:
    return clip(_("Report {number}").format(number=number(statement)), 45)


def report_reason_label() -> str:
    return _("Why? (optional)")


def hide_form_title(statement: int) -> str:
    return clip(_("Hide {number}").format(number=number(statement)), 45)


def hide_reason_label() -> str:
    return _("Reason (the author is told)")


def reported(outcome: Reported, statement: int) -> str:
    values = {"number": number(statement)}
    match outcome:
        case Reported.RECORDED:
            text = _("Thank you: {number} is reported to the facilitators, and you will not be shown it again.")
        case Reported.ALREADY:
            text = _("You already reported {number}; the facilitators have it.")
        case Reported.OWN:
            text = _("{number} is your own statement: you can change or withdraw it with your position.")
        case Reported.NOT_CURRENT:
            text = _("{number} is no longer shown in this server's discussion, so there is nothing to report.")
    return text.format(**values)


def queue_empty() -> str:
    return _("No reported statement is waiting. Reports made with the Report button in discuss appear here.")


def queue_content(shown: int) -> str:
    return _("Reported statements, most reports first ({count} shown). Hide asks for a reason.").format(count=shown)


def queue_embed(item: QueuedStatement, theme_title: str) -> discord.Embed:
    title = _("{number} · {theme}").format(number=number(item.number), theme=theme_title)
    embed = discord.Embed(title=clip(title, EMBED_TITLE), description=escape(clip(item.text, EXCERPT)), colour=COLOUR)
    embed.set_footer(text=_("Reports: {count}").format(count=item.reports))
    return fit_embed(embed)


def moderated(outcome: Moderated, action: ModerationAction, statement: int) -> str:
    values = {"number": number(statement)}
    match outcome:
        case Moderated.UNKNOWN:
            return _("There is no statement {number} in this server.").format(**values)
        case Moderated.ALREADY_HIDDEN:
            return _("{number} is already hidden; `/moderate restore` brings it back.").format(**values)
        case Moderated.NOT_HIDDEN:
            return _("{number} is not hidden, so there is nothing to restore.").format(**values)
    match action:
        case ModerationAction.HIDE:
            text = _("Hidden: {number} no longer appears in discussions, positions, digests or reports.")
        case ModerationAction.RESTORE:
            text = _("Restored: {number} is shown again everywhere, with its reactions.")
        case ModerationAction.KEEP:
            text = _("Kept: {number} stays visible and leaves the queue.")
    return text.format(**values)


def author_told(told: bool) -> str:
    if told:
        return _("Its author was told why by direct message.")
    return _("Its author could not be told (their direct messages are closed); the log says so.")


def author_dm(guild_name: str, theme_title: str, statement: int, reason: str) -> str:
    text = _(
        "A facilitator of **{server}** hid your statement {number} on **{theme}**. Your stance still counts. "
        "Reason: {reason}"
    ).format(server=escape(guild_name), number=number(statement), theme=theme_title, reason=escape(reason))
    return clip(text, 2000)


def need_reason() -> str:
    return _("Please give a reason: the author is told why their statement was hidden.")


def log_empty() -> str:
    return _("No moderation action has been taken in this server yet.")


def _action_word(action: ModerationAction) -> str:
    match action:
        case ModerationAction.HIDE:
            return _("hid")
        case ModerationAction.RESTORE:
            return _("restored")
        case ModerationAction.KEEP:
            return _("kept")


def _log_line(entry: LogEntry, theme_title: str) -> str:
    line = _("{when} · <@{who}> {action} {number} ({theme})").format(
        when=stamp(entry.at, "f"),
        who=entry.moderator_id,
        action=_action_word(entry.action),
        number=number(entry.number),
        theme=theme_title,
    )
    if entry.reason:
        line += " — " + escape(clip(entry.reason, 300))
    if entry.author_told is False:
        line += " " + _("(author not told: DMs closed)")
    elif entry.author_told:
        line += " " + _("(author told by DM)")
    return clip(line, FIELD_VALUE)


def log_embed(entries: Sequence[LogEntry], theme_titles: dict[str, str]) -> discord.Embed:
    lines = [_log_line(entry, theme_titles.get(entry.theme, entry.theme)) for entry in entries]
    embed = discord.Embed(title=_("Moderation log"), description=join_within(lines, EMBED_DESCRIPTION), colour=COLOUR)
    return fit_embed(embed)
