"""A digest as Discord messages: embeds packed into as many messages as the limits require.

Every list that could outgrow a limit ends with "and N more" instead of being cut silently;
quotes are excerpts marked with an ellipsis (the full text is in `/<slug> positions` and the
offline report). Each theme's chart (`digest-<slug>.png`, one theme per image, so Discord shows it
legibly) is attached to the message holding that theme's embed, and shown in it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import discord

from bot.core.digest import Digest, ThemeDigest
from bot.core.history import Shift
from bot.core.models import Attribution
from bot.core.polls import ClosedPoll
from bot.core.schedule import DeliveryError, DigestKind, Occurrence, RunState, RunStatus
from bot.core.tally import GroupTally
from bot.i18n import _, ngettext
from bot.render.digest_wording import (
    by_region_heading,
    by_stakeholder_heading,
    common_ground_heading,
    divides_heading,
    missing_heading,
    missing_lines,
    participants_line,
    poll_heading,
    polls_heading,
    quote_source,
)
from bot.render.discord.common import COLOUR, escape, stamp
from bot.render.discord.limits import (
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    EMBED_TOTAL,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    clip,
    join_within,
)
from bot.render.wording import (
    agreement_line,
    author,
    count_of,
    delivery_advice,
    digest_heading,
    digest_name,
    group_label,
    messages,
    participants,
    permission_names,
    score_label,
    shift_heading,
)
from bot.times import format_duration

QUOTE_CLIP = 280
ARGUMENT_CLIP = 160  # a common-ground or divide statement, quoted in a digest field with its groups
SHIFT_LABEL_CLIP = 60
BREAKDOWN_LABEL_CLIP = 32  # a stance label in a breakdown line
MAX_POLLS = 10
EMBED_BUDGET = EMBED_TOTAL - 100  # headroom for the "(continued)" title of a split embed


def chart_file(slug: str) -> str:
    """The name a theme's chart is attached under."""
    return f"digest-{slug}.png"


@dataclass(slots=True)
class DigestPart:
    """One message: its embeds and files (name, PNG bytes); a fresh discord.File is made per attempt."""

    embeds: list[discord.Embed]
    files: list[tuple[str, bytes]] = field(default_factory=list)

    def discord_files(self) -> list[discord.File]:
        return [discord.File(io.BytesIO(data), filename=name) for name, data in self.files]


@dataclass(slots=True)
class Section:
    title: str
    description: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""


def signed(change: int | None) -> str:
    """The change since the previous digest: " · +3", " · -1", " · ±0", or nothing when there was none."""
    if change is None:
        return ""
    return f" · {change:+d}" if change else " · ±0"


def digest_parts(
    digest: Digest,
    charts: Mapping[str, bytes] | None = None,
    *,
    preview: bool = False,
    session_ends: datetime | None = None,
) -> list[DigestPart]:
    """The whole digest as messages, each within every Discord limit, each theme's chart (`charts`, PNG by
    slug) in its theme's first embed. A preview says so in its heading, and (given `session_ends`) an
    after-session digest previewed before the session's end says that too."""
    charts = charts or {}
    embeds = pack_section(header_section(digest, preview=preview, session_ends=session_ends))
    attached: dict[int, tuple[str, bytes]] = {}  # id of the embed showing a chart -> its file
    for theme in digest.themes:
        packed = [embed for section in theme_sections(theme, digest) for embed in pack_section(section)]
        if theme.slug in charts:
            packed[0].set_image(url=f"attachment://{chart_file(theme.slug)}")
            attached[id(packed[0])] = (chart_file(theme.slug), charts[theme.slug])
        embeds += packed
    if digest.polls:
        embeds += pack_section(polls_section(digest.polls))
    parts = [DigestPart(group) for group in pack_messages(embeds)]
    for part in parts:
        part.files += [attached[id(embed)] for embed in part.embeds if id(embed) in attached]
    return parts


def header_section(digest: Digest, *, preview: bool = False, session_ends: datetime | None = None) -> Section:
    when = _("As of {moment}").format(moment=stamp(digest.as_of))
    if digest.previous_at:
        when += " · " + _("changes since the previous digest ({moment})").format(moment=stamp(digest.previous_at))
    lines = [when, ""]
    if preview:
        lines = [_("Only you see this preview; nothing is posted or recorded."), *lines]
    if digest.kind == DigestKind.AFTER and session_ends is not None and digest.as_of < session_ends:
        lines = [after_session_too_early(session_ends), *lines]
    for theme in digest.themes:
        lines.append(
            f"**{escape(theme.title)}**: {participants(theme.participants)}{signed(theme.participants_change)}"
        )
    if digest.polls:
        lines += ["", _("Polls closed since the previous digest: {count} (below).").format(count=len(digest.polls))]
    attribution = (
        _("Rationales are shown with names.")
        if digest.attribution == Attribution.NAMED
        else _("Chatham House rule: rationales are shown without names.")
    )
    heading = preview_heading(digest_heading(digest)) if preview else digest_heading(digest)
    return Section(heading, join_within(lines, EMBED_DESCRIPTION), footer=attribution)


def preview_heading(heading: str) -> str:
    return _("Preview · {heading}").format(heading=heading)


def after_session_too_early(session_ends: datetime) -> str:
    return _(
        "⚠️ The session has not ended yet (it ends {moment}): this after-session digest shows positions as they "
        "stand now, before the session's end."
    ).format(moment=stamp(session_ends))


def theme_sections(theme: ThemeDigest, digest: Digest) -> list[Section]:
    lines = [f"*{escape(clip(theme.question, 300))}*", ""]
    if theme.participants == 0 and not any(item.change for item in theme.stances):
        empty = _("No positions yet on this theme: /{slug} position").format(slug=theme.slug)
        return [Section(theme.title, "\n".join([*lines, empty]))]
    lines += [
        f"{escape(item.label)}: **{item.count}** ({item.percent}%){signed(item.change)}" for item in theme.stances
    ]
    total = f"**{participants_line(theme.participants)}**"
    lines += ["", total + signed(theme.participants_change)]
    section = Section(theme.title, join_within(lines, EMBED_DESCRIPTION))
    if theme.participants:
        section.fields.append((by_stakeholder_heading(), breakdown(theme.by_stakeholder, theme)))
        section.fields.append((by_region_heading(), breakdown(theme.by_region, theme)))
    missing = [clip(escape(line), FIELD_VALUE) for line in missing_lines(theme)]
    if missing:
        section.fields.append((missing_heading(), join_within(missing, FIELD_VALUE)))
    if theme.shift is not None and digest.shift_from is not None and (theme.shift.rows or theme.shift.unchanged):
        name = f"{shift_heading(digest.shift_basis)} ({stamp(digest.shift_from, 'd')})"
        section.fields.append((clip(name, FIELD_NAME), join_within(shift_lines(theme.shift, theme), FIELD_VALUE)))
    who = digest.attribution
    for stance in theme.quotes:
        budget = max(80, min(QUOTE_CLIP, (FIELD_VALUE - 120) // max(1, len(stance.quotes)) - 40))
        quotes = [
            f"> {escape(clip(one_line(q.text), budget))}\n— {quote_source(q.number, escape(author(q.author, who)))}"
            for q in stance.quotes
        ]
        if stance.more:
            quotes.append(_("… and {count} more: /{slug} positions").format(count=stance.more, slug=theme.slug))
        name = _("Rationales — {stance}").format(stance=stance.label)
        section.fields.append((clip(name, FIELD_NAME), join_within(quotes, FIELD_VALUE)))
    if theme.common_ground:
        section.fields.append((common_ground_heading(), join_within(common_lines(theme), FIELD_VALUE)))
    if theme.divides:
        section.fields.append((divides_heading(), join_within(divide_lines(theme), FIELD_VALUE)))
    return [section]


def _argument(number: int, text: str, label: str) -> str:
    return f"**#{number}** {escape(clip(one_line(text), ARGUMENT_CLIP))} ({escape(clip(label, SHIFT_LABEL_CLIP))})"


def common_lines(theme: ThemeDigest) -> list[str]:
    """Each statement of common ground: the argument, its stance and score, then each group's agreement."""
    lines = []
    for item in theme.common_ground:
        label = theme.stance_labels.get(item.argument.stance, item.argument.stance)
        head = f"{_argument(item.argument.number, item.argument.text, label)} · {score_label(item.consensus.score)}"
        lines.append(head + "\n" + " · ".join(agreement_line(group) for group in item.consensus.reacted))
    return lines


def divide_lines(theme: ThemeDigest) -> list[str]:
    lines = []
    for item in theme.divides:
        label = theme.stance_labels.get(item.argument.stance, item.argument.stance)
        groups = " · ".join(agreement_line(group) for group in (item.divide.high, item.divide.low))
        lines.append(f"{_argument(item.argument.number, item.argument.text, label)}\n{groups}")
    return lines


def breakdown(groups: Sequence[GroupTally], theme: ThemeDigest) -> str:
    """ "Civil society (4): Gaps in specific policy areas 3 · Widespread gaps 1": stances by their labels
    (shortened), never their keys, so no count reads like a word ("none 2")."""
    lines = []
    for group in groups:
        counts = " · ".join(
            f"{escape(short_label(theme.stance_labels.get(item.key, item.label)))} **{item.count}**"
            for item in group.counts
            if item.count
        )
        lines.append(f"{escape(group_label(group.group))} ({group.total}): {counts}")
    return join_within(lines, FIELD_VALUE)


def short_label(label: str) -> str:
    """A stance label short enough for a breakdown line."""
    return clip(label, BREAKDOWN_LABEL_CLIP)


def shift_lines(shift: Shift, theme: ThemeDigest) -> list[str]:
    """One line per move, by stance label (the headline of the after-session digest: say it in words)."""

    def name(key: str | None, empty: str) -> str:
        return empty if key is None else escape(clip(theme.stance_labels.get(key, key), SHIFT_LABEL_CLIP))

    lines = [f"{name(r.from_stance, _('joined'))} → {name(r.to_stance, _('withdrew'))}: {r.count}" for r in shift.rows]
    if not lines:
        lines.append(_("Nobody changed position."))
    lines.append(_("Unchanged: {count}").format(count=shift.unchanged))
    return lines


def polls_section(polls: Sequence[ClosedPoll]) -> Section:
    section = Section(polls_heading())
    for poll in polls[:MAX_POLLS]:
        lines = [f"{escape(option.label)}: {option.count} ({option.percent}%)" for option in poll.options]
        voters = _("Voters: {count}").format(count=poll.voters)
        lines.append(voters + (" · " + _("secret ballot") if poll.secret else ""))
        lines += poll_group_lines(poll)
        name = clip(poll_heading(poll.number, poll.question), FIELD_NAME)
        section.fields.append((name, join_within(lines, FIELD_VALUE)))
    if len(polls) > MAX_POLLS:
        section.description = _("… and {count} more: see /poll results").format(count=len(polls) - MAX_POLLS)
    return section


def poll_group_lines(poll: ClosedPoll) -> list[str]:
    """The poll's stakeholder breakdown as its results post shows it (small groups already merged into Other)."""
    lines = []
    for group in poll.groups:
        counts = " · ".join(
            f"{escape(short_label(option.label))} **{option.count}**" for option in group.options if option.count
        )
        lines.append(f"{escape(group_label(group.group))} ({group.voters}): {counts}")
    return lines


def one_line(text: str) -> str:
    """A rationale's lines joined, so the whole excerpt stays inside its "> " quote."""
    return " ".join(text.split())


def pack_section(section: Section) -> list[discord.Embed]:
    """One embed, or several titled "(continued)" when the fields exceed one embed's limits."""
    embeds = [_new_embed(section.title, section.description)]
    for name, value in section.fields:
        name, value = clip(name or "\u200b", FIELD_NAME), clip(value or "\u200b", FIELD_VALUE)
        current = embeds[-1]
        if len(current.fields) >= FIELDS or len(current) + len(name) + len(value) > EMBED_BUDGET:
            current = _new_embed(_("{title} (continued)").format(title=section.title), "")
            embeds.append(current)
        current.add_field(name=name, value=value, inline=False)
    if section.footer:
        embeds[-1].set_footer(text=section.footer)
    return embeds


def _new_embed(title: str, description: str) -> discord.Embed:
    return discord.Embed(title=clip(title, EMBED_TITLE), description=description or None, colour=COLOUR)


def pack_messages(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Greedy: as many embeds per message as fit in 10 embeds and 6000 characters in total."""
    messages: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        if not messages or len(messages[-1]) >= EMBEDS_PER_MESSAGE or size + len(embed) > EMBED_TOTAL:
            messages.append([])
            size = 0
        messages[-1].append(embed)
        size += len(embed)
    return messages


def continued_elsewhere(kind: DigestKind, sent: int, total: int) -> str:
    """The first line of a digest resumed in another channel, its own having gone part-way."""
    return ngettext(
        "↪ Continues the {digest} begun in a channel that is gone ({sent} of its {total} message went out there).",
        "↪ Continues the {digest} begun in a channel that is gone ({sent} of its {total} messages went out there).",
        total,
    ).format(digest=digest_name(kind).lower(), sent=sent, total=total)


# --- /digest schedule ----------------------------------------------------------------------------


def schedule_embed(
    channel_id: int | None,
    upcoming: Sequence[Occurrence],
    runs: Sequence[RunState],
    grace: timedelta,
) -> discord.Embed:
    """What `/digest schedule` shows: where digests go, what comes next, and anything missed or failing."""
    embed = discord.Embed(title=_("Digest schedule"), colour=COLOUR)
    if channel_id is None:
        embed.description = (
            "**"
            + _("No digest channel is set, so no digests will be posted in this server.")
            + "** "
            + _("An organiser can choose one with `/digest channel`.")
        )
    else:
        embed.description = _("Digests are posted in {channel}.").format(channel=f"<#{channel_id}>")
    next_lines = [f"{digest_name(o.kind)} — {stamp(o.due_at, 'F')} ({stamp(o.due_at, 'R')})" for o in upcoming]
    embed.add_field(
        name=_("Next"), value=join_within(next_lines or [_("Nothing scheduled.")], FIELD_VALUE), inline=False
    )
    problems = problem_lines(runs, grace)
    if problems:
        embed.add_field(name=_("Missed or failed"), value=join_within(problems, FIELD_VALUE), inline=False)
    posted = [r for r in runs if r.status == RunStatus.POSTED and r.posted_at is not None][-3:]
    if posted:
        lines = [f"{digest_name(r.kind)} — {stamp(r.posted_at, 'f')}" for r in reversed(posted) if r.posted_at]
        embed.add_field(name=_("Recently posted"), value=join_within(lines, FIELD_VALUE), inline=False)
    embed.set_footer(
        text=_("A digest not posted within {grace} of its time is recorded as missed.").format(
            grace=format_duration(grace)
        )
    )
    return embed


def problem_lines(runs: Sequence[RunState], grace: timedelta) -> list[str]:
    """Failing digests first (with what to do), then the most recent missed ones."""
    lines = []
    for run in runs:
        if run.status != RunStatus.PENDING or not run.attempts:
            continue
        where = " " + _("in {channel}").format(channel=f"<#{run.channel_id}>") if run.channel_id else ""
        retry = "; " + _("next try {when}").format(when=stamp(run.next_attempt_at, "R")) if run.next_attempt_at else ""
        sent = (
            " " + _("({sent} of {total} messages sent)").format(sent=run.parts_sent, total=run.parts_total)
            if run.parts_sent
            else ""
        )
        attempts = count_of(run.attempts, "{count} attempt", "{count} attempts")
        lines.append(
            _("⚠️ {digest} due {due}: could not post{where}{sent} — {advice} (`{error}`, {attempts}){retry}").format(
                digest=digest_name(run.kind),
                due=stamp(run.due_at, "f"),
                where=where,
                sent=sent,
                advice=delivery_advice(run.error_kind),
                error=clip(run.last_error or "", 80),
                attempts=attempts,
                retry=retry,
            )
        )
    missed = [run for run in runs if run.status == RunStatus.MISSED][-5:]
    for run in reversed(missed):
        reason = (
            _("last error: {error}").format(error=clip(run.last_error, 80))
            if run.last_error
            else _("the bot was not running in time")
        )
        cut = (
            "; " + _("only {sent} of its {total} messages went out").format(sent=run.parts_sent, total=run.parts_total)
            if run.parts_sent
            else ""
        )
        lines.append(
            _("✖ {digest} due {due}: missed, not posted more than {grace} late ({reason}{cut})").format(
                digest=digest_name(run.kind),
                due=stamp(run.due_at, "f"),
                grace=format_duration(grace),
                reason=reason,
                cut=cut,
            )
        )
    return lines


# --- replies of the digest commands --------------------------------------------------------------


def cannot_post_in(channel: str, missing: Sequence[str]) -> str:
    return _(
        "I can't post digests in {channel}: I am missing {permissions} there. Give me those permissions "
        "(or pick another channel) and run `/digest channel` again. Nothing was changed."
    ).format(channel=channel, permissions=permission_names(missing))


def channel_chosen(channel: str) -> str:
    return _("Digests for this server will be posted in {channel}. See what is coming with `/digest schedule`.").format(
        channel=channel
    )


def no_channel_yet() -> str:
    return _("There is no digest channel yet: choose one with `/digest channel` first.")


def posted_now(kind: DigestKind, channel_id: int, parts: int) -> str:
    return _("Posted the {digest} in {channel} ({count}).").format(
        digest=digest_name(kind).lower(), channel=f"<#{channel_id}>", count=messages(parts)
    )


def post_failed(kind: DigestKind, error: DeliveryError, retry_at: datetime | None) -> str:
    return _(
        "Could not post the {digest}: {advice}. It will be retried automatically ({retry}); "
        "`/digest schedule` shows how it goes."
    ).format(
        digest=digest_name(kind).lower(),
        advice=delivery_advice(error),
        retry=stamp(retry_at, "R") if retry_at else _("later"),
    )


def post_outcome_again(kind: DigestKind, posted: bool) -> str:
    """The second try at answering `/digest post`, shorter, whatever happened to the first answer."""
    if posted:
        return _("The {digest} was posted.").format(digest=digest_name(kind).lower())
    return _("The {digest} is recorded; `/digest schedule` shows how its posting goes.").format(
        digest=digest_name(kind).lower()
    )


def posted_already() -> str:
    return _("That digest has just been posted; nothing was posted twice.")


# --- the question before posting a digest again --------------------------------------------------


def repost_question(kind: DigestKind, posted_at: datetime) -> str:
    return _(
        "The {digest} was already posted {when} (by hand or by the schedule). Post it again? Members would see "
        "it twice."
    ).format(digest=digest_name(kind).lower(), when=stamp(posted_at, "R"))


def repost_label() -> str:
    return _("Post again")


def repost_cancel_label() -> str:
    return _("Cancel")


def reposting() -> str:
    return _("Posting it again…")


def repost_cancelled() -> str:
    return _("Cancelled: nothing was posted.")


def repost_expired() -> str:
    return _("No answer within two minutes, so nothing was posted. Use `/digest post` again if you meant to.")


def repost_not_yours() -> str:
    return _("Sorry, only the organiser who asked to post this digest can answer this question.")


def repost_decided() -> str:
    return _("This question has already been answered.")
