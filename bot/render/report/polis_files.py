"""One theme as Pol.is's export files: comments.csv, votes.csv, participants-votes.csv and summary.csv.

The layout is Pol.is's (the columns, their names and order, the vote signs, summary.csv's two columns
without a header), so tools written for Pol.is exports read them unchanged; the rows come from
`bot.core.polis`. The column names are a fixed format: never translated.

- `timestamp`: milliseconds since the epoch, as in the exports Pol.is published (its open data sets);
  `datetime`: the same moment written as those exports write it (Java's `Date.toString()`, e.g.
  `Thu Nov 08 05:00:00 UTC 2012`), always in UTC and with English names whatever the machine's locale.
- Cells Pol.is leaves empty (no group, no vote) are empty.
- User text (comment bodies, the topic and description) that a spreadsheet would run as a formula is
  prefixed with ' (`safe`, as in the CSV report); numbers are written as they are (a vote of -1 stays -1).

UTF-8, comma-separated, CRLF line ends (RFC 4180; a carriage return inside a text is then quoted too).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from bot.core.polis import Conversation, Summary
from bot.render.report.csv_files import safe

COMMENTS_FILE = "comments.csv"
VOTES_FILE = "votes.csv"
PARTICIPANTS_FILE = "participants-votes.csv"
SUMMARY_FILE = "summary.csv"
COMMENTS_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTES_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANTS_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def polis_timestamp(moment: datetime) -> int:
    """Milliseconds since the epoch (whole milliseconds, rounded down)."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def polis_datetime(moment: datetime) -> str:
    """`Thu Nov 08 05:00:00 UTC 2012`: the moment in UTC, laid out as Pol.is's published exports lay it out."""
    utc = moment.astimezone(UTC)
    return f"{_DAYS[utc.weekday()]} {_MONTHS[utc.month - 1]} {utc:%d %H:%M:%S} UTC {utc.year}"


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def comments_csv(conversation: Conversation) -> str:
    rows = (
        (
            polis_timestamp(row.at),
            polis_datetime(row.at),
            row.comment_id,
            row.author_id,
            row.agrees,
            row.disagrees,
            row.moderated,
            safe(row.body),
        )
        for row in conversation.comments
    )
    return _table([COMMENTS_COLUMNS, *rows])


def votes_csv(conversation: Conversation) -> str:
    rows = (
        (polis_timestamp(row.at), polis_datetime(row.at), row.comment_id, row.voter_id, row.vote)
        for row in conversation.votes
    )
    return _table([VOTES_COLUMNS, *rows])


def participants_votes_csv(conversation: Conversation) -> str:
    header = (*PARTICIPANTS_COLUMNS, *conversation.comment_ids)
    rows = (
        (
            row.participant,
            _cell(row.group_id),
            row.n_comments,
            row.n_votes,
            row.n_agree,
            row.n_disagree,
            *(_cell(vote) for vote in row.votes),
        )
        for row in conversation.participants
    )
    return _table([header, *rows])


def summary_csv(summary: Summary) -> str:
    return _table(
        [
            ("topic", safe(summary.topic)),
            ("url", summary.url),
            ("voters", summary.voters),
            ("voters-in-conv", summary.voters_in_conv),
            ("commenters", summary.commenters),
            ("comments", summary.comments),
            ("groups", summary.groups),
            ("conversation-description", safe(summary.description)),
        ]
    )


def polis_files(conversation: Conversation) -> dict[str, str]:
    """The four files' texts, by file name: the caller writes them into the theme's folder."""
    return {
        COMMENTS_FILE: comments_csv(conversation),
        VOTES_FILE: votes_csv(conversation),
        PARTICIPANTS_FILE: participants_votes_csv(conversation),
        SUMMARY_FILE: summary_csv(conversation.summary),
    }


def _table(rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()
