"""The same hostile texts, stored through the real store, read back through every renderer.

Rationales, display names, a theme's title, question and stance labels (typed by organisers) and a
closed poll's question and answers go into one digest per example (each in a server of its own in one
shared store), which is then rendered for Discord, as Markdown, HTML, JSON, the CSV report, Pol.is's
export and the charts. Everywhere the text must stay inert and whole: no live HTML, Markdown of the
same shape, no cell a spreadsheet evaluates, JSON that gives back exactly what was stored, and charts
that draw `$` as a dollar.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bot.core.digest import Digest, DigestKind, DigestSource, build_digest
from bot.core.export import change_rows, position_rows
from bot.core.polis import polis_export
from bot.core.polls import ClosedPoll, OptionResult
from bot.render.charts import ChartPanel, bar_chart_figure, digest_chart_png
from bot.render.digest_wording import missing_heading
from bot.render.discord.digests import digest_parts
from bot.render.report.csv_files import history_csv, positions_csv
from bot.render.report.html_page import digest_html
from bot.render.report.json_data import digest_json
from bot.render.report.markdown import digest_markdown
from bot.render.report.polis_files import polis_files
from bot.settings import Settings
from tests.support.inert import check_payload
from tests.support.texts import hostile_line, hostile_text, spreadsheet_formula

pytestmark = [pytest.mark.properties, pytest.mark.filterwarnings("ignore:Glyph .* missing from font")]

START = datetime(2026, 1, 1, tzinfo=UTC)
GUILDS = itertools.count(1)
COMMONMARK = MarkdownIt("commonmark").enable("table")
PNG = b"\x89PNG\r\n\x1a\n"

rationales = st.lists(hostile_text(max_size=1000), min_size=1, max_size=4)
names = st.lists(hostile_line(max_size=32).filter(str.strip), min_size=4, max_size=4, unique=True)
labels = st.lists(hostile_line(max_size=100).filter(str.strip), min_size=2, max_size=2, unique_by=str.casefold)
answers = st.lists(hostile_line(max_size=55).filter(str.strip), min_size=2, max_size=4)


def forum(db_path, title: str, question: str, stance_labels: list[str]) -> Settings:
    stances = [{"key": key, "label": label} for key, label in zip(("a", "b"), stance_labels, strict=True)]
    theme = {"slug": "gaps", "title": title, "question": question, "stances": stances}
    return Settings.load(None, database={"path": db_path}, privacy={"attribution": "named"}, themes=[theme])


def closed_poll(question: str, labels: list[str]) -> ClosedPoll:
    options = tuple(OptionResult(index, label, index + 1, 10 * (index + 1)) for index, label in enumerate(labels))
    return ClosedPoll(
        poll_id=1,
        number=1,
        question=question,
        theme="gaps",
        secret=False,
        max_choices=1,
        opened_at=START,
        closed_at=START + timedelta(minutes=30),
        channel_id=1,
        message_id=2,
        voters=len(labels),
        options=options,
        groups=(),
    )


@dataclass(frozen=True)
class Case:
    texts: list[str]
    people: list[str]
    title: str
    question: str
    stance_labels: list[str]
    poll_question: str
    poll_answers: list[str]


cases = st.builds(
    Case,
    texts=rationales,
    people=names,
    title=hostile_line(max_size=100).filter(str.strip),
    question=hostile_text(max_size=1000).filter(str.strip),
    stance_labels=labels,
    poll_question=hostile_text(max_size=300).filter(str.strip),
    poll_answers=answers,
)
HOSTILE = Case(
    texts=["1. $5 or $10", "- <b>@everyone</b>", "＝1+1 ```", "\u200b=HYPERLINK(1)"],
    people=["@here", "=cmd", "<script>", "1. x"],
    title="$x^$ # Gaps",
    question="> 2) a &amp; b",
    stance_labels=["$$", "- none"],
    poll_question="$\\frac{1}{0}$",
    poll_answers=["+1", "@SUM(A1)"],
)


@dataclass
class Stored:
    settings: Settings
    guild: int
    as_of: datetime
    source: DigestSource
    digest: Digest
    rationales: dict[str, str | None]  # by display name
    quotes: list[str]


async def stored_digest(store, db_path, case: Case) -> Stored:
    """The case's texts recorded in a server of their own, and the digest of them an hour later."""
    config = forum(db_path, case.title, case.question, case.stance_labels)
    guild = next(GUILDS)
    rationales: dict[str, str | None] = {}
    for index, text in enumerate(case.texts):
        rationale = text.strip()[:1000] or None
        name = case.people[index]
        await store.record_position(guild, "gaps", 100 + index, name, "ab"[index % 2], rationale, START)
        rationales[name] = rationale
    as_of = START + timedelta(hours=1)
    source = await store.digest_source(guild, ["gaps"], as_of)
    digest = build_digest(config, source, DigestKind.NOW, as_of)
    digest = replace(digest, polls=(closed_poll(case.poll_question, case.poll_answers),))
    quotes = [quote.text for theme in digest.themes for stance in theme.quotes for quote in stance.quotes]
    assert set(quotes) <= set(rationales.values())
    return Stored(config, guild, as_of, source, digest, rationales, quotes)


@given(case=cases)
@example(case=HOSTILE)
async def test_every_report_keeps_hostile_text_inert_and_whole(store, db_path, case):
    it = await stored_digest(store, db_path, case)
    for part in digest_parts(it.digest, {theme.slug: PNG for theme in it.digest.themes}):
        check_payload({"embeds": [embed.to_dict() for embed in part.embeds]})
    markdown_keeps_its_shape(digest_markdown(it.digest), it.digest, it.quotes)
    user_texts = [case.title, case.question, *case.stance_labels, case.poll_question, *case.poll_answers]
    html_is_inert(digest_html(it.digest, PNG), it.quotes, user_texts)
    json_round_trips(digest_json(it.digest), it.quotes, case)
    csv_cells_are_inert(it)
    polis_cells_are_inert(it.settings, await store.polis_source(it.guild, ["gaps"], it.as_of), it.rationales)


# Drawing is the slow part (a few tenths of a second a chart): fewer examples than the profile's.
@settings(max_examples=max(3, settings().max_examples // 4))
@given(case=cases)
@example(case=HOSTILE)
async def test_charts_draw_hostile_text_literally(store, db_path, case):
    it = await stored_digest(store, db_path, case)
    charts_draw_text_literally(it.digest, case.poll_question, case.poll_answers)


def plain(text: str) -> str:
    return " ".join(text.split()).replace("\x00", "\ufffd")


def inline_text(token) -> str:
    shown = []
    for child in token.children:
        assert child.type in ("text", "softbreak", "strong_open", "strong_close"), (child.type, child.content)
        shown.append("\n" if child.type == "softbreak" else child.content)
    return "".join(shown)


def markdown_keeps_its_shape(markdown: str, digest, quotes: list[str]) -> None:
    tokens = COMMONMARK.parse(markdown)
    kinds = [token.type for token in tokens]
    live = {"html_block", "fence", "code_block", "hr", "ordered_list_open"}
    assert not live & set(kinds), live & set(kinds)
    # bullet lists only where the template makes them: "no positions yet from", common ground, divides
    template_lists = markdown.count(f"**{missing_heading()}**") + sum(
        bool(theme.common_ground) + bool(theme.divides) for theme in digest.themes
    )
    assert kinds.count("bullet_list_open") == template_lists
    inline_live = {"html_inline", "link_open", "image", "code_inline"}
    children = [child.type for token in tokens if token.type == "inline" for child in token.children]
    assert not set(children) & inline_live, set(children) & inline_live
    more = sum(1 for theme in digest.themes for stance in theme.quotes if stance.more)
    assert children.count("em_open") == more  # only the template's own "*… and N more.*"
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    assert kinds.count("blockquote_open") == 1 + len(quotes)  # the question, then one per quote
    shown = [inline_text(tokens[i + 2]) for i, kind in enumerate(kinds) if kind == "blockquote_open"]
    assert shown[0] == plain(digest.themes[0].question)
    for text, quote in zip(quotes, shown[1:], strict=True):
        assert quote.split("\n")[0] == plain(text)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data) -> None:
        self.text.append(data)


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "table", "thead"}
PAGE_TAGS |= {"tbody", "tr", "th", "td", "section", "blockquote", "footer", "figure", "img", "figcaption", "br"}
PAGE_TAGS |= {"em", "strong", "ul", "ol", "li", "span", "div", "small"}
PAGE_ATTRIBUTES = {"class", "id", "lang", "dir", "charset", "name", "content", "alt", "src"}


def html_is_inert(page: str, quotes: list[str], texts: list[str]) -> None:
    parsed = Page()
    parsed.feed(page)
    parsed.close()
    assert {tag for tag, _ in parsed.tags} <= PAGE_TAGS, {tag for tag, _ in parsed.tags} - PAGE_TAGS
    assert {name for _, attrs in parsed.tags for name, _ in attrs} <= PAGE_ATTRIBUTES
    sources = [value for _, attrs in parsed.tags for name, value in attrs if name == "src"]
    assert all((value or "").startswith("data:image/png;base64,") for value in sources)
    assert [tag for tag, _ in parsed.tags].count("blockquote") == len(quotes)
    shown = "".join(parsed.text)
    for text in [*quotes, *texts]:
        assert text.replace("\n", "") in shown.replace("\n", "")


def json_round_trips(text: str, quotes: list[str], case: Case) -> None:
    data = json.loads(text)
    [theme] = data["themes"]
    assert (theme["title"], theme["question"]) == (case.title, case.question)
    assert [stance["label"] for stance in theme["stances"]][:2] == case.stance_labels
    assert [q["text"] for stance in theme["quotes"] for q in stance["quotes"]] == quotes
    [poll] = data["polls"]
    assert poll["question"] == case.poll_question
    assert [option["label"] for option in poll["options"]] == case.poll_answers


def cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def inert_cell(cell: str, original: str | None) -> None:
    assert not spreadsheet_formula(cell), repr(cell)
    assert cell in ((original or ""), "'" + (original or ""))


def csv_cells_are_inert(it: Stored) -> None:
    stored = it.rationales
    for text in (
        positions_csv(position_rows(it.settings, it.source, it.as_of)),
        history_csv(change_rows(it.settings, it.source, it.as_of)),
    ):
        rows = cells(text)
        assert len(rows) == len(stored)
        for row in rows:
            name = next(name for name in stored if row["display_name"] in (name, "'" + name))
            inert_cell(row["display_name"], name)
            inert_cell(row["rationale"], stored[name])


def polis_cells_are_inert(settings, source, stored: dict[str, str | None]) -> None:
    [conversation] = polis_export(settings, source)
    files = polis_files(conversation)
    bodies = [row["comment-body"] for row in cells(files["comments.csv"])]
    statements = [text for text in stored.values() if text]
    assert len(bodies) == len(statements)
    for body in bodies:
        original = next(text for text in statements if body in (text, "'" + text))
        inert_cell(body, original)
    summary = dict(row[:2] for row in csv.reader(io.StringIO(files["summary.csv"], newline="")) if len(row) >= 2)
    for key in ("topic", "conversation-description"):
        assert not spreadsheet_formula(summary[key]), repr(summary[key])


def charts_draw_text_literally(digest, poll_question: str, poll_answers: list[str]) -> None:
    """The digest's chart is drawn (theme title, stance labels, the poll); the poll chart's texts are read
    back as matplotlib would draw them (drawing that one too is left to `/poll results` through SimCord)."""
    assert digest_chart_png(digest).startswith(PNG)
    panel = ChartPanel(poll_question, tuple(poll_answers), tuple(range(len(poll_answers))))
    figure = bar_chart_figure([panel], title=poll_question)
    texts = figure.findobj(lambda artist: hasattr(artist, "get_parse_math"))
    drawn = [text.get_text() for text in texts]
    assert poll_question in drawn  # the title, exactly as typed
    for text in texts:
        if "$" in text.get_text() or "\\" in text.get_text():  # what matplotlib would read as maths
            assert not text.get_parse_math() and not text.get_usetex(), text.get_text()
