"""A digest as JSON: the same data the Discord, Markdown and HTML renderings show, for other tools.

The layout is spelled out field by field (not derived from the core's dataclasses), so renaming
something inside the bot never changes what other tools read; `format` names the layout's
version. Documented in docs/digests.md ("JSON"): change both together, and bump the version
when a field changes meaning or goes away (adding one does not).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.core.consensus import Argument, CommonGround, GroupAgreement, GroupSplit
from bot.core.digest import Digest, StanceQuotes, ThemeDigest
from bot.core.history import Shift
from bot.core.models import Attribution
from bot.core.polls import ClosedPoll, OptionResult
from bot.core.tally import GroupTally, StanceCount
from bot.render.wording import author, digest_heading, group_label, shift_basis

FORMAT = "concord-digest/1"


def _time(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, e.g. 2012-11-07T05:00:00+00:00."""
    return None if moment is None else moment.isoformat()


def _snowflake(value: int | None) -> str | None:
    """Discord ids as strings, as Discord's own API does: they exceed JavaScript's exact integers."""
    return None if value is None else str(value)


def _count(item: StanceCount) -> dict[str, Any]:
    return {"key": item.key, "label": item.label, "count": item.count, "percent": item.percent}


def _group(group: GroupTally) -> dict[str, Any]:
    return {
        "group": group.group,
        "label": group_label(group.group),
        "total": group.total,
        "counts": [_count(item) for item in group.counts],
    }


def _quotes(stance: StanceQuotes, attribution: Attribution) -> dict[str, Any]:
    quotes = [
        {"text": q.text, "attribution": author(q.author, attribution), "at": _time(q.at), "number": q.number}
        for q in stance.quotes
    ]
    return {"key": stance.key, "label": stance.label, "quotes": quotes, "more": stance.more}


def _shift(shift: Shift | None) -> dict[str, Any] | None:
    if shift is None:
        return None
    return {
        "start": _time(shift.start),
        "end": _time(shift.end),
        "rows": [{"from_stance": r.from_stance, "to_stance": r.to_stance, "count": r.count} for r in shift.rows],
        "unchanged": shift.unchanged,
        "moved": shift.moved,
        "joined": shift.joined,
        "withdrew": shift.withdrew,
    }


def _theme(theme: ThemeDigest, attribution: Attribution) -> dict[str, Any]:
    return {
        "slug": theme.slug,
        "title": theme.title,
        "question": theme.question,
        "participants": theme.participants,
        "participants_change": theme.participants_change,
        "stances": [
            {"key": s.key, "label": s.label, "count": s.count, "percent": s.percent, "change": s.change}
            for s in theme.stances
        ],
        "by_stakeholder": [_group(group) for group in theme.by_stakeholder],
        "by_region": [_group(group) for group in theme.by_region],
        "missing_stakeholders": [group_label(key) for key in theme.missing_stakeholders],
        "missing_regions": [group_label(key) for key in theme.missing_regions],
        "quotes": [_quotes(stance, attribution) for stance in theme.quotes],
        "shift": _shift(theme.shift),
        "stance_labels": dict(theme.stance_labels),
        "common_ground": [_common(item) for item in theme.common_ground],
        "divides": [_split(item) for item in theme.divides],
    }


def _agreement(group: GroupAgreement) -> dict[str, Any]:
    return {
        "group": group.group,
        "label": group_label(group.group),
        "agrees": group.votes.agrees,
        "disagrees": group.votes.disagrees,
        "passes": group.votes.passes,
        "agreement": round(group.agreement, 4),
    }


def _argument(argument: Argument) -> dict[str, Any]:
    return {"number": argument.number, "text": argument.text, "stance": argument.stance}


def _common(item: CommonGround) -> dict[str, Any]:
    return {
        **_argument(item.argument),
        "score": round(item.consensus.score, 4),
        "gic": round(item.consensus.gic, 6),
        "groups": [_agreement(group) for group in item.consensus.reacted],
    }


def _split(item: GroupSplit) -> dict[str, Any]:
    return {
        **_argument(item.argument),
        "gap": round(item.divide.gap, 4),
        "high": _agreement(item.divide.high),
        "low": _agreement(item.divide.low),
    }


def _option(option: OptionResult) -> dict[str, Any]:
    return {"position": option.position, "label": option.label, "count": option.count, "percent": option.percent}


def _poll(poll: ClosedPoll) -> dict[str, Any]:
    return {
        "poll_id": poll.poll_id,
        "number": poll.number,
        "question": poll.question,
        "theme": poll.theme,
        "secret": poll.secret,
        "max_choices": poll.max_choices,
        "opened_at": _time(poll.opened_at),
        "closed_at": _time(poll.closed_at),
        "channel_id": _snowflake(poll.channel_id),
        "message_id": _snowflake(poll.message_id),
        "voters": poll.voters,
        "options": [_option(option) for option in poll.options],
        "groups": [
            {"group": g.group, "voters": g.voters, "options": [_option(option) for option in g.options]}
            for g in poll.groups
        ],
    }


def digest_data(digest: Digest) -> dict[str, Any]:
    """The digest as plain JSON-ready data, in the documented layout."""
    return {
        "format": FORMAT,
        "kind": digest.kind,
        "heading": digest_heading(digest),
        "session_title": digest.session_title,
        "as_of": _time(digest.as_of),
        "timezone": digest.timezone,
        "previous_at": _time(digest.previous_at),
        "shift_from": _time(digest.shift_from),
        "shift_basis": shift_basis(digest.shift_basis) or None,
        "attribution": digest.attribution,
        "themes": [_theme(theme, digest.attribution) for theme in digest.themes],
        "polls": [_poll(poll) for poll in digest.polls],
    }


def digest_json(digest: Digest) -> str:
    return json.dumps(digest_data(digest), ensure_ascii=False, indent=2) + "\n"
