"""The step interpreter: runs one journey's steps in one browser context, recording visits.

Each step that lands on a page becomes a :class:`PageVisit`; a failing step is
recorded with a reason a person understands and a screenshot, and the journey
stops (unless the step is optional). The page itself is read by the
:class:`~cx_auditor.gather.reader.PageReader`; this module decides *when*.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from cx_auditor.config import Journey, Step
from cx_auditor.gather.budget import PageBudget
from cx_auditor.gather.convert import (
    Unit,
    apply_interactions,
    apply_metrics,
    http_reason,
    merge_interaction,
)
from cx_auditor.gather.failures import ANSWERED_ERRORS, TRANSIENT_ERRORS, StepFailure, explain
from cx_auditor.gather.journey_effects import JourneyEffects
from cx_auditor.gather.locate import first_visible, inspect_target, visible_count
from cx_auditor.gather.orderguard import OrderEndpointReader, refuse_scheme
from cx_auditor.gather.probes import UnitChatProbes
from cx_auditor.gather.reader import PageReader
from cx_auditor.gather.softnav import SoftNavigations
from cx_auditor.gather.state import RunState
from cx_auditor.models import JourneyOutcome, PageVisit, StepRecord

__all__ = ["JourneyRunner"]


#: How Playwright words a navigation cut off by Chromium's own error page.
_CUT_BY_ERROR_PAGE = 'interrupted by another navigation to "chrome-error://'


async def goto_with_retries(page: Any, url: str, timeout: int | None, retries: int) -> Any:
    """``page.goto`` with a few more tries when the connection broke (never after a timeout or a refusal).

    After a failed try Chromium commits its own error page (``chrome-error://chromewebdata/``). On a
    busy machine that can land after the next try has begun and cut it off: Playwright then reports
    the new navigation "interrupted by another navigation to chrome-error://". That is the earlier
    failure's echo, not a new one, so the try is made again, once, without spending a retry.
    """
    attempt = 0
    echo_seen = False
    while True:
        try:
            return await page.goto(url, wait_until="load", timeout=timeout)
        except Exception as exc:  # noqa: BLE001
            msg = str(exc)
            if attempt > 0 and not echo_seen and _CUT_BY_ERROR_PAGE in msg:
                echo_seen = True
                continue
            transient = any(code in msg for code in TRANSIENT_ERRORS)  # never a timeout or a refusal
            if not transient or attempt == retries:
                raise
            attempt += 1
            await asyncio.sleep(0.25 * attempt)


class JourneyRunner:
    """Executes one journey's steps in one context, recording visits.

    Collaborators are explicit: the run's shared :class:`RunState` (writer, redaction,
    origin guard, probes, settings, what checks asked for), a :class:`PageReader` for
    the page, and ``absolute_url`` to resolve a step's target against the site.
    """

    def __init__(
        self,
        state: RunState,
        unit: Unit,
        journey: Journey,
        ctx: Any,
        page: Any,
        outcome: JourneyOutcome,
        *,
        allow_orders: bool,
        absolute_url: Callable[[str], str],
    ) -> None:
        self.state = state
        self.unit = unit
        self.journey = journey
        self.ctx = ctx
        self.page = page
        self.outcome = outcome
        self.allow_orders = allow_orders
        self.absolute_url = absolute_url
        self.reader = PageReader(page, state, shot_prefix=f"{unit.channel}-{unit.journey}-r{unit.run_index}")
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
        #: HTTP status of the current step's main document, once its headers arrived
        self._answered: int | None = None
        self.budget = PageBudget(0, 0)  # replaced by run()
        #: journey health: what each step visibly did (see gather/journey_effects.py)
        self.fx = JourneyEffects(page, origins=state.settings.allowed_origins, redact=self._redact)
        #: in-app route changes of single-page stores, each its own visit (see :mod:`.softnav`)
        self.softnav = SoftNavigations()
        #: fields' names being read in the background (see :meth:`_mark_filled`)
        self._marks: list[asyncio.Future[None]] = []
        #: this unit's chat probes; pages are handed over as the journey lands on them
        self.chat: UnitChatProbes | None = None
        #: the step after the one running (None on the last): how the current page will be left
        self._next: Step | None = None

    @property
    def timeout_ms(self) -> int:
        return self.state.settings.timeout_ms

    def _redact(self, text: str) -> str:
        return self.state.redact(text)

    async def run(self) -> None:
        page = self.page
        page.on("framenavigated", self._on_nav)
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.console.append(str(e)[:300]))
        page.on("dialog", self._on_dialog)
        page.on("download", self._on_download)
        self.ctx.on("page", self.on_popup)
        await self.state.guard.install(self.ctx, self.page, self.notes)
        settings = self.state.settings
        budget_bytes = settings.page_budget_mb * 1_000_000
        # Scripts get four times the byte budget (heavy single-page apps use 50-150 MB of heap).
        self.budget = PageBudget(budget_bytes, max(4 * budget_bytes, 256_000_000))
        await self.budget.install(self.ctx, self.page)
        await self.fx.attach()
        try:
            await self._run_steps()
        finally:
            self.budget.close()
            with contextlib.suppress(Exception):
                await self._marked()

    async def _run_steps(self) -> None:
        page = self.page
        steps = list(self.journey.steps)
        if not steps or steps[0].goto is None:
            steps.insert(0, Step(goto=self.journey.start, label="Open start page"))
        self.outcome.completed = False
        orders = OrderEndpointReader(self.state.guard, self.journey, page)
        for index, step in enumerate(steps):
            self._next = _next_step(steps, index, self.unit.channel)
            await orders.arm()  # before any step runs on this page: Enter or a change handler may post
            record = StepRecord(
                index=index,
                action=step.action,
                label=step.describe(),
                places_order=step.places_order,
                target=self._redact(step.target),
            )
            self.outcome.steps.append(record)
            self.state.report(
                "unit-step", unit=self.unit.key, step=f"step {index + 1}/{len(steps)}: {record.label}"
            )
            if step.channels and self.unit.channel not in step.channels:
                record.skipped = True
                record.error = f"skipped: this step runs only on {', '.join(step.channels)}"
                continue
            if step.places_order and not self.allow_orders:
                await self._inspect_order_step(step, record)
                break
            t0 = time.perf_counter()
            self.budget.reset()
            self._answered = None
            if step.if_visible:
                try:
                    shown = await visible_count(page, step.if_visible) > 0
                except Exception:  # noqa: BLE001 - an invalid selector is a step failure below
                    shown = True
                if not shown:
                    record.skipped = True
                    record.error = f"skipped: nothing visible matches {step.if_visible!r} on this page"
                    continue
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
                await self.budget.within(self._step(step, record))
                record.ok = True
            except Exception as exc:  # noqa: BLE001 - a failing step is a finding, never a crash
                record.ok = False
                record.error = self._redact(self._why(exc, step))
                record.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
                await self.fx.failed(step, record)  # after the timing: the shopper's wait, not ours
                record.url = self._redact(page.url)
                if self.current is not None and self.current.step_index == index:
                    record.visit_id = self.current.id
                if any(s in str(exc) for s in ANSWERED_ERRORS):
                    self.state.reached_any = True  # the server answered: up, but broken
                record.screenshot = await self.reader.screenshot(f"fail-{index}")
                if step.optional:
                    continue
                self.outcome.failed_step = index
                self.outcome.error = self._redact(f"step {index + 1} ({step.describe()}): {record.error}")
                break
            record.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
            record.url = self._redact(page.url)
            if self.current is not None:
                record.visit_id = self.current.id
            await self.fx.after(step, record)  # after the timing: the shopper's wait, not ours
        else:
            self.outcome.completed = True
        if self.outcome.failed_step is None:
            self.outcome.completed = True
        await self._leave_page()
        self.fx.end()

    def _why(self, exc: Exception, step: Step) -> str:
        """The reason for a failed step, knowing what the page did (budgets, a server that answered)."""
        if self.budget.exceeded:
            self.state.reached_any = True
            return self.budget.exceeded
        reason = explain(exc, step, self.timeout_ms)
        if self._answered is not None and step.action == "goto" and "did not finish loading" in reason:
            # The server is up: it answered and then never finished the page (a finding, not "down").
            self.state.reached_any = True
            timeout = step.timeout_ms or self.timeout_ms
            return (
                f"the page did not finish loading within {timeout} ms, although the server answered "
                f"(HTTP {self._answered}): it is up, but the page never completes"
            )
        return reason

    # steps ------------------------------------------------------------------
    async def _step(self, step: Step, record: StepRecord) -> None:
        page = self.page
        action = step.action
        timeout = step.timeout_ms
        before = self.nav_count
        if action == "goto":
            await self._leave_page(probe_chat=True)
            await self.fx.before(step, record)
            url = self.absolute_url(step.target)
            refuse_scheme(url)
            response = await self._goto(url, timeout)
            await self._arrived(step, record, response.status if response else None)
            return
        # The first *visible* match: a hidden duplicate (a collapsed menu, a desktop-only
        # mini-basket) is what a customer cannot use either.
        loc: Any = first_visible(page, step.target) if action not in ("expect_text", "snapshot") else None
        if action != "click":
            await self.fx.before(step, record, loc)
        if action == "click":
            await self._leave_page_metrics_only()
            await self.fx.before(step, record, loc)
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
                step.target, timeout=timeout or self.timeout_ms
            )
        elif action == "snapshot":
            if await self._soft_navigated(step, record):
                return
            await self._leave_page()
            await self._landed(step, record, None, navigated=False)
            return
        # Did the action navigate? Then a new page has been reached.
        await asyncio.sleep(0)
        if self.nav_count != before and not await self.softnav.same_document(page):
            with contextlib.suppress(Exception):
                await page.wait_for_load_state("load", timeout=timeout or self.timeout_ms)
            await self._leave_page(read_metrics=False)
            await self._arrived(step, record, None)
        else:
            await self._soft_navigated(step, record)

    async def _soft_navigated(self, step: Step, record: StepRecord) -> bool:
        """An in-app route change since the current visit is a page visit of its own."""
        k = await self.softnav.pending(self.page) if self.current is not None else None
        if k is None:
            return False
        await self._leave_page()
        await self._landed(step, record, None)
        assert self.current is not None
        self.softnav.mark(self.current, k)
        return True

    async def _inspect_order_step(self, step: Step, record: StepRecord) -> None:
        """The order-placing step without --allow-orders: read its target, never click it.

        A customer who reached this point must be able to place the order, so the target
        must exist, be visible and be enabled; what was found is recorded on the step for
        the checkout check (a missing or disabled final button is a finding, not a skip).
        """
        record.skipped = True
        record.ok = True
        record.url = self._redact(self.page.url)
        if self.current is not None:
            record.visit_id = self.current.id
        try:
            wait = min(step.timeout_ms or self.timeout_ms, 5000)
            target = await inspect_target(self.page, step.target, wait_ms=wait)
        except Exception as exc:  # noqa: BLE001 - an invalid selector: say so, do not crash
            record.error = self._redact(
                "not submitted (places a real order); its target could not be read: "
                + str(exc).splitlines()[0]
            )
            record.order_target_ready = False
            return
        record.target_matches = target.matches
        record.target_visible = target.visible
        record.target_enabled = target.enabled
        record.order_target_ready = target.actionable
        problem = target.problem()
        if problem is None:
            record.error = (
                "not submitted: this step places a real order (pass --allow-orders to run it); "
                "its button is present, visible and enabled"
            )
        else:
            record.error = f"not submitted (places a real order), and a customer could not either: {problem}"
            record.screenshot = await self.reader.screenshot(f"order-{record.index}")

    async def _arrived(self, step: Step, record: StepRecord, status: int | None) -> None:
        """A navigation ended: refuse off-site and error pages, record the page, fail on HTTP errors.

        Off-site *redirects* cannot be stopped before they happen (the browser follows
        them without asking), so a landing off the configured origins is left at once,
        not recorded, and fails the step. An HTTP error answer is recorded as a visit (the
        checks see its status) and fails the step, because the journey cannot go on
        from an error page.
        """
        if self.budget.exceeded:
            self.current = None
            raise StepFailure(self.budget.exceeded)
        url = self.page.url
        offsite = self.state.guard.offsite(url)
        if url.startswith("chrome-error://") or offsite:
            # The page left is already recorded; what is shown now must not be read into it.
            self.current = None
        if url.startswith("chrome-error://"):
            earlier = [n for v in self.visits[-1:] for n in v.probes.get("notes") or []]
            notes = earlier + self.notes
            refused = next((n for n in reversed(notes) if n.startswith("refused off-site")), None)
            order = next((n for n in reversed(notes) if n.startswith("refused order")), None)
            if order:
                raise StepFailure(
                    f"the step would have placed an order and cx-audit refused to send it ({order})"
                )
            if refused:
                raise StepFailure(
                    f"the step led off the audited site and cx-audit refused to follow ({refused})"
                )
            raise StepFailure("the navigation failed: the browser shows its own error page")
        if offsite:
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
            raise StepFailure(f"HTTP {code} {http_reason(code)} from the server for {url}".replace("  ", " "))

    async def _goto(self, url: str, timeout: int | None) -> Any:
        return await goto_with_retries(self.page, url, timeout, self.state.settings.navigation_retries)

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
        # Two reads of the page at once (one round trip's wait instead of two).
        status_read: Any = self.reader.navigation_status() if navigated else asyncio.sleep(0)
        landing: Any = await asyncio.gather(self.reader.content(), status_read, return_exceptions=True)
        content, st = landing
        if isinstance(content, BaseException):
            raise content
        if content:
            self.reader.apply_content(visit, content)
        if navigated:
            if not isinstance(st, BaseException):
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
        await self.softnav.landed(page, visit, snapshot=not navigated)
        if self.chat is not None and self._may_load_again(visit) and not self._leaves_by_goto():
            self.chat.offer(visit)

    def _leaves_by_goto(self) -> bool:
        """Will the journey leave the current page by loading another URL (or end on it)?

        Then its chat launcher is probed in place as the journey leaves (or when the unit
        finishes), instead of loading the page again in a second tab.
        """
        nxt = self._next
        return nxt is None or (nxt.action == "goto" and not (nxt.if_present or nxt.if_visible))

    def _may_load_again(self, visit: PageVisit) -> bool:
        """May a second tab load this page while the journey goes on (for the chat probe)?

        Not in checkout or setup journeys (loading a checkout step or a sign-in page again
        can reset the step or renew a form token), and not a page with a form the journey
        may submit (a required or password field): those are probed after the journey.
        """
        if self.journey.checkout or self.journey.setup:
            return False
        return not any(f.required or f.type == "password" for f in visit.fields)

    async def _leave_page_metrics_only(self) -> None:
        """Before an action that may navigate: finish recording the page now."""
        if self.current is None:
            return
        await self._finalize(self.current)

    async def _leave_page(self, *, read_metrics: bool = True, probe_chat: bool = False) -> None:
        if self.current is None:
            return
        if read_metrics:
            await self._finalize(self.current)
        if probe_chat and self.chat is not None:
            # Read and about to be discarded: click its chat launcher here (see _leaves_by_goto).
            await self.chat.in_place(self.page, self.current)
        self.current.console_errors = [self._redact(c) for c in self.console][:50]
        self.console = []
        if self.notes:
            self.current.probes["notes"] = [self._redact(n) for n in self.notes]
            self.notes.clear()  # the same list: the guards keep appending to it

    async def _finalize(self, visit: PageVisit) -> None:
        """Record what the page settled into, just before the journey leaves it.

        Performance data first (the page has had ``settle_ms`` after load), then the
        content again (text injected after load, such as a promo banner, belongs to the
        page the customer saw), then what checks asked for, then the screenshot, which is
        taken outside the measured period so its CPU cost cannot delay a paint.
        """
        await self._marked()
        if visit.id not in self.finalized:  # already dwelt on; a view rendering now is the next page's
            await self.reader.settle(self.softnav.window(visit))
        await self._read_metrics(visit)
        if visit.id in self.finalized:
            return
        self.finalized.add(visit.id)
        # Content, what checks asked for and the screenshot only read the page: asked at once,
        # they overlap instead of queueing behind each other (the page does not change meanwhile).
        leaving: Any = await asyncio.gather(
            self.reader.content(),
            self.reader.gather_requested(visit),
            self.reader.screenshot(visit.id),
            return_exceptions=True,
        )
        content, _, shot = leaving
        if isinstance(content, BaseException):  # the page is going away: keep the landing content
            content = None
        if content:
            filled = {f.name for f in visit.fields if f.filled}
            # A link that sat in the collapsed menu on arrival still costs the customer a tap,
            # even if a journey step opened the menu since.
            in_menu = {link.href for link in visit.links if link.location == "menu"}
            self.reader.apply_content(visit, content)
            for f in visit.fields:
                f.filled = f.filled or f.name in filled
            for link in visit.links:
                if link.href in in_menu and link.location in ("nav", "header"):
                    link.location = "menu"
        visit.screenshot = None if isinstance(shot, BaseException) else shot

    async def _read_metrics(self, visit: PageVisit) -> None:
        try:
            data = await self.reader.metrics(self.softnav.window(visit))
        except Exception:  # noqa: BLE001 - the page went away: keep what we have
            return
        if not data:
            return
        if visit.id not in self.snapshot_ids:
            apply_metrics(visit, data)
            wire_ttfb = self.doc_ttfb.get(visit.id)
            if wire_ttfb is not None and (visit.timings.ttfb_ms is None or wire_ttfb > visit.timings.ttfb_ms):
                # Under DevTools network throttling the navigation entry's responseStart is
                # stamped before the emulated latency; the request's own timing is not.
                visit.timings.ttfb_ms = round(wire_ttfb, 1)
        else:
            apply_interactions(visit, data)
        # Interactions on the previous page that navigated here: attribute them back.
        for item in data.get("pending") or []:
            target = next(
                (v for v in reversed(self.visits) if v.url == item.get("url") and v is not visit), None
            )
            if target is not None:
                merge_interaction(target, item)

    def _count(self, *, clicks: int = 0, keypresses: int = 0) -> None:
        if self.current is not None:
            self.current.clicks += clicks
            self.current.keypresses += keypresses

    async def _mark_filled(self, loc: Any) -> None:
        """Note that the field ``loc`` was filled, without holding up the next step.

        The field's name is read in the background; :meth:`_marked` collects the answers
        before the page is recorded.
        """
        if self.current is None:
            return
        visit = self.current

        async def mark() -> None:
            with contextlib.suppress(Exception):
                name = await loc.evaluate("(el) => el.getAttribute('name') || el.id || ''")
                for f in visit.fields:
                    if f.name == name:
                        f.filled = True

        self._marks.append(asyncio.ensure_future(mark()))

    async def _marked(self) -> None:
        """Wait for the fields' names being read (see :meth:`_mark_filled`)."""
        marks, self._marks = self._marks, []
        if marks:
            await asyncio.gather(*marks, return_exceptions=True)

    # browser events ----------------------------------------------------------
    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console.append(message.text[:300])

    def _on_response(self, response: Any) -> None:
        try:
            request = response.request
            if request.resource_type != "document" or request.frame.parent_frame is not None:
                return
            self._answered = response.status
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

    async def on_popup(self, popup: Any) -> None:
        """A click opened a new tab or window: note where it went, close it, stay on the journey's tab."""
        if self.chat is not None and await self.chat.opened_by_probe(popup):
            with contextlib.suppress(Exception):  # the chat probe's, not the journey's
                await popup.close()
        else:
            with contextlib.suppress(Exception):
                await popup.wait_for_load_state("commit", timeout=3000)
            self.notes.append(
                f"a new tab opened ({popup.url}); cx-audit closed it and stayed on the journey's tab"
            )
            with contextlib.suppress(Exception):
                await popup.close()
        # The journey's tab must be the active one again: a background tab draws no frames, so
        # its paints (FCP, LCP) would be late and its screenshots would wait for a frame.
        with contextlib.suppress(Exception):
            await self.page.bring_to_front()

    async def _on_download(self, download: Any) -> None:
        self.notes.append(f"a download of {download.suggested_filename!r} started; cx-audit cancelled it")
        with contextlib.suppress(Exception):
            await download.cancel()


def _next_step(steps: list[Step], index: int, channel: str) -> Step | None:
    """The step after ``steps[index]`` that runs on ``channel``; ``None`` when the journey ends there."""
    for step in steps[index + 1 :]:
        if not step.channels or channel in step.channels:
            return step
    return None
