"""`/<slug> positions`: five a page, Previous/Next, the stance filter, attribution, pings and limits."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.render.discord.limits import EMBED_TOTAL, FIELD_VALUE
from tests.support.world import embed_text, restart

LONG = "L" * 100


def buttons(message) -> dict[str, bool]:
    """Button label -> enabled, from a SimCord ResponseMessage."""
    return {
        button["label"]: not button.get("disabled", False) for row in message.components for button in row["components"]
    }


def callbacks(env) -> list[dict]:
    return [entry.json for entry in env.http_requests if entry.path.endswith("/callback")]


async def seed(world, count: int, *, theme="gaps", stance="some", name="person", rationale="Rationale {i}"):
    """Positions recorded through the store (the service layer), one second apart, oldest first."""
    start = discord.utils.utcnow()
    for i in range(count):
        await world.bot.store.record_position(
            world.guild.id,
            theme,
            10_000 + i,
            name.format(i=i),
            stance,
            rationale.format(i=i),
            start + timedelta(seconds=i),
        )


def rationales(embed: discord.Embed) -> list[str]:
    return [field.value for field in embed.fields]


async def test_five_a_page_with_previous_and_next(world):
    await seed(world, 12)
    viewer = world.members[0]

    res = await viewer.slash(world.channel, "gaps positions")
    page1 = res.response
    assert page1.ephemeral
    assert rationales(page1.embeds[0]) == [f"Rationale {i}" for i in (11, 10, 9, 8, 7)]  # newest first
    assert page1.embeds[0].footer.text.startswith("Page 1 of 3 · 12 positions")
    assert buttons(page1) == {"Previous": False, "Next": True}

    page2 = (await viewer.click(page1, label="Next")).response
    assert rationales(page2.embeds[0]) == [f"Rationale {i}" for i in (6, 5, 4, 3, 2)]
    assert buttons(page2) == {"Previous": True, "Next": True}

    page3 = (await viewer.click(page2, label="Next")).response
    assert rationales(page3.embeds[0]) == ["Rationale 1", "Rationale 0"]
    assert page3.embeds[0].footer.text.startswith("Page 3 of 3")
    assert buttons(page3) == {"Previous": True, "Next": False}

    back = (await viewer.click(page3, label="Previous")).response
    assert rationales(back.embeds[0]) == [f"Rationale {i}" for i in (6, 5, 4, 3, 2)]


async def test_pages_are_read_afresh_and_clamped_when_positions_go(world):
    await seed(world, 6)
    viewer = world.members[0]
    first = (await viewer.slash(world.channel, "gaps positions")).response
    await world.bot.store.withdraw_position(world.guild.id, "gaps", 10_000, discord.utils.utcnow())

    turned = (await viewer.click(first, label="Next")).response
    assert turned.embeds[0].footer.text.startswith("Page 1 of 1 · 5 positions")
    assert buttons(turned) == {"Previous": False, "Next": False}


async def test_buttons_still_turn_after_a_restart_and_after_hours(world, settings):
    await seed(world, 7)
    viewer = world.members[0]
    first = (await viewer.slash(world.channel, "gaps positions")).response

    await restart(world.env, settings)
    second = (await viewer.click(first, label="Next")).response
    assert rationales(second.embeds[0]) == ["Rationale 1", "Rationale 0"]

    await world.env.advance_time(3 * 3600)
    again = (await viewer.click(second, label="Previous")).response
    assert len(again.embeds[0].fields) == 5


async def test_stance_filter_shows_only_that_stance(world):
    people = world.members
    await people[0].slash(world.channel, "gaps position", stance="some", rationale="Some A")
    await people[1].slash(world.channel, "gaps position", stance="none", rationale="None B")
    await people[2].slash(world.channel, "gaps position", stance="some", rationale="Some C")

    res = await people[3].slash(world.channel, "gaps positions", stance="some")
    (embed,) = res.response.embeds
    assert embed.title == "Positions — Gaps · Gaps in specific policy areas"
    assert sorted(rationales(embed)) == ["Some A", "Some C"]
    assert all(field.name.startswith("Gaps in specific policy areas — ") for field in embed.fields)

    nobody = await people[3].slash(world.channel, "gaps positions", stance="widespread")
    assert nobody.response.embeds[0].description == "Nobody has taken this stance yet."
    assert buttons(nobody.response) == {"Previous": False, "Next": False}


async def test_no_positions_yet(world):
    res = await world.members[0].slash(world.channel, "igf positions")
    assert res.response.embeds[0].description == "No positions to show yet."


@pytest.mark.concord_settings(privacy={"min_group": 1})  # tiny groups named: this test is about something else
async def test_chatham_house_by_default_shows_groups_never_names(world):
    alice, bob = world.members[:2]
    await alice.slash(world.channel, "profile set", stakeholder="private-sector")
    await alice.slash(world.channel, "gaps position", stance="some", rationale="From industry.")
    await bob.slash(world.channel, "gaps position", stance="none", rationale="From nowhere in particular.")

    res = await world.facilitator.slash(world.channel, "gaps positions")
    text = embed_text(res.response.embeds[0]) + res.response.content
    names = {field.name: field.value for field in res.response.embeds[0].fields}
    assert names == {
        "No significant gaps — Undeclared · #2": "From nowhere in particular.",
        "Gaps in specific policy areas — Private sector · #1": "From industry.",
    }
    assert "participant0" not in text and "participant1" not in text
    assert "Chatham House rule" in res.response.embeds[0].footer.text


@pytest.mark.concord_settings(privacy={"attribution": "named"})
async def test_named_attribution_shows_display_names_escaped(world):
    alice = world.members[0]
    await alice.slash(world.channel, "gaps position", stance="some", rationale="Signed.")
    await seed(world, 1, stance="none", name="*star*_under_", rationale="Markdown name.")

    res = await world.facilitator.slash(world.channel, "gaps positions")
    names = [field.name for field in res.response.embeds[0].fields]
    assert "Gaps in specific policy areas — participant0 · #1" in names
    assert r"No significant gaps — \*star\*\_under\_ · #2" in names
    assert "names shown" in res.response.embeds[0].footer.text


async def test_rationale_with_everyone_and_user_mention_is_shown_without_pinging(world):
    alice, bob = world.members[:2]
    sneaky = f"@everyone look, <@{bob.id}> and <@&{world.guild.id}> agree!"
    confirm = await alice.slash(world.channel, "gaps position", stance="some", rationale=sneaky)
    assert not confirm.response.message.mention_everyone

    res = await bob.slash(world.channel, "gaps positions")
    message = res.response.message
    assert sneaky in embed_text(res.response.embeds[0])
    assert not message.mention_everyone
    assert message.mentions == [] and message.role_mentions == []
    assert callbacks(world.env)[-1]["data"]["allowed_mentions"] == {"parse": []}

    await seed(world, 5)  # a second page, so the page turn (an edit) is checked too
    first = (await bob.slash(world.channel, "gaps positions")).response
    turned = (await bob.click(first, label="Next")).response
    assert sneaky in embed_text(turned.embeds[0])
    assert not turned.message.mention_everyone
    assert callbacks(world.env)[-1]["data"]["allowed_mentions"] == {"parse": []}


MARKDOWN = ("**bold** _it_ `code` ~~gone~~ > quote || spoiler || [link](https://example.org) \n" * 20)[:1000]
MAX_THEME = {
    "themes": [
        {
            "slug": "gaps",
            "title": "T" * 100,
            "question": "Q" * 1000,
            "stances": [{"key": "long", "label": LONG}, {"key": "other", "label": "O" * 100}],
        }
    ]
}


@pytest.mark.concord_settings(privacy={"attribution": "named"}, **MAX_THEME)
@pytest.mark.parametrize("stance", [None, "long"])
async def test_a_page_of_five_maximal_rationales_fits_every_embed_limit(world, stance):
    await seed(world, 6, stance="long", name="*_`~|" * 6 + "**", rationale=MARKDOWN.replace("bold", "b{i}d", 1))
    viewer = world.members[0]
    options = {"stance": stance} if stance else {}

    page = (await viewer.slash(world.channel, "gaps positions", **options)).response  # oversize would be a 400
    (embed,) = page.embeds
    assert len(embed) <= EMBED_TOTAL
    assert len(embed.fields) == 5
    assert all(len(field.value) <= FIELD_VALUE for field in embed.fields)
    assert "not shown" not in embed.footer.text  # no position silently skipped
    for field, i in zip(embed.fields, (5, 4, 3, 2, 1), strict=True):
        assert field.value.startswith(f"**b{i}d**")
        assert len(field.value) >= 900  # clipped a little if the page needs it, visibly
        assert field.value == MARKDOWN.replace("bold", f"b{i}d", 1) or field.value.endswith("…")

    last = (await viewer.click(page, label="Next")).response
    assert last.embeds[0].fields[0].value == MARKDOWN.replace("bold", "b0d", 1)


SLUG = "enhanced-cooperation-who-does-wh"  # 32 characters: the longest slug Discord allows
KEY = "analyse-the-current-ecosystem-fi"  # and the longest stance key
LONGEST = {
    "themes": [
        {
            "slug": SLUG,
            "title": "Who does what",
            "question": "Who does what?",
            "stances": [{"key": KEY, "label": "Analyse first"}, {"key": "x" * 32, "label": "Other"}],
        }
    ]
}


@pytest.mark.concord_settings(**LONGEST)
async def test_the_longest_slug_and_stance_keep_form_and_button_ids_within_100_characters(world, db_path):
    assert len(SLUG) == len(KEY) == 32
    alice = world.members[0]
    shown = await alice.slash(world.channel, f"{SLUG} position", stance=KEY)
    assert len(shown.modal["custom_id"]) <= 100
    recorded = await alice.submit_modal(shown, {"rationale": "Through the longest form id."})
    assert "recorded: **Analyse first**" in recorded.response.content

    await seed(world, 6, theme=SLUG, stance=KEY)
    page = (await alice.slash(world.channel, f"{SLUG} positions", stance=KEY)).response
    ids = [button["custom_id"] for row in page.components for button in row["components"]]
    assert len(ids) == 2 and all(len(custom_id) <= 100 for custom_id in ids)
    turned = (await alice.click(page, label="Next")).response
    assert turned.embeds[0].footer.text.startswith("Page 2 of 2 · 7 positions")
    assert rationales(turned.embeds[0]) == ["Rationale 0", "Through the longest form id."]
