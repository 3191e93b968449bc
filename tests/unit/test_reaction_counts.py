"""The counts `/<slug> bridges` reads (kept by triggers on `reactions`) always equal counting the reactions
themselves, whatever sequence of clicks, changes of mind, new stakeholder groups and new texts led there."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from random import Random

import pytest

from bot.core.consensus import Reaction
from bot.forum import STAKEHOLDERS
from bot.settings import DatabaseSettings
from bot.store import open_store
from tests.support.world import db_rows

GUILD = 1_042_112_345_678_901_234
T0 = datetime(2012, 11, 8, 5, 0, tzinfo=UTC)
MEMBERS = [1_042_112_999_999_999_000 + n for n in range(8)]
TEXTS = ["Spam has no home.", "The IGF is the place.", "Capacity first."]


def counted_from_reactions(db_path) -> list[tuple]:
    return db_rows(
        db_path,
        """
        SELECT statement_id, coalesce(stakeholder, ''),
               count(*) FILTER (WHERE reaction = 'agree'),
               count(*) FILTER (WHERE reaction = 'disagree'),
               count(*) FILTER (WHERE reaction = 'pass')
        FROM reactions GROUP BY 1, 2 ORDER BY 1, 2
        """,
    )


def statement_totals(db_path) -> list[tuple]:
    """Each statement's own counts, beside the same counted from its reactions."""
    return db_rows(
        db_path,
        """
        SELECT s.agrees, s.disagrees, s.passes,
               (SELECT count(*) FROM reactions r WHERE r.statement_id = s.id AND r.reaction = 'agree'),
               (SELECT count(*) FROM reactions r WHERE r.statement_id = s.id AND r.reaction = 'disagree'),
               (SELECT count(*) FROM reactions r WHERE r.statement_id = s.id AND r.reaction = 'pass')
        FROM statements s ORDER BY s.id
        """,
    )


def kept_counts(db_path) -> list[tuple]:
    return db_rows(db_path, "SELECT statement_id, grp, agrees, disagrees, passes FROM reaction_counts ORDER BY 1, 2")


@pytest.mark.parametrize("seed", range(6))
async def test_kept_counts_equal_the_reactions_counted_after_any_sequence(db_path, seed):
    store = await open_store(DatabaseSettings(path=db_path))
    rng = Random(seed)
    moment = T0
    for _ in range(120):
        moment += timedelta(minutes=1)
        member = rng.choice(MEMBERS)
        action = rng.random()
        if action < 0.25:
            await store.record_position(
                GUILD, "gaps", member, f"member {member}", rng.choice(["some", "widespread"]), rng.choice(TEXTS), moment
            )
        elif action < 0.4:
            await store.set_profile(GUILD, member, rng.choice(list(STAKEHOLDERS)), None, moment)
        elif action < 0.45:
            await store.withdraw_position(GUILD, "gaps", member, moment)
        else:
            statements = [row[0] for row in db_rows(db_path, "SELECT id FROM current_statements")]
            if statements:
                target = rng.choice(statements)
                await store.react(GUILD, target, member, rng.choice(list(Reaction)), moment)
    assert kept_counts(db_path) == counted_from_reactions(db_path)
    assert all(row[:3] == row[3:] for row in statement_totals(db_path))
    live = await store.theme_votes(GUILD, "gaps")
    current = "SELECT count(*) FROM reactions r JOIN current_statements cs ON cs.id = r.statement_id"
    assert sum(item.overall.total for item in live) == db_rows(db_path, current)[0][0]
    await store.close()
    with sqlite3.connect(db_path) as db:  # a member's reactions erased: their counts go with them
        db.execute("DELETE FROM reactions WHERE user_id = ?", (MEMBERS[0],))
    db.close()
    assert kept_counts(db_path) == counted_from_reactions(db_path)
    assert all(row[:3] == row[3:] for row in statement_totals(db_path))
