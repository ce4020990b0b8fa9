"""Guards that keep the browser on the audited site.

The :class:`OriginGuard` refuses top-level navigation off the configured origins
(before it happens, at the network layer of each page) and tells a landing that
slipped through a redirect. Further guards of the same kind (an order guard at
the network layer, an origin guard for the whole context) belong here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

__all__ = ["OriginGuard"]


class OriginGuard:
    """Which origins a run may visit, and the browser-side enforcement of it."""

    def __init__(self, origins: Iterable[str]) -> None:
        self.origins = set(origins)
        #: the browser-wide guard (:mod:`.netguard`) when the browser offers one; it then
        #: covers every page, popup and frame and the per-page interception is not needed
        self.network: Any = None

    def offsite(self, url: str) -> bool:
        """Is ``url`` an http(s) address off the allowed origins? (``about:``, ``data:`` are not.)"""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        return f"{parts.scheme}://{parts.netloc}" not in self.origins

    async def install(self, ctx: Any, page: Any, notes: list[str]) -> None:
        """Refuse top-level navigation off the configured origins; let everything else through.

        Only the main frame's *document* requests are intercepted, through the DevTools
        ``Fetch`` domain. A Playwright ``route`` would see every request (a round trip
        through Python each) and switch the HTTP cache off, which made pages measurably
        slower than a customer sees them (benchmarks/README.md: +30 % FCP). Browsers
        without CDP fall back to ``route``. Each refusal is appended to ``notes``.
        """
        try:
            cdp = await ctx.new_cdp_session(page)
            tree = await cdp.send("Page.getFrameTree")
            main_frame = tree["frameTree"]["frame"]["id"]
            if self.network is not None and self.network.active:
                self.network.attach(main_frame, notes.append)
                page.once("close", lambda *_: self.network.detach(main_frame))
                await cdp.detach()
                return
            await cdp.send(
                "Fetch.enable",
                {"patterns": [{"urlPattern": "*", "resourceType": "Document", "requestStage": "Request"}]},
            )
        except Exception:  # noqa: BLE001 - not Chromium: use Playwright's routing instead
            await self._install_route(ctx, notes)
            return

        async def paused(event: dict[str, Any]) -> None:
            url = event.get("request", {}).get("url", "")
            try:
                if event.get("frameId") == main_frame and self.offsite(url):
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

    async def _install_route(self, ctx: Any, notes: list[str]) -> None:
        async def handler(route: Any) -> None:
            req = route.request
            if req.is_navigation_request() and req.frame.parent_frame is None:
                notes.append(f"refused off-site navigation to {req.url}")
                await route.abort("blockedbyclient")
            else:
                await route.fallback()

        await ctx.route(self.offsite, handler)
