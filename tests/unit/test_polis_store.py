"""What the store reads for the Pol.is export (`polis_source`): statements and latest reactions as of a moment,
first appearances at any time, profiles as they stood, one server and the asked themes only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.consensus import Reaction
from bot.core.models import Profile
from bot.core.polis import PolisReaction, PolisStatement

T0 = datetime(2012, 11, 8, 5, 0, tzinfo=UTC)
GUILD, OTHER = 1_042_112_345_678_901_234, 1_042_112_345_678_909_999
ANA, BEN, CHEN = (1_042_112_999_999_999_000 + n for n in range(3))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def test_polis_source_as_of_a_moment(store):
    await store.set_profile(GUILD, BEN, "civil-society", None, at(0))
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam has no home.", at(1))
    [first] = await store.discussion_candidates(GUILD, "gaps", BEN)
    await store.react(GUILD, first.statement_id, BEN, Reaction.PASS, at(2))
    await store.react(GUILD, first.statement_id, CHEN, Reaction.DISAGREE, at(3))
    await store.react(GUILD, first.statement_id, BEN, Reaction.AGREE, at(4))  # BEN changes his mind
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam and fraud.", at(5))  # #2; #1 not current
    await store.set_profile(GUILD, BEN, "academia", None, at(6))
    await store.record_position(GUILD, "igf", BEN, "Ben", "home", "The IGF.", at(7))  # another theme: #3
    await store.record_position(OTHER, "gaps", CHEN, "Chen", "some", "Elsewhere.", at(0))

    source = await store.polis_source(GUILD, ["gaps"], at(5))
    assert source.statements == [
        PolisStatement(1, "gaps", ANA, "Spam has no home.", at(1)),
        PolisStatement(2, "gaps", ANA, "Spam and fraud.", at(5)),
    ]
    assert source.reactions == [
        PolisReaction(1, "gaps", BEN, Reaction.AGREE, at(4)),
        PolisReaction(1, "gaps", CHEN, Reaction.DISAGREE, at(3)),
    ]
    assert source.first_seen == {ANA: at(1), BEN: at(2), CHEN: at(3)}  # BEN's igf position later changes nothing
    assert source.profiles == {BEN: Profile(BEN, "civil-society", None)}

    earlier = await store.polis_source(GUILD, ["gaps", "igf"], at(3))
    assert [s.number for s in earlier.statements] == [1]
    assert earlier.reactions == [
        PolisReaction(1, "gaps", BEN, Reaction.PASS, at(2)),
        PolisReaction(1, "gaps", CHEN, Reaction.DISAGREE, at(3)),
    ]
    assert earlier.first_seen == source.first_seen  # at any time: an id never depends on the moment
    later = await store.polis_source(GUILD, ["gaps", "igf"], at(8))
    assert [(s.number, s.theme) for s in later.statements] == [(1, "gaps"), (2, "gaps"), (3, "igf")]
    assert later.profiles[BEN].stakeholder == "academia"
