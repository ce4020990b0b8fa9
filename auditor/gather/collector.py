"""The collector: plans a run's units and drives them through one browser.

One browser per run; every *unit* (channel x journey x repeat) runs in its own
browser context, several at once (``workers``). Each step that lands on a page
becomes a :class:`PageVisit` streamed to disk; a failing step is recorded with
its error and a screenshot and the unit stops, while the other units go on.
Ctrl-C, SIGTERM and a browser crash keep what was gathered (``meta.complete = False``).

The rooms it delegates to: :mod:`.session` (browser and contexts), :mod:`.guards`
(origins), :mod:`.steps` (journey steps), :mod:`.reader` (reading a page),
:mod:`.probes` (link and chat probes), :mod:`.redaction` (secrets), :mod:`.convert`
(pure converters). What checks asked for arrives as one
:class:`~cx_auditor.requirements.Requirements` in :class:`CollectOptions`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import logging
import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from cx_auditor import __version__
from cx_auditor.artifacts import ArtifactWriter
from cx_auditor.browser import BrowserChoice
from cx_auditor.config import AuditConfig, Throttling
from cx_auditor.documents import read_documents
from cx_auditor.errors import UnreachableError
from cx_auditor.gather.contention import CpuShareMeter
from cx_auditor.gather.convert import Unit, cancelling, mark_interrupted, plan_units, shard_slice, unit_order
from cx_auditor.gather.cpu_index import measure_benchmark_index, system_load
from cx_auditor.gather.discovery import config_origins, crawl_config
from cx_auditor.gather.guards import OriginGuard
from cx_auditor.gather.netguard import NetworkGuard, OrderRule
from cx_auditor.gather.probes import UnitChatProbes
from cx_auditor.gather.reader import read_discovered, remeasure
from cx_auditor.gather.redaction import Redactor
from cx_auditor.gather.session import BrowserSession
from cx_auditor.gather.state import RunState
from cx_auditor.gather.steps import JourneyRunner
from cx_auditor.models import Artifacts, ChannelInfo, JourneyOutcome, PageVisit, Remeasure, RunMeta
from cx_auditor.requirements import Requirements

__all__ = [
    "BROWSER_LOST",
    "INTERRUPTED_BY_SIGNAL",
    "TERMINATED_BY_SIGNAL",
    "CollectOptions",
    "Collector",
    "ProgressFn",
    "default_workers",
]

ProgressFn = Callable[[str, dict[str, Any]], None]

INTERRUPTED_BY_SIGNAL = "interrupted by Ctrl-C (SIGINT)"
TERMINATED_BY_SIGNAL = "terminated by SIGTERM"
BROWSER_LOST = "the browser crashed or disconnected mid-run"


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
    #: what the enabled checks asked the collector to gather (the union of their requirements)
    requirements: Requirements = field(default_factory=Requirements)
    #: which recorded pages to re-measure to confirm a load-time failure (a pure function of the
    #: journey visits, from the ``load_time`` check), and how many times each
    confirm: Callable[[list[PageVisit]], list[Any]] | None = None
    confirm_runs: int = 0


def _timed_copy(visit: PageVisit) -> PageVisit:
    """What choosing the pages to confirm needs of a visit (its timings), without its content."""
    return PageVisit(
        id=visit.id,
        channel=visit.channel,
        journey=visit.journey,
        step_index=visit.step_index,
        url=visit.url,
        final_url=visit.final_url,
        run_index=visit.run_index,
        discovered=visit.discovered,
        timings=visit.timings,
        interactions=visit.interactions,
    )


def default_workers() -> int:
    """Contexts run at once: two per core, at most six (four on a 2-core machine).

    More would finish the demo sooner (``benchmarks/README.md``: six slots for its six
    units were about 15 % faster than four), but every extra page loading at once takes
    CPU from the pages being timed, and load-time verdicts are what this tool is for.
    ``--workers`` raises it where speed matters more than timing fidelity.
    """
    return max(2, min(6, (os.cpu_count() or 2) * 2))


class _ListenerErrors(logging.Handler):
    """Keeps Playwright's "Error occurred in event listener" off stderr.

    When the browser dies mid-message, Playwright logs the protocol error of a
    listener with its traceback; with no handler configured, logging's last-resort
    handler prints it on stderr, which reads as a crash. The run already reports a lost
    browser (exit 3, marked incomplete); the message is kept at debug level only.
    """

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger("cx_auditor.gather").debug("playwright: %s", record.getMessage())


def _quiet_playwright_listener_errors() -> None:
    log = logging.getLogger("playwright")
    if not any(isinstance(h, _ListenerErrors) for h in log.handlers):
        log.addHandler(_ListenerErrors())


#: the longest a browser-side teardown (a trace written, a context closed) may take
TEARDOWN_S = 60.0


class Collector:
    def __init__(self, cfg: AuditConfig, choice: BrowserChoice, opts: CollectOptions) -> None:
        self.cfg = cfg
        self.choice = choice
        self.opts = opts
        self.art_dir = opts.out / "artifacts"
        self.started = _dt.datetime.now(_dt.UTC)
        self.outcomes: list[JourneyOutcome] = []
        #: per channel: cookies and storage left by its setup journey, loaded into the others
        self.storage_states: dict[str, Any] = {}
        #: why gathering stopped early (a signal, a browser crash); ``None`` for a whole run
        self.interrupted: str | None = None
        #: a Ctrl-C or SIGTERM arrived. It decides the exit code even when the browser died
        #: first: a terminal's Ctrl-C goes to the whole process group, Chromium included, and
        #: Chromium may quit before the run has closed it (then the loss is the signal's doing)
        self.signalled = False
        self.session = BrowserSession(choice, headless=opts.headless, timeout_ms=cfg.collect.timeout_ms)
        self.session.on_lost(self._browser_lost)
        self.redact = Redactor(cfg.secrets)
        # Command line over config, resolved once here rather than at each use.
        self.runs = opts.runs or cfg.collect.runs
        self.workers = opts.workers or cfg.collect.workers or default_workers()
        self.discover = opts.discover if opts.discover is not None else cfg.collect.discover
        self.trace = opts.trace or cfg.collect.trace
        #: how much CPU the browser got at the start (see :mod:`.cpu_index`)
        self.benchmark_index: float | None = None
        self.load_average, self.cpu_count = system_load()
        #: share of the CPUs other processes took while the pages were timed (see :mod:`.contention`)
        self.other_cpu_share: float | None = None
        #: the timings of every journey visit, for choosing the pages to confirm
        self._timed: list[PageVisit] = []
        self.remeasures: list[Remeasure] = []
        #: visits held back until a chat probe another unit runs for them is done
        self._unwritten: list[tuple[str, list[PageVisit]]] = []
        self._late_writes: list[asyncio.Future[None]] = []
        self._written: set[str] = set()

    @property
    def browser_lost(self) -> bool:
        """The browser crashed or disconnected on its own (not because a signal stopped the run)."""
        return self.session.lost and not self.signalled

    def new_state(self, writer: ArtifactWriter) -> RunState:
        """The shared state of one run (also how tests and benchmarks drive a piece of it)."""
        return RunState(
            writer=writer,
            redact=self.redact,
            guard=OriginGuard(config_origins(self.cfg)),
            settings=self.cfg.collect,
            requirements=self.opts.requirements,
            progress=self.opts.progress,
        )

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
        """Ctrl-C and SIGTERM stop the gathering and mark the run incomplete.

        asyncio.Runner answers SIGINT by cancelling the main task, and that cancellation
        only reaches the gathering through the task it awaits. A wait that ends at the
        same moment (a context closing, a page read) can absorb it, and the run then goes
        on to finish "complete" with exit 0 (seen under heavy CPU load). So the signal
        itself marks the run interrupted and cancels the gathering task directly; the
        Runner's own handler still runs after ours (a second Ctrl-C raises at once).
        """
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        previous: Any = None
        installed = False
        previous_int: Any = None
        int_installed = False
        try:
            previous = signal.getsignal(signal.SIGTERM)
            loop.add_signal_handler(signal.SIGTERM, self._on_sigterm, task)
            installed = True
            previous_int = signal.getsignal(signal.SIGINT)

            def on_sigint(signum: int, frame: Any) -> None:
                self._stop_gathering(INTERRUPTED_BY_SIGNAL)
                loop.call_soon_threadsafe(lambda: None)  # wake the loop to see the cancellation
                if callable(previous_int):
                    previous_int(signum, frame)
                elif previous_int != signal.SIG_IGN:
                    raise KeyboardInterrupt

            if previous_int is not None:  # None: a handler set outside Python, left alone
                signal.signal(signal.SIGINT, on_sigint)
                int_installed = True
        except (ValueError, RuntimeError, NotImplementedError):  # not the main thread, or Windows
            pass
        try:
            return await self.run_async()
        finally:
            if int_installed:
                signal.signal(signal.SIGINT, previous_int)
            if installed:
                loop.remove_signal_handler(signal.SIGTERM)
                signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)

    def _on_sigterm(self, task: asyncio.Task[Any] | None) -> None:
        self._stop_gathering(TERMINATED_BY_SIGNAL)
        if task is not None and not task.done():
            task.cancel()

    def _stop_gathering(self, why: str) -> None:
        """Mark the run interrupted and cancel the gathering (no new unit starts after this).

        Called for a signal only. A signal outranks a browser loss seen a moment before it: the
        same Ctrl-C may have reached Chromium first.
        """
        self.signalled = True
        if self.interrupted is None or self.interrupted == BROWSER_LOST:
            self.interrupted = why
        gathering = getattr(self, "_gather_task", None)
        if gathering is not None and not gathering.done():
            gathering.cancel()

    def _browser_lost(self) -> None:
        if self.interrupted is None:
            self.interrupted = BROWSER_LOST
        # Nothing may wait on a dead browser (a trace being stopped, a listener's round trip):
        # the gathering is cancelled, so a lost browser always ends the run (exit 3).
        task = getattr(self, "_gather_task", None)
        if task is not None and not task.done():
            task.cancel()

    async def run_async(self) -> Artifacts:
        from playwright.async_api import async_playwright

        _quiet_playwright_listener_errors()

        writer = ArtifactWriter(self.art_dir)
        state = self.new_state(writer)
        if self.redact:  # every string written is scrubbed, whatever field it sits in
            writer.redact = self.redact
        runs = self.runs
        units = shard_slice(plan_units(self.cfg, runs), self.opts.shard)
        if self.opts.skip_journeys:
            units = []
        self._progress("plan", units=len(units))
        documents = []
        assert state.links is not None
        try:
            async with async_playwright() as pw:
                await self.session.start(pw)
                await self._guard_network(state)
                if units:
                    self.load_average, self.cpu_count = system_load()
                    self.benchmark_index = await measure_benchmark_index(self.session.browser)
                    self._progress("benchmark", index=self.benchmark_index, load=self.load_average)
                meter = CpuShareMeter()
                meter.start()
                try:
                    self._gather_task = asyncio.ensure_future(self._gather(state, units))
                    await self._gather_task
                    if units:
                        self.other_cpu_share = meter.stop()
                except Exception:
                    if not self.session.is_lost():
                        raise
                finally:
                    self.session.closing = True
                    state.links.cancel()  # an interrupted run leaves none running
                    await self.session.close()
        except asyncio.CancelledError:
            # Ctrl-C (asyncio.Runner cancels us) or SIGTERM (our handler): keep what we have.
            self.interrupted = self.interrupted or INTERRUPTED_BY_SIGNAL
        except Exception:
            # The driver dies with the browser on some crashes: still a browser loss, not a bug.
            if not self.session.lost:
                raise
        finally:
            for task in self._late_writes:  # an interrupted run writes what it has, probed or not
                task.cancel()
            for channel, visits in self._unwritten:
                self._write_visits(state, channel, visits)
            if not self.opts.shard or self.opts.shard[0] == 1:
                with contextlib.suppress(Exception):
                    documents = read_documents(self.cfg)
            meta = self._meta(runs, complete=self.interrupted is None)
            artifacts = Artifacts(
                meta=meta,
                journeys=sorted(self.outcomes, key=lambda o: (o.run_index, o.journey, o.channel)),
                documents=documents,
                link_status=dict(sorted(state.links.status.items())),
            )
            writer.finish(artifacts)
        if units and not state.reached_any and self.interrupted is None:
            first_error = next((o.error for o in self.outcomes if o.error), "no page answered")
            raise UnreachableError(
                self.redact(
                    f"None of the site's pages could be reached at {self.cfg.site.base_url}: {first_error}"
                ),
                hint="Check that the site is up and the base_url in the config is right "
                "(artifacts and the failure screenshots were still written).",
            )
        from cx_auditor.artifacts import load_artifacts

        return load_artifacts(self.art_dir)

    async def _guard_network(self, state: RunState) -> None:
        """One browser-wide guard for orders and off-site documents (see :mod:`.netguard`)."""
        net = NetworkGuard(state.guard.offsite, allow_orders=self.opts.allow_orders)
        for rule in self.cfg.collect.order_requests:
            url = urljoin(self.cfg.site.base_url, rule.url)
            await net.add_rule(OrderRule(method=rule.method.upper(), url=url))
        if self.session.choice.kind == "cdp":
            # A browser reached over DevTools may be someone's own, with tabs of its own: a
            # browser-wide interception would reach into them. Per-page guards only.
            return
        if await net.start(self.session.browser):
            state.guard.network = net

    async def _gather(self, state: RunState, units: list[Unit]) -> None:
        workers = self.workers
        sem = asyncio.Semaphore(workers)

        async def guarded(unit: Unit) -> None:
            async with sem:
                if self.session.lost or self.interrupted is not None:
                    return  # no browser left, or stopped: the run is already marked incomplete
                await self._run_unit(unit, state)

        # Setup journeys (a login) first, once per channel; the others reuse their storage.
        setup = {j.name for j in self.cfg.journeys if j.setup}
        first = [u for u in units if u.journey in setup and u.run_index == 0]
        await asyncio.gather(*(guarded(u) for u in first))
        rest = [u for u in units if u.journey not in setup]
        order = {j.name: unit_order(j) for j in self.cfg.journeys}
        await asyncio.gather(*(guarded(u) for u in sorted(rest, key=lambda u: order[u.journey])))
        await asyncio.gather(*self._late_writes)
        if self.session.lost or self.interrupted is not None:
            return
        await self._confirm(state)
        if self.session.lost or self.interrupted is not None:
            return
        discover = self.discover
        if discover:
            await self._discover(state, discover, workers)
        assert state.links is not None
        if state.links.enabled:
            await state.links.finish(self.session.plain_context)

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
            benchmark_index=self.benchmark_index,
            load_average=self.load_average,
            other_cpu_share=self.other_cpu_share,
            cpu_count=self.cpu_count,
            remeasures=self.remeasures,
        )

    # ------------------------------------------------------------------ units
    async def _run_unit(self, unit: Unit, state: RunState) -> None:
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
            storage = None if journey.setup else self.storage_states.get(unit.channel)
            ctx, page = await self.session.new_context(channel, storage_state=storage)
        except Exception as exc:  # noqa: BLE001
            outcome.error = self.redact(f"could not open a browser context: {exc}")
            outcome.failed_step = 0
            self._progress("unit-end", unit=unit.key, ok=False)
            return
        trace = self.trace
        if trace != "off":
            with contextlib.suppress(Exception):
                # The screencast frames of a trace are pixels: a secret the page shows (in a
                # field, on a canvas, in CSS content) cannot be scrubbed from them, so a run
                # with secrets records traces without frames (DOM snapshots are scrubbed).
                await ctx.tracing.start(screenshots=not self.redact, snapshots=True)
        runner = JourneyRunner(
            state,
            unit,
            journey,
            ctx,
            page,
            outcome,
            allow_orders=self.opts.allow_orders,
            absolute_url=self.cfg.absolute_url,
        )
        assert state.links is not None and state.chat is not None
        chat = state.chat.for_unit(ctx, unit.channel)
        if state.chat.enabled and not (journey.checkout or journey.setup):
            await chat.open(page)  # before the runner watches for new tabs: this one is ours
            runner.chat = chat
        try:
            await runner.run()
            if journey.setup and outcome.completed:
                with contextlib.suppress(Exception):  # in memory only: it may hold a session cookie
                    self.storage_states[unit.channel] = await ctx.storage_state()
        finally:
            outcome.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
            stopping = cancelling() or self.interrupted is not None or self.session.is_lost()
            if stopping:
                chat.cancel()
                mark_interrupted(outcome, self.interrupted or INTERRUPTED_BY_SIGNAL)
            else:
                await self._finish_unit(ctx, state, unit, runner, outcome, trace, chat)
            for visit in runner.visits:
                if not journey.checkout:  # never load a checkout page again (orders, carts)
                    self._timed.append(_timed_copy(visit))
            waits = [] if stopping else state.chat.pending_for(unit.channel, runner.visits)
            if waits:  # another unit is probing one of these templates: write once it is done
                self._unwritten.append((unit.channel, runner.visits))
                self._late_writes.append(
                    asyncio.ensure_future(self._write_when_probed(state, unit.channel, runner.visits, waits))
                )
            else:
                self._write_visits(state, unit.channel, runner.visits)
            if not stopping:
                state.links.schedule(self.session.plain_context)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ctx.close(), TEARDOWN_S)
            self._progress("unit-end", unit=unit.key, ok=outcome.completed)

    def _write_visits(self, state: RunState, channel: str, visits: list[PageVisit]) -> None:
        """Stream a unit's visits to disk, with the chat probe results known by now (once only)."""
        assert state.chat is not None
        for visit in visits:
            if visit.id in self._written:
                continue
            self._written.add(visit.id)
            probed = state.chat.result_for(channel, visit)
            if probed is not None:
                visit.probes["chat_launcher"] = probed
            state.writer.add_visit(visit)

    async def _write_when_probed(
        self, state: RunState, channel: str, visits: list[PageVisit], waits: list[asyncio.Future[Any]]
    ) -> None:
        """Write ``visits`` once the probes other units run for them are done (or timed out)."""
        try:
            await asyncio.wait(waits, timeout=self.cfg.collect.timeout_ms / 1000)
        finally:
            self._write_visits(state, channel, visits)

    async def _finish_unit(
        self,
        ctx: Any,
        state: RunState,
        unit: Unit,
        runner: JourneyRunner,
        outcome: JourneyOutcome,
        trace: str,
        chat: UnitChatProbes,
    ) -> None:
        """Trace and chat probe: browser work that is skipped when the run is being stopped."""
        if trace == "on" or (trace == "on-failure" and not outcome.completed):
            path = self.art_dir / "traces" / (re.sub(r"[^A-Za-z0-9_.-]+", "_", unit.key) + ".zip")
            with contextlib.suppress(Exception):
                path.parent.mkdir(exist_ok=True)
                await asyncio.wait_for(ctx.tracing.stop(path=str(path)), TEARDOWN_S)
            self.redact.scrub_trace(path)
        assert state.chat is not None
        if state.chat.enabled:
            with contextlib.suppress(Exception):
                ctx.remove_listener("page", runner.on_popup)
            with contextlib.suppress(Exception):
                await chat.finish(runner.visits, page=runner.page, shown=runner.current)

    # ----------------------------------------------------------- confirmation
    async def _confirm(self, state: RunState) -> None:
        """Re-measure the pages whose load time would fail, one load at a time, in fresh contexts.

        Sequential on purpose: the journeys ran side by side, and a failure caused by that
        contention must not be reproduced by the same contention.
        """
        pick, runs = self.opts.confirm, self.opts.confirm_runs
        if pick is None or runs <= 0 or not self._timed:
            return
        targets = pick(self._timed)
        if not targets:
            return
        self._progress("confirm", pages=len(targets), runs=runs)
        for sample in range(1, runs + 1):
            for t in targets:
                if self.session.lost or self.interrupted is not None:
                    return
                channel = self.cfg.channels[t.channel]
                try:
                    ctx, page = await self.session.new_context(channel)
                except Exception:  # noqa: BLE001 - no context, no confirmation: the failure stands
                    continue
                try:
                    timings = await remeasure(ctx, page, t.url, state)
                finally:
                    with contextlib.suppress(Exception):
                        await ctx.close()
                if timings is not None:
                    self.remeasures.append(
                        Remeasure(
                            channel=t.channel,
                            journey=t.journey,
                            step_index=t.step_index,
                            path=t.path,
                            url=t.url,
                            sample=sample,
                            timings=timings,
                        )
                    )

    # -------------------------------------------------------------- discovery
    async def _discover(self, state: RunState, limit: int, workers: int) -> None:
        """Breadth-first crawl of same-site links (see :mod:`.discovery`), sharded like the units."""
        first = next(iter(self.cfg.browser_channels()), None)
        if first is None:
            return
        await crawl_config(
            self.cfg,
            lambda: self.session.new_context(first),
            lambda page, url: read_discovered(page, url, channel=first.name, index=0, state=state),
            writer=state.writer,
            limit=limit,
            channel=first.name,
            shard=self.opts.shard,
            workers=workers,
            progress=self.opts.progress,
        )

    def _progress(self, event: str, **data: Any) -> None:
        if self.opts.progress:
            self.opts.progress(event, data)
