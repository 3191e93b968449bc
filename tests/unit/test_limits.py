"""Limit helpers: never over a Discord limit, and never silent about what was left out."""

from __future__ import annotations

import random

import discord
import pytest

from bot.render.discord.limits import (
    EMBED_DESCRIPTION,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    FOOTER,
    clip,
    embed_fits,
    fit_embed,
    join_within,
)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("eleven char", 10, "eleven ch…"),
        ("trailing   spaces here", 12, "trailing…"),
        ("abc", 1, "…"),
        ("abc", 0, ""),
    ],
)
def test_clip(text, limit, expected):
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit


def test_join_within_keeps_everything_that_fits():
    assert join_within(["a", "b", "c"], 100) == "a\nb\nc"
    assert join_within([], 10) == ""


def test_join_within_says_how_many_were_left_out():
    lines = [f"line {i:02d}" for i in range(10)]  # 7 characters each
    joined = join_within(lines, 40)
    assert joined.splitlines()[-1] == "… and 7 more"
    assert joined.splitlines()[:-1] == lines[:3]
    assert len(joined) <= 40


def test_join_within_uses_the_last_line_when_it_fits_without_a_tail():
    assert join_within(["12345", "67890"], 11) == "12345\n67890"


@pytest.mark.parametrize("seed", range(40))
def test_join_within_never_exceeds_and_accounts_for_every_line(seed):
    rng = random.Random(seed)
    lines = ["x" * rng.randint(0, 120) for _ in range(rng.randint(1, 60))]
    limit = rng.randint(15, 1200)
    joined = join_within(lines, limit)
    assert len(joined) <= limit
    out = joined.split("\n")
    if out[-1].startswith("… and "):
        shown = len(out) - 1
        assert out[-1] == f"… and {len(lines) - shown} more"
        assert out[:-1] == lines[:shown]
    else:
        assert out == lines


def big_embed(rng: random.Random) -> discord.Embed:
    embed = discord.Embed(title="t" * rng.randint(1, 400), description="d" * rng.randint(0, 5000))
    for i in range(rng.randint(0, 40)):
        embed.add_field(name=f"f{i}" * rng.randint(1, 100), value="v" * rng.randint(1, 1500), inline=False)
    if rng.random() < 0.7:
        embed.set_footer(text="footer " * rng.randint(1, 400))
    return embed


@pytest.mark.parametrize("seed", range(40))
def test_fit_embed_always_fits_and_says_how_many_fields_it_dropped(seed):
    rng = random.Random(seed)
    embed = big_embed(rng)
    before = len(embed.fields)

    fitted = fit_embed(embed)

    assert embed_fits(fitted)
    assert len(fitted.footer.text or "") <= FOOTER
    dropped = before - len(fitted.fields)
    if dropped:
        assert fitted.footer.text.endswith(f"… and {dropped} more not shown here")
    for field in fitted.fields:
        assert len(field.name) <= FIELD_NAME and len(field.value) <= FIELD_VALUE


def test_fit_embed_leaves_a_fitting_embed_alone():
    embed = discord.Embed(title="T", description="D").add_field(name="n", value="v").set_footer(text="f")
    assert fit_embed(embed).to_dict() == (
        discord.Embed(title="T", description="D").add_field(name="n", value="v").set_footer(text="f").to_dict()
    )


def test_fit_embed_keeps_the_original_footer_and_counts_once():
    embed = discord.Embed(description="d" * 3000).set_footer(text="Page 1 of 2")
    for i in range(30):
        embed.add_field(name=f"n{i}", value="v" * 200)
    fit_embed(embed)
    assert len(embed.fields) <= FIELDS and len(embed) <= EMBED_TOTAL
    dropped = 30 - len(embed.fields)
    assert embed.footer.text == f"Page 1 of 2 · … and {dropped} more not shown here"


def test_embed_fits_catches_each_limit():
    assert embed_fits(discord.Embed(description="d" * EMBED_DESCRIPTION))
    assert not embed_fits(discord.Embed(description="d" * (EMBED_DESCRIPTION + 1)))
    assert not embed_fits(discord.Embed(title="t" * 257))
    assert not embed_fits(discord.Embed().add_field(name="n", value="v" * (FIELD_VALUE + 1)))
    assert not embed_fits(discord.Embed().add_field(name="n" * (FIELD_NAME + 1), value="v"))
    too_many = discord.Embed()
    for _ in range(FIELDS + 1):
        too_many.add_field(name="n", value="v")
    assert not embed_fits(too_many)
    total = discord.Embed(description="d" * 4000)
    for _ in range(2):
        total.add_field(name="n", value="v" * 1024)
    assert not embed_fits(total)
