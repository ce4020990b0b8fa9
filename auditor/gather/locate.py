"""Finding what a journey step acts on, the way a customer would: the first *visible* match.

Real storefronts render the same control more than once: a desktop mini-basket and a
mobile drawer both hold a "Checkout" button, a collapsed menu repeats the header links.
Playwright's ``.first`` picks the first match in document order, visible or not, and an
action on a hidden element waits for it to become visible until the step times out. A
customer never does that; they use the one they can see. So steps act on the first
visible match, waiting (with the step's timeout) for one to appear, and the order-placing
step is inspected without being clicked (:func:`inspect_target`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

__all__ = ["TargetState", "first_visible", "inspect_target", "visible_count"]

#: how many matches are inspected one by one at most (a selector matching thousands of
#: elements is a config mistake; counting them all would stall the step)
_INSPECT_LIMIT = 50


def first_visible(page: Any, selector: str) -> Any:
    """A locator for the first match of ``selector`` that is visible when the action runs.

    Actions on it auto-wait until such a match exists (so a control rendered late by a
    script is still found) and never settle for a hidden duplicate.
    """
    return page.locator(selector).locator("visible=true").first


async def visible_count(page: Any, selector: str) -> int:
    """How many matches of ``selector`` are visible right now (no waiting)."""
    return await page.locator(selector).locator("visible=true").count()


@dataclass(frozen=True)
class TargetState:
    """What a step's target looks like right now, read without acting on it."""

    matches: int
    visible: int
    enabled: bool | None  # of the first visible match; None when nothing is visible

    @property
    def actionable(self) -> bool:
        return self.visible > 0 and bool(self.enabled)

    def problem(self) -> str | None:
        """Why a customer could not use the target, in words; ``None`` when they could."""
        if self.matches == 0:
            return "nothing on the page matches it"
        if self.visible == 0:
            return f"it matches {self.matches} element(s), none of them visible"
        if not self.enabled:
            return "it is visible but disabled"
        return None


async def inspect_target(page: Any, selector: str, *, wait_ms: int = 0) -> TargetState:
    """Count the matches of ``selector``, the visible ones, and whether the first visible is enabled.

    ``wait_ms`` gives a late-rendered target that long to appear (visible) before the
    state is read; the target is never clicked. An invalid selector raises, as an action
    on it would.
    """
    base = page.locator(selector)
    if wait_ms > 0:
        with contextlib.suppress(Exception):
            await first_visible(page, selector).wait_for(state="visible", timeout=wait_ms)
    matches = await base.count()
    visible = await base.locator("visible=true").count() if matches else 0
    enabled: bool | None = None
    if visible:
        target = first_visible(page, selector)
        try:
            enabled = await target.is_enabled(timeout=1000)
            if enabled:
                # aria-disabled buttons and disabled fieldsets are just as unusable.
                enabled = not await target.evaluate(
                    "(el) => el.getAttribute('aria-disabled') === 'true'"
                    " || !!el.closest('fieldset[disabled]')"
                )
        except Exception:  # noqa: BLE001 - the element went away between count and read
            enabled = None
    return TargetState(matches=min(matches, 10_000), visible=min(visible, _INSPECT_LIMIT), enabled=enabled)
