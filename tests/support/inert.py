"""What the bot sent since a moment of a test, checked against what user text must never do there:
break a Discord limit, ping anyone, or end in the generic apology (an unhandled error).

`Since(env)` marks the moment; `since.check()` looks at every REST call after it (the payloads as
Discord received them) and every message the bot wrote (as SimCord's server decided its pings).
"""

from __future__ import annotations

from typing import Any

import discord
import simcord

from bot.i18n import language
from bot.render.discord import limits
from bot.render.discord.replies import apology

MODAL_TITLE, INPUT_LABEL, PLACEHOLDER, BUTTON_LABEL = 45, 45, 100, 80


def _apology() -> str:
    with language("en"):
        return apology()[:60]


class Since:
    def __init__(self, env: simcord.Env) -> None:
        self.env = env
        self.requests = len(env.http_requests)
        self.errors = env.error_cursor
        self.known = {id(message) for message in self._messages()}

    def _messages(self) -> list[Any]:
        return [message for channel in self.env.backend.messages.values() for message in channel.values()]

    def sent(self) -> list[dict[str, Any]]:
        """The message payloads (content, embeds, components) the bot sent or edited since the mark."""
        payloads = []
        for entry in self.env.http_requests[self.requests :]:
            body = entry.json
            if not isinstance(body, dict) or entry.method not in ("POST", "PATCH"):
                continue
            if entry.path.endswith("/callback"):
                body = body.get("data") or {}
            payloads.append(body)
        return payloads

    def check(self) -> list[dict[str, Any]]:
        """Fail on anything the bot sent since the mark that breaks a limit, pings or apologises."""
        errors = self.env.errors_since(self.errors)
        assert not errors, f"an unhandled error reached the bot's error handler: {errors!r}"
        self.errors = self.env.error_cursor
        payloads = self.sent()
        for body in payloads:
            check_payload(body)
        for message in self._messages():
            if id(message) in self.known or message.author_id != self.env.bot.user.id:
                continue
            assert not message.ping_user_ids and not message.ping_role_ids, message.content
            assert not message.mention_everyone, message.content
            assert len(message.content) <= limits.CONTENT
        return payloads


def check_payload(body: dict[str, Any]) -> None:
    content = body.get("content") or ""
    assert len(content) <= limits.CONTENT, len(content)
    assert _apology() not in content, "the generic apology: an unexpected error"
    if content:
        mentions = body.get("allowed_mentions")
        assert mentions is not None, "content sent without allowed_mentions"
        assert mentions.get("parse", []) == [] and not mentions.get("users") and not mentions.get("roles")
        assert not mentions.get("replied_user"), mentions
    embeds = [discord.Embed.from_dict(item) for item in body.get("embeds") or []]
    assert len(embeds) <= limits.EMBEDS_PER_MESSAGE
    assert sum(len(embed) for embed in embeds) <= limits.EMBED_TOTAL
    for embed in embeds:
        assert limits.embed_fits(embed), embed.to_dict()
        assert len(embed.footer.text or "") <= limits.FOOTER
        assert _apology() not in (embed.description or "")
    for row in body.get("components") or []:
        for item in row.get("components") or []:
            assert len(item.get("label") or "") <= (BUTTON_LABEL if row.get("type") == 1 else INPUT_LABEL), item
            assert len(item.get("placeholder") or "") <= PLACEHOLDER
    if "title" in body:  # a form
        assert len(body["title"]) <= MODAL_TITLE, body["title"]
