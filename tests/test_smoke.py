async def test_position_with_rationale(world):
    alice = world.members[0]
    res = await alice.slash(world.channel, "gaps position", stance="some", rationale="Spam and cybercrime lack a home.")
    assert res.ephemeral
    assert "Gaps in specific policy areas" in res.response.content
    res = await alice.slash(world.channel, "gaps tally")
    print(res.response.embeds[0].description)
    assert "Gaps in specific policy areas: 1 (100%)" in res.response.embeds[0].description
