"""Statements and reactions in the store: numbering, what is current, one reaction per member, counts by group."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import aiosqlite

from bot.core.consensus import Reacted, Reaction, Votes
from bot.migrate import MIGRATIONS_DIR, migrate
from bot.settings import DatabaseSettings
from bot.store import open_store
from tests.support.world import db_rows

T0 = datetime(2012, 11, 8, 5, 0, tzinfo=UTC)
GUILD, OTHER = 1_042_112_345_678_901_234, 1_042_112_345_678_909_999
ANA, BEN, CHEN, DIA = (1_042_112_999_999_999_000 + n for n in range(4))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def numbers(store, guild=GUILD, theme="gaps", user=DIA) -> list[int]:
    return [item.number for item in await store.discussion_candidates(guild, theme, user)]


async def test_each_distinct_rationale_is_a_statement_numbered_per_server(store):
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam has no home.", at(0))
    await store.record_position(GUILD, "igf", BEN, "Ben", "home", "The IGF is the place.", at(1))
    await store.record_position(GUILD, "gaps", CHEN, "Chen", "none", None, at(2))  # no rationale: no statement
    await store.record_position(OTHER, "gaps", ANA, "Ana", "some", "Elsewhere.", at(3))
    assert await numbers(store) == [1]
    assert await numbers(store, theme="igf") == [2]
    assert await numbers(store, guild=OTHER) == [1]
    position = await store.get_position(GUILD, "gaps", ANA)
    assert position.statement == 1
    assert (await store.get_position(GUILD, "gaps", CHEN)).statement is None


async def test_the_same_text_keeps_its_number_and_reactions_and_a_new_text_is_a_new_statement(store, db_path):
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam has no home.", at(0))
    [first] = await store.discussion_candidates(GUILD, "gaps", DIA)
    assert await store.react(GUILD, first.statement_id, BEN, Reaction.AGREE, at(1)) is Reacted.RECORDED

    await store.record_position(GUILD, "gaps", ANA, "Ana", "widespread", "Spam has no home.", at(2))  # new stance
    [same] = await store.discussion_candidates(GUILD, "gaps", DIA)
    assert (same.number, same.votes) == (1, Votes(agrees=1))
    assert (await store.statement(GUILD, same.statement_id)).stance == "widespread"

    await store.record_position(GUILD, "gaps", ANA, "Ana", "widespread", "Spam and fraud have no home.", at(3))
    [new] = await store.discussion_candidates(GUILD, "gaps", DIA)
    assert (new.number, new.votes) == (2, Votes())
    earlier = await store.statement(GUILD, first.statement_id)
    assert not earlier.current and earlier.text == "Spam has no home."
    kept = db_rows(db_path, "SELECT user_id FROM reactions WHERE statement_id = ?", first.statement_id)
    assert kept == [(BEN,)]  # the earlier statement keeps its reaction

    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam has no home.", at(4))  # back again
    [again] = await store.discussion_candidates(GUILD, "gaps", DIA)
    assert (again.number, again.votes) == (1, Votes(agrees=1))


async def test_a_withdrawn_position_has_no_current_statement(store):
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam has no home.", at(0))
    [item] = await store.discussion_candidates(GUILD, "gaps", DIA)
    assert await store.withdraw_position(GUILD, "gaps", ANA, at(1))
    assert await numbers(store) == []
    assert await store.react(GUILD, item.statement_id, BEN, Reaction.AGREE, at(2)) is Reacted.NOT_CURRENT
    assert not (await store.statement(GUILD, item.statement_id)).current


async def test_one_reaction_per_member_per_statement_the_latest_counts_and_every_change_is_kept(store, db_path):
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam has no home.", at(0))
    [item] = await store.discussion_candidates(GUILD, "gaps", BEN)
    sid = item.statement_id
    assert await store.react(GUILD, sid, ANA, Reaction.AGREE, at(1)) is Reacted.OWN
    assert await store.react(OTHER, sid, BEN, Reaction.AGREE, at(1)) is Reacted.NOT_CURRENT  # another server's
    assert await store.react(GUILD, sid, BEN, Reaction.AGREE, at(1)) is Reacted.RECORDED
    assert await store.react(GUILD, sid, BEN, Reaction.AGREE, at(2)) is Reacted.UNCHANGED
    assert await store.react(GUILD, sid, BEN, Reaction.DISAGREE, at(3)) is Reacted.CHANGED
    assert await store.react(GUILD, sid, CHEN, Reaction.PASS, at(4)) is Reacted.RECORDED
    assert await store.reaction_of(sid, BEN) is Reaction.DISAGREE
    assert await store.discussion_candidates(GUILD, "gaps", BEN) == []  # reacted: not shown again
    [seen] = await store.discussion_candidates(GUILD, "gaps", DIA)
    assert seen.votes == Votes(agrees=0, disagrees=1, passes=1)
    history = db_rows(db_path, "SELECT user_id, reaction FROM reaction_history ORDER BY id")
    assert history == [(BEN, "agree"), (BEN, "disagree"), (CHEN, "pass")]


async def test_votes_count_by_the_reacting_members_current_group(store):
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam has no home.", at(0))
    await store.set_profile(GUILD, BEN, "government", None, at(0))
    await store.set_profile(GUILD, CHEN, "academia", None, at(0))
    [item] = await store.discussion_candidates(GUILD, "gaps", DIA)
    for user, reaction in ((BEN, Reaction.AGREE), (CHEN, Reaction.DISAGREE), (DIA, Reaction.AGREE)):
        await store.react(GUILD, item.statement_id, user, reaction, at(1))
    [votes] = await store.theme_votes(GUILD, "gaps")
    assert votes.overall == Votes(2, 1, 0)  # Dia has no profile: counted overall, in no group
    assert dict(votes.by_group) == {"government": Votes(agrees=1), "academia": Votes(disagrees=1)}

    await store.set_profile(GUILD, CHEN, "government", None, at(2))  # Chen's reactions move with her profile
    [votes] = await store.theme_votes(GUILD, "gaps")
    assert dict(votes.by_group) == {"government": Votes(1, 1, 0)}
    assert await store.theme_votes(GUILD, "igf") == []


async def test_a_digest_counts_reactions_and_groups_as_they_stood_at_its_moment(store):
    await store.record_position(GUILD, "gaps", ANA, "Ana", "some", "Spam has no home.", at(0))
    await store.set_profile(GUILD, BEN, "government", None, at(0))
    [item] = await store.discussion_candidates(GUILD, "gaps", BEN)
    await store.react(GUILD, item.statement_id, BEN, Reaction.AGREE, at(10))
    await store.react(GUILD, item.statement_id, BEN, Reaction.DISAGREE, at(20))
    await store.set_profile(GUILD, BEN, "academia", None, at(30))

    def votes(source):
        [found] = source.votes["gaps"]
        return found.number, dict(found.by_group)

    assert (await store.digest_source(GUILD, ["gaps"], at(5))).votes == {}
    assert votes(await store.digest_source(GUILD, ["gaps"], at(15))) == (1, {"government": Votes(agrees=1)})
    assert votes(await store.digest_source(GUILD, ["gaps"], at(25))) == (1, {"government": Votes(disagrees=1)})
    assert votes(await store.digest_source(GUILD, ["gaps"], at(35))) == (1, {"academia": Votes(disagrees=1)})
    [entry] = (await store.digest_source(GUILD, ["gaps"], at(35))).histories["gaps"]
    assert entry.statement == 1


async def test_rationales_recorded_before_statements_existed_become_statements(tmp_path):
    """A forum upgraded in place: its positions' rationales are numbered in the order they were written."""
    before = tmp_path / "before-statements"
    before.mkdir()
    for path in MIGRATIONS_DIR.iterdir():
        if path.name.endswith(".sql") and path.name < "006":
            shutil.copy(str(path), before / path.name)
    database = tmp_path / "old.db"
    async with aiosqlite.connect(database) as db:
        assert await migrate(db, before) == 5
        for user, theme, text, minute in (
            (ANA, "gaps", "First.", 0),
            (BEN, "gaps", "Second.", 1),
            (ANA, "igf", None, 2),
        ):
            stamp = at(minute).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            await db.execute(
                "INSERT INTO positions (guild_id, theme, user_id, display_name, stance, rationale, updated_at) "
                "VALUES (?, ?, ?, 'x', 'some', ?, ?)",
                (GUILD, theme, user, text, stamp),
            )
            await db.execute(
                "INSERT INTO position_history (guild_id, theme, user_id, at, stance, rationale) "
                "VALUES (?, ?, ?, ?, 'some', ?)",
                (GUILD, theme, user, stamp, text),
            )
        await db.commit()
    upgraded = await open_store(DatabaseSettings(path=database))
    try:
        assert [(c.number) for c in await upgraded.discussion_candidates(GUILD, "gaps", DIA)] == [1, 2]
        await upgraded.record_position(GUILD, "gaps", CHEN, "Chen", "some", "Third.", at(3))
        assert [c.number for c in await upgraded.discussion_candidates(GUILD, "gaps", DIA)] == [1, 2, 3]
        assert (await upgraded.get_position(GUILD, "gaps", BEN)).statement == 2
    finally:
        await upgraded.close()
