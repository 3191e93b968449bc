"""Chapter "digests": the organiser picks a digest channel; the bot's scheduler posts every digest on time.

Weekly digests while the discussion runs, the before-session digest, the live session, then the
after-session digest with its shift table: all posted by the bot's own scheduled work (`bot.tick()`
at each due time, as APScheduler would in production). As soon as the bot has posted a digest, the
rehearsal builds it again with the same core from the same store data, checks it against the messages
in the channel, and writes it to the output folder as Markdown and HTML with the PNG chart the bot
attached. At the end the store is checked: every occurrence posted once, on time, none missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING

from bot.core.digest import Digest, DigestRequest, build_digest
from bot.core.schedule import DigestPlan, RunState, RunStatus
from bot.i18n import language
from bot.render.charts import digest_chart_png
from bot.render.digest_wording import joined_label, shift_label, withdrew_label
from bot.render.discord.digests import chart_file, digest_parts
from bot.render.report.html_page import digest_html
from bot.render.report.markdown import digest_markdown
from bot.render.wording import digest_title, shift_basis
from rehearsal.record import short_time
from rehearsal.rehearsal import DemoError, Step, discord_times, expect
from rehearsal.timeline import Calendar, Section

if TYPE_CHECKING:
    import discord
    import simcord

    from rehearsal.rehearsal import Rehearsal

DIGESTS_DIR = "digests"
CHARTS_DIR = "charts"
CHANNEL_NAME = "digests"


@dataclass(frozen=True, slots=True)
class WrittenDigest:
    """One digest the bot posted, and the files it was written to (paths relative to the output folder)."""

    run: RunState
    digest: Digest
    messages: int
    markdown: str
    html: str
    chart: str


def _shape(embeds: list[discord.Embed]) -> list[tuple[str | None, str | None, list[tuple[str, str]]]]:
    """What a reader sees of a message's embeds (the chart aside)."""
    return [(e.title, e.description, [(f.name or "", f.value or "") for f in e.fields]) for e in embeds]


def _and(items: list[str]) -> str:
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


class DigestsChapter:
    name = "digests"

    def __init__(self) -> None:
        self.channel: simcord.ChannelHandle | None = None
        self.written: list[WrittenDigest] = []

    def steps(self, calendar: Calendar, rng: Random) -> list[Step]:
        return [
            Step(calendar.opens, self._choose_channel, "the organiser chooses the digest channel"),
            Step(calendar.starts_at, self._session_opens, "the live session opens"),
            Step(calendar.ends_at, self._session_closes, "the live session closes"),
        ]

    async def _choose_channel(self, rehearsal: Rehearsal) -> None:
        self.channel = rehearsal.guild.create_text_channel(CHANNEL_NAME, topic="Digests of the discussion")
        rehearsal.watch(self.channel)
        rehearsal.tick_hooks.append(self._write_posted)
        result = await rehearsal.facilitator.slash(rehearsal.channel, "digest channel", channel=self.channel)
        expect(result, "Digests for this server will be posted in")
        schedule = await rehearsal.facilitator.slash(rehearsal.channel, "digest schedule")
        embeds = schedule.response.embeds if schedule.response else []
        upcoming = next((field.value or "" for field in embeds[0].fields if field.name == "Next"), "") if embeds else ""
        planned = DigestPlan.from_settings(rehearsal.settings).upcoming(rehearsal.now())
        if len(upcoming.splitlines()) != len(planned) or not planned:
            raise DemoError(f"/digest schedule should list the next {len(planned)} digests; it listed: {upcoming!r}")
        shown = "; ".join(discord_times(line, rehearsal.calendar, rehearsal.now()) for line in upcoming.splitlines())
        rehearsal.log(
            rehearsal.facilitator_name,
            f"chose #{CHANNEL_NAME} for digests (`/digest channel`); `/digest schedule` lists next: {shown}",
        )

    async def _session_opens(self, rehearsal: Rehearsal) -> None:
        rehearsal.log("Live session", f"{rehearsal.settings.session.title} opens in Baku; remote participants follow")

    async def _session_closes(self, rehearsal: Rehearsal) -> None:
        rehearsal.log("Live session", "the session closes; the discussion stays open two more days")

    async def _write_posted(self, rehearsal: Rehearsal) -> None:
        """After each tick: write any digest the bot has just posted, while the store is as it was then.

        Written at once rather than at the end, because a digest's breakdowns and attributions use
        participants' profiles, which the store keeps only as they are now.
        """
        done = {item.run.id for item in self.written}
        for run in await rehearsal.bot.store.digest_runs(rehearsal.guild.id):
            if run.status == RunStatus.POSTED and run.id not in done:
                self.written.append(await self._write(rehearsal, run))

    async def finish(self, rehearsal: Rehearsal) -> None:
        runs = await self._check_schedule(rehearsal)
        if [item.run.id for item in self.written] != [run.id for run in runs]:
            raise DemoError("a digest the bot posted was not written to the output folder as soon as it was posted")
        self._check_channel(rehearsal)
        rehearsal.sections.append(self._section(rehearsal))
        kinds: list[str] = [run.kind for run in runs]
        which = [f"{kinds.count('weekly')} weekly"] if "weekly" in kinds else []
        which += [f"the {kind}-session digest" for kind in ("before", "after") if kind in kinds]
        rehearsal.summary.append(
            f"{len(runs)} digests posted by the scheduler, each exactly once and on time ({_and(which)}), "
            f"written as Markdown and HTML with their charts in `{DIGESTS_DIR}/` and `{CHARTS_DIR}/`"
        )
        calendar = rehearsal.calendar
        rehearsal.console.append(
            "Digests posted: "
            + ", ".join(f"{item.run.kind} {short_time(calendar, item.run.due_at)}" for item in self.written)
            + f" — written to {rehearsal.out_dir / DIGESTS_DIR} (Markdown, HTML) and {rehearsal.out_dir / CHARTS_DIR}"
        )

    async def _check_schedule(self, rehearsal: Rehearsal) -> list[RunState]:
        """Every occurrence due while the channel was set was posted once, on time; nothing missed or pending."""
        store, guild_id = rehearsal.bot.store, rehearsal.guild.id
        config = await store.get_digest_channel(guild_id)
        if config is None or self.channel is None or config.channel_id != self.channel.id:
            raise DemoError("the digest channel chosen with /digest channel is not the one stored")
        plan = DigestPlan.from_settings(rehearsal.settings)
        expected = [
            (o.kind, o.due_at) for o in plan.occurrences_between(config.configured_at - plan.grace, rehearsal.now())
        ]
        runs = await store.digest_runs(guild_id)
        found = [(run.kind, run.due_at) for run in runs]
        late = [run for run in runs if run.status != RunStatus.POSTED or run.posted_at != run.due_at or run.manual]
        if found != expected or late:
            raise DemoError(f"digests due {expected}; the store records {[(r.kind, r.due_at, r.status) for r in runs]}")
        return runs

    async def _write(self, rehearsal: Rehearsal, run: RunState) -> WrittenDigest:
        """The digest as it was just posted (its content time, the same store data), as Markdown, HTML and PNG.

        The digest is built again by the same core from the store and checked against the messages
        in the channel, so the files say exactly what the panel read in Discord.
        """
        store, settings, guild_id = rehearsal.bot.store, rehearsal.settings, rehearsal.guild.id
        as_of = run.snapshot_at or run.due_at
        slugs = [theme.slug for theme in settings.themes]
        source = await store.load_digest_source(guild_id, slugs, as_of, DigestRequest.from_settings(settings, run.kind))
        with language(settings.digest_language):  # as the bot wrote it (cogs/digests/_delivery.py)
            digest = build_digest(settings, source, run.kind, as_of)
        messages = await store.digest_messages(run.id)
        if len(messages) != run.parts_total or not messages:
            raise DemoError(f"the {run.kind} digest due {run.due_at} has {len(messages)} of {run.parts_total} messages")
        assert self.channel is not None
        in_channel = {message.id: message for message in self.channel.history()}
        posted = [in_channel.get(message_id) for _, message_id in messages]
        with language(settings.digest_language):
            rebuilt = [_shape(part.embeds) for part in digest_parts(digest)]
        if any(message is None for message in posted) or rebuilt != [_shape(m.embeds) for m in posted if m]:
            raise DemoError(f"the {run.kind} digest due {run.due_at} built from the store is not the one posted")
        attached = [item for message in posted if message for item in message.attachments]
        charted = [chart_file(theme.slug) for theme in digest.themes if theme.participants or theme.before]
        if sorted(item.filename for item in attached) != sorted(charted):
            raise DemoError(f"the {run.kind} digest attached {[a.filename for a in attached]}, not one chart per theme")
        stem = f"{rehearsal.calendar.local(run.due_at):%Y-%m-%d}-{run.kind}"
        chart, markdown, html = f"{CHARTS_DIR}/{stem}.png", f"{DIGESTS_DIR}/{stem}.md", f"{DIGESTS_DIR}/{stem}.html"
        with language(settings.digest_language):
            png = digest_chart_png(digest)  # the offline reports' figure, one panel per theme
        for folder in (CHARTS_DIR, DIGESTS_DIR, f"{CHARTS_DIR}/{stem}"):
            (rehearsal.out_dir / folder).mkdir(exist_ok=True)
        (rehearsal.out_dir / chart).write_bytes(png)
        for item in attached:  # each theme's chart as the bot attached it in Discord
            (rehearsal.out_dir / CHARTS_DIR / stem / item.filename).write_bytes(await item.read())
        with language(settings.digest_language):
            (rehearsal.out_dir / markdown).write_text(digest_markdown(digest, f"../{chart}"), encoding="utf-8")
            (rehearsal.out_dir / html).write_text(digest_html(digest, png), encoding="utf-8")
        rehearsal.files += [rehearsal.out_dir / path for path in (markdown, html, chart)]
        return WrittenDigest(run, digest, len(messages), markdown, html, chart)

    def _check_channel(self, rehearsal: Rehearsal) -> None:
        """Nothing in the digest channel but the recorded digests: none posted twice."""
        assert self.channel is not None
        me = rehearsal.bot.user
        assert me is not None
        posted = [m for m in self.channel.history() if m.author.id == me.id]
        recorded = sum(item.messages for item in self.written)
        if len(posted) != recorded:
            raise DemoError(f"#{CHANNEL_NAME} holds {len(posted)} messages from the bot; the store records {recorded}")

    def _section(self, rehearsal: Rehearsal) -> Section:
        calendar = rehearsal.calendar
        section = Section("Digests")
        section.body += [
            f"The facilitator (who also holds the organiser role) chose #{CHANNEL_NAME} with `/digest channel` when "
            "the discussion opened. From then on the bot's scheduler posted every digest at its time, and only "
            "once: the store holds one record per digest and the channel holds exactly the messages recorded. "
            "As each digest was posted, the rehearsal wrote it here as Markdown and HTML, built by the same core "
            "from the same store data (and checked against the messages in the channel), with the reports' chart "
            "(one panel per theme); the charts the bot attached in Discord, one per theme, are in "
            f"`{CHARTS_DIR}/<digest>/`.",
            "",
            "| Digest | Due and posted (Baku) | Messages in Discord | Polls reported | Files |",
            "| --- | --- | ---: | --- | --- |",
        ]
        for item in self.written:
            polls = ", ".join(f"#{poll.number}" for poll in item.digest.polls) or "—"
            files = f"[Markdown]({item.markdown}) · [HTML]({item.html}) · [chart]({item.chart})"
            title = digest_title(item.run.kind)
            section.body.append(
                f"| {title} | {short_time(calendar, item.run.due_at)} | {item.messages} | {polls} | {files} |"
            )
        section.body += ["", "Participants per theme, digest by digest:", ""]
        heads = [
            f"{digest_title(item.run.kind).split()[0]} {short_time(calendar, item.run.due_at)}" for item in self.written
        ]
        section.body += ["| Theme | " + " | ".join(heads) + " |", "| --- |" + " ---: |" * len(heads)]
        for index, theme in enumerate(rehearsal.settings.themes):
            counts = [str(item.digest.themes[index].participants) for item in self.written]
            section.body.append(f"| {theme.title} | " + " | ".join(counts) + " |")
        after = next((item for item in self.written if item.run.kind == "after"), None)
        if after is not None and after.digest.shift_from is not None:
            section.body += ["", f"The after-session digest's shift since {shift_basis(after.digest.shift_basis)}:", ""]
            for moved in after.digest.themes:
                if moved.shift is None:
                    continue
                moves = [
                    f"{shift_label(moved, r.from_stance, joined_label())}"
                    f" → {shift_label(moved, r.to_stance, withdrew_label())}: {r.count}"
                    for r in moved.shift.rows
                ]
                section.body.append(
                    f"- **{moved.title}**: {'; '.join(moves) or 'no movement'}; unchanged {moved.shift.unchanged}"
                )
        return section
