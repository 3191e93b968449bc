"""`/help`: every member gets the participant's guide; facilitators and organisers also get their part."""

from __future__ import annotations

from tests.support.world import embed_text


async def test_a_plain_member_gets_the_participant_guide_without_facilitator_or_organiser_commands(world, settings):
    res = await world.members[0].slash(world.channel, "help")

    assert res.ephemeral
    [embed] = res.response.embeds
    text = embed_text(embed)
    for command in ("/profile set", "position", "discuss", "bridges", "/poll list"):
        assert command in text
    for theme in settings.themes:
        assert f"`/{theme.slug}` — {theme.title}" in text
    assert "/poll create" not in text and "/poll close" not in text and "/digest" not in text
    assert "/moderate" not in text
    assert [field.name for field in embed.fields] == ["Participants", "The themes", "Also"]
    start = int(settings.session.starts_at.timestamp())
    assert f"<t:{start}:F>" in embed.description and f"<t:{start}:R>" in embed.description


async def test_facilitators_and_organisers_also_get_their_part(world):
    res = await world.facilitator.slash(world.channel, "help")  # holds both roles in the test world
    names = [field.name for field in res.response.embeds[0].fields]
    assert names == ["Participants", "The themes", "Also", "Facilitators", "Organisers"]
    text = embed_text(res.response.embeds[0])
    assert "/poll create" in text and "/digest channel" in text and "/moderate queue" in text
    organiser = world.guild.add_member(world.env.create_user("organiser"), roles=[world.guild.roles["Organiser"]])
    names = [field.name for field in (await organiser.slash(world.channel, "help")).response.embeds[0].fields]
    assert "Organisers" in names and "Facilitators" not in names
