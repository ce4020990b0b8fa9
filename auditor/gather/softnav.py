"""Soft navigations: in-app page changes of single-page stores, each its own page visit.

The instrument (``instrument.js``) detects them the way Chrome's soft-navigation
heuristics do: a trusted click or key press, then a URL change through the History
API (``pushState``/``replaceState``) or the hash, with a DOM change attributable to
that input. Each one opens new LCP, CLS, INP and TBT windows that start at the
input's processing end; TTFB and FCP do not apply (there is no document request and
no first paint), so they stay ``None`` and checks treat them as not applicable.

This module decides, for the step interpreter, *when* a step produced a soft
navigation and which measurement window each recorded visit reads. The window of
a visit is ``(k, since)``: ``k`` the index of the soft navigation in the document
(``None`` for the document's own load) and ``since`` a page-clock time before which
interactions are not the visit's (a ``snapshot`` of a page already recorded).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from cx_auditor.models import PageVisit

__all__ = ["STATE_JS", "SoftNavigations", "Window", "new_soft_index", "settle_soft"]

#: what the instrument knows about the document's soft navigations now
STATE_JS = "() => (window.__cx && window.__cx.state) ? window.__cx.state() : null"


QUIET_JS = "() => (window.__cx && window.__cx.quiet) ? window.__cx.quiet() : null"


async def settle_soft(page: Any, settle_ms: int) -> None:
    """Stay on an in-app view until its DOM has been quiet ``settle_ms`` and no image in view loads.

    The soft-navigation counterpart of the dwell after a load event: an SPA view renders
    when its data arrives and its images come later, so late layout shifts and the final
    LCP candidate need the view to have settled, not a fixed time after the click. Bounded
    by four times ``settle_ms`` (at least 5 s): a page that never stops changing is read anyway.
    """
    if settle_ms <= 0:
        return
    deadline = time.monotonic() + max(5.0, 4 * settle_ms / 1000)
    while time.monotonic() < deadline:
        try:
            quiet = await page.evaluate(QUIET_JS)
        except Exception:  # noqa: BLE001 - the page is going away: nothing to wait for
            return
        if not quiet:
            return
        remaining = settle_ms - float(quiet.get("quiet_ms") or 0)
        if remaining <= 0 and not quiet.get("loading"):
            return
        await asyncio.sleep(min(max(remaining, 50), 250) / 1000)


@dataclass(frozen=True)
class Window:
    """Which part of a document's timeline a visit's metrics come from."""

    soft_index: int | None = None
    since_ms: float | None = None


def new_soft_index(state: dict[str, Any] | None, doc: str | None, seen: int) -> int | None:
    """The latest confirmed soft navigation of ``doc`` not yet recorded, or ``None``.

    ``state`` is the instrument's report; a different document (a hard navigation
    happened) or a page without the instrument has no soft navigation to record.
    """
    if not state or doc is None or state.get("doc") != doc:
        return None
    count = int(state.get("soft") or 0)
    confirmed = state.get("confirmed")
    for k in range(count - 1, seen - 1, -1):
        # A URL change with no DOM change after it (yet) is not a navigation (yet).
        if confirmed is None or (k < len(confirmed) and confirmed[k]):
            return k
    return None


@dataclass
class SoftNavigations:
    """Per-journey bookkeeping: the current document and the soft navigations recorded in it."""

    doc: str | None = None
    seen: int = 0
    windows: dict[str, Window] = field(default_factory=dict)

    async def state(self, page: Any) -> dict[str, Any] | None:
        with contextlib.suppress(Exception):
            return await page.evaluate(STATE_JS)  # type: ignore[no-any-return]
        return None

    async def same_document(self, page: Any) -> bool:
        """Is the page still showing the document the current visit was recorded in?"""
        state = await self.state(page)
        return bool(state) and self.doc is not None and state.get("doc") == self.doc  # type: ignore[union-attr]

    async def landed(self, page: Any, visit: PageVisit, *, snapshot: bool) -> None:
        """A visit was recorded by a document load (or a ``snapshot``): note its window."""
        state = await self.state(page)
        if not state:
            return
        if state.get("doc") != self.doc:
            self.doc, self.seen = state.get("doc"), int(state.get("soft") or 0)
        if snapshot:
            current = int(state.get("soft") or 0) - 1
            self.windows[visit.id] = Window(current if current >= 0 else None, float(state.get("now") or 0))
            if current >= 0:
                visit.navigation = "soft"  # a snapshot of an in-app view
        elif self.seen:
            # A load whose document already routed in-app (a redirect by script): its latest view.
            self.windows[visit.id] = Window(self.seen - 1)

    async def pending(self, page: Any) -> int | None:
        """The index of a soft navigation since the last recorded visit, marking it recorded."""
        state = await self.state(page)
        k = new_soft_index(state, self.doc, self.seen)
        if k is not None:
            self.seen = k + 1
        return k

    def mark(self, visit: PageVisit, k: int) -> None:
        """``visit`` is soft navigation ``k``: no HTTP exchange of its own, its own windows."""
        visit.navigation = "soft"
        visit.status = None
        self.windows[visit.id] = Window(k)

    def window(self, visit: PageVisit) -> Window:
        return self.windows.get(visit.id, Window())
