"""A per-page byte and memory budget: a hostile page cannot grow the browser without bound.

A body that never ends, or a script that builds the DOM forever, would otherwise
keep Chromium growing until the step's time budget (``collect.timeout_ms``) runs
out; on a fast connection that is gigabytes. The journey's tab is watched over one
DevTools session: the bytes its documents and sub-resources bring in
(``Network.dataReceived``), and the page's JavaScript heap (polled). Over budget,
loading is stopped and the script terminated; the step then fails with a finding
that says which budget was exceeded.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

__all__ = ["BudgetExceeded", "PageBudget"]


class BudgetExceeded(Exception):
    """The page was stopped by its budget; the message says which."""


_POLL_S = 0.25


def _retrieve(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()


class PageBudget:
    """Watches one tab; :attr:`exceeded` says why it was stopped (``None`` while within budget)."""

    def __init__(self, max_bytes: int, max_heap_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_heap = max_heap_bytes
        self.received = 0
        self.exceeded: str | None = None
        self._cdp: Any = None
        self._poller: asyncio.Task[None] | None = None
        #: set when a budget is exceeded: the running step stops waiting at once
        self.tripped = asyncio.Event()

    async def install(self, ctx: Any, page: Any) -> None:
        try:
            self._cdp = await ctx.new_cdp_session(page)
            self._cdp.on("Network.dataReceived", self._on_data)
            await self._cdp.send("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0})
        except Exception:  # noqa: BLE001 - no DevTools (a non-Chromium remote): no budget
            self._cdp = None
            return
        self._poller = asyncio.ensure_future(self._poll())

    def reset(self) -> None:
        """A new step (and so, at most, a new page): its budget starts from zero.

        Not reset on navigations the page makes itself, or a page reloading its frames
        would never reach the limit.
        """
        self.received = 0
        self.exceeded = None
        self.tripped.clear()

    def _on_data(self, event: dict[str, Any]) -> None:
        self.received += int(event.get("dataLength") or 0)
        if self.exceeded is None and self.received > self.max_bytes:
            mb = self.max_bytes // 1_000_000
            self._stop(
                f"the page sent more than {mb} MB (collect.page_budget_mb); cx-audit stopped loading it"
            )

    def _stop(self, why: str) -> None:
        self.exceeded = why
        self.tripped.set()
        asyncio.ensure_future(self._halt())

    async def _halt(self) -> None:
        with contextlib.suppress(Exception):
            await self._cdp.send("Runtime.terminateExecution")
        with contextlib.suppress(Exception):
            await self._cdp.send("Page.stopLoading")
        with contextlib.suppress(Exception):  # drop what the page built: the memory goes back now
            await self._cdp.send("Page.navigate", {"url": "about:blank"})

    async def _poll(self) -> None:
        while self._cdp is not None:
            await asyncio.sleep(_POLL_S)
            try:
                heap = await self._cdp.send("Runtime.getHeapUsage")
            except Exception:  # noqa: BLE001 - the page or the browser went away
                return
            # The JavaScript heap plus the embedder's (Blink's DOM lives there).
            used = float(heap.get("usedSize", 0)) + float(heap.get("embedderHeapUsedSize", 0))
            if self.exceeded is None and used > self.max_heap:
                mb = self.max_heap // 1_000_000
                self._stop(
                    f"the page grew past {mb} MB of memory (its DOM and scripts; collect.page_budget_mb); "
                    "cx-audit stopped it"
                )

    async def within(self, step: Any) -> None:
        """Run ``step`` (a coroutine) but end it as soon as the page exceeds its budget."""
        task = asyncio.ensure_future(step)
        task.add_done_callback(_retrieve)  # an abandoned step's error is not "never retrieved"
        trip = asyncio.ensure_future(self.tripped.wait())
        try:
            await asyncio.wait({task, trip}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # cancelled (Ctrl-C, a lost browser): the step goes too
            task.cancel()
            raise
        finally:
            trip.cancel()
        if task.done():
            task.result()
            return
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
        raise BudgetExceeded(self.exceeded or "the page exceeded its budget")

    def close(self) -> None:
        self._cdp = None
        if self._poller is not None:
            self._poller.cancel()
