"""Pol.is's export files as text (bot.render.report.polis_files): headers, times, empty cells, formulas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bot.core.polis import CommentRow, Conversation, ParticipantRow, Summary, VoteRow
from bot.render.report.polis_files import polis_datetime, polis_files, polis_timestamp

T0 = datetime(2012, 11, 8, 5, 0, 0, 123456, tzinfo=UTC)  # Thursday


def test_timestamps_are_whole_milliseconds_since_the_epoch():
    # 2012-01-01 is 1325376000 s; 8 November is 312 days later; then 5 hours: 1352350800 s.
    assert polis_timestamp(T0) == 1352350800123
    assert polis_timestamp(datetime(1970, 1, 1, 0, 0, 0, 999, tzinfo=UTC)) == 0


def test_datetimes_read_as_in_polis_exports_in_utc():
    assert polis_datetime(T0) == "Thu Nov 08 05:00:00 UTC 2012"
    baku = timezone(timedelta(hours=4))
    assert polis_datetime(datetime(2013, 3, 3, 2, 7, 9, tzinfo=baku)) == "Sat Mar 02 22:07:09 UTC 2013"


def conversation() -> Conversation:
    return Conversation(
        slug="gaps",
        comment_ids=(2, 5),
        comments=(
            CommentRow(T0, 2, 0, 1, 0, 1, '=SUM(A1) spam, and "fraud"'),
            CommentRow(T0 + timedelta(hours=1), 5, 1, 0, 1, -1, "Plain.\nTwo lines."),
        ),
        votes=(VoteRow(T0, 2, 1, 1), VoteRow(T0, 5, 0, -1)),
        participants=(
            ParticipantRow(0, 3, 1, 1, 0, 1, (None, -1)),
            ParticipantRow(1, None, 1, 1, 1, 0, (1, None)),
        ),
        summary=Summary("@topic?", "", 2, 1, 2, 1, 1, "-context"),
    )


def test_the_four_files_in_polis_layout():
    files = polis_files(conversation())
    assert list(files) == ["comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"]
    assert files["comments.csv"] == (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\r\n"
        '1352350800123,Thu Nov 08 05:00:00 UTC 2012,2,0,1,0,1,"\'=SUM(A1) spam, and ""fraud"""\r\n'
        '1352354400123,Thu Nov 08 06:00:00 UTC 2012,5,1,0,1,-1,"Plain.\nTwo lines."\r\n'
    )
    assert files["votes.csv"] == (
        "timestamp,datetime,comment-id,voter-id,vote\r\n"
        "1352350800123,Thu Nov 08 05:00:00 UTC 2012,2,1,1\r\n"
        "1352350800123,Thu Nov 08 05:00:00 UTC 2012,5,0,-1\r\n"
    )
    assert files["participants-votes.csv"] == (
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,2,5\r\n0,3,1,1,0,1,,-1\r\n1,,1,1,1,0,1,\r\n"
    )
    assert files["summary.csv"] == (
        "topic,'@topic?\r\nurl,\r\nvoters,2\r\nvoters-in-conv,1\r\ncommenters,2\r\ncomments,1\r\ngroups,1\r\n"
        "conversation-description,'-context\r\n"
    )


def test_a_conversation_without_statements_still_has_every_header():
    empty = Conversation("igf", (), (), (), (), Summary("Q?", "", 0, 0, 0, 0, 0, "C."))
    files = polis_files(empty)
    assert files["participants-votes.csv"] == "participant,group-id,n-comments,n-votes,n-agree,n-disagree\r\n"
    assert files["votes.csv"] == "timestamp,datetime,comment-id,voter-id,vote\r\n"


def test_a_carriage_return_inside_a_text_is_quoted():
    lone = Conversation(
        "igf", (1,), (CommentRow(T0, 1, 0, 0, 0, 1, "One\rtwo"),), (), (), Summary("Q?", "", 0, 0, 1, 1, 0, "C.")
    )
    assert polis_files(lone)["comments.csv"].endswith(',1,"One\rtwo"\r\n')
