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


def test_arabic_is_joined_and_in_display_order():
    shown = drawable("لم يقرر")
    assert shown != "لم يقرر"  # letters replaced by their joined forms
    assert "\ufee0" in shown or any("\ufe70" <= char <= "\ufeff" for char in shown)
    assert shown[0] != "ل"  # display order: the first letter read is drawn at the right end
    assert drawable("Gaps 3 (25%)") == "Gaps 3 (25%)"
