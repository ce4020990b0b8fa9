"""The collector: the one place that drives a browser.

One browser per run; every *unit* (channel x journey x repeat) runs in its own
browser context, several at once (``workers``). Each step that lands on a page
becomes a :class:`PageVisit` streamed to disk; a failing step is recorded with
its error and a screenshot and the unit stops, while the other units go on.

Timing discipline: static content (text, links, fields) is read as soon as a
page has loaded; performance data (LCP, CLS, long tasks, interactions) is
read when the journey *leaves* the page, so it covers the whole stay, the way
field data does, without an artificial wait on every step. A page is kept at
least ``settle_ms`` after its load event before it is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urldefrag, urlsplit

from cx_auditor import __version__
from cx_auditor.artifacts import ArtifactWriter, scrub_zip
from cx_auditor.browser import BrowserChoice
from cx_auditor.config import AuditConfig, Channel, Journey, Step, Throttling
from cx_auditor.discovery import crawl_config
from cx_auditor.documents import read_documents
from cx_auditor.errors import UnreachableError
from cx_auditor.models import (
    Artifacts,
    ChannelInfo,
    FormField,
    Interaction,
    JourneyOutcome,
    LayoutShift,
    Link,
    PageVisit,
    Resource,
    RunMeta,
    StepRecord,
    Timings,
)

INSTRUMENT_JS = (Path(__file__).with_name("instrument.js")).read_text(encoding="utf-8")
REDACTED = "[redacted]"
HELPISH = re.compile(
    r"contact|help|support|faq|customer[-_ ]?service|returns?|shipping|delivery|track|policy|policies|chat"
    r"|kontakt|hilfe|aide|ayuda",
    re.I,
)
#: milliseconds still to wait until ``s`` ms after the page's load event (0 before load / no instrument)
_REMAINING_DWELL_JS = (
    "(s) => (window.__cx && window.__cx.loadAt !== null) ? s - (performance.now() - window.__cx.loadAt) : 0"
)


async def dwell(page: Any, settle_ms: int) -> None:
    """Stay on ``page`` until ``settle_ms`` after its load event, in the page's own clock.

    Like Lighthouse's pause after load, this lets late layout shifts and the final LCP
    candidate happen before anything moves on; time already spent on the page counts.
    """
    try:
        remaining = await page.evaluate(_REMAINING_DWELL_JS, settle_ms)
    except Exception:  # noqa: BLE001 - the page is navigating: nothing to wait for
        return
    if remaining and remaining > 0:
        await asyncio.sleep(min(remaining, settle_ms) / 1000)


ProgressFn = Callable[[str, dict[str, Any]], None]

#: Network errors worth one more try: the connection broke, the server did not refuse it.
TRANSIENT_ERRORS = (
    "ERR_CONNECTION_RESET",
    "ERR_EMPTY_RESPONSE",
    "ERR_NETWORK_CHANGED",
    "ERR_CONNECTION_CLOSED",
)
#: Failures that still prove a server answered (the site is up, just broken).
ANSWERED_ERRORS = (
    "ERR_TOO_MANY_REDIRECTS",
    "Download is starting",
    "ERR_INVALID_RESPONSE",
    "ERR_INVALID_REDIRECT",
)
INTERRUPTED_BY_SIGNAL = "interrupted by Ctrl-C (SIGINT)"
TERMINATED_BY_SIGNAL = "terminated by SIGTERM"
BROWSER_LOST = "the browser crashed or disconnected mid-run"


class StepFailure(Exception):
    """A step that ran but did not do what the journey needs (an HTTP error page, an off-site hop)."""


@dataclass(frozen=True)
class Unit:
    """One independent piece of gathering: a journey on a channel, one repeat."""

    channel: str
    journey: str
    run_index: int = 0

    @property
    def key(self) -> str:
        return f"{self.channel}/{self.journey}/{self.run_index}"


@dataclass
class CollectOptions:
    out: Path
    allow_orders: bool = False
    workers: int | None = None
    runs: int | None = None
    shard: tuple[int, int] | None = None  # (index 1-based, total)
    discover: int | None = None
    trace: str | None = None
    headless: bool = True
    progress: ProgressFn | None = None
    skip_journeys: bool = False


@dataclass
class _RunState:
    writer: ArtifactWriter
    secrets: list[str]
    origins: set[str]
    #: (channel, page template) -> the chat probe's outcome, shared by units running at once
    chat_probes: dict[tuple[str, str], asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    link_tasks: list[asyncio.Future[None]] = field(default_factory=list)
    links_scheduled: set[str] = field(default_factory=set)
    link_sem: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(6))
    link_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    link_ctx: Any = None
    link_targets: set[str] = field(default_factory=set)
    reached_any: bool = False
    shot_counter: int = 0


def plan_units(cfg: AuditConfig, runs: int) -> list[Unit]:
    """Every (channel, journey, repeat) the config asks for, in a deterministic order."""
    units = []
    for r in range(runs):
        for journey in cfg.journeys:
            for ch in cfg.browser_channels():
                if journey.channels and ch.name not in journey.channels:
                    continue
                units.append(Unit(ch.name, journey.name, r))
    return units


def shard_slice(items: list[Any], shard: tuple[int, int] | None) -> list[Any]:
    """Deterministic round-robin slice ``i/n`` (1-based) of an ordered list."""
    if not shard:
        return items
    index, total = shard
    return [item for pos, item in enumerate(items) if pos % total == index - 1]


def default_workers() -> int:
    return max(2, min(6, (os.cpu_count() or 2) * 2))


class Collector:
    def __init__(self, cfg: AuditConfig, choice: BrowserChoice, opts: CollectOptions) -> None:
        self.cfg = cfg
        self.choice = choice
        self.opts = opts
        self.art_dir = opts.out / "artifacts"
        self.started = _dt.datetime.now(_dt.UTC)
        self.outcomes: list[JourneyOutcome] = []
        self.link_status: dict[str, int | None] = {}
        #: why gathering stopped early (a signal, a browser crash); ``None`` for a whole run
        self.interrupted: str | None = None
        self.browser_lost = False
        self._browser_obj: Any = None
        self._closing = False

    # ------------------------------------------------------------------ public
    def run(self) -> Artifacts:
        """Gather everything; on Ctrl-C, SIGTERM or a browser crash, keep what was gathered.

        An interruption does not raise: it returns the artifacts gathered so far with
        ``meta.complete = False`` and sets :attr:`interrupted`, so the caller can still
        judge and report them (marked incomplete) and choose the exit code.
        """
        with asyncio.Runner() as runner:
            return runner.run(self._run_with_signals())

    async def _run_with_signals(self) -> Artifacts:
        """SIGTERM cancels the gathering like Ctrl-C does (asyncio.Runner handles SIGINT)."""
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        previous: Any = None
        installed = False
        try:
            previous = signal.getsignal(signal.SIGTERM)
            loop.add_signal_handler(signal.SIGTERM, self._on_sigterm, task)
            installed = True
        except (ValueError, RuntimeError, NotImplementedError):  # not the main thread, or Windows
            pass
        try:
            return await self.run_async()
        finally:
            if installed:
                loop.remove_signal_handler(signal.SIGTERM)
                signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)

    def _on_sigterm(self, task: asyncio.Task[Any] | None) -> None:
        if self.interrupted is None:
            self.interrupted = TERMINATED_BY_SIGNAL
        if task is not None and not task.done():
            task.cancel()

    def _on_disconnect(self, *_: Any) -> None:
        if not self._closing:
            self.browser_lost = True
            if self.interrupted is None:
                self.interrupted = BROWSER_LOST

    def _lost_browser(self) -> bool:
        """True when the browser went away without us closing it (crash, kill, remote drop)."""
        if self._browser_obj is not None and not self._closing:
            with contextlib.suppress(Exception):
                if not self._browser_obj.is_connected():
                    self._on_disconnect()
        return self.browser_lost

    async def run_async(self) -> Artifacts:
        from playwright.async_api import async_playwright

        base = urlsplit(self.cfg.site.base_url)
        origins = {f"{base.scheme}://{base.netloc}"}
        origins |= {o.rstrip("/") for o in self.cfg.collect.allowed_origins}
        state = _RunState(
            writer=ArtifactWriter(self.art_dir), secrets=_secret_variants(self.cfg.secrets), origins=origins
        )
        if state.secrets:  # every string written is scrubbed, whatever field it sits in
            state.writer.redact = lambda text: self._redact(state, text)
        runs = self.opts.runs or self.cfg.collect.runs
        units = shard_slice(plan_units(self.cfg, runs), self.opts.shard)
        if self.opts.skip_journeys:
            units = []
        self._progress("plan", units=len(units))
        documents = []
        try:
            async with async_playwright() as pw:
                browser = await self._browser(pw)
                self._browser_obj = browser
                browser.on("disconnected", self._on_disconnect)
                try:
                    await self._gather(browser, state, units)
                except Exception:
                    if not self._lost_browser():
                        raise
                finally:
                    self._closing = True
                    for task in state.link_tasks:  # an interrupted run leaves none running
                        task.cancel()
                    with contextlib.suppress(Exception):
                        await browser.close()
        except asyncio.CancelledError:
            # Ctrl-C (asyncio.Runner cancels us) or SIGTERM (our handler): keep what we have.
            self.interrupted = self.interrupted or INTERRUPTED_BY_SIGNAL
        except Exception:
            # The driver dies with the browser on some crashes: still a browser loss, not a bug.
            if not self.browser_lost:
                raise
        finally:
            if not self.opts.shard or self.opts.shard[0] == 1:
                with contextlib.suppress(Exception):
                    documents = read_documents(self.cfg)
            meta = self._meta(runs, complete=self.interrupted is None)
            artifacts = Artifacts(
                meta=meta,
                journeys=sorted(self.outcomes, key=lambda o: (o.run_index, o.journey, o.channel)),
                documents=documents,
                link_status=dict(sorted(self.link_status.items())),
            )
            state.writer.finish(artifacts)
        if units and not state.reached_any and self.interrupted is None:
            first_error = next((o.error for o in self.outcomes if o.error), "no page answered")
            raise UnreachableError(
                self._redact(
                    state,
                    f"None of the site's pages could be reached at {self.cfg.site.base_url}: {first_error}",
                ),
                hint="Check that the site is up and the base_url in the config is right "
                "(artifacts and the failure screenshots were still written).",
            )
        from cx_auditor.artifacts import load_artifacts

        return load_artifacts(self.art_dir)

    async def _gather(self, browser: Any, state: _RunState, units: list[Unit]) -> None:
        workers = self.opts.workers or self.cfg.collect.workers or default_workers()
        sem = asyncio.Semaphore(workers)

        async def guarded(unit: Unit) -> None:
            async with sem:
                if self.browser_lost:
                    return  # no browser left: the run is already marked incomplete
                await self._run_unit(browser, unit, state)

        await asyncio.gather(*(guarded(u) for u in units))
        if self.browser_lost:
            return
        discover = self.opts.discover if self.opts.discover is not None else self.cfg.collect.discover
        if discover:
            await self._discover(browser, state, discover, workers)
        if self.cfg.collect.probe_links:
            await self._probe_links(browser, state)

    # ---------------------------------------------------------------- browser
    async def _browser(self, pw: Any) -> Any:
        c = self.choice
        try:
            if c.kind == "connect":
                return await pw.chromium.connect(c.endpoint, timeout=30_000)
            if c.kind == "cdp":
                return await pw.chromium.connect_over_cdp(c.endpoint, timeout=30_000)
            return await pw.chromium.launch(
                executable_path=c.executable, headless=self.opts.headless, args=c.args
            )
        except Exception as exc:  # noqa: BLE001 - any launch failure is "browser unreachable"
            raise UnreachableError(
                f"Could not start or reach the browser ({c.describe()}): {str(exc).splitlines()[0]}",
                hint="Run `python -m playwright install chromium`, or install a system Chromium, or check "
                "the remote endpoint. `cx-audit doctor` shows what was found.",
            ) from None

    def _meta(self, runs: int, complete: bool) -> RunMeta:
        channels = []
        for ch in self.cfg.channels.values():
            if ch.kind == "documents":
                channels.append(ChannelInfo(name=ch.name, kind="documents", label=ch.label))
                continue
            prof = ch.resolved()
            thr: Throttling = prof["throttling"]
            channels.append(
                ChannelInfo(
                    name=ch.name,
                    kind="browser",
                    label=ch.label,
                    viewport=prof["viewport"],
                    mobile=bool(prof["is_mobile"]),
                    throttling=None if thr.is_noop() else thr.model_dump(),
                )
            )
        return RunMeta(
            site=self.cfg.site.name or urlsplit(self.cfg.site.base_url).netloc,
            base_url=self.cfg.site.base_url,
            tool_version=__version__,
            config_hash=self.cfg.config_hash,
            started_at=self.started.isoformat(timespec="seconds"),
            finished_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            channels=channels,
            runs=runs,
            browser=self.choice.describe(),
            complete=complete,
            shard=f"{self.opts.shard[0]}/{self.opts.shard[1]}" if self.opts.shard else None,
        )

    async def _context(self, browser: Any, channel: Channel) -> tuple[Any, Any]:
        prof = channel.resolved()
        ctx = await browser.new_context(
            viewport=prof["viewport"],
            user_agent=prof["user_agent"],
            device_scale_factor=prof["device_scale_factor"],
            is_mobile=prof["is_mobile"],
            has_touch=prof["has_touch"],
            locale=prof["locale"],
            timezone_id=prof["timezone"],
            service_workers="block",
            accept_downloads=False,
        )
        ctx.set_default_timeout(self.cfg.collect.timeout_ms)
        ctx.set_default_navigation_timeout(self.cfg.collect.timeout_ms)
        await ctx.add_init_script(INSTRUMENT_JS)
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

    @staticmethod
    def _offsite(state: _RunState, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        return f"{parts.scheme}://{parts.netloc}" not in state.origins

    async def _guard_offsite(self, ctx: Any, page: Any, state: _RunState, notes: list[str]) -> None:
        """Refuse top-level navigation off the configured origins; let everything else through.

        Only the main frame's *document* requests are intercepted, through the DevTools
        ``Fetch`` domain. A Playwright ``route`` would see every request (a round trip
        through Python each) and switch the HTTP cache off, which made pages measurably
        slower than a customer sees them (benchmarks/README.md: +30 % FCP). Browsers
        without CDP fall back to ``route``.
        """
        try:
            cdp = await ctx.new_cdp_session(page)
            tree = await cdp.send("Page.getFrameTree")
            main_frame = tree["frameTree"]["frame"]["id"]
            await cdp.send(
                "Fetch.enable",
                {"patterns": [{"urlPattern": "*", "resourceType": "Document", "requestStage": "Request"}]},
            )
        except Exception:  # noqa: BLE001 - not Chromium: use Playwright's routing instead
            await self._guard_offsite_route(ctx, state, notes)
            return

        async def paused(event: dict[str, Any]) -> None:
            url = event.get("request", {}).get("url", "")
            try:
                if event.get("frameId") == main_frame and self._offsite(state, url):
                    notes.append(f"refused off-site navigation to {url}")
                    await cdp.send(
                        "Fetch.failRequest",
                        {"requestId": event["requestId"], "errorReason": "BlockedByClient"},
                    )
                else:
                    await cdp.send("Fetch.continueRequest", {"requestId": event["requestId"]})
            except Exception:  # noqa: BLE001 - the page or request went away meanwhile
                pass

        cdp.on("Fetch.requestPaused", lambda event: asyncio.ensure_future(paused(event)))

    async def _guard_offsite_route(self, ctx: Any, state: _RunState, notes: list[str]) -> None:
        def offsite(url: str) -> bool:
            return self._offsite(state, url)

        async def handler(route: Any) -> None:
            req = route.request
            if req.is_navigation_request() and req.frame.parent_frame is None:
                notes.append(f"refused off-site navigation to {req.url}")
                await route.abort("blockedbyclient")
            else:
                await route.fallback()

        await ctx.route(offsite, handler)

    # ------------------------------------------------------------------ units
    async def _run_unit(self, browser: Any, unit: Unit, state: _RunState) -> None:
        channel = self.cfg.channels[unit.channel]
        journey = next(j for j in self.cfg.journeys if j.name == unit.journey)
        outcome = JourneyOutcome(
            channel=unit.channel, journey=unit.journey, checkout=journey.checkout, run_index=unit.run_index
        )
        self.outcomes.append(outcome)
        t0 = time.perf_counter()
        self._progress("unit-start", unit=unit.key)
        ctx = None
        try:
            ctx, page = await self._context(browser, channel)
        except Exception as exc:  # noqa: BLE001
            outcome.error = self._redact(state, f"could not open a browser context: {exc}")
            outcome.failed_step = 0
            self._progress("unit-end", unit=unit.key, ok=False)
            return
        trace = self.opts.trace or self.cfg.collect.trace
        if trace != "off":
            with contextlib.suppress(Exception):
                await ctx.tracing.start(screenshots=True, snapshots=True)
        runner = _JourneyRunner(self, state, unit, journey, ctx, page, outcome)
        try:
            await runner.run()
        finally:
            outcome.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
            stopping = _cancelling() or self.interrupted is not None or self._lost_browser()
            if stopping:
                _mark_interrupted(outcome, self.interrupted or INTERRUPTED_BY_SIGNAL)
            else:
                await self._finish_unit(ctx, state, unit, runner, outcome, trace)
            for visit in runner.visits:
                future = state.chat_probes.get((unit.channel, page_template(visit.url)))
                if future is not None and future.done() and "chat_launcher" in visit.widgets:
                    visit.probes["chat_launcher"] = future.result()
                state.writer.add_visit(visit)
            if not stopping:
                self._schedule_link_probes(browser, state)
            with contextlib.suppress(Exception):
                await ctx.close()
            self._progress("unit-end", unit=unit.key, ok=outcome.completed)

    async def _finish_unit(
        self,
        ctx: Any,
        state: _RunState,
        unit: Unit,
        runner: _JourneyRunner,
        outcome: JourneyOutcome,
        trace: str,
    ) -> None:
        """Trace and chat probe: browser work that is skipped when the run is being stopped."""
        if trace == "on" or (trace == "on-failure" and not outcome.completed):
            path = self.art_dir / "traces" / (re.sub(r"[^A-Za-z0-9_.-]+", "_", unit.key) + ".zip")
            with contextlib.suppress(Exception):
                path.parent.mkdir(exist_ok=True)
                await ctx.tracing.stop(path=str(path))
            if path.exists() and state.secrets:
                try:
                    scrub_zip(path, state.secrets)
                except Exception:  # noqa: BLE001 - a trace we cannot clean is not kept
                    path.unlink(missing_ok=True)
        if self.cfg.collect.probe_chat:
            with contextlib.suppress(Exception):
                ctx.remove_listener("page", runner._on_popup)
            with contextlib.suppress(Exception):
                await self._probe_chat(ctx, state, unit.channel, runner.visits)

    async def _probe_chat(self, ctx: Any, state: _RunState, channel: str, visits: list[PageVisit]) -> None:
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
            future = state.chat_probes.get(key)
            if future is None:
                future = loop.create_future()
                state.chat_probes[key] = future
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
                        detail = f"probe failed: {_first_line(exc)}"
                        result = {"clicked": False, "opened": False, "detail": detail}
                    result["probed_url"] = self._redact(state, url)
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
            await asyncio.wait(waits, timeout=self.cfg.collect.timeout_ms / 1000)

    def _schedule_link_probes(self, browser: Any, state: _RunState) -> None:
        """Start checking help/contact/policy link targets found so far, while units go on."""
        if not self.cfg.collect.probe_links:
            return
        for url in sorted(state.link_targets - state.links_scheduled):
            state.links_scheduled.add(url)
            state.link_tasks.append(asyncio.ensure_future(self._probe_link(browser, state, url)))

    async def _probe_link(self, browser: Any, state: _RunState, url: str) -> None:
        async with state.link_lock:
            if state.link_ctx is None:
                state.link_ctx = await browser.new_context()
        async with state.link_sem:
            try:
                resp = await state.link_ctx.request.get(
                    url, max_redirects=10, timeout=self.cfg.collect.timeout_ms
                )
                self.link_status[url] = resp.status
                await resp.dispose()
            except Exception:  # noqa: BLE001 - unreachable is a recorded fact
                self.link_status[url] = None

    async def _probe_links(self, browser: Any, state: _RunState) -> None:
        """Probe whatever is left and wait for every link check to finish."""
        self._schedule_link_probes(browser, state)
        try:
            if state.link_tasks:
                await asyncio.gather(*state.link_tasks)
        finally:
            if state.link_ctx is not None:
                with contextlib.suppress(Exception):
                    await state.link_ctx.close()
                state.link_ctx = None

    # -------------------------------------------------------------- discovery
    async def _discover(self, browser: Any, state: _RunState, limit: int, workers: int) -> None:
        """Breadth-first crawl of same-site links (see ``auditor.discovery``), sharded like the units."""
        first = next(iter(self.cfg.browser_channels()), None)
        if first is None:
            return
        await crawl_config(
            self.cfg,
            lambda: self._context(browser, first),
            lambda page, url: self._visit_url(page, url, first.name, 0, state),
            writer=state.writer,
            limit=limit,
            channel=first.name,
            shard=self.opts.shard,
            workers=workers,
            progress=self.opts.progress,
        )

    async def _visit_url(
        self, page: Any, url: str, channel: str, index: int, state: _RunState
    ) -> PageVisit | None:
        t0 = time.perf_counter()
        try:
            await page.goto(url, wait_until="load")
        except Exception:  # noqa: BLE001 - an unreachable discovered page is skipped
            return None
        state.reached_any = True
        # Same dwell as a journey page: late content and layout shifts belong to the page.
        await dwell(page, self.cfg.collect.settle_ms)
        content = await page.evaluate("() => window.__cx ? window.__cx.content() : null")
        metrics = await page.evaluate("() => window.__cx ? window.__cx.metrics() : null")
        if content is None or metrics is None:
            return None
        visit = PageVisit(
            id=f"{channel}-discover-{index:05d}",
            channel=channel,
            journey="discover",
            step_index=index,
            step_label="discovered",
            url=page.url,
            discovered=True,
            elapsed_ms=round((time.perf_counter() - t0) * 1000, 1),
        )
        _apply_content(visit, content, state, self)
        _apply_metrics(visit, metrics)
        return visit

    # ---------------------------------------------------------------- helpers
    def _redact(self, state: _RunState, text: str) -> str:
        for secret in state.secrets:
            if secret:
                text = text.replace(secret, REDACTED)
        return text

    def _progress(self, event: str, **data: Any) -> None:
        if self.opts.progress:
            self.opts.progress(event, data)


class _JourneyRunner:
    """Executes one journey's steps in one context, recording visits."""

    def __init__(
        self,
        col: Collector,
        state: _RunState,
        unit: Unit,
        journey: Journey,
        ctx: Any,
        page: Any,
        outcome: JourneyOutcome,
    ) -> None:
        self.col = col
        self.state = state
        self.unit = unit
        self.journey = journey
        self.ctx = ctx
        self.page = page
        self.outcome = outcome
        self.visits: list[PageVisit] = []
        self.current: PageVisit | None = None
        self.loaded_at = 0.0
        self.notes: list[str] = []
        self.nav_count = 0
        self.console: list[str] = []
        self.snapshot_ids: set[str] = set()
        self.finalized: set[str] = set()
        #: time to first byte of each visit's main document as the network saw it (ms)
        self.doc_ttfb: dict[str, float] = {}
        self._last_doc_ttfb: float | None = None

    async def run(self) -> None:
        page = self.page
        page.on("framenavigated", self._on_nav)
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.console.append(str(e)[:300]))
        page.on("dialog", self._on_dialog)
        page.on("download", self._on_download)
        self.ctx.on("page", self._on_popup)
        self._popup_handler = self._on_popup
        await self.col._guard_offsite(self.ctx, self.page, self.state, self.notes)
        steps = list(self.journey.steps)
        if not steps or steps[0].goto is None:
            steps.insert(0, Step(goto=self.journey.start, label="Open start page"))
        self.outcome.completed = False
        for index, step in enumerate(steps):
            record = StepRecord(
                index=index,
                action=step.action,
                label=step.describe(),
                places_order=step.places_order,
                target=self._redact(step.target),
            )
            self.outcome.steps.append(record)
            if step.places_order and not self.col.opts.allow_orders:
                record.skipped = True
                record.ok = True
                record.error = "not submitted: this step places a real order (pass --allow-orders to run it)"
                break
            t0 = time.perf_counter()
            if step.if_present:
                try:
                    present = await page.locator(step.if_present).count() > 0
                except Exception:  # noqa: BLE001 - an invalid selector is a step failure below
                    present = True
                if not present:
                    record.skipped = True
                    record.error = f"skipped: nothing matches {step.if_present!r} on this page"
                    continue
            try:
                await self._step(step, record)
                record.ok = True
            except Exception as exc:  # noqa: BLE001 - a failing step is a finding, never a crash
                record.ok = False
                record.error = self._redact(self._explain(exc, step))
                record.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
                record.url = self._redact(page.url)
                if self.current is not None and self.current.step_index == index:
                    record.visit_id = self.current.id
                if any(s in str(exc) for s in ANSWERED_ERRORS):
                    self.state.reached_any = True  # the server answered: up, but broken
                record.screenshot = await self._screenshot(f"fail-{index}")
                if step.optional:
                    continue
                self.outcome.failed_step = index
                self.outcome.error = self._redact(f"step {index + 1} ({step.describe()}): {record.error}")
                break
            record.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
            record.url = self._redact(page.url)
            if self.current is not None:
                record.visit_id = self.current.id
        else:
            self.outcome.completed = True
        if self.outcome.failed_step is None:
            self.outcome.completed = True
        await self._leave_page()

    # steps ------------------------------------------------------------------
    async def _step(self, step: Step, record: StepRecord) -> None:
        page = self.page
        action = step.action
        timeout = step.timeout_ms
        before = self.nav_count
        if action == "goto":
            await self._leave_page()
            url = self.col.cfg.absolute_url(step.target)
            response = await self._goto(url, timeout)
            await self._arrived(step, record, response.status if response else None)
            return
        loc: Any = page.locator(step.target).first if action not in ("expect_text", "snapshot") else None
        if action == "click":
            await self._leave_page_metrics_only()
            await loc.click(timeout=timeout)
            record.clicks = 1
            self._count(clicks=1)
        elif action == "fill":
            value = step.value or ""
            await loc.fill(value, timeout=timeout)
            record.keypresses = len(value)
            self._count(keypresses=len(value))
            await self._mark_filled(loc)
        elif action == "select":
            await loc.select_option(step.value, timeout=timeout)
            record.clicks = 1
            self._count(clicks=1)
            await self._mark_filled(loc)
        elif action == "check":
            await loc.check(timeout=timeout)
            record.clicks = 1
            self._count(clicks=1)
            await self._mark_filled(loc)
        elif action == "press":
            await loc.press(step.value or "Enter", timeout=timeout)
            record.keypresses = 1
            self._count(keypresses=1)
        elif action == "wait_for":
            await loc.wait_for(state="visible", timeout=timeout)
        elif action == "expect_text":
            from playwright.async_api import expect

            await expect(page.locator("body")).to_contain_text(
                step.target, timeout=timeout or self.col.cfg.collect.timeout_ms
            )
        elif action == "snapshot":
            await self._leave_page()
            await self._landed(step, record, None, navigated=False)
            return
        # Did the action navigate? Then a new page has been reached.
        await asyncio.sleep(0)
        if self.nav_count != before:
            with contextlib.suppress(Exception):
                await page.wait_for_load_state("load", timeout=timeout or self.col.cfg.collect.timeout_ms)
            await self._leave_page(read_metrics=False)
            await self._arrived(step, record, None)

    async def _arrived(self, step: Step, record: StepRecord, status: int | None) -> None:
        """A navigation ended: refuse off-site and error pages, record the page, fail on HTTP errors.

        Off-site *redirects* cannot be stopped before they happen (the browser follows
        them without asking), so a landing off the configured origins is left at once,
        not recorded, and fails the step. An HTTP error answer is recorded as a visit (the
        checks see its status) and fails the step, because the journey cannot go on
        from an error page.
        """
        url = self.page.url
        if url.startswith("chrome-error://") or self.col._offsite(self.state, url):
            # The page left is already recorded; what is shown now must not be read into it.
            self.current = None
        if url.startswith("chrome-error://"):
            earlier = [n for v in self.visits[-1:] for n in v.probes.get("notes") or []]
            notes = earlier + self.notes
            refused = next((n for n in reversed(notes) if n.startswith("refused off-site")), None)
            if refused:
                raise StepFailure(
                    f"the step led off the audited site and cx-audit refused to follow ({refused})"
                )
            raise StepFailure("the navigation failed: the browser shows its own error page")
        if self.col._offsite(self.state, url):
            self.notes.append(f"refused off-site navigation to {url} (reached by a redirect)")
            with contextlib.suppress(Exception):
                await self.page.goto("about:blank")
            raise StepFailure(
                f"the site redirected off the audited origins to {url}; cx-audit does not audit other sites "
                "(list the origin in collect.allowed_origins to allow it)"
            )
        await self._landed(step, record, status)
        code = self.current.status if self.current is not None else None
        if code is not None and code >= 400:
            raise StepFailure(f"HTTP {code} {_reason(code)} from the server for {url}".replace("  ", " "))

    async def _goto(self, url: str, timeout: int | None) -> Any:
        retries = self.col.cfg.collect.navigation_retries
        last: Exception | None = None
        for attempt in range(retries + 1):
            try:
                return await self.page.goto(url, wait_until="load", timeout=timeout)
            except Exception as exc:  # noqa: BLE001
                last = exc
                msg = str(exc)
                transient = any(code in msg for code in TRANSIENT_ERRORS)  # never a timeout or a refusal
                if not transient or attempt == retries:
                    raise
                await asyncio.sleep(0.25 * (attempt + 1))
        raise last  # type: ignore[misc]

    async def _landed(
        self, step: Step, record: StepRecord, status: int | None, *, navigated: bool = True
    ) -> None:
        page = self.page
        self.state.reached_any = self.state.reached_any or navigated
        self.loaded_at = time.perf_counter()
        n = len(self.visits)
        visit = PageVisit(
            id=f"{self.unit.channel}-{self.unit.journey}-r{self.unit.run_index}-{n:03d}",
            channel=self.unit.channel,
            journey=self.unit.journey,
            step_index=record.index,
            step_label=record.label,
            url=self._redact(page.url),
            status=status,
            run_index=self.unit.run_index,
            started_at=time.time(),
        )
        content = await page.evaluate("() => window.__cx ? window.__cx.content() : null")
        if content:
            _apply_content(visit, content, self.state, self.col)
        if navigated:
            # The main document's status, as the browser saw it.
            with contextlib.suppress(Exception):
                st = await page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0]; "
                    "return n ? (n.responseStatus || null) : null }"
                )
                visit.status = status or st
        elif self.current is not None:
            visit.status = self.current.status
        self.visits.append(visit)
        self.current = visit
        if navigated and self._last_doc_ttfb is not None:
            self.doc_ttfb[visit.id] = self._last_doc_ttfb
            self._last_doc_ttfb = None
        if not navigated:
            self.snapshot_ids.add(visit.id)

    async def _extract_custom(self, visit: PageVisit) -> None:
        opts = self.col.cfg.checks.get("messaging_consistency")
        claims = (opts.options().get("custom_claims") if opts else None) or []
        for claim in claims:
            if isinstance(claim, dict) and claim.get("selector") and claim.get("name"):
                with contextlib.suppress(Exception):
                    texts = await self.page.locator(str(claim["selector"])).all_inner_texts()
                    visit.extracted[str(claim["name"])] = [
                        self._redact(t.strip()) for t in texts if t.strip()
                    ][:50]

    async def _leave_page_metrics_only(self) -> None:
        """Before an action that may navigate: finish recording the page now."""
        if self.current is None:
            return
        await self._finalize(self.current)

    async def _leave_page(self, *, read_metrics: bool = True) -> None:
        if self.current is None:
            return
        if read_metrics:
            await self._finalize(self.current)
        self.current.console_errors = [self._redact(c) for c in self.console][:50]
        self.console = []
        if self.notes:
            self.current.probes["notes"] = [self._redact(n) for n in self.notes]
            self.notes = []

    async def _finalize(self, visit: PageVisit) -> None:
        """Record what the page settled into, just before the journey leaves it.

        Performance data first (the page has had ``settle_ms`` after load), then the
        content again (text injected after load, such as a promo banner, belongs to the
        page the customer saw), then the screenshot, which is taken outside the measured
        period so its CPU cost cannot delay a paint.
        """
        await self._settle()
        await self._read_metrics(visit)
        if visit.id in self.finalized:
            return
        self.finalized.add(visit.id)
        try:
            content = await self.page.evaluate("() => window.__cx ? window.__cx.content() : null")
        except Exception:  # noqa: BLE001 - the page is going away: keep the landing content
            content = None
        if content:
            filled = {f.name for f in visit.fields if f.filled}
            # A link that sat in the collapsed menu on arrival still costs the customer a tap,
            # even if a journey step opened the menu since.
            in_menu = {link.href for link in visit.links if link.location == "menu"}
            _apply_content(visit, content, self.state, self.col)
            for f in visit.fields:
                f.filled = f.filled or f.name in filled
            for link in visit.links:
                if link.href in in_menu and link.location in ("nav", "header"):
                    link.location = "menu"
        await self._extract_custom(visit)
        visit.screenshot = await self._screenshot(visit.id)

    async def _settle(self) -> None:
        await dwell(self.page, self.col.cfg.collect.settle_ms)

    async def _read_metrics(self, visit: PageVisit) -> None:
        try:
            data = await self.page.evaluate("() => window.__cx ? window.__cx.metrics() : null")
        except Exception:  # noqa: BLE001 - the page went away: keep what we have
            return
        if not data:
            return
        if visit.id not in self.snapshot_ids:
            _apply_metrics(visit, data)
            wire_ttfb = self.doc_ttfb.get(visit.id)
            if wire_ttfb is not None and (visit.timings.ttfb_ms is None or wire_ttfb > visit.timings.ttfb_ms):
                # Under DevTools network throttling the navigation entry's responseStart is
                # stamped before the emulated latency; the request's own timing is not.
                visit.timings.ttfb_ms = round(wire_ttfb, 1)
        else:
            _apply_interactions(visit, data)
        # Interactions on the previous page that navigated here: attribute them back.
        for item in data.get("pending") or []:
            target = next(
                (v for v in reversed(self.visits) if v.url == item.get("url") and v is not visit), None
            )
            if target is not None:
                _merge_interaction(target, item)

    def _count(self, *, clicks: int = 0, keypresses: int = 0) -> None:
        if self.current is not None:
            self.current.clicks += clicks
            self.current.keypresses += keypresses

    async def _mark_filled(self, loc: Any) -> None:
        if self.current is None:
            return
        with contextlib.suppress(Exception):
            name = await loc.evaluate("(el) => el.getAttribute('name') || el.id || ''")
            for f in self.current.fields:
                if f.name == name:
                    f.filled = True

    async def _screenshot(self, name: str) -> str | None:
        shots = self.col.cfg.collect.screenshots
        if shots.mode == "off" or (shots.mode == "on-failure" and not name.startswith("fail")):
            return None
        self.state.shot_counter += 1
        ext = "jpg" if shots.format == "jpeg" else "png"
        safe = re.sub(
            r"[^A-Za-z0-9_.-]+", "_", f"{self.unit.channel}-{self.unit.journey}-r{self.unit.run_index}-{name}"
        )
        path, rel = self.state.writer.screenshot_path(f"{safe}.{ext}")
        try:
            # A failure screenshot is the evidence of a finding: give it longer on a busy machine.
            kwargs: dict[str, Any] = {
                "path": str(path),
                "type": shots.format,
                "full_page": shots.full_page,
                "timeout": 15_000 if name.startswith("fail") else 5000,
                "animations": "disabled",
                "caret": "hide",
                "scale": "css",
            }
            if shots.format == "jpeg":
                kwargs["quality"] = shots.quality
            # Password fields, and anything on the page that shows a secret, are painted over.
            kwargs["mask"] = [self.page.locator("input[type=password]")] + [
                self.page.get_by_text(secret) for secret in self.col.cfg.secrets if secret
            ]
            await self.page.screenshot(**kwargs)
            return rel
        except Exception:  # noqa: BLE001 - a missing screenshot never fails a step
            return None

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console.append(message.text[:300])

    def _on_response(self, response: Any) -> None:
        try:
            request = response.request
            if request.resource_type != "document" or request.frame.parent_frame is not None:
                return
            timing = request.timing
            if timing and timing.get("responseStart", -1) > 0:
                self._last_doc_ttfb = float(timing["responseStart"])
        except Exception:  # noqa: BLE001 - a detached frame: no wire timing for this one
            pass

    def _on_nav(self, frame: Any) -> None:
        if frame.parent_frame is None:
            self.nav_count += 1

    async def _on_dialog(self, dialog: Any) -> None:
        self.notes.append(f"{dialog.type} dialog dismissed: {dialog.message[:200]}")
        with contextlib.suppress(Exception):
            await dialog.dismiss()

    async def _on_popup(self, popup: Any) -> None:
        """A click opened a new tab or window: note where it went, close it, stay on the journey's tab."""
        with contextlib.suppress(Exception):
            await popup.wait_for_load_state("commit", timeout=3000)
        self.notes.append(
            f"a new tab opened ({popup.url}); cx-audit closed it and stayed on the journey's tab"
        )
        with contextlib.suppress(Exception):
            await popup.close()

    async def _on_download(self, download: Any) -> None:
        self.notes.append(f"a download of {download.suggested_filename!r} started; cx-audit cancelled it")
        with contextlib.suppress(Exception):
            await download.cancel()

    def _redact(self, text: str) -> str:
        return self.col._redact(self.state, text)

    def _explain(self, exc: Exception, step: Step) -> str:
        """A reason a person understands, then the browser's own words in brackets."""
        if isinstance(exc, StepFailure):
            return str(exc)
        msg = _first_line(exc)
        name = type(exc).__name__
        timeout = step.timeout_ms or self.col.cfg.collect.timeout_ms
        if "ERR_BLOCKED_BY_CLIENT" in msg:
            return f"navigation off the audited site was refused ({msg})"
        if "has been closed" in msg or "Target closed" in msg or "Browser closed" in msg:
            return f"the browser closed or crashed during this step ({msg})"
        if name == "TimeoutError" or "Timeout" in msg:
            what = {
                "goto": "the page did not finish loading",
                "wait_for": "the element never appeared",
                "expect_text": f"the text {step.target!r} never appeared",
            }.get(step.action, f"the element {step.target!r} was not found or not actionable")
            return f"{what} within {timeout} ms ({msg})"
        for code, reason in _NET_REASONS:
            if code in msg:
                return f"{reason} ({msg})"
        return msg


_NET_REASONS = (
    ("ERR_CONNECTION_REFUSED", "connection refused: nothing answers at this address"),
    ("ERR_NAME_NOT_RESOLVED", "DNS lookup failed: the host name does not resolve"),
    ("ERR_TOO_MANY_REDIRECTS", "redirect loop: the server keeps redirecting and the page never arrives"),
    ("ERR_CERT", "TLS certificate error: the browser does not trust the site's certificate"),
    ("ERR_SSL", "TLS error: the secure connection could not be set up"),
    ("ERR_CONNECTION_RESET", "the connection was reset by the server"),
    ("ERR_EMPTY_RESPONSE", "the server closed the connection without answering"),
    ("ERR_CONNECTION_CLOSED", "the server closed the connection without answering"),
    ("ERR_CONNECTION_TIMED_OUT", "the connection timed out: nothing answered at this address"),
    ("ERR_ADDRESS_UNREACHABLE", "the address is unreachable from this machine"),
    ("ERR_INTERNET_DISCONNECTED", "this machine has no network connection"),
    ("ERR_INVALID_RESPONSE", "the server sent an answer the browser could not read"),
    ("Download is starting", "the address starts a file download instead of showing a page"),
)


def _reason(code: int) -> str:
    """The standard phrase of an HTTP status, e.g. 503 -> 'Service Unavailable'."""
    from http import HTTPStatus

    try:
        return f"({HTTPStatus(code).phrase})"
    except ValueError:
        return ""


# ---------------------------------------------------------------------------
# Converting what the page told us into artifacts
# ---------------------------------------------------------------------------


def _cancelling() -> bool:
    """Is the current task being cancelled (Ctrl-C / SIGTERM reached it)?"""
    task = asyncio.current_task()
    return bool(task is not None and task.cancelling())


def _mark_interrupted(outcome: JourneyOutcome, reason: str) -> None:
    """A unit cut short mid-journey: not completed, and the step it was in is not a success."""
    if outcome.completed or outcome.failed_step is not None:
        return  # it finished, or already failed with its own reason, before the stop
    outcome.error = outcome.error or f"the journey did not finish: {reason}"
    if outcome.steps and outcome.steps[-1].ok and outcome.steps[-1].elapsed_ms is None:
        outcome.steps[-1].ok = False
        outcome.steps[-1].error = reason


def _secret_variants(secrets: set[str]) -> list[str]:
    """Each secret as typed and as it appears in URLs, longest first (so overlaps redact whole)."""
    out: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        out.update(
            {
                secret,
                quote(secret, safe=""),
                quote_plus(secret),
                quote(secret),
                quote(secret, safe="!'()*"),  # JavaScript's encodeURIComponent
                quote(secret, safe=";,/?:@&=+$!'()*#"),  # JavaScript's encodeURI
            }
        )
    return sorted(out, key=len, reverse=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    line = text.splitlines()[0]
    return line[:400]


def page_template(url: str) -> str:
    """A page's template, guessed from its path: the first segment, then ``*``.

    ``/product/CAM-1001`` and ``/product/CAM-1002`` -> ``/product/*``; ``/help`` stays.
    Used to probe one page per template rather than every page.
    """
    segments = [seg for seg in urlsplit(url).path.split("/") if seg]
    if len(segments) <= 1:
        return "/" + "/".join(segments)
    return f"/{segments[0]}/*"


def _norm(url: str) -> str:
    return urldefrag(url)[0]


def _apply_content(visit: PageVisit, content: dict[str, Any], state: _RunState, col: Collector) -> None:
    red = lambda s: col._redact(state, s)  # noqa: E731
    visit.title = red(content.get("title") or "")
    visit.text = red(content.get("text") or "")
    visit.links = [
        Link(
            href=red(link["href"]),
            text=red(link.get("text") or ""),
            rel=link.get("rel") or "",
            location=link.get("location") or "main",
            visible=bool(link.get("visible", True)),
            order=int(link.get("order") or 0),
        )
        for link in content.get("links") or []
    ]
    visit.fields = [FormField(**f) for f in content.get("fields") or []]
    visit.widgets = {k: str(v) for k, v in (content.get("widgets") or {}).items()}
    page_origin = "{0.scheme}://{0.netloc}".format(urlsplit(visit.url))
    for link in visit.links:
        href = link.href
        if not href.startswith(("http://", "https://")):
            continue
        if not href.startswith(page_origin):
            continue
        if HELPISH.search(link.text) or HELPISH.search(urlsplit(href).path):
            state.link_targets.add(_norm(href))


def _apply_metrics(visit: PageVisit, data: dict[str, Any]) -> None:
    resources = [Resource(**r) for r in data.get("resources") or []]
    doc_bytes = int(data.get("doc_bytes") or 0)
    if data.get("navigated"):
        resources.insert(
            0,
            Resource(
                url=visit.url,
                type="document",
                status=data.get("status"),
                transfer_bytes=doc_bytes,
                duration_ms=data.get("ttfb_ms"),
            ),
        )
    by_type_bytes: dict[str, int] = {}
    by_type_count: dict[str, int] = {}
    for r in resources:
        by_type_bytes[r.type] = by_type_bytes.get(r.type, 0) + r.transfer_bytes
        by_type_count[r.type] = by_type_count.get(r.type, 0) + 1
    visit.resources = resources
    visit.transfer_bytes = sum(by_type_bytes.values())
    visit.request_count = len(resources)
    visit.bytes_by_type = by_type_bytes
    visit.requests_by_type = by_type_count
    r1 = lambda v: None if v is None else round(float(v), 1)  # noqa: E731
    visit.timings = Timings(
        ttfb_ms=r1(data.get("ttfb_ms")),
        fcp_ms=r1(data.get("fcp_ms")),
        lcp_ms=r1(data.get("lcp_ms")),
        cls=None if data.get("cls") is None else round(float(data["cls"]), 4),
        dom_content_loaded_ms=r1(data.get("dom_content_loaded_ms")),
        load_ms=r1(data.get("load_ms")),
        tbt_ms=r1(data.get("tbt_ms")),
        long_tasks=data.get("long_tasks"),
        lcp_element=data.get("lcp_element"),
        lcp_url=data.get("lcp_url"),
    )
    visit.layout_shifts = [LayoutShift(**s) for s in data.get("shifts") or []]
    if visit.status is None and data.get("status"):
        visit.status = int(data["status"])
    _apply_interactions(visit, data)


def _apply_interactions(visit: PageVisit, data: dict[str, Any]) -> None:
    for item in list(data.get("events") or []) + list(data.get("fallback") or []):
        _merge_interaction(visit, item)


def _merge_interaction(visit: PageVisit, item: dict[str, Any]) -> None:
    """Add an interaction, merging the Event Timing entry and the listener's record of the same input."""
    start = float(item.get("start") or 0)
    duration = round(float(item.get("duration_ms") or 0), 1)
    kind = str(item.get("kind") or "click")
    family = "key" if kind.startswith("key") else "pointer"
    for existing in visit.interactions:
        efam = "key" if existing.kind.startswith("key") else "pointer"
        if efam == family and existing.start_ms is not None and abs(existing.start_ms - start) < 100:
            if duration > existing.duration_ms:
                existing.duration_ms = duration
            break
    else:
        visit.interactions.append(
            Interaction(kind=kind, target=str(item.get("target") or ""), duration_ms=duration, start_ms=start)
        )
    worst = max((i.duration_ms for i in visit.interactions), default=None)
    visit.timings.inp_ms = worst
