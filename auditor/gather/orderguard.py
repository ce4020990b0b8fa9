"""Finding a journey's order endpoint on the page, and refusing non-web schemes at run time.

The ``places_order`` step is skipped without ``--allow-orders``, but a page can submit
its order form by other means: Enter in one of its fields, a ``<select>`` whose change
handler posts it, a script. So on every page of a journey that has such a step, before
any step runs there, the step's element is looked up and the URL its form would submit
to (``formaction``, else the form's ``action``) becomes an order endpoint the
:class:`~cx_auditor.gather.netguard.NetworkGuard` refuses for the whole browser.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlsplit

from cx_auditor.config import Journey
from cx_auditor.gather.failures import StepFailure
from cx_auditor.gather.netguard import FORM_TARGET_JS, OrderRule, _bare

__all__ = ["WEB_SCHEMES", "OrderEndpointReader", "refuse_scheme"]

WEB_SCHEMES = ("http", "https")


def refuse_scheme(url: str) -> None:
    """A step may only open http(s) pages: ``file:``, ``data:``, ``javascript:`` and the rest are refused."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in WEB_SCHEMES:
        raise StepFailure(
            f"cx-audit refused to open {url[:80]!r}: only http and https pages are audited "
            f"(the {scheme or 'missing'!r} scheme could read local files or run code)"
        )


class OrderEndpointReader:
    """Reads where the journey's ``places_order`` steps would submit, on each page it reaches."""

    def __init__(self, guard: Any, journey: Journey, page: Any) -> None:
        self.network = getattr(guard, "network", None)
        self.page = page
        self.selectors = [
            s.target
            for s in journey.steps
            if s.places_order and s.action not in ("goto", "expect_text", "snapshot")
        ]
        self._seen: set[str] = set()

    async def arm(self) -> None:
        """Turn the order steps' form targets on the current page into guarded endpoints."""
        net = self.network
        if net is None or not net.active or net.allow_orders or not self.selectors:
            return
        url = self.page.url
        if url in self._seen or not url.startswith(WEB_SCHEMES):
            return
        self._seen.add(url)
        for selector in self.selectors:
            with contextlib.suppress(Exception):  # absent here, or a bad selector (the step says so)
                loc = self.page.locator(selector)
                if await loc.count() == 0:
                    continue
                target = await loc.first.evaluate(FORM_TARGET_JS, timeout=2000)
                if target and str(target.get("action", "")).startswith(WEB_SCHEMES):
                    method = target.get("method") or "GET"
                    # A form's method attribute is only GET or POST; "dialog" submits nothing.
                    if method in ("GET", "POST"):
                        await net.add_rule(OrderRule(method=method, url=_bare(target["action"]), exact=True))
