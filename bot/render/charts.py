"""PNG bar charts of a stance (or poll option) distribution: one theme per image for digests (what
Discord shows legibly beside the theme's embed: at least 800 px wide, one theme, before and after side
by side on one x-scale in the after-session digest), and a panel per theme for the offline reports.

Built with matplotlib's object API on the Agg canvas (no pyplot: no global figure state, safe
in a running bot) and kept small, so a chart costs tens of milliseconds, not seconds. matplotlib is
imported when the first chart is drawn, not when the bot starts (it costs seconds to import).
Pure pictures: no discord here (`bot.render.discord.files` attaches a chart to an embed), and
its words come through gettext like every renderer's.

Every text is drawn literally (`LITERAL` on each one): questions, answers, theme titles and stance
labels are typed by people, and matplotlib would otherwise read `$5 or $10` as maths (drawn in
italics) and fail outright on `$x^$`.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.core.digest import Digest
from bot.core.polls import ClosedPoll, PollResults
from bot.core.tally import Tally, percent
from bot.i18n import _
from bot.render.chart_fonts import drawable, families, register
from bot.render.digest_wording import percent_label
from bot.render.wording import digest_heading, participants, voters

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BAR_COLOUR = "#003399"  # the EU flag's blue, as in the embeds
WIDTH_INCHES = 7.0
DPI = 100
LABEL_WIDTH = 34
LEFT, RIGHT = 0.36, 0.88
HEADER, PANEL_TITLE, BAR, AXIS = 0.5, 0.35, 0.34, 0.3
LITERAL: dict[str, Any] = {"parse_math": False, "usetex": False}  # for every text drawn: `$` is a dollar, never maths


@dataclass(frozen=True, slots=True)
class ChartPanel:
    """One panel: a title and a count per labelled bar, in display order."""

    title: str
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    percents: tuple[int, ...] | None = None  # e.g. a poll's share of voters; default: share of the bars' total


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    lines = textwrap.wrap(text, width) or [""]
    return drawable("\n".join(lines[:2]) + ("…" if len(lines) > 2 else ""))


def bar_chart_png(panels: Sequence[ChartPanel], title: str | None = None) -> bytes:
    """Horizontal bars with the count and whole percentage on each; returns the PNG bytes."""
    buffer = io.BytesIO()
    bar_chart_figure(panels, title).savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def bar_chart_figure(panels: Sequence[ChartPanel], title: str | None = None) -> Figure:
    """The chart before it is saved (tests read its texts back as matplotlib will draw them).

    Panels are laid out by hand in inches (no tight_layout), which keeps rendering quick.
    """
    panels = list(panels) or [ChartPanel(_("No data"), (), ())]
    bars = [max(1, len(panel.labels)) for panel in panels]  # every stance (at most 25) or option (10): none left out
    header = HEADER if title else 0.1
    heights = [PANEL_TITLE + BAR * count + AXIS for count in bars]
    total = header + sum(heights) + 0.1
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # imported when the first chart is drawn
    from matplotlib.figure import Figure

    register()
    texts = [
        title or "",
        _("Nothing to count yet"),
        *(text for panel in panels for text in (panel.title, *panel.labels)),
    ]
    style = {**LITERAL, "fontfamily": families(texts)}  # every script drawn has a font (bot/render/chart_fonts.py)
    figure = Figure(figsize=(WIDTH_INCHES, total), dpi=DPI)
    FigureCanvasAgg(figure)
    if title:
        figure.text(0.02, 1 - 0.3 / total, drawable(title), fontsize=11, fontweight="bold", va="center", **style)
    top = total - header
    for panel, height, count in zip(panels, heights, bars, strict=True):
        bottom = top - height + AXIS
        axes = figure.add_axes((LEFT, bottom / total, RIGHT - LEFT, BAR * count / total))
        figure.text(0.02, (top - PANEL_TITLE / 2) / total, _wrap(panel.title, 90), fontsize=9, va="center", **style)
        _draw_panel(axes, panel, style)
        top -= height
    return figure


def _draw_panel(axes: Axes, panel: ChartPanel, style: dict[str, Any]) -> None:
    from matplotlib.ticker import MaxNLocator

    labels = [_wrap(label) for label in panel.labels]
    counts = list(panel.counts)
    total = sum(panel.counts)
    positions = list(range(len(counts)))
    axes.barh(positions, counts, color=BAR_COLOUR, height=0.6)
    axes.set_yticks(positions, labels, fontsize=8, **style)
    axes.invert_yaxis()
    axes.set_xlim(0, max([*counts, 1]) * 1.25)
    axes.tick_params(axis="x", labelsize=7)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    shares = panel.percents or tuple(percent(count, total) for count in panel.counts)
    for position, count, share in zip(positions, counts, shares, strict=False):
        axes.text(count, position, " " + drawable(bar_label(count, share)), va="center", fontsize=7, **style)
    if not total:
        axes.text(
            0.5, 0.5, drawable(_("Nothing to count yet")), ha="center", va="center", transform=axes.transAxes, **style
        )


def bar_label(count: int, share: int) -> str:
    """The figure at the end of a bar: "3 (25%)"."""
    return _("{count} ({percent})").format(count=count, percent=percent_label(share))


def panel_title(title: str, counted: str) -> str:
    """A panel's title and who was counted: "Gaps — 4 participants"."""
    return _("{title} — {counted}").format(title=title, counted=counted)


THEME_WIDTH_INCHES = 9.0  # 900 px: Discord shows an embed's image at up to about 400 px, so one theme each
COLUMN_GAP = 0.04


def theme_chart_panels(digest: Digest) -> list[list[ChartPanel]]:
    """Per theme with anything to show, its panels: now, or (after the session) before and now side by side."""
    found = []
    for theme in digest.themes:
        if theme.participants == 0 and theme.before is None:
            continue
        now = ChartPanel(
            panel_title(now_title(), participants(theme.participants)),
            tuple(item.label for item in theme.stances),
            tuple(item.count for item in theme.stances),
        )
        if theme.before is None:
            found.append([now])
            continue
        before = ChartPanel(
            panel_title(before_title(), participants(sum(item.count for item in theme.before))),
            tuple(item.label for item in theme.before),
            tuple(item.count for item in theme.before),
        )
        found.append([before, now])
    return found


def now_title() -> str:
    return _("Now")


def before_title() -> str:
    return _("Before the session")


def theme_charts(digest: Digest) -> dict[str, bytes]:
    """One PNG per theme with anything to show, by slug: the theme's title above its panels."""
    shown = [theme for theme in digest.themes if theme.participants or theme.before is not None]
    return {
        theme.slug: _png(side_by_side_figure(panels, theme.title))
        for theme, panels in zip(shown, theme_chart_panels(digest), strict=True)
    }


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def side_by_side_figure(panels: Sequence[ChartPanel], title: str) -> Figure:
    """Panels in columns on one x-scale (so bars compare at a glance), the stance labels once, on the left."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    count = max(1, max(len(panel.labels) for panel in panels))
    total = HEADER + PANEL_TITLE + BAR * count + AXIS + 0.1
    register()
    texts = [title, *(text for panel in panels for text in (panel.title, *panel.labels))]
    style = {**LITERAL, "fontfamily": families(texts)}  # every script drawn has a font (bot/render/chart_fonts.py)
    figure = Figure(figsize=(THEME_WIDTH_INCHES, total), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.text(0.02, 1 - 0.3 / total, _wrap(title, 100), fontsize=12, fontweight="bold", va="center", **style)
    width = (RIGHT - LEFT - COLUMN_GAP * (len(panels) - 1)) / len(panels)
    scale = max([1, *(count for panel in panels for count in panel.counts)]) * 1.25
    for index, panel in enumerate(panels):
        left = LEFT + index * (width + COLUMN_GAP)
        axes = figure.add_axes((left, AXIS / total, width, BAR * count / total))
        figure.text(
            left, (total - HEADER - PANEL_TITLE / 2) / total, drawable(panel.title), fontsize=10, va="center", **style
        )
        _draw_panel(axes, panel, style)
        axes.set_xlim(0, scale)
        if index:
            axes.set_yticks(range(len(panel.labels)), [""] * len(panel.labels))
    return figure


def digest_chart_png(digest: Digest) -> bytes:
    """The stance distribution of every theme in a digest, one panel each (the offline reports' figure)."""
    panels = [
        ChartPanel(
            panel_title(theme.title, participants(theme.participants)),
            tuple(item.label for item in theme.stances),
            tuple(item.count for item in theme.stances),
        )
        for theme in digest.themes
    ]
    return bar_chart_png(panels, title=digest_heading(digest))


def tally_chart_png(title: str, result: Tally) -> bytes:
    """One theme's tally, for `/<slug> tally`."""
    panel = ChartPanel(
        panel_title(title, participants(result.total)),
        tuple(item.label for item in result.stances),
        tuple(item.count for item in result.stances),
    )
    return bar_chart_png([panel])


def poll_chart_png(poll: ClosedPoll | PollResults, question: str) -> bytes:
    """A poll's results; percentages are of voters, as the poll shows them."""
    panel = ChartPanel(
        panel_title(question, voters(poll.voters)),
        tuple(option.label for option in poll.options),
        tuple(option.count for option in poll.options),
        tuple(option.percent for option in poll.options),
    )
    return bar_chart_png([panel])
