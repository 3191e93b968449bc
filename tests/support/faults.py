"""Discord failing in every way the bot can meet, for the fault tests.

SimCord injects answers that say no (`env.inject_error`: 500, 429, 403, 404) but not the two
failures that matter most for posting at most once: a call that never reaches Discord (a timeout
before it), and a call that Discord carries out whose answer is lost on the way back. `Transport`
wraps SimCord's two REST transports (the HTTP client and the webhook adapter interaction answers
travel through) to add them, and to remember nonces as Discord does: a message sent with
`enforce_nonce` and a nonce already used in that channel in the last few minutes returns the
message posted then instead of a new one (SimCord ignores nonces). Every call the bot attempts
is noted in `calls`, whether or not it reached Discord.
"""

from __future__ import annotations

import copy
import fnmatch
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
import simcord
from simcord.http import FakeHTTPClient, FakeWebhookAdapter, router
from simcord.http.client import _path_of

NONCE_MEMORY = timedelta(minutes=3)  # "a few minutes", in Discord's words; our first retries come after one


@dataclass(frozen=True, slots=True)
class Fault:
    """One way a call fails: an answer with `status` and `code`, or no answer (`status` None)."""

    name: str
    status: int | None = None
    code: int = 0
    message: str = ""
    lost: bool = False  # no answer although Discord did the work ("posted, but the answer was lost")

    @property
    def refusal(self) -> bool:
        """Discord answered no: the call certainly did nothing, and retrying it at once would not help."""
        return self.status is not None and self.status < 500


FAULTS = [
    Fault("500", 500, 0, "Internal Server Error"),
    Fault("429", 429, 0, "You are being rate limited."),
    Fault("403", 403, 50013, "Missing Permissions"),
    Fault("404-channel", 404, 10003, "Unknown Channel"),
    Fault("404-message", 404, 10008, "Unknown Message"),
    Fault("timeout"),
    Fault("answer-lost", lost=True),
]
FAULT_IDS = [fault.name for fault in FAULTS]


@dataclass
class Call:
    method: str
    path: str
    json: Any
    reached: bool = True


@dataclass
class _Rule:
    method: str
    path: str
    lost: bool
    times: int | None


@dataclass
class Transport:
    env: simcord.Env
    rules: list[_Rule] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    nonces: dict[tuple[str, str], tuple[datetime, Any]] = field(default_factory=dict)

    def inject(self, method: str, path: str, fault: Fault, times: int | None = 1) -> None:
        """Make the next `times` matching calls (`path` an fnmatch pattern, as SimCord's) fail with `fault`.

        Safe from the bot's own listeners too: SimCord's `inject_error` refuses to be called from bot code,
        so its queue of faults is appended to directly, as `inject_error` itself does.
        """
        if fault.status is not None:
            message = fault.message or "injected by the test"
            self.env.backend.faults.append(
                {"method": method, "path": path, "status": fault.status, "code": fault.code, "message": message}
                | {"times": times}
            )
        else:
            self.rules.append(_Rule(method, path, fault.lost, times))

    def sent(self, method: str, path: str) -> list[Call]:
        return [call for call in self.calls if call.method == method and fnmatch.fnmatch(call.path, path)]

    def _rule_for(self, method: str, path: str) -> _Rule | None:
        for rule in self.rules:
            if rule.method in (method, "*") and fnmatch.fnmatch(path, rule.path):
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self.rules.remove(rule)
                return rule
        return None

    async def through(self, original: Any, owner: Any, route: Any, *args: Any, **kwargs: Any) -> Any:
        method, path = route.method, _path_of(route.url)
        body = _body(kwargs)
        rule = self._rule_for(method, path)
        call = Call(method, path, body, reached=rule is None or rule.lost)
        self.calls.append(call)
        if rule is not None and not rule.lost:
            raise TimeoutError("no answer from Discord (injected by the test)")
        key = (path, str(body.get("nonce"))) if isinstance(body, dict) and body.get("enforce_nonce") else None
        remembered = self.nonces.get(key) if key else None
        if remembered is not None and self.env.now() - remembered[0] <= NONCE_MEMORY:
            result = copy.deepcopy(remembered[1])  # Discord: the message posted with this nonce, not a new one
        else:
            result = await original(owner, route, *args, **kwargs)
            if key is not None:
                self.nonces[key] = (self.env.now(), copy.deepcopy(result))
        if rule is not None:
            raise TimeoutError("Discord's answer was lost (injected by the test)")
        return result


def _body(kwargs: dict[str, Any]) -> Any:
    """The JSON body of a call, however discord.py sent it (plain, or as the payload of a multipart form)."""
    for key in ("json", "payload"):
        if kwargs.get(key) is not None:
            return kwargs[key]
    for key in ("form", "multipart"):
        if kwargs.get(key):
            payload, _ = router.parse_form(list(kwargs[key]), list(kwargs.get("files") or []))
            return payload
    return None


def transport(env: simcord.Env, monkeypatch: pytest.MonkeyPatch) -> Transport:
    """Wrap SimCord's transports for the rest of the test."""
    wrapped = Transport(env)
    http_request, webhook_request = FakeHTTPClient.request, FakeWebhookAdapter.request

    async def via_http(self: Any, route: Any, **kwargs: Any) -> Any:
        return await wrapped.through(http_request, self, route, **kwargs)

    async def via_webhook(self: Any, route: Any, session: Any, **kwargs: Any) -> Any:
        return await wrapped.through(webhook_request, self, route, session, **kwargs)

    monkeypatch.setattr(FakeHTTPClient, "request", via_http)
    monkeypatch.setattr(FakeWebhookAdapter, "request", via_webhook)
    return wrapped
