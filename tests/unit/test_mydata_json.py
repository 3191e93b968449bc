"""The `concord-mydata/1` layout: every top-level field is documented in docs/data-rights.md, ids are
strings, and the compact form holds the same data."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from bot.core.member_data import MemberData, PositionRecord, ProfileRecord
from bot.render.report.mydata_json import FORMAT, mydata_json

AT = datetime(2012, 11, 8, 9, tzinfo=UTC)
DOC = Path(__file__).resolve().parents[2] / "docs" / "data-rights.md"


def sample() -> MemberData:
    profile = ProfileRecord("civil-society", None, AT)
    return MemberData(
        guild_id=4242,
        user_id=872_364_551_203_948_001,
        profile=profile,
        profile_history=[profile],
        positions=[PositionRecord("gaps", "Quentin", "some", "Spam.", 1, AT)],
        position_history=[],
        statements=[],
        reactions=[],
        reaction_history=[],
        poll_votes=[],
        polls_created=[],
        digest_channel=None,
    )


def documented_fields() -> set[str]:
    section = DOC.read_text().split("## `/mydata export`", 1)[1].split("\n## ", 1)[0]
    return {match for line in section.splitlines() for match in re.findall(r"^\| `([a-z_]+)`", line)}


def test_every_field_is_documented_and_ids_are_strings():
    data = json.loads(mydata_json(sample(), AT))
    documented = documented_fields() | {"guild_id", "user_id"}  # documented together in one row
    assert set(data) == documented
    assert data["format"] == FORMAT == "concord-mydata/1"
    assert data["user_id"] == "872364551203948001" and data["exported_at"] == "2012-11-08T09:00:00+00:00"


def test_the_compact_form_is_smaller_and_holds_the_same():
    indented, compact = mydata_json(sample(), AT), mydata_json(sample(), AT, indent=None)
    assert len(compact) < len(indented) and json.loads(compact) == json.loads(indented)
