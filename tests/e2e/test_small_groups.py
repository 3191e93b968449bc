"""Chatham House that really protects: a stakeholder group (or region) with fewer than `privacy.min_group`
participants in a theme is merged into "Other" and never named, in every output; named attribution is unchanged.

The forum: four civil-society members from the African Group, one government member from WEOG (the
small group) and two academics who gave no region, all on `gaps`. Government (1) and Academia (2) are
too small, and together (3) they make "Other" big enough: civil society stays named.
"""

from __future__ import annotations

import csv
import json

import pytest

from bot.core.digest import build_digest
from bot.core.export import position_rows
from bot.core.polis import polis_export
from bot.forum import DEFAULT_THEMES
from bot.render.charts import bar_chart_figure, theme_chart_panels
from bot.render.discord.digests import digest_parts
from bot.render.report.csv_files import positions_csv
from bot.render.report.html_page import digest_html
from bot.render.report.json_data import digest_json
from bot.render.report.markdown import digest_markdown
from tests.support.world import World, build_world, embed_text

GAPS_ONLY = [theme for theme in DEFAULT_THEMES if theme["slug"] == "gaps"]  # so every line is about `gaps`
pytestmark = pytest.mark.concord_settings(themes=GAPS_ONLY)
GOVERNMENT_TEXT = "Ministries in small states have no seat anywhere."
SMALL = ("Government", "Academia", "Western European", "WEOG")


@pytest.fixture
def world(simcord_env) -> World:
    return build_world(simcord_env, members=7)


async def forum(world: World) -> None:
    """The seven positions on `gaps` described above, each with a rationale."""
    civil, government, academics = world.members[:4], world.members[4], world.members[5:]
    for index, member in enumerate(civil):
        await member.slash(world.channel, "profile set", stakeholder="civil-society", region="african")
        await member.slash(world.channel, "gaps position", stance="some", rationale=f"Civil argument {index}.")
    await government.slash(world.channel, "profile set", stakeholder="government", region="weog")
    await government.slash(world.channel, "gaps position", stance="widespread", rationale=GOVERNMENT_TEXT)
    for index, member in enumerate(academics):
        await member.slash(world.channel, "profile set", stakeholder="academia")
        await member.slash(world.channel, "gaps position", stance="none", rationale=f"Academic argument {index}.")


def never_named(text: str) -> None:
    for name in SMALL:
        assert name not in text, (name, text)


async def test_tally_merges_small_groups_into_other(world):
    await forum(world)
    res = await world.facilitator.slash(world.channel, "gaps tally")
    (embed,) = res.response.embeds
    names = [field.name for field in embed.fields]
    assert names == ["Civil society (4)", "Other (3)"]
    never_named(embed_text(embed))


async def test_positions_browser_and_discuss_say_a_participant_for_a_small_group(world):
    await forum(world)
    res = await world.facilitator.slash(world.channel, "gaps positions", stance="widespread")
    (field,) = res.response.embeds[0].fields
    assert field.value == GOVERNMENT_TEXT and "— a participant" in field.name
    res = await world.facilitator.slash(world.channel, "gaps positions", stance="some")
    assert all("— Civil society" in field.name for field in res.response.embeds[0].fields)
    never_named("\n".join(embed_text(e) for e in res.response.embeds))

    reader = world.members[0]
    seen = []
    res = await reader.slash(world.channel, "gaps discuss")
    while res.response.embeds:
        embed = res.response.embeds[0]
        written_by = next(field.value for field in embed.fields if field.name == "Written by")
        seen.append((embed.description, written_by))
        never_named(embed_text(embed))
        res = await reader.click(res.response, label="Agree")
    assert (GOVERNMENT_TEXT, "a participant") in seen
    assert ("Civil argument 1.", "Civil society") in seen


async def test_bridges_name_only_groups_big_enough(world):
    await forum(world)
    # Members of three groups agree with a civil-society argument: it is common ground, but only civil
    # society's agreement is named.
    for member in (world.members[1], world.members[4], world.members[5]):
        res = await member.slash(world.channel, "gaps discuss")
        while res.response.embeds:
            res = await member.click(res.response, label="Agree")
    res = await world.facilitator.slash(world.channel, "gaps bridges")
    text = "\n".join(embed_text(e) for e in res.response.embeds)
    assert "Civil society" in text and "agree" in text
    never_named(text)


async def digest_of(world: World):
    source = await world.bot.store.digest_source(world.guild.id, ["gaps"], world.env.now())
    return build_digest(world.bot.settings, source, "now", world.env.now()), source


async def test_digests_in_every_format_never_name_a_small_group(world):
    await forum(world)
    res = await world.facilitator.slash(world.channel, "digest preview", kind="before")
    messages = [res.response, *res.followups]
    discord_text = "\n".join(embed_text(e) for m in messages for e in m.embeds)
    assert "Civil society (4)" in discord_text and "Other (3)" in discord_text
    assert "African Group (4)" in discord_text
    assert "a participant" in discord_text
    never_named(discord_text)
    # The groups nobody is from are listed; the small ones, present, are not.
    assert "Private sector" in discord_text and "Intergovernmental organisation" in discord_text

    digest, source = await digest_of(world)
    for text in (digest_markdown(digest, None), digest_html(digest, None), digest_json(digest)):
        assert "Other" in text or '"other"' in text
        never_named(text)
    data = json.loads(digest_json(digest))
    assert '"government"' not in json.dumps(data) and '"weog"' not in json.dumps(data)
    for part in digest_parts(digest):
        never_named("\n".join(embed_text(e) for e in part.embeds))
    for panels in theme_chart_panels(digest):
        figure = bar_chart_figure(panels)
        never_named(" ".join(text.get_text() for text in figure.findobj(lambda o: hasattr(o, "get_text"))))

    rows = list(csv.DictReader(positions_csv(position_rows(world.bot.settings, source, world.env.now())).splitlines()))
    groups = {(row["stakeholder"], row["region"]) for row in rows}
    assert groups == {("civil-society", "african"), ("other", "other"), ("other", "")}
    exported = polis_export(
        world.bot.settings, await world.bot.store.polis_source(world.guild.id, ["gaps"], world.env.now())
    )
    assert {row.group_id for row in exported[0].participants} <= {2, None}  # civil society's index only


@pytest.mark.concord_settings(privacy={"attribution": "named"}, themes=GAPS_ONLY)
async def test_named_attribution_keeps_every_group(world):
    await forum(world)
    res = await world.facilitator.slash(world.channel, "gaps tally")
    names = [field.name for field in res.response.embeds[0].fields]
    assert names == ["Government (1)", "Civil society (4)", "Academia (2)"]
    digest, _ = await digest_of(world)
    text = digest_markdown(digest, None)
    assert "Government" in text and "Western European and Others Group" in text
    res = await world.facilitator.slash(world.channel, "gaps positions", stance="widespread")
    assert "participant4 (Government)" not in res.response.embeds[0].fields[0].name  # names, not groups, head it
    assert "participant4" in res.response.embeds[0].fields[0].name


@pytest.mark.concord_settings(privacy={"min_group": 5}, themes=GAPS_ONLY)
async def test_min_group_is_the_setting(world):
    await forum(world)
    res = await world.facilitator.slash(world.channel, "gaps tally")
    assert [field.name for field in res.response.embeds[0].fields] == ["Other (7)"]
