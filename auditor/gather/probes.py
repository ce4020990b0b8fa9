"""Probes: extra browser work beyond the journey, run on request.

- :class:`LinkProber` -- the HTTP status of links that checks asked about
  (:class:`~cx_auditor.requirements.LinkProbe`), each target once per run, while
  the journeys go on; lands in ``Artifacts.link_status``.
- :class:`ChatProber` -- clicks a page's chat launcher on a fresh page, once per
  page template per channel (``collect.probe_chat``); lands in
  ``PageVisit.probes["chat_launcher"]``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from cx_auditor.config import Collect
from cx_auditor.gather.convert import first_line, page_template, probe_targets
from cx_auditor.models import PageVisit
from cx_auditor.requirements import Requirements

__all__ = ["ChatProber", "LinkProber"]

ContextFactory = Callable[[], Awaitable[Any]]


class LinkProber:
    """Collects the link targets checks asked about and probes each once."""

    def __init__(self, settings: Collect, requirements: Requirements, *, concurrency: int = 6) -> None:
        self.settings = settings
        self.requirements = requirements
        self.targets: set[str] = set()
        self.status: dict[str, int | None] = {}
        self._scheduled: set[str] = set()
        self._tasks: list[asyncio.Future[None]] = []
        self._sem = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._ctx: Any = None

    @property
    def enabled(self) -> bool:
        return self.settings.probe_links

    def note(self, visit: PageVisit) -> None:
        """Remember the targets on ``visit`` that some check wants probed."""
        self.targets |= probe_targets(visit, self.requirements)

    def schedule(self, new_context: ContextFactory) -> None:
        """Start probing targets found so far, while units go on."""
        if not self.enabled:
            return
        for url in sorted(self.targets - self._scheduled):
            self._scheduled.add(url)
            self._tasks.append(asyncio.ensure_future(self._probe(new_context, url)))

    async def _probe(self, new_context: ContextFactory, url: str) -> None:
        async with self._lock:
            if self._ctx is None:
                self._ctx = await new_context()
        async with self._sem:
            try:
                resp = await self._ctx.request.get(url, max_redirects=10, timeout=self.settings.timeout_ms)
                self.status[url] = resp.status
                await resp.dispose()
            except Exception:  # noqa: BLE001 - unreachable is a recorded fact
                self.status[url] = None

    async def finish(self, new_context: ContextFactory) -> None:
        """Probe whatever is left and wait for every probe to finish."""
        self.schedule(new_context)
        try:
            if self._tasks:
                await asyncio.gather(*self._tasks)
        finally:
            if self._ctx is not None:
                with contextlib.suppress(Exception):
                    await self._ctx.close()
                self._ctx = None

    def cancel(self) -> None:
        """An interrupted run leaves no probe running."""
        for task in self._tasks:
            task.cancel()


class ChatProber:
    """One chat-launcher probe per (channel, page template), shared by units running at once."""

    def __init__(self, settings: Collect, redact: Callable[[str], str]) -> None:
        self.settings = settings
        self.redact = redact
        self._futures: dict[tuple[str, str], asyncio.Future[dict[str, Any]]] = {}

    @property
    def enabled(self) -> bool:
        return self.settings.probe_chat

    def result_for(self, channel: str, visit: PageVisit) -> dict[str, Any] | None:
        """The finished probe outcome for ``visit``'s template, if it has a launcher and was probed."""
        future = self._futures.get((channel, page_template(visit.url)))
        if future is not None and future.done() and "chat_launcher" in visit.widgets:
            return future.result()
        return None

    async def probe(self, ctx: Any, channel: str, visits: list[PageVisit]) -> None:
        """Click the chat launcher on a fresh page, once per page template per channel.

        Pages built from one template (``/product/*``) share their launcher, so one probe
        speaks for all of them; units that meet the same template at once share one probe.
        """
        loop = asyncio.get_running_loop()
        todo: list[tuple[str, str, asyncio.Future[dict[str, Any]]]] = []
        waits: list[asyncio.Future[dict[str, Any]]] = []
        for v in visits:
            if "chat_launcher" not in v.widgets or not v.status or v.status >= 400:
                continue
            key = (channel, page_template(v.url))
            future = self._futures.get(key)
            if future is None:
                future = loop.create_future()
                self._futures[key] = future
                todo.append((v.url, v.widgets["chat_launcher"], future))
            waits.append(future)

        async def prober() -> None:
            page = await ctx.new_page()
            try:
                while todo:
                    url, selector, future = todo.pop(0)
                    try:
                        await page.goto(url, wait_until="load")
                        result = await page.evaluate("(s) => window.__cx.probeChat(s)", selector)
                    except Exception as exc:  # noqa: BLE001
                        detail = f"probe failed: {first_line(exc)}"
                        result = {"clicked": False, "opened": False, "detail": detail}
                    result["probed_url"] = self.redact(url)
                    future.set_result(result)
            finally:
                for _, _, future in todo:  # not probed (page crashed): say so rather than hang
                    if not future.done():
                        future.set_result({"clicked": False, "opened": False, "detail": "not probed"})
                with contextlib.suppress(Exception):
                    await page.close()

        if todo:
            await asyncio.gather(*(prober() for _ in range(min(3, len(todo)))))
        if waits:
            await asyncio.wait(waits, timeout=self.settings.timeout_ms / 1000)
