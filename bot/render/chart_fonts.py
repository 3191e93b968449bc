"""The fonts charts draw every script in, and Arabic made drawable.

matplotlib's own DejaVu Sans has Latin and Cyrillic but no Chinese and no Arabic; the project installs
Noto Sans CJK (`noto-cjk-sans-otc`) and Noto Sans Arabic (`fontpkg-noto-sans-arabic`) from PyPI, and
`register()` adds them to matplotlib's fonts the first time a chart is drawn, as fallbacks after
DejaVu Sans (`families()`, given to every text of a chart that needs them). matplotlib (3.11) joins
the letters of each run of Arabic and writes that run right to left, but lays the runs of a line out
left to right, so a phrase of several Arabic words came out with its words in reverse: `drawable()`
puts the line in display order (`python-bidi`) and gives each run of Arabic back its own order, for
matplotlib to join and reverse. `missing_fonts()` is the start-up check: the name of each
font that is not installed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"  # the collection's Simplified Chinese face (matplotlib registers every face)
ARABIC_FAMILY = "Noto Sans Arabic"
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_ARABIC_RUN = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]+")


_CJK = re.compile(r"[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]")


def families(texts: list[str]) -> list[str]:
    """The fonts a chart with these texts needs, DejaVu Sans first: a fallback font is loaded only when a
    text needs it (looking through a font of 20 MB costs time on every chart)."""
    joined = "".join(texts)
    needed = ["DejaVu Sans"]
    if _CJK.search(joined):
        needed.append(CJK_FAMILY)
    if _ARABIC.search(joined):
        needed.append(ARABIC_FAMILY)
    return needed


def font_files() -> dict[str, Path | None]:
    """Each font the charts need, by name, and its file (None when its package is not installed)."""
    found: dict[str, Path | None] = {}
    try:
        import noto_cjk_sans_otc

        found[CJK_FAMILY] = Path(str(noto_cjk_sans_otc.FONT_PATH))
    except ImportError:
        found[CJK_FAMILY] = None
    try:
        import fontpkg_noto_sans_arabic

        found[ARABIC_FAMILY] = next(iter(sorted(Path(fontpkg_noto_sans_arabic.ROOT).glob("files/*.ttf"))), None)
    except ImportError:
        found[ARABIC_FAMILY] = None
    return found


def missing_fonts() -> list[str]:
    """The fonts charts need that are not installed (the start-up check names them)."""
    return [name for name, path in font_files().items() if path is None or not path.is_file()]


@cache
def register() -> None:
    """Add the installed fonts to matplotlib (once per process; matplotlib must be importable)."""
    from matplotlib import font_manager

    for path in font_files().values():
        if path is not None and path.is_file():
            font_manager.fontManager.addfont(str(path))


def drawable(text: str) -> str:
    """`text` as matplotlib must be given it, line by line: the words in display order (right to left
    where the line is Arabic), the letters of each Arabic run in their own order (matplotlib joins and
    reverses a run itself)."""
    if not _ARABIC.search(text):
        return text
    from bidi import get_display

    return "\n".join(_ARABIC_RUN.sub(lambda run: run.group(0)[::-1], get_display(line)) for line in text.split("\n"))
