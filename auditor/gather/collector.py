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
import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cx_auditor import __version__
from cx_auditor.artifacts import ArtifactWriter
from cx_auditor.browser import BrowserChoice
from cx_auditor.config import AuditConfig, Throttling
from cx_auditor.documents import read_documents
from cx_auditor.errors import UnreachableError
from cx_auditor.gather.convert import Unit, cancelling, mark_interrupted, plan_units, shard_slice
from cx_auditor.gather.discovery import config_origins, crawl_config
from cx_auditor.gather.guards import OriginGuard
from cx_auditor.gather.reader import read_discovered
from cx_auditor.gather.redaction import Redactor
from cx_auditor.gather.session import BrowserSession
from cx_auditor.gather.state import RunState
from cx_auditor.gather.steps import JourneyRunner
from cx_auditor.models import Artifacts, ChannelInfo, JourneyOutcome, RunMeta
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
        #: per channel: cookies and storage left by its setup journey, loaded into the others
        self.storage_states: dict[str, Any] = {}
        #: why gathering stopped early (a signal, a browser crash); ``None`` for a whole run
        self.interrupted: str | None = None
        self.session = BrowserSession(choice, headless=opts.headless, timeout_ms=cfg.collect.timeout_ms)
        self.session.on_lost(self._browser_lost)
        self.redact = Redactor(cfg.secrets)
        # Command line over config, resolved once here rather than at each use.
        self.runs = opts.runs or cfg.collect.runs
        self.workers = opts.workers or cfg.collect.workers or default_workers()
        self.discover = opts.discover if opts.discover is not None else cfg.collect.discover
        self.trace = opts.trace or cfg.collect.trace

    @property
    def browser_lost(self) -> bool:
        return self.session.lost

    def new_state(self, writer: ArtifactWriter) -> RunState:
        """The shared state of one run (also how tests and benchmarks drive a piece of it)."""
        return RunState(
            writer=writer,
            redact=self.redact,
            guard=OriginGuard(config_origins(self.cfg)),
            settings=self.cfg.collect,
            requirements=self.opts.requirements,
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

    def _browser_lost(self) -> None:
        if self.interrupted is None:
            self.interrupted = BROWSER_LOST

    async def run_async(self) -> Artifacts:
        from playwright.async_api import async_playwright

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
                try:
                    await self._gather(state, units)
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

    async def _gather(self, state: RunState, units: list[Unit]) -> None:
        workers = self.workers
        sem = asyncio.Semaphore(workers)

        async def guarded(unit: Unit) -> None:
            async with sem:
                if self.session.lost:
                    return  # no browser left: the run is already marked incomplete
                await self._run_unit(unit, state)

        # Setup journeys (a login) first, once per channel; the others reuse their storage.
        setup = {j.name for j in self.cfg.journeys if j.setup}
        first = [u for u in units if u.journey in setup and u.run_index == 0]
        await asyncio.gather(*(guarded(u) for u in first))
        rest = [u for u in units if u.journey not in setup]
        await asyncio.gather(*(guarded(u) for u in rest))
        if self.session.lost:
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
                await ctx.tracing.start(screenshots=True, snapshots=True)
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
        try:
            await runner.run()
            if journey.setup and outcome.completed:
                with contextlib.suppress(Exception):  # in memory only: it may hold a session cookie
                    self.storage_states[unit.channel] = await ctx.storage_state()
        finally:
            outcome.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
            stopping = cancelling() or self.interrupted is not None or self.session.is_lost()
            if stopping:
                mark_interrupted(outcome, self.interrupted or INTERRUPTED_BY_SIGNAL)
            else:
                await self._finish_unit(ctx, state, unit, runner, outcome, trace)
            for visit in runner.visits:
                probed = state.chat.result_for(unit.channel, visit)
                if probed is not None:
                    visit.probes["chat_launcher"] = probed
                state.writer.add_visit(visit)
            if not stopping:
                state.links.schedule(self.session.plain_context)
            with contextlib.suppress(Exception):
                await ctx.close()
            self._progress("unit-end", unit=unit.key, ok=outcome.completed)

    async def _finish_unit(
        self,
        ctx: Any,
        state: RunState,
        unit: Unit,
        runner: JourneyRunner,
        outcome: JourneyOutcome,
        trace: str,
    ) -> None:
        """Trace and chat probe: browser work that is skipped when the run is being stopped."""
        if trace == "on" or (trace == "on-failure" and not outcome.completed):
            path = self.art_dir / "traces" / (re.sub(r"[^A-Za-z0-9_.-]+", "_", unit.key) + ".zip")
            with contextlib.suppress(Exception):
                path.parent.mkdir(exist_ok=True)
                await ctx.tracing.stop(path=str(path))
            self.redact.scrub_trace(path)
        assert state.chat is not None
        if state.chat.enabled:
            with contextlib.suppress(Exception):
                ctx.remove_listener("page", runner.on_popup)
            with contextlib.suppress(Exception):
                await state.chat.probe(ctx, unit.channel, runner.visits)

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
