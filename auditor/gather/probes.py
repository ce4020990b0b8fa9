"""Probes: extra browser work beyond the journey, run on request.

- :class:`LinkProber` -- the HTTP status of links that checks asked about
  (:class:`~cx_auditor.requirements.LinkProbe`), each target once per run, while
  the journeys go on; lands in ``Artifacts.link_status``.
- :class:`ChatProber` -- clicks a page's chat launcher, once per page template per
  channel (``collect.probe_chat``), beside the journey rather than after it; lands
  in ``PageVisit.probes["chat_launcher"]``.
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

__all__ = ["ChatProber", "LinkProber", "UnitChatProbes"]

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
    """One chat-launcher probe per (channel, page template), shared by every unit of the run.

    Pages built from one template (``/product/*``) share their launcher, so one probe
    speaks for all of them. The probes stay off the journeys' critical path: a unit
    hands its pages over as it lands on them (:meth:`for_unit`), and the probe runs on a
    page of its own in the unit's context while the journey goes on; a unit that meets a
    template another unit is probing does not wait for it (the collector writes its
    visits once the result is in).
    """

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

    def pending_for(self, channel: str, visits: list[PageVisit]) -> list[asyncio.Future[dict[str, Any]]]:
        """The probes ``visits`` still wait for (run by other units)."""
        out = []
        for v in visits:
            future = self._futures.get((channel, page_template(v.url)))
            if (
                future is not None
                and not future.done()
                and "chat_launcher" in v.widgets
                and future not in out
            ):
                out.append(future)
        return out

    def for_unit(self, ctx: Any, channel: str) -> UnitChatProbes:
        """The probes one unit runs, in its own browser context ``ctx``."""
        return UnitChatProbes(self, ctx, channel)

    def _claim(self, channel: str, visit: PageVisit) -> asyncio.Future[dict[str, Any]] | None:
        """A future for ``visit``'s template if nobody probes it yet (the caller must resolve it)."""
        if "chat_launcher" not in visit.widgets or not visit.status or visit.status >= 400:
            return None
        key = (channel, page_template(visit.url))
        if key in self._futures:
            return None
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._futures[key] = future
        return future

    def _settle(self, future: asyncio.Future[dict[str, Any]], url: str, result: dict[str, Any]) -> None:
        if not future.done():
            result["probed_url"] = self.redact(url)
            future.set_result(result)

    async def _probe_on(self, page: Any, url: str, selector: str, *, load: bool) -> dict[str, Any]:
        try:
            if load:
                await page.goto(url, wait_until="load")
            return await page.evaluate("(s) => window.__cx.probeChat(s)", selector)  # type: ignore[no-any-return]
        except Exception as exc:  # noqa: BLE001
            return {"clicked": False, "opened": False, "detail": f"probe failed: {first_line(exc)}"}


_NOT_PROBED = {"clicked": False, "opened": False, "detail": "not probed"}


class UnitChatProbes:
    """The chat probes of one unit: during the journey on a page of their own, the rest at its end."""

    def __init__(self, prober: ChatProber, ctx: Any, channel: str) -> None:
        self.prober = prober
        self.ctx = ctx
        self.channel = channel
        #: the extra page probes run on during the journey (opened by :meth:`open`)
        self.page: Any = None
        self._todo: list[tuple[str, str, asyncio.Future[dict[str, Any]]]] = []
        self._task: asyncio.Future[None] | None = None
        #: the journey's page while :meth:`in_place` probes it (a popup it opens is the probe's)
        self._here: Any = None

    async def open(self, journey_page: Any = None) -> None:
        """Open the probes' own page, before the journey starts watching for new tabs.

        Without it, :meth:`offer` does nothing and every template waits for :meth:`finish`.
        """
        if self.prober.enabled and self.page is None:
            with contextlib.suppress(Exception):
                self.page = await self.ctx.new_page()
                # A new tab is the active one: the journey's tab, left in the background, draws no
                # frames, and every screenshot of it then waits about a second for one.
                if journey_page is not None:
                    await journey_page.bring_to_front()

    async def opened_by_probe(self, popup: Any) -> bool:
        """Did a probe open ``popup`` (a launcher that opens a chat window)?

        Either on the probes' own page, or on the journey's page while it is probed in place.
        """
        pages = [p for p in (self.page, self._here) if p is not None]
        if not pages:
            return False
        with contextlib.suppress(Exception):
            return await popup.opener() in pages
        return False

    async def in_place(self, page: Any, visit: PageVisit) -> None:
        """Probe ``visit``'s template on the journey's own ``page``, which the journey is leaving.

        Called when the next step loads another URL: the page has been read and is about to
        be discarded, so clicking its launcher costs one click instead of a fresh load of the
        page in another tab (the page load is most of a probe's cost). Bounded by the
        navigation timeout, like the journey's own steps.
        """
        if not self.prober.enabled:
            return
        future = self.prober._claim(self.channel, visit)
        if future is None:
            return
        self._here = page
        try:
            result = await asyncio.wait_for(
                self.prober._probe_on(page, visit.url, visit.widgets["chat_launcher"], load=False),
                self.prober.settings.timeout_ms / 1000,
            )
            self.prober._settle(future, visit.url, result)
        except Exception:  # noqa: BLE001 - a probe never fails the journey (a timeout included)
            pass
        finally:
            self._here = None
            self.prober._settle(future, visit.url, dict(_NOT_PROBED))

    def offer(self, visit: PageVisit) -> None:
        """The journey landed on ``visit``: probe its template now, beside the journey.

        Only for pages another tab may safely load again: the journey runner does not offer
        pages of checkout or setup journeys, nor pages with a form the journey may submit
        (loading it again in a second tab could reset a checkout step or renew a form token).
        """
        if self.page is None:
            return
        future = self.prober._claim(self.channel, visit)
        if future is None:
            return
        self._todo.append((visit.url, visit.widgets["chat_launcher"], future))
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        """Probe the offered templates one after another on the probes' page (a fresh load each)."""
        while self._todo:
            url, selector, future = self._todo[0]
            try:
                result = await self.prober._probe_on(self.page, url, selector, load=True)
                self.prober._settle(future, url, result)
            finally:  # cancelled (the unit stopped): this one and the rest say "not probed"
                self.prober._settle(future, url, dict(_NOT_PROBED))
                if self._todo and self._todo[0][2] is future:
                    self._todo.pop(0)

    async def finish(
        self, visits: list[PageVisit], *, page: Any = None, shown: PageVisit | None = None
    ) -> None:
        """After the journey: probe the templates nobody has probed yet, and wait for this unit's probes.

        ``shown`` is the visit the journey's ``page`` still displays: the journey is over and
        its page read, so that template is probed in place, without loading the page again.
        The other templates get a fresh load each, up to three at once.
        """
        if not self.prober.enabled:
            return
        in_place: tuple[str, str, asyncio.Future[dict[str, Any]]] | None = None
        loads: list[tuple[str, str, asyncio.Future[dict[str, Any]]]] = []
        for v in visits:
            future = self.prober._claim(self.channel, v)
            if future is None:
                continue
            here_ok = (
                page is not None
                and shown is not None
                and "chat_launcher" in shown.widgets
                and bool(shown.status)
                and (shown.status or 0) < 400
                and page_template(v.url) == page_template(shown.url)
            )
            if here_ok and shown is not None:
                in_place = (shown.url, shown.widgets["chat_launcher"], future)
            else:
                loads.append((v.url, v.widgets["chat_launcher"], future))

        async def here() -> None:
            assert in_place is not None
            url, selector, future = in_place
            result = await self.prober._probe_on(page, url, selector, load=False)
            self.prober._settle(future, url, result)

        async def fresh() -> None:
            tab = None
            try:
                tab = await self.ctx.new_page()
                while loads:
                    url, selector, future = loads.pop(0)
                    result = await self.prober._probe_on(tab, url, selector, load=True)
                    self.prober._settle(future, url, result)
            finally:
                if tab is not None:
                    with contextlib.suppress(Exception):
                        await tab.close()

        jobs: list[Awaitable[Any]] = [fresh() for _ in range(min(3, len(loads)))]
        if in_place is not None:
            jobs.append(here())
        if self._task is not None:
            jobs.append(self._task)
        try:
            if jobs:
                await asyncio.wait_for(
                    asyncio.gather(*jobs, return_exceptions=True), self.prober.settings.timeout_ms / 1000 * 4
                )
        finally:
            if self.page is not None:
                with contextlib.suppress(Exception):
                    await self.page.close()
            for url, _, future in loads:
                self.prober._settle(future, url, dict(_NOT_PROBED))
            if in_place is not None:
                self.prober._settle(in_place[2], in_place[0], dict(_NOT_PROBED))

    def cancel(self) -> None:
        """A stopped unit leaves no probe running; its claimed templates say "not probed"."""
        if self._task is not None:
            self._task.cancel()
        for url, _, future in self._todo:
            self.prober._settle(future, url, dict(_NOT_PROBED))
        self._todo.clear()
