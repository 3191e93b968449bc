"""Digests people can read: stance labels (never keys) in breakdowns, counts that pluralise, "no one from" told
apart from "undeclared", polls with their breakdown, one legible chart per theme, and the full offline report."""

from __future__ import annotations

import io
import re

import pytest
from matplotlib.image import imread

from bot.core.digest import build_digest
from bot.forum import DEFAULT_THEMES
from bot.render.charts import side_by_side_figure, theme_chart_panels, theme_charts
from bot.render.discord.digests import digest_parts
from bot.render.report.html_page import digest_html
from bot.render.report.markdown import digest_markdown
from tests.support.polls import poll_messages
from tests.support.world import World, build_world, embed_text

GAPS_ONLY = [theme for theme in DEFAULT_THEMES if theme["slug"] == "gaps"]
pytestmark = pytest.mark.concord_settings(themes=GAPS_ONLY)
KEYED = re.compile(r"\b(none|some|widespread|undecided) \d")  # "none 2" reads as zero


@pytest.fixture
def world(simcord_env) -> World:
    return build_world(simcord_env, members=5)


async def digest_now(world: World, kind: str = "now", **options):
    now = world.env.now()
    source = await world.bot.store.digest_source(world.guild.id, ["gaps"], now)
    return build_digest(world.bot.settings, source, kind, now, **options)


def every_text(digest) -> str:
    discord_text = "\n".join(embed_text(e) for part in digest_parts(digest) for e in part.embeds)
    return "\n".join([discord_text, digest_markdown(digest, None), digest_html(digest, None)])


async def test_one_participant_reads_in_the_singular_and_breakdowns_name_stances(world):
    await world.members[0].slash(world.channel, "gaps position", stance="none", rationale="Existing fora cope.")
    digest = await digest_now(world)
    text = every_text(digest)
    assert "1 participants" not in text and "1 participant" in text
    discord_text = "\n".join(embed_text(e) for part in digest_parts(digest) for e in part.embeds)
    assert "Other (1): No significant gaps **1**" in discord_text  # one alone is never named
    assert not KEYED.search(discord_text), KEYED.search(discord_text)
    for panels in theme_chart_panels(digest):
        titles = [panel.title for panel in panels]
        assert all("1 participants" not in title for title in titles) and "Now — 1 participant" in titles


@pytest.mark.concord_settings(themes=GAPS_ONLY, privacy={"attribution": "named"})
async def test_no_one_from_a_region_is_told_apart_from_those_who_gave_none(world):
    await world.members[0].slash(world.channel, "profile set", stakeholder="government", region="african")
    await world.members[1].slash(world.channel, "profile set", stakeholder="academia")
    for member in world.members[:2]:
        await member.slash(world.channel, "gaps position", stance="some", rationale=f"{member.name} writes.")
    text = every_text(await digest_now(world))
    assert "No one from these regions yet: Asia-Pacific Group, Eastern European Group" in text
    assert "African Group" not in text.split("No one from these regions yet")[1].split("\n")[0]
    assert "1 participant gave no region (Undeclared), so they may be from these regions." in text
    assert "No one from these stakeholder groups yet: Private sector, Civil society" in text


async def test_under_chatham_house_a_small_undeclared_count_is_not_given(world):
    await world.members[0].slash(world.channel, "profile set", stakeholder="government", region="african")
    await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="One voice.")
    text = every_text(await digest_now(world))
    assert "No one from these regions yet:" in text
    assert "gave no region" not in text  # nobody did: the one participant gave a region (merged into Other)
    await world.members[1].slash(world.channel, "gaps position", stance="none", rationale="No profile.")
    text = every_text(await digest_now(world))
    assert "Some participants gave no region (counted under Other)" in text
    assert "1 participant gave no region" not in text


async def test_poll_results_in_digests_carry_their_breakdown(world):
    await world.facilitator.slash(world.channel, "poll create", question="Is the IGF its home?", options="Yes; No")
    (poll,) = poll_messages(world)
    for member in world.members[:4]:
        await member.slash(world.channel, "profile set", stakeholder="civil-society")
        await member.click(poll, label="Yes")
    await world.facilitator.slash(world.channel, "poll close", poll=1)
    digest = await digest_now(world)
    discord_text = "\n".join(embed_text(e) for part in digest_parts(digest) for e in part.embeds)
    assert "Civil society (4): Yes **4**" in discord_text
    markdown = digest_markdown(digest, None)
    assert "| Group | Voters | Yes | No |" in markdown and "| Civil society | 4 | 4 | 0 |" in markdown
    assert "<th>Group</th>" in digest_html(digest, None) and "Civil society" in digest_html(digest, None)


async def test_each_theme_gets_one_legible_chart_and_the_after_digest_compares_before_and_now(world):
    await world.members[0].slash(world.channel, "gaps position", stance="none", rationale="Before.")
    await world.members[1].slash(world.channel, "gaps position", stance="some", rationale="Before too.")
    moment = world.env.now()  # long after the configured session (2012): the shift starts at its due time
    source = await world.bot.store.digest_source(world.guild.id, ["gaps"], moment)
    digest = build_digest(world.bot.settings, source, "after", moment)
    charts = theme_charts(digest)
    assert list(charts) == ["gaps"]  # one image per theme with anything to show
    for png in charts.values():
        height, width = imread(io.BytesIO(png), format="png").shape[:2]
        assert width >= 800 and height >= 150
    (panels,) = theme_chart_panels(digest)
    assert [panel.title.split(" — ")[0] for panel in panels] == ["Before the session", "Now"]
    figure = side_by_side_figure(panels, "Gaps")
    assert len({axes.get_xlim() for axes in figure.axes}) == 1  # one x-scale for both
    titles = [t.get_text() for t in figure.texts]
    assert titles.count("Gaps") == 1  # at most one theme per image
    parts = digest_parts(digest, charts)
    assert [name for part in parts for name, _ in part.files] == ["digest-gaps.png"]


async def test_full_report_lists_every_rationale(world):
    texts = [f"Reason number {index} for some gaps." for index in range(5)]
    for member, text in zip(world.members, texts, strict=True):
        await member.slash(world.channel, "gaps position", stance="some", rationale=text)
    quoted = digest_markdown(await digest_now(world))
    assert sum(text in quoted for text in texts) == 3 and "… and 2 more." in quoted
    full = await digest_now(world, quotes=None)
    for render in (digest_markdown(full), digest_html(full, None)):
        assert all(text in render for text in texts) and "more." not in render
