"""Digests: the `/digest` commands for organisers and the scheduled delivery of every digest."""

from cogs.digests._cog import DigestCog

__all__ = ["DigestCog"]
