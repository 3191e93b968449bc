"""A big digest stays inside every Discord limit, visibly: 5 themes x 200 participants x long rationales."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.digest import DigestSource, PostedDigest, build_digest
from bot.core.models import HistoryEntry, Profile
from bot.core.polls import ClosedPoll, OptionResult
from bot.forum import REGIONS, STAKEHOLDERS
from bot.render.discord import limits
from bot.render.discord.digests import digest_parts
from bot.settings import Settings
from tests.support.world import embed_text

T0 = datetime(2026, 1, 1, tzinfo=UTC)
GROUPS, AREAS = list(STAKEHOLDERS), list(REGIONS)
LONG = "Enhanced cooperation needs *every* stakeholder at the table, @everyone included. " * 13  # ~1000 chars


def assert_within_limits(parts) -> None:
    assert parts
    for part in parts:
        assert 1 <= len(part.embeds) <= limits.EMBEDS_PER_MESSAGE
        assert sum(len(embed) for embed in part.embeds) <= limits.EMBED_TOTAL
        assert len(part.files) <= 10
        for embed in part.embeds:
            assert limits.embed_fits(embed)
            assert len(embed.footer.text or "") <= limits.FOOTER


def crowded_source(settings: Settings, participants: int = 200) -> DigestSource:
    histories = {}
    for index, theme in enumerate(settings.themes):
        entries = []
        for user in range(participants):
            stance = theme.stances[(user + index) % len(theme.stances)].key
            entries.append(HistoryEntry(user, T0 + timedelta(minutes=user), stance, f"{user}: {LONG}"[:1000]))
        histories[theme.slug] = entries
    profiles = {
        user: Profile(user, GROUPS[user % len(GROUPS)], AREAS[user % len(AREAS)]) for user in range(0, participants, 3)
    }
    names = {user: f"Participant with a long name {user:03d}"[:32] for user in range(participants)}
    return DigestSource(histories, profiles, names, posted=[PostedDigest("before", T0, T0)])


def test_five_themes_of_two_hundred_long_rationales_fit_every_limit():
    settings = Settings.load(None, privacy={"attribution": "named"})
    digest = build_digest(settings, crowded_source(settings), "after", T0 + timedelta(days=1))
    parts = digest_parts(digest, {"gaps": b"\x89PNG fake"})
    assert_within_limits(parts)
    text = "\n".join(embed_text(embed) for part in parts for embed in part.embeds)
    # Every theme is there, each stance shows three rationales and says how many more there are.
    for theme in settings.themes:
        assert theme.title in text
        assert f"… and 47 more: /{theme.slug} positions" in text
    assert text.count("Participants: 200") == 5
    # Quotes are visible excerpts, and the theme's chart rides on the message holding the theme's embed.
    assert "…" in text
    (carrying,) = [part for part in parts if part.files]
    assert [name for name, _ in carrying.files] == ["digest-gaps.png"]
    shown = [embed for embed in carrying.embeds if embed.image.url]
    assert [(embed.title, embed.image.url) for embed in shown] == [("Gaps", "attachment://digest-gaps.png")]


def test_pathological_configuration_still_fits_and_says_what_is_left_out():
    stances = [{"key": f"s{i:02d}", "label": f"Stance {i:02d} " + "x" * 88} for i in range(25)]
    themes = [{"slug": "wide", "title": "T" * 100, "question": "Q" * 1000, "stances": stances}]
    settings = Settings.load(None, themes=themes)
    source = crowded_source(settings, participants=300)
    polls = [
        ClosedPoll(
            poll_id=n,
            number=n,
            question="P" * 300,
            theme=None,
            secret=False,
            max_choices=1,
            opened_at=T0,
            closed_at=T0 + timedelta(hours=1),
            channel_id=1,
            message_id=None,
            voters=10,
            options=tuple(OptionResult(i, "O" * 55, 1, 10) for i in range(10)),
            groups=(),
        )
        for n in range(1, 26)
    ]
    source = DigestSource(source.histories, source.profiles, source.names, (), polls)
    parts = digest_parts(build_digest(settings, source, "weekly", T0 + timedelta(days=1)))
    assert_within_limits(parts)
    text = "\n".join(embed_text(embed) for part in parts for embed in part.embeds)
    assert "(continued)" in text
    assert "… and 15 more: see /poll results" in text


@pytest.mark.concord_settings(privacy={"attribution": "named"})
async def test_the_big_digest_is_accepted_by_the_server(world, settings):
    channel = world.guild.create_text_channel("digests")
    await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    store, guild_id = world.bot.store, world.guild.id
    for user in range(200):
        await store.set_profile(guild_id, user, GROUPS[user % 6], AREAS[user % 5], T0)
        for index, theme in enumerate(settings.themes):
            stance = theme.stances[(user + index) % len(theme.stances)].key
            await store.record_position(
                guild_id, theme.slug, user, f"@everyone {user}", stance, f"{user}: {LONG}"[:1000], T0
            )
    res = await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    assert res.ephemeral and "Posted the weekly digest" in res.response.content
    posted = [m for m in channel.history() if m.author.id == world.bot.user.id]
    assert len(posted) == int(res.response.content.split("(")[1].split()[0]) >= 5
    charts = sorted(item.filename for message in posted for item in message.attachments)
    assert charts == sorted(f"digest-{theme.slug}.png" for theme in settings.themes)  # one per theme
    assert not any(m.mention_everyone or m.mentions for m in posted)
    assert all(sum(len(embed) for embed in message.embeds) <= limits.EMBED_TOTAL for message in posted)


def test_a_rationale_written_over_several_lines_stays_inside_its_quote():
    settings = Settings.load(None, privacy={"min_group": 1})  # the one author's group may be named
    theme = settings.themes[0]
    text = "First line,\n\nsecond line\n# not a heading\n- nor a list"
    entry = HistoryEntry(1, T0, theme.stances[0].key, text)
    source = DigestSource({theme.slug: [entry]}, {1: Profile(1, "academia", None)})
    parts = digest_parts(build_digest(settings, source, "weekly", T0 + timedelta(hours=1)))
    [value] = [f.value for part in parts for e in part.embeds for f in e.fields if f.name.startswith("Rationales")]
    assert value.splitlines() == ["> First line, second line # not a heading - nor a list", "— Academia"]
