"""The wheel carries each catalogue compiled (.mo) beside its source (.po): compiled here, into the build,
so building leaves nothing in the checkout (a checkout compiles its own with `make`)."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALES = Path("bot") / "locales"


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for source in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
            target = Path(self.build_lib) / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as po, target.open("wb") as mo:
                write_mo(mo, read_po(po, locale=source.parts[-3]))


setup(cmdclass={"build_py": BuildWithCatalogues})
