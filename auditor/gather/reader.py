"""The page reader: what one page shows and how it performed, read through the instrument.

Reading is split in time, as field data is: static content (text, links, fields)
when a page has loaded; performance (LCP, CLS, long tasks, interactions), the content
again, what checks asked for (:mod:`cx_auditor.requirements`) and the screenshot when
the journey *leaves* the page, at least ``settle_ms`` after its load event.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from typing import Any

from cx_auditor.gather.convert import apply_content, apply_metrics
from cx_auditor.gather.quiet import RequestTracker, wait_until_quiet
from cx_auditor.gather.softnav import Window, settle_soft
from cx_auditor.gather.state import RunState
from cx_auditor.gather.structured import STRUCTURED_JS, items_from_page, redact_items
from cx_auditor.models import PageVisit, Timings

__all__ = ["PageReader", "dwell", "read_discovered", "remeasure"]

#: milliseconds still to wait until ``s`` ms after the page's load event (0 before load / no instrument)
_REMAINING_DWELL_JS = (
    "(s) => (window.__cx && window.__cx.loadAt !== null) ? s - (performance.now() - window.__cx.loadAt) : 0"
)
CONTENT_JS = "() => window.__cx ? window.__cx.content() : null"
METRICS_JS = "([k, since]) => window.__cx ? window.__cx.metrics(k, since) : null"
NAV_STATUS_JS = (
    "() => { const n = performance.getEntriesByType('navigation')[0]; "
    "return n ? (n.responseStatus || null) : null }"
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


class PageReader:
    """Reads one browser page into :class:`PageVisit` fields, for one unit of a run."""

    def __init__(self, page: Any, state: RunState, *, shot_prefix: str) -> None:
        self.page = page
        self.state = state
        self.shot_prefix = shot_prefix
        #: requests in flight on the page, for the adaptive settle (attached before its first load)
        self.requests = RequestTracker.attach(page)

    async def settle(self, window: Window | None = None) -> None:
        """Stay until the page is quiet, at most ``settle_ms``: after its load (see :mod:`.quiet`),
        or until an in-app view has settled (a soft navigation, see :mod:`.softnav`)."""
        if window is not None and window.soft_index is not None and window.since_ms is None:
            await settle_soft(self.page, self.state.settings.settle_ms)
        else:
            await wait_until_quiet(self.page, self.requests, self.state.settings.settle_ms)

    async def content(self) -> dict[str, Any] | None:
        """What the instrument sees on the page now (title, text, links, fields, widgets)."""
        return await self.page.evaluate(CONTENT_JS)  # type: ignore[no-any-return]

    async def metrics(self, window: Window | None = None) -> dict[str, Any] | None:
        """Performance of the page's load, or of one soft navigation's ``window`` (see :mod:`.softnav`)."""
        window = window or Window()
        return await self.page.evaluate(METRICS_JS, [window.soft_index, window.since_ms])  # type: ignore[no-any-return]

    async def navigation_status(self) -> int | None:
        """The main document's status, as the browser saw it."""
        return await self.page.evaluate(NAV_STATUS_JS)  # type: ignore[no-any-return]

    def apply_content(self, visit: PageVisit, content: dict[str, Any]) -> None:
        """Record ``content`` into ``visit`` (redacted) and note link targets checks asked about."""
        apply_content(visit, content, self.state.redact)
        assert self.state.links is not None
        self.state.links.note(visit)

    async def gather_requested(self, visit: PageVisit) -> None:
        """Serve what checks asked for: selector texts and page-script results."""
        redact = self.state.redact
        for want in self.state.requirements.selector_texts:
            with contextlib.suppress(Exception):
                texts = await self.page.locator(want.selector).all_inner_texts()
                visit.extracted[want.name] = [redact(t.strip()) for t in texts if t.strip()][: want.limit]
        for script in self.state.requirements.page_scripts:
            with contextlib.suppress(Exception):
                visit.gathered[script.name] = await self.page.evaluate(script.script)
        if self.state.requirements.structured_data:
            with contextlib.suppress(Exception):
                data = await self.page.evaluate(STRUCTURED_JS)
                visit.structured_data = redact_items(items_from_page(data, self.page.url), redact)

    async def _fields_holding_secrets(self) -> Any:
        """The inputs whose *value* holds a secret (``get_by_text`` does not see values).

        The values are read into Python and compared here, so no secret the page was not
        given is ever sent to it; the matching fields are marked for the mask.
        """
        values = await self.page.evaluate(
            "() => Array.from(document.querySelectorAll('input, textarea, select'),"
            " (e) => String(e.value || ''))"
        )
        hits = [i for i, v in enumerate(values) if self.state.redact(v) != v]
        if not hits:
            return None  # nothing to mark: one round trip less per screenshot
        await self.page.evaluate(
            """(hits) => { const all = document.querySelectorAll('input, textarea, select');
                for (const i of hits) if (all[i]) all[i].setAttribute('data-cx-secret', ''); }""",
            hits,
        )
        return self.page.locator("[data-cx-secret]")

    async def screenshot(self, name: str) -> str | None:
        """A screenshot named after the unit and ``name``, if the config wants one; secrets painted over."""
        shots = self.state.settings.screenshots
        if shots.mode == "off" or (shots.mode == "on-failure" and not name.startswith("fail")):
            return None
        self.state.shot_counter += 1
        ext = "jpg" if shots.format == "jpeg" else "png"
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{self.shot_prefix}-{name}")
        path, rel = self.state.writer.screenshot_path(f"{safe}.{ext}")
        try:
            # A failure screenshot is the evidence of a finding: give it longer on a busy machine.
            # Animations are left running (``animations="disabled"`` would finish them early and
            # fire their end events: the page the journey goes on with would not be the page the
            # shopper has), and the caret is left as it is: each costs the page round trips.
            kwargs: dict[str, Any] = {
                "path": str(path),
                "type": shots.format,
                "full_page": shots.full_page,
                "timeout": 15_000 if name.startswith("fail") else 5000,
                "scale": "css",
            }
            if shots.format == "jpeg":
                kwargs["quality"] = shots.quality
            # Password fields, and anything on the page that shows a secret, are painted over.
            kwargs["mask"] = [self.page.locator("input[type=password]")] + [
                self.page.get_by_text(secret) for secret in self.state.redact.secrets
            ]
            if self.state.redact:
                holding = await self._fields_holding_secrets()
                if holding is not None:
                    kwargs["mask"].append(holding)
            await self.page.screenshot(**kwargs)
            return rel
        except Exception:  # noqa: BLE001 - a missing screenshot never fails a step
            return None


async def read_discovered(
    page: Any, url: str, *, channel: str, index: int, state: RunState
) -> PageVisit | None:
    """Open ``url`` (a page found by discovery) and read it whole; ``None`` when it cannot be read."""
    t0 = time.perf_counter()
    try:
        await page.goto(url, wait_until="load")
    except Exception:  # noqa: BLE001 - an unreachable discovered page is skipped
        return None
    state.reached_any = True
    reader = PageReader(page, state, shot_prefix=f"{channel}-discover")
    # Same dwell as a journey page: late content and layout shifts belong to the page.
    await reader.settle()
    content = await reader.content()
    metrics = await reader.metrics()
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
    reader.apply_content(visit, content)
    apply_metrics(visit, metrics)
    return visit


async def remeasure(ctx: Any, page: Any, url: str, state: RunState) -> Timings | None:
    """Load ``url`` once more in a fresh context (``ctx``/``page``) and read its timings.

    Confirms a load-time failure: same channel profile and instrument, same adaptive
    settle as the journey; the origin guard holds as on any journey page.
    ``None`` when the page cannot be loaded again or reports nothing.
    """
    if state.guard.offsite(url):
        return None
    notes: list[str] = []
    try:
        await state.guard.install(ctx, page, notes)
        reader = PageReader(page, state, shot_prefix="confirm")
        await page.goto(url, wait_until="load")
        await reader.settle()
        metrics = await reader.metrics()
    except Exception:  # noqa: BLE001 - a page that cannot be loaded again stays unconfirmed
        return None
    if metrics is None:
        return None
    visit = PageVisit(id="confirm", channel="", journey="", step_index=0, url=url)
    apply_metrics(visit, metrics)
    return visit.timings
