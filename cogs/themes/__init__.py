"""One command group per forum theme: positions, the rationale form, tallies and the positions browser."""

from cogs.themes._cog import ThemeCog
from cogs.themes._pages import ThemeDirectory

__all__ = ["ThemeCog", "ThemeDirectory"]
