"""One command group per forum theme: positions, the rationale form, tallies, the positions browser, and
discussing others' statements with common ground."""

from cogs.themes._cog import ThemeCog
from cogs.themes._discuss import DiscussService
from cogs.themes._pages import ThemeDirectory

__all__ = ["DiscussService", "ThemeCog", "ThemeDirectory"]
