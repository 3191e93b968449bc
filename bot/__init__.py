"""Concord: a Discord bot for asynchronous multistakeholder discussion around a live policy session."""

from __future__ import annotations

from bot.app import create_bot

__all__ = ["create_bot"]
