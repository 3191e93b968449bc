"""The report renderers and charts speak through gettext: English is the source text, and every phrase
of ours is looked up in the language of the context (checked with a pseudo-language that marks each one)."""

from __future__ import annotations

import gettext
import re
from datetime import UTC, datetime, timedelta

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot import i18n
from bot.core.digest import Digest, DigestSource, PostedDigest, build_digest
from bot.core.export import change_rows, position_rows
from bot.core.models import HistoryEntry, Profile
from bot.core.polls import ClosedPoll, OptionResult, PollResults
from bot.core.tally import tally
from bot.i18n import language
from bot.render.charts import ChartPanel, bar_chart_png, digest_chart_png, poll_chart_png, tally_chart_png
from bot.render.digest_wording import poll_closed_line
from bot.render.report.csv_files import history_csv, positions_csv
from bot.render.report.html_page import digest_html
from bot.render.report.json_data import digest_json
from bot.render.report.markdown import digest_markdown
from bot.settings import Settings

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SESSION = {"title": "Qforum", "starts_at": "2026-01-03T09:00:00+04:00", "ends_at": "2026-01-03T10:30:00+04:00"}
STANCES = [{"key": "yes", "label": "Qyes"}, {"key": "no", "label": "Qno"}]
# Everything the user (or the organiser's configuration) writes is a word starting with Q.
THEMES = [
    {"slug": "alpha", "title": "Qalpha", "question": "Qwhat?", "stances": STANCES},
    {"slug": "beta", "title": "Qbeta", "question": "Qwhy?", "stances": STANCES},
]
USER_TEXT = re.compile(r"Q[a-z]+")
MARK = re.compile(r"⟪[^⟪⟫]*⟫")


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def poll(number: int, voters: int, secret: bool) -> ClosedPoll:
    options = (OptionResult(0, "Qfor", voters, 100 if voters else 0), OptionResult(1, "Qagainst", 0, 0))
    return ClosedPoll(number, number, "Qpoll?", None, secret, 1, at(40), at(41), 1, None, voters, options, ())


def digest(attribution: str) -> Digest:
    """An after-session digest with every part: breakdowns, missing groups, a shift, quotes and more, polls."""
    settings = Settings.load(None, session=SESSION, themes=THEMES, privacy={"attribution": attribution})
    script = [(user, 1, "yes", f"Qreason{'x' * user}") for user in range(1, 6)]
    script += [
        (6, 2, "no", None),
        (6, 60, "yes", "Qconvinced"),
        (7, 2, "no", None),
        (7, 61, None, None),
        (8, 62, "no", None),
    ]
    history = [HistoryEntry(user, at(hours), stance, why) for user, hours, stance, why in script]
    source = DigestSource(
        histories={"alpha": history, "beta": []},  # beta: nobody yet
        profiles={1: Profile(1, "government", "weog"), 2: Profile(2, "academia", None)},
        names={user: f"Qname{'x' * user}" for user in range(1, 9)},
        posted=[PostedDigest("before", at(29), at(29))],
        polls=[poll(1, 1, False), poll(2, 3, True)],
    )
    return build_digest(settings, source, "after", at(80))


def reports(attribution: str) -> dict[str, str | bytes]:
    item = digest(attribution)
    settings = Settings.load(None, session=SESSION, themes=THEMES, privacy={"attribution": attribution})
    source = DigestSource({"alpha": [HistoryEntry(1, at(1), "yes", "Qwhy"), HistoryEntry(1, at(2), None, None)]})
    return {
        "markdown": digest_markdown(item, "Qchart"),
        "html": digest_html(item, b"Qpng"),
        "json": digest_json(item),
        "positions.csv": positions_csv(position_rows(settings, source, at(3))),
        "history.csv": history_csv(change_rows(settings, source, at(3))),
        "chart": digest_chart_png(item),
    }


@pytest.mark.parametrize("attribution", ["chatham-house", "named"])
def test_the_reports_in_english_are_the_source_text(attribution):
    outside = reports(attribution)
    with language("en"):
        inside = reports(attribution)
    assert inside == outside


class Marked(gettext.NullTranslations):
    """A pseudo-language: each phrase, looked up, comes back marked ⟪like this⟫."""

    def gettext(self, message: str) -> str:
        return f"⟪{message}⟫"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"⟪{msgid1 if n == 1 else msgid2}⟫"


@pytest.fixture
def marked(monkeypatch):
    monkeypatch.setattr(i18n, "_translations", lambda lang: Marked() if lang == "xx" else gettext.NullTranslations())
    with language("xx"):
        yield


def unlooked_words(text: str) -> list[str]:
    """Words left once every marked phrase (with what was put into it) and all user text are taken out."""
    while MARK.search(text):
        text = MARK.sub("", text)
    return re.findall(r"[A-Za-z]+", USER_TEXT.sub("", text))


@pytest.mark.parametrize("attribution", ["chatham-house", "named"])
def test_every_word_of_ours_in_markdown_and_html_is_looked_up(marked, attribution):
    item = digest(attribution)
    markdown = digest_markdown(item, "Qchart")
    assert "⟪" in markdown and unlooked_words(markdown) == []
    page = digest_html(item, b"Qpng")
    assert '<html lang="xx" dir="ltr">' in page
    text = re.sub(r"<[^>]*>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL))
    assert "⟪" in text and unlooked_words(text) == []


def test_every_word_of_ours_in_a_chart_is_looked_up(marked, monkeypatch):
    drawn: list[Figure] = []
    savefig = Figure.savefig

    def keep(figure: Figure, *args, **kwargs):
        savefig(figure, *args, **kwargs)  # draws the figure: its tick labels exist from here on
        drawn.append(figure)

    monkeypatch.setattr(Figure, "savefig", keep)
    digest_chart_png(digest("chatham-house"))  # beta's panel is empty: "Nothing to count yet"
    bar_chart_png([])  # "No data"
    bar_chart_png([ChartPanel("Qpanel", ("Qbar",), (2,))])
    tally_chart_png("Qalpha", tally([("yes", None)], [("yes", "Qyes"), ("no", "Qno")]))
    poll_chart_png(PollResults(voters=1, options=(OptionResult(0, "Qfor", 1, 100),), groups=()), "Qpoll?")
    texts = [artist.get_text() for figure in drawn for artist in figure.findobj(Text)]
    assert sum("⟪" in text for text in texts) >= 8
    assert [word for text in texts for word in unlooked_words(text)] == []


def test_a_poll_line_counts_its_voters_in_the_plural_form_of_the_count():
    closed = datetime(2026, 1, 2, 5, tzinfo=UTC)
    one = poll_closed_line(closed, "Asia/Baku", count=1, secret=False)
    assert one == "Closed 2026-01-02 09:00 (Asia/Baku) · 1 voter."
    many = poll_closed_line(closed, "Asia/Baku", count=3, secret=True)
    assert many == "Closed 2026-01-02 09:00 (Asia/Baku) · 3 voters · secret ballot."
