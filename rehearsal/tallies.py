"""Chapter "tallies": when the discussion closes, the facilitator asks the bot for every theme's tally.

The record and the console show exactly what the bot answered to `/<slug> tally` (read from its
embed), and a few rationales as `/<slug> positions` shows them (under the configured attribution).
The counts are checked against what the script left each participant holding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING

from rehearsal.record import quoted, short_time
from rehearsal.rehearsal import DemoError, Step, expect
from rehearsal.timeline import Calendar, Section

if TYPE_CHECKING:
    import discord

    from rehearsal.digests import DigestsChapter
    from rehearsal.rehearsal import Rehearsal

STANCE_LINE = re.compile(r"^(?P<label>.+): (?P<count>\d+) \((?P<pct>\d+)%\)$")
PARTICIPANTS_LINE = re.compile(r"Participants: (\d+)")


@dataclass(frozen=True, slots=True)
class ThemeResult:
    slug: str
    title: str
    tally_text: str  # the bot's tally embed as plain text
    stance_counts: dict[str, int]  # label -> count, parsed from the bot's lines
    participants: int
    quotes: list[tuple[str, str]]  # (heading, rationale) as `/<slug> positions stance:<key>` shows them


def embed_as_text(embed: discord.Embed) -> str:
    """An embed as the plain text a reader sees: title, description, then each field."""
    parts = [f"**{embed.title}**" if embed.title else ""]
    if embed.description:
        parts.append(embed.description)
    for field in embed.fields:
        parts.append(f"\n__{field.name}__\n{field.value}")
    if embed.footer and embed.footer.text:
        parts.append(f"\n_{embed.footer.text}_")
    return "\n".join(part for part in parts if part)


def stance_counts(description: str) -> dict[str, int]:
    """The `<label>: <count> (<pct>%)` lines of the tally's overall section."""
    counts: dict[str, int] = {}
    for line in description.splitlines():
        match = STANCE_LINE.match(line.strip())
        if match:
            counts[match["label"]] = int(match["count"])
    return counts


class TallyChapter:
    name = "tallies"

    def __init__(
        self, expected: Callable[[], dict[str, dict[str, str]]], digests: DigestsChapter | None = None
    ) -> None:
        self.expected = expected
        self.digests = digests  # to say where the close differs from the after-session digest
        self.results: list[ThemeResult] = []

    def steps(self, calendar: Calendar, rng: Random) -> list[Step]:
        return [Step(calendar.closes, self._close, "the facilitator reads every tally")]

    async def _close(self, rehearsal: Rehearsal) -> None:
        for theme in rehearsal.settings.themes:
            result = await rehearsal.facilitator.slash(rehearsal.channel, f"{theme.slug} tally")
            expect(result, "Participants")
            assert result.response is not None
            embed = result.response.embeds[0]
            counts = stance_counts(embed.description or "")
            found = PARTICIPANTS_LINE.search(embed.description or "")
            quotes = [
                quote for stance in theme.stances if (quote := await self._quote(rehearsal, theme.slug, stance.key))
            ]
            self.results.append(
                ThemeResult(
                    theme.slug,
                    theme.title,
                    embed_as_text(embed),
                    counts,
                    int(found.group(1)) if found else 0,
                    quotes,
                )
            )
        rehearsal.log(rehearsal.facilitator_name, "closed the discussion: `/<theme> tally` for each theme")

    async def _quote(self, rehearsal: Rehearsal, slug: str, stance: str) -> tuple[str, str] | None:
        """The first rationale `/<slug> positions stance:<key>` shows, with the heading the bot gives it."""
        result = await rehearsal.facilitator.slash(rehearsal.channel, f"{slug} positions", stance=stance)
        embeds = result.response.embeds if result.response else []
        fields = embeds[0].fields if embeds else []
        written = [(f.name or "", f.value or "") for f in fields if not (f.value or "").startswith("*(")]
        return written[0] if written else None

    async def finish(self, rehearsal: Rehearsal) -> None:
        expected = self.expected()
        tally_section = Section("Tallies at the close")
        tally_section.body += self._after_digest_note(rehearsal)
        quote_section = Section("What participants wrote (one rationale per stance, as /<theme> positions shows it)")
        for result in self.results:
            holders = len(expected.get(result.slug, {}))
            counted = sum(result.stance_counts.values())
            if counted != holders or result.participants != holders:
                raise DemoError(
                    f"/{result.slug} tally counted {counted} (participants {result.participants}); "
                    f"the script leaves {holders} positions"
                )
            tally_section.body += [f"### /{result.slug} — {result.title}", "", quoted(result.tally_text), ""]
            quote_section.body += [f"### {result.title}", ""]
            quote_section.body += [f"{quoted(text)}\n>\n> — *{name}*\n" for name, text in result.quotes]
            rehearsal.console += ["", result.tally_text]
        rehearsal.sections += [tally_section, quote_section]
        total = sum(len(by_handle) for by_handle in expected.values())
        rehearsal.summary.append(f"{total} positions held at the close; every tally matches the script")

    def _after_digest_note(self, rehearsal: Rehearsal) -> list[str]:
        """Where the tallies at the close differ from the after-session digest, which is not the end state."""
        after = next(
            (item for item in (self.digests.written if self.digests else []) if item.run.kind == "after"), None
        )
        if after is None:
            return []
        posted = short_time(rehearsal.calendar, after.run.due_at)
        differ = []
        for result in self.results:
            theme = next(t for t in after.digest.themes if t.slug == result.slug)
            then = {stance.label: stance.count for stance in theme.stances}
            if then != result.stance_counts:
                differ.append(f"{result.title} ({theme.participants} participants then, {result.participants} now)")
        if not differ:
            return [f"These are the tallies of the after-session digest of {posted} too: nothing moved since.", ""]
        return [
            f"The after-session digest of {posted} is not the end state: the discussion ran on until the close, and "
            f"these tallies differ from it on {', '.join(differ)}.",
            "",
        ]
