"""`python -m bot preview` in a real browser: headless Chromium loads the page, a slash command typed in the
composer gets the bot's answer, and a screenshot is written to the test's temporary folder.

Chromium is driven over its DevTools protocol with aiohttp (already installed with discord.py), so the test
needs no browser-automation package; it needs Debian's `chromium` (`.ci/run` installs it) and is skipped
with the reason where it is absent. Chromium runs as a subprocess started with asyncio: the preview server
runs on this event loop, which must never block. Waiting on the browser is bounded in real time (the
browser's own pace), never a fixed sleep whose length decides the outcome.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from rehearsal.preview import PreviewForum, serve_preview

CHROMIUM = os.environ.get("CONCORD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
)
PATIENCE = 30.0  # seconds of real time the browser may take for each step


class Page:
    """One browser tab, over the DevTools protocol."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.socket.send_json({"id": number, "method": method, "params": params})
        while True:
            message = json.loads((await asyncio.wait_for(self.socket.receive(), PATIENCE)).data)
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, what: str, patience: float = PATIENCE) -> Any:
        """Until the page makes `expression` truthy (polled at the browser's pace, bounded by `patience`)."""
        deadline = asyncio.get_running_loop().time() + patience
        while asyncio.get_running_loop().time() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"the page never showed {what}: {await self.evaluate('document.body.innerText')!r}")

    async def key(self, key: str, code: int) -> None:
        text = {"Enter": "\r"}.get(key, "")
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=key,
                windowsVirtualKeyCode=code,
                nativeVirtualKeyCode=code,
                **({"text": text} if text and kind == "keyDown" else {}),
            )


async def start_chromium(profile: Path) -> tuple[asyncio.subprocess.Process, str]:
    browser = await asyncio.create_subprocess_exec(
        CHROMIUM,
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert browser.stderr is not None
    while True:
        line = (await asyncio.wait_for(browser.stderr.readline(), PATIENCE)).decode()
        if not line:
            raise AssertionError("chromium exited before it opened its DevTools port")
        found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
        if found:
            return browser, found[1]


async def test_the_preview_answers_a_slash_command_typed_in_the_composer(tmp_path):
    shot = tmp_path / "preview.png"

    async def drive(forum: PreviewForum) -> None:
        browser, port = await start_chromium(tmp_path / "chromium-profile")
        try:
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/json/list") as listed:
                    tab = next(item for item in await listed.json() if item["type"] == "page")
                async with http.ws_connect(tab["webSocketDebuggerUrl"], max_msg_size=0) as socket:
                    page = Page(socket)
                    await page.call("Page.enable")
                    await page.call("Page.navigate", url=forum.url)
                    await page.wait_for("!!document.getElementById('channel-composer-input')", "the composer")
                    await page.wait_for("document.body.innerText.includes('open-forum')", "the channel")
                    # The page admits actions once its session is up (it lists whom one may be) and it has told the
                    # server its size (which renews the page's context, dropping anything typed before).
                    ready = "['Viewport updated', 'Preview ready'].some((s) => document.body.innerText.includes(s))"
                    await page.wait_for(f"document.body.innerText.includes('Forum organiser') && {ready}", "readiness")
                    await page.evaluate("document.getElementById('channel-composer-input').focus()")
                    await page.call("Input.insertText", text="/help")
                    await page.wait_for("document.body.innerText.includes('help')", "the command picker")
                    await page.key("Tab", 9)  # choose the command the picker offers
                    await page.wait_for("!!document.querySelector('.command-chip')", "the chosen command")
                    answer = "document.body.innerText.includes('How to take part — ')"
                    for _attempt in range(5):  # Enter before the page admits actions is ignored: press it again
                        await page.key("Enter", 13)  # run it
                        if await page.wait_for(f"{answer} || !document.querySelector('.command-chip')", "a run", 5):
                            break
                    await page.wait_for(answer, "the bot's answer")
                    picture = await page.call("Page.captureScreenshot", format="png")
                    shot.write_bytes(base64.b64decode(picture["data"]))
        finally:
            if browser.returncode is None:
                browser.kill()
            await browser.wait()

    await asyncio.wait_for(serve_preview(tmp_path, until=drive), 120)
    if os.environ.get("CONCORD_KEEP_SHOT"):
        shutil.copy(shot, os.environ["CONCORD_KEEP_SHOT"])
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
