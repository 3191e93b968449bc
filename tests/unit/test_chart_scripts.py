"""Charts draw every one of the six scripts: CJK glyphs present, Arabic shaped and right to left.

matplotlib warns ("Glyph ... missing from font(s)") when a text has a character no font can draw: here
that warning fails the test.
"""

from __future__ import annotations

import warnings

import pytest

from bot.render.chart_fonts import drawable, missing_fonts
from bot.render.charts import ChartPanel, bar_chart_png

LABELS = {
    "zh": ("现有合作", ("现有机制已经实现", "尚未决定")),
    "ar": ("الثغرات", ("ثغرات في مجالات سياسية محددة", "لم يقرر بعد")),
    "ru": ("Пробелы", ("Пробелы в отдельных областях", "Не определились")),
    "fr": ("Lacunes", ("Lacunes dans certains domaines", "Indécis")),
}


def test_every_font_the_charts_need_is_installed():
    assert missing_fonts() == []


@pytest.mark.parametrize("lang", sorted(LABELS))
def test_labels_render_with_no_missing_glyph(lang):
    title, labels = LABELS[lang]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph N missing from font(s)" becomes a failure
        png = bar_chart_png([ChartPanel(title, labels, (3, 1))], title=title)
    assert png.startswith(b"\x89PNG")


def test_a_glyph_no_font_has_does_fail():
    """The check can fail: a private-use character is in no font."""
    with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from font"):
        warnings.simplefilter("error")
        bar_chart_png([ChartPanel("\ue000", ("a", "b"), (1, 1))])


def test_arabic_words_are_given_in_display_order_with_their_letters_in_their_own():
    """matplotlib joins and reverses each run of Arabic itself but lays runs out left to right: a phrase
    must reach it with its words right to left and each word's letters as written (it joins them)."""
    assert drawable("مرحبا بالعالم") == "بالعالم مرحبا"
    assert drawable("الثغرات — لم يحسم الموقف") == "الموقف يحسم لم — الثغرات"
    assert drawable("Gaps — 12 participants") == "Gaps — 12 participants"
