"""The browser-wide network guard: no order and no off-site document leaves the browser.

One DevTools ``Fetch`` interception on the *browser* target sees the requests of
every context, page, popup, frame and worker of the run before they are sent:

* every **document** request (top-level navigation, popup, ``target=_blank``,
  ``window.open``, frame, form submission) to an origin off the allowed ones is
  failed; third-party sub-resources (images, scripts, fonts) are not intercepted at
  all, so they stay allowed and are recorded as before;
* every request of any kind (form post, fetch/XHR, beacon, a ``<select>`` change
  handler, Enter in a field) matching an **order endpoint** is failed unless orders
  are allowed. Endpoints come from the configuration (``collect.order_requests``:
  method + URL pattern) and from the ``places_order`` step's own form
  (``formaction``/``action``), read on each page before any step runs there.

Why not Playwright's ``route``: it makes Chromium switch off its HTTP cache for the
whole context and costs a round trip through Python per request (benchmarks showed
+30 % FCP). The browser-level patterns here are narrow (documents, the order URLs) and
leave the cache alone. Each refusal is a note on the journey whose tab or frame sent
it, and kept run-wide in :attr:`NetworkGuard.events`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["NetworkGuard", "OrderRule", "order_refusal_note"]

NoteSink = Callable[[str], None]

#: the JavaScript that finds where the places_order step's element would submit
FORM_TARGET_JS = """(el) => {
  const form = el.form || el.closest('form');
  const own = el.getAttribute && el.getAttribute('formaction') !== null;
  const action = own ? el.formAction : (form ? form.action : '');
  const ownMethod = el.getAttribute && el.getAttribute('formmethod');
  const method = ownMethod || (form ? (form.getAttribute('method') || 'get') : '');
  return action ? {action: String(action), method: String(method).toUpperCase()} : null;
}"""


def _bare(url: str) -> str:
    """``url`` without query and fragment (a GET form appends its fields as a query)."""
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, p.path or "/", "", ""))


def _cdp_glob(text: str) -> str:
    """A literal URL as a DevTools pattern (``*`` and ``?`` are wildcards there)."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


@dataclass(frozen=True)
class OrderRule:
    """Requests that would place an order: an HTTP method (``*`` for any) and a URL glob."""

    method: str
    url: str  # absolute; ``*`` matches any run of characters
    exact: bool = False  # derived from a form: the URL without query must equal ``url``

    def matches(self, method: str, url: str) -> bool:
        if self.method != "*" and method.upper() != self.method.upper():
            return False
        if self.exact:
            return _bare(url) == self.url
        return fnmatch.fnmatchcase(url, self.url)

    def cdp_pattern(self) -> dict[str, str]:
        glob = _cdp_glob(self.url) + "*" if self.exact else self.url.replace("?", "\\?")
        return {"urlPattern": glob, "requestStage": "Request"}


def order_refusal_note(method: str, url: str) -> str:
    return f"refused order request {method} {url} (orders are only sent with --allow-orders)"


class NetworkGuard:
    """Browser-wide interception of off-site documents and order requests."""

    def __init__(self, offsite: Callable[[str], bool], *, allow_orders: bool) -> None:
        self.offsite = offsite
        self.allow_orders = allow_orders
        self.rules: list[OrderRule] = []
        #: every refusal of the run, in order
        self.events: list[str] = []
        self.active = False
        self._cdp: Any = None
        self._sinks: dict[str, NoteSink] = {}  # main frame id -> the journey's notes

    async def start(self, browser: Any) -> bool:
        """Intercept through a browser-level DevTools session; ``False`` when there is none."""
        try:
            self._cdp = await browser.new_browser_cdp_session()
            self._cdp.on("Fetch.requestPaused", lambda e: asyncio.ensure_future(self._paused(e)))
            await self._enable()
        except Exception:  # noqa: BLE001 - not Chromium, or a remote without browser sessions
            self._cdp = None
            return False
        self.active = True
        return True

    async def _enable(self) -> None:
        patterns: list[dict[str, str]] = [
            {"urlPattern": "*", "resourceType": "Document", "requestStage": "Request"}
        ]
        if not self.allow_orders:
            patterns += [rule.cdp_pattern() for rule in self.rules]
        await self._cdp.send("Fetch.enable", {"patterns": patterns})

    async def add_rule(self, rule: OrderRule) -> None:
        """Guard one more order endpoint from now on (a no-op when it is known already)."""
        if rule in self.rules:
            return
        self.rules.append(rule)
        if self.active and not self.allow_orders:
            with contextlib.suppress(Exception):
                await self._enable()

    def attach(self, frame_id: str, sink: NoteSink) -> None:
        """Refusals from this main frame (and from frames nobody claimed) go to ``sink``."""
        self._sinks[frame_id] = sink

    def detach(self, frame_id: str) -> None:
        self._sinks.pop(frame_id, None)

    def order_rule_for(self, method: str, url: str) -> OrderRule | None:
        if self.allow_orders:
            return None
        return next((r for r in self.rules if r.matches(method, url)), None)

    def _note(self, frame_id: str | None, note: str) -> None:
        self.events.append(note)
        sink = self._sinks.get(frame_id or "")
        # A popup or a frame is not known by id before its first request: every journey
        # running now is told (with one worker, that is exactly the one that caused it).
        for s in [sink] if sink is not None else list(self._sinks.values()):
            with contextlib.suppress(Exception):
                s(note)

    async def _paused(self, event: dict[str, Any]) -> None:
        request = event.get("request", {})
        url = str(request.get("url", ""))
        method = str(request.get("method", "GET"))
        refusal: str | None = None
        if self.order_rule_for(method, url) is not None:
            refusal = order_refusal_note(method, url)
        elif event.get("resourceType") == "Document" and self.offsite(url):
            refusal = f"refused off-site navigation to {url}"
        try:
            if refusal is not None:
                self._note(event.get("frameId"), refusal)
                await self._cdp.send(
                    "Fetch.failRequest", {"requestId": event["requestId"], "errorReason": "BlockedByClient"}
                )
            else:
                await self._cdp.send("Fetch.continueRequest", {"requestId": event["requestId"]})
        except Exception:  # noqa: BLE001 - the request or the browser went away meanwhile
            pass
