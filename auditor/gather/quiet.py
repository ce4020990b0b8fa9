"""Adaptive settle: leave a page as soon as it has gone quiet, never later than ``settle_ms``.

A fixed pause after the load event (Lighthouse's ``pauseAfterLoadMs``) spends most of an
audit waiting on pages that finished long ago. Instead the reader polls the page and
leaves once, for a quiet window, nothing that can still move a metric is pending:

* no request in flight (counted from the page's own request events),
* no performance entry (layout shift, long task, new LCP candidate, paint, resource)
  in the last ``quiet_ms``,
* no one-shot timer (``setTimeout``) due before the cap: the late layout shift of a
  promo banner inserted 900 ms after load is *scheduled* well before it happens, and a
  quiet window alone would leave before it.

Repeating timers (``setInterval``) and animation loops are not waited for: they never end,
so such pages simply stay until the cap, as every page did before.
The decision itself is the pure :func:`settle_decision`; the rest is plumbing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from dataclasses import dataclass
from typing import Any

__all__ = ["QUIET_JS", "QUIET_MS", "PageQuietState", "RequestTracker", "settle_decision", "wait_until_quiet"]

#: how long nothing may happen before a page counts as quiet
QUIET_MS = 250
#: how often the page is polled while waiting
POLL_MS = 50
#: a poll answered later than this means the page's main thread was busy (starved or heavy)
_STARVED_MS = 2 * POLL_MS
#: one-shot timers longer than this are not waited for (they cannot fire before any cap)
_TIMER_HORIZON_MS = 30_000

#: Init script: remembers when each pending one-shot timer is due. It wraps ``setTimeout`` and
#: ``clearTimeout`` transparently (same arguments, same return value, same ``this``).
QUIET_JS = (
    "(() => { if (window.__cxTimers) return;"
    " const due = new Map(); window.__cxTimers = due;"
    " const st = window.setTimeout, ct = window.clearTimeout;"
    " window.setTimeout = function (fn, ms, ...rest) {"
    "  const delay = Math.max(0, Number(ms) || 0); let id;"
    "  const run = typeof fn === 'function'"
    "   ? function () { due.delete(id); return fn.apply(this, arguments); } : fn;"
    "  id = st.call(this, run, ms, ...rest);"
    f"  if (typeof fn === 'function' && delay <= {_TIMER_HORIZON_MS}) due.set(id, performance.now() + delay);"
    "  return id; };"
    " window.clearTimeout = function (id) { due.delete(id); return ct.call(this, id); };"
    "})();"
)

#: what the page says about itself: ms since load (null before load), ms since the last
#: performance entry, ms until the earliest pending one-shot timer (null when none), and
#: whether a one-shot timer due within ``cap`` ms of the load is overdue (not run yet)
_STATE_JS = (
    "(cap) => { const c = window.__cx; if (!c || c.loadAt === null) return null;"
    " const now = performance.now();"
    " let next = null, late = false; if (window.__cxTimers) for (const t of window.__cxTimers.values())"
    " { const d = Math.max(0, t - now); if (next === null || d < next) next = d;"
    "   if (t <= now && t - c.loadAt <= cap) late = true; }"
    " return [now - c.loadAt, now - Math.max(c.lastEntryAt, c.loadAt), next, late]; }"
)

#: resolves after the next rendering update (two animation frames): a layout shift caused by
#: the work just done is recorded by then; a page that draws no frames answers within 500 ms
_NEXT_FRAME_JS = (
    "() => new Promise((done) => { requestAnimationFrame(() => requestAnimationFrame(done));"
    " setTimeout(done, 500); })"
)


@dataclass(frozen=True)
class PageQuietState:
    """One poll of a loaded page, in milliseconds of the page's own clock."""

    since_load_ms: float
    since_activity_ms: float
    next_timer_ms: float | None
    inflight: int
    #: a one-shot timer due before the cap has not run yet: the page is starved, behind schedule
    late_timer: bool = False


def settle_decision(state: PageQuietState | None, *, cap_ms: float, quiet_ms: float = QUIET_MS) -> float:
    """How many milliseconds to wait before polling again; ``0`` means leave the page now.

    ``None`` (the page has no load event yet, or is not instrumented) leaves at once, as the
    fixed dwell did. The cap (``settle_ms`` after load) always wins.
    """
    if state is None:
        return 0.0
    left = cap_ms - state.since_load_ms
    if left <= 0:
        # The cap is in the page's schedule: work it had due before the cap (a banner timer) but
        # has not run on a starved CPU is waited for, at most as long again.
        if state.late_timer and state.since_load_ms < 2 * cap_ms:
            return float(POLL_MS)
        return 0.0
    busy = state.inflight > 0 or (state.next_timer_ms is not None and state.next_timer_ms < left)
    if not busy and state.since_activity_ms >= min(quiet_ms, cap_ms):
        return 0.0
    wait: float = POLL_MS
    if not busy:
        wait = max(1.0, min(quiet_ms, cap_ms) - state.since_activity_ms)
    return float(min(wait, left))


class RequestTracker:
    """Counts a page's requests in flight (started, not yet finished or failed)."""

    _pages: weakref.WeakKeyDictionary[Any, RequestTracker] = weakref.WeakKeyDictionary()

    def __init__(self) -> None:
        self.inflight: set[int] = set()

    @classmethod
    def attach(cls, page: Any) -> RequestTracker | None:
        """The tracker of ``page``, created on first use (the timer script comes with the context)."""
        with contextlib.suppress(TypeError):
            known = cls._pages.get(page)
            if known is not None:
                return known
        tracker = cls()
        try:
            page.on("request", lambda r: tracker.inflight.add(id(r)))
            page.on("requestfinished", lambda r: tracker.inflight.discard(id(r)))
            page.on("requestfailed", lambda r: tracker.inflight.discard(id(r)))
            page.on("framenavigated", lambda f: tracker._navigated(page, f))
            cls._pages[page] = tracker
        except Exception:  # noqa: BLE001 - not a Playwright page (a test double): no tracking
            return None
        return tracker

    def _navigated(self, page: Any, frame: Any) -> None:
        # A new document: requests of the old one no longer report back.
        with contextlib.suppress(Exception):
            if frame == page.main_frame:
                self.inflight.clear()


async def wait_until_quiet(page: Any, tracker: RequestTracker | None, cap_ms: int) -> float:
    """Stay on ``page`` until it is quiet or ``cap_ms`` after its load event; the ms waited."""
    t0 = time.perf_counter()
    starved = False  # the page ran work late: its main thread was held up
    while True:
        asked = time.perf_counter()
        try:
            raw = await page.evaluate(_STATE_JS, cap_ms)
        except Exception:  # noqa: BLE001 - the page is navigating: nothing to wait for
            break
        # An answer that took this long was queued behind the page's own work.
        starved = starved or (time.perf_counter() - asked) * 1000 > _STARVED_MS
        state = None
        if raw is not None:
            since_load, since_activity, next_timer, late = raw
            state = PageQuietState(
                since_load_ms=float(since_load),
                since_activity_ms=float(since_activity),
                next_timer_ms=None if next_timer is None else float(next_timer),
                inflight=len(tracker.inflight) if tracker is not None else 0,
                late_timer=bool(late),
            )
            starved = starved or (state.late_timer and state.since_load_ms >= cap_ms)
        wait = settle_decision(state, cap_ms=cap_ms)
        if wait <= 0:
            break
        await asyncio.sleep(wait / 1000)
    if starved:
        # Late work may have run just now: let its effect (a shift) reach a rendered frame first.
        # Bounded here too: a page can replace the timer and frame functions the promise uses.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(page.evaluate(_NEXT_FRAME_JS), 1.0)
    return (time.perf_counter() - t0) * 1000
