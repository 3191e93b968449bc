"""Facilitators' polls: the `/poll` commands, the vote buttons, the vote service and the closing work."""

from cogs.polls._cog import PollCog

__all__ = ["PollCog"]
