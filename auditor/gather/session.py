"""The browser session: launching or connecting the browser, and one context per unit.

Owns everything about the browser process itself: which browser (local launch,
Playwright server, DevTools endpoint), the device profile and throttling of each
context, the page instrument (``instrument.js``) and whether the browser went away
under us (a crash, a kill, a dropped remote connection).
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from cx_auditor.browser import BrowserChoice
from cx_auditor.config import Channel, Throttling
from cx_auditor.errors import UnreachableError
from cx_auditor.gather.quiet import QUIET_JS

__all__ = ["INSTRUMENT_JS", "BrowserSession"]

INSTRUMENT_JS = (Path(__file__).parent.parent / "instrument.js").read_text(encoding="utf-8")


def context_options(prof: dict[str, Any]) -> dict[str, Any]:
    """Playwright ``new_context`` options for a channel's resolved device profile.

    Shared by the collector and the benchmarks' bare walk, so both emulate the same device.
    Service workers are blocked: they would answer requests out of the page's own timings.
    """
    return {
        "viewport": prof["viewport"],
        "user_agent": prof["user_agent"],
        "device_scale_factor": prof["device_scale_factor"],
        "is_mobile": prof["is_mobile"],
        "has_touch": prof["has_touch"],
        "locale": prof["locale"],
        "timezone_id": prof["timezone"],
        "service_workers": "block",
    }


class BrowserSession:
    """One browser for a run; hands out configured contexts and knows when it was lost."""

    def __init__(self, choice: BrowserChoice, *, headless: bool, timeout_ms: int) -> None:
        self.choice = choice
        self.headless = headless
        self.timeout_ms = timeout_ms
        self.browser: Any = None
        #: the browser went away without us closing it
        self.lost = False
        self.closing = False
        self._on_lost: list[Any] = []

    def on_lost(self, callback: Any) -> None:
        """Call ``callback()`` once when the browser disconnects without being closed."""
        self._on_lost.append(callback)

    async def start(self, pw: Any) -> Any:
        """Launch or connect the browser; an unreachable browser is an :class:`UnreachableError`."""
        c = self.choice
        try:
            if c.kind == "connect":
                browser = await pw.chromium.connect(c.endpoint, timeout=30_000)
            elif c.kind == "cdp":
                browser = await pw.chromium.connect_over_cdp(c.endpoint, timeout=30_000)
            else:
                browser = await pw.chromium.launch(
                    executable_path=c.executable, headless=self.headless, args=c.args
                )
        except Exception as exc:  # noqa: BLE001 - any launch failure is "browser unreachable"
            raise UnreachableError(
                f"Could not start or reach the browser ({c.describe()}): {str(exc).splitlines()[0]}",
                hint="Run `python -m playwright install chromium`, or install a system Chromium, or check "
                "the remote endpoint. `cx-audit doctor` shows what was found.",
            ) from None
        self.browser = browser
        browser.on("disconnected", self._disconnected)
        return browser

    def _disconnected(self, *_: Any) -> None:
        if not self.closing and not self.lost:
            self.lost = True
            for callback in self._on_lost:
                callback()

    def is_lost(self) -> bool:
        """True when the browser went away without us closing it (crash, kill, remote drop)."""
        if self.browser is not None and not self.closing:
            with contextlib.suppress(Exception):
                if not self.browser.is_connected():
                    self._disconnected()
        return self.lost

    async def close(self) -> None:
        self.closing = True
        if self.browser is not None:
            with contextlib.suppress(Exception):  # a dead or wedged browser must not hold the run
                await asyncio.wait_for(self.browser.close(), 30)

    async def new_context(self, channel: Channel, *, storage_state: Any = None) -> tuple[Any, Any]:
        """A context with the channel's device profile, the instrument and throttling; and its page.

        ``storage_state`` (cookies and local storage, from a setup journey) starts the
        context signed in, as a returning customer would be.
        """
        prof = channel.resolved()
        ctx = await self.browser.new_context(
            storage_state=storage_state, accept_downloads=False, **context_options(prof)
        )
        ctx.set_default_timeout(self.timeout_ms)
        ctx.set_default_navigation_timeout(self.timeout_ms)
        await ctx.add_init_script(INSTRUMENT_JS)
        await ctx.add_init_script(QUIET_JS)  # pending timers, for the adaptive settle
        page = await ctx.new_page()
        thr: Throttling = prof["throttling"]
        if not thr.is_noop():
            try:
                cdp = await ctx.new_cdp_session(page)
                for method, params in thr.cdp_commands():
                    await cdp.send(method, params)
            except Exception:  # noqa: BLE001 - a non-Chromium remote browser: measure unthrottled
                pass
        return ctx, page

    async def plain_context(self) -> Any:
        """A context without profile or instrument (HTTP probes)."""
        return await self.browser.new_context()
