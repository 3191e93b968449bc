"""`/mydata export`: what Concord holds about one member in one server, as JSON (`concord-mydata/1`).

The layout is spelled out field by field, like the digest's JSON, and documented in
docs/data-rights.md: change both together; fields may be added within a version, never renamed,
removed or given another meaning.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.core.member_data import MemberData, PositionChange, ProfileRecord, ReactionRecord

FORMAT = "concord-mydata/1"


def _time(moment: datetime) -> str:
    return moment.isoformat()


def _profile(profile: ProfileRecord) -> dict[str, Any]:
    return {"stakeholder": profile.stakeholder, "region": profile.region, "at": _time(profile.at)}


def _change(change: PositionChange) -> dict[str, Any]:
    return {
        "theme": change.theme,
        "at": _time(change.at),
        "stance": change.stance,
        "rationale": change.rationale,
        "statement": change.statement,
    }


def _reaction(reaction: ReactionRecord) -> dict[str, Any]:
    return {
        "statement": reaction.statement,
        "theme": reaction.theme,
        "reaction": reaction.reaction,
        "at": _time(reaction.at),
    }


def mydata_object(data: MemberData, exported_at: datetime) -> dict[str, Any]:
    """The export as one JSON object (Discord ids as strings, times ISO 8601 in UTC)."""
    return {
        "format": FORMAT,
        "exported_at": _time(exported_at),
        "guild_id": str(data.guild_id),
        "user_id": str(data.user_id),
        "profile": _profile(data.profile) if data.profile else None,
        "profile_history": [_profile(entry) for entry in data.profile_history],
        "positions": [
            {
                "theme": position.theme,
                "display_name": position.display_name,
                "stance": position.stance,
                "rationale": position.rationale,
                "statement": position.statement,
                "updated_at": _time(position.updated_at),
            }
            for position in data.positions
        ],
        "position_history": [_change(change) for change in data.position_history],
        "statements": [
            {
                "number": statement.number,
                "theme": statement.theme,
                "text": statement.text,
                "created_at": _time(statement.created_at),
                "current": statement.current,
                "reactions": {
                    "agree": statement.agrees,
                    "disagree": statement.disagrees,
                    "pass": statement.passes,
                },
            }
            for statement in data.statements
        ],
        "reactions": [_reaction(reaction) for reaction in data.reactions],
        "reaction_history": [_reaction(reaction) for reaction in data.reaction_history],
        "reports": [
            {
                "statement": report.statement,
                "theme": report.theme,
                "reason": report.reason,
                "at": _time(report.at),
                "outcome": report.outcome,
            }
            for report in data.reports
        ],
        "poll_votes": [
            {
                "poll": vote.poll,
                "question": vote.question,
                "theme": vote.theme,
                "option": vote.position,
                "label": vote.label,
                "voted_at": _time(vote.voted_at),
                "poll_closed": vote.closed,
            }
            for vote in data.poll_votes
        ],
        "polls_created": [
            {"poll": poll.poll, "question": poll.question, "created_at": _time(poll.created_at)}
            for poll in data.polls_created
        ],
        "digest_channel": (
            {
                "channel_id": str(data.digest_channel.channel_id),
                "updated_at": _time(data.digest_channel.updated_at),
            }
            if data.digest_channel
            else None
        ),
        "language": (
            {"language": data.language.language, "updated_at": _time(data.language.at)} if data.language else None
        ),
    }


def mydata_json(data: MemberData, exported_at: datetime, *, indent: int | None = 2) -> str:
    """The export as text; `indent=None` is the compact form, for an export near the attachment limit."""
    separators = None if indent is not None else (",", ":")
    return json.dumps(mydata_object(data, exported_at), ensure_ascii=False, indent=indent, separators=separators)
