"""Moderation: members report statements from discuss, facilitators hide, restore or keep them."""

from cogs.moderation._cog import ModerationCog
from cogs.moderation._forms import report_form
from cogs.moderation._service import ModerationService

__all__ = ["ModerationCog", "ModerationService", "report_form"]
