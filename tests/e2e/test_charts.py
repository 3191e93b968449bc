"""Charts are valid PNG images that matplotlib itself can decode (a handful rendered, to keep the suite fast)."""

from __future__ import annotations

import io
import warnings

from matplotlib.image import imread
from matplotlib.text import Text

from bot.core.polls import OptionResult, PollResults
from bot.core.tally import tally
from bot.render.charts import (
    BAR,
    DPI,
    ChartPanel,
    bar_chart_figure,
    bar_chart_png,
    poll_chart_png,
    tally_chart_png,
)
from tests.support.polls import open_poll

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def decode(png: bytes):
    assert png.startswith(PNG_SIGNATURE)
    return imread(io.BytesIO(png), format="png")


def test_stance_chart_per_theme_is_a_decodable_png():
    panels = [
        ChartPanel(
            "Existing cooperation — 19 participants", ("Deliver it", "Develop", "Lacking", "Undecided"), (3, 10, 5, 1)
        ),
        ChartPanel("Gaps — 0 participants", ("None", "Some"), (0, 0)),
    ]
    image = decode(bar_chart_png(panels, title="Weekly digest"))
    height, width = image.shape[:2]
    assert width == 700 and height > 300  # 7 inches at 100 dpi; one panel under the other
    assert image.shape[2] in (3, 4)


def test_tally_and_poll_charts_are_decodable_pngs():
    result = tally([("a", "government"), ("b", None)], [("a", "Alpha"), ("b", "Beta")])
    assert decode(tally_chart_png("Gaps", result)).shape[1] == 700
    poll = PollResults(voters=3, options=(OptionResult(0, "Yes", 2, 67), OptionResult(1, "No", 2, 67)), groups=())
    assert decode(poll_chart_png(poll, "Should the IGF host it?")).shape[1] == 700


async def test_tally_attaches_its_chart_once_there_are_positions(world):
    res = await world.members[0].slash(world.channel, "gaps tally")
    assert res.response.attachments == [] and res.response.embeds[0].image.url is None
    await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="Spam.")
    res = await world.members[0].slash(world.channel, "gaps tally")
    [attachment] = res.response.attachments
    assert attachment.filename == "tally-gaps.png"
    assert res.response.embeds[0].image.url == "attachment://tally-gaps.png"
    assert decode(await attachment.read()).shape[1] == 700


async def test_poll_results_attach_their_chart(world):
    poll = await open_poll(world, hours=1, hide_results=False)
    await world.members[0].click(poll, label="No")
    res = await world.members[1].slash(world.channel, "poll results", poll=1)
    [attachment] = res.response.attachments
    assert attachment.filename == "poll-1.png" and res.response.embeds[0].image.url == "attachment://poll-1.png"
    assert decode(await attachment.read()).shape[1] == 700


def test_every_stance_gets_its_bar_even_with_many_stances():
    def height(bars: int) -> int:
        labels = tuple(f"Stance {i}" for i in range(bars))
        return decode(bar_chart_png([ChartPanel("Wide", labels, tuple(range(bars)))])).shape[0]

    # 25 stances (the most a theme may have) make a taller chart than 12: none is dropped.
    assert height(25) - height(12) == round(13 * BAR * DPI)


# Typed by people, drawn by matplotlib: "$5 or $10" would be drawn as maths, "$x^$" fails to parse.
DOLLARS = ("$5 or $10?", "$x^$ or \\frac", "100$", "$\\alpha$ = $\\beta$")


def drawn_texts(figure) -> list[Text]:
    figure.canvas.draw()  # tick labels are made at drawing time
    return [text for text in figure.findobj(Text) if text.get_visible() and text.get_text()]


def test_every_text_in_a_chart_is_drawn_as_typed_never_as_maths():
    panels = [ChartPanel(DOLLARS[0], DOLLARS, (1, 2, 3, 4)), ChartPanel(DOLLARS[1], ("$5", "$10"), (0, 0))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        texts = drawn_texts(bar_chart_figure(panels, title=DOLLARS[3]))
    shown = {text.get_text() for text in texts}
    assert {*DOLLARS, "$5", "$10"} <= shown
    for text in texts:
        if "$" in text.get_text():
            assert text.get_parse_math() is False and not text.get_usetex(), text.get_text()


def test_poll_and_tally_charts_with_dollars_draw():
    options = tuple(OptionResult(i, label, i, 25) for i, label in enumerate(DOLLARS))
    decode(poll_chart_png(PollResults(voters=4, options=options, groups=()), DOLLARS[1]))
    result = tally([("a", None), ("b", None)], [("a", DOLLARS[1]), ("b", DOLLARS[0])])
    decode(tally_chart_png(DOLLARS[1], result))


async def test_poll_results_with_dollars_in_question_and_answers_answer_with_the_chart(world):
    poll = await open_poll(world, question="$5 or $10? Or $x^$", options="$5; $10; $x^$", hide_results=False)
    await world.members[0].click(poll, label="$x^$")

    res = await world.members[1].slash(world.channel, "poll results", poll=1)

    [attachment] = res.response.attachments
    assert attachment.filename == "poll-1.png" and decode(await attachment.read()).shape[1] == 700
    assert res.response.embeds[0].description.startswith("$5 or $10? Or $x^$")
