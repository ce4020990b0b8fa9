"""The step-effects recorder: what each journey step visibly did, and what went wrong meanwhile.

The journey_health check asks "did the store do what the shopper asked?". To answer
it from recorded artifacts, the collector keeps one :class:`StepRecorder` per browser
page and calls it around every step::

    rec = StepRecorder(page, origins=allowed_origins, redact=redactor)
    await rec.attach()                        # once per page, before its first navigation
    for step in steps:                        # skipped steps (if_present, guarded order): no calls
        await rec.before_step(record, action=step.action, target=step.target,
                              value=step.value, locator=loc)   # loc: what the step acts on
        ...perform the step (and wait for its navigation, as today)...
        await rec.after_step(record, expect=step.expect)      # on success
        # or, when the step raised:
        await rec.after_failure(record, step.target)          # None for goto
    rec.finish(); rec.detach()                # once, after the journey

``before_step``/``after_step`` take a snapshot of the page (URL, a per-document id,
a DOM mutation counter, the cart count, field values, headings, structured-data
product names) and write the difference into ``record.effects``; listeners attribute
uncaught exceptions, ``console.error`` calls and failed requests to the step during
which they happened (``record.errors``); after a step that landed on a new page the
images are surveyed (``record.images``). Typed values never leave this module: a
fill is described by whether the field reads back the typed value and which other
fields received it.

The pure parts (:func:`diff_snapshots`, :func:`classify_origin`, :func:`judge_expect`,
:func:`names_match`) are unit-tested without a browser; the rest is tested against
small local pages in a real Chromium (``tests/test_step_effects_browser.py``).
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cx_auditor.models import (
    ExpectCheck,
    ExpectOutcome,
    ImageFact,
    PageError,
    StepEffects,
    StepRecord,
)

if TYPE_CHECKING:  # the recorder touches a browser only through the page it is given
    from playwright.async_api import ConsoleMessage, Locator, Page, Request, Response

__all__ = [
    "StepRecorder",
    "Snapshot",
    "diff_snapshots",
    "classify_origin",
    "origin_of",
    "judge_expect",
    "names_match",
    "normalise_name",
    "PAGE_SCRIPT",
]

#: errors kept per step, so a page that throws in a loop cannot flood the artifacts
MAX_ERRORS_PER_STEP = 50
#: images surveyed per page
MAX_IMAGES = 120
_ADD_TO_CART = re.compile(
    r"\b(add(ed)?\s*to\s*(cart|bag|basket|trolley)|buy\s*now|add-to-cart|addtocart)\b", re.I
)


def _load_js() -> dict[str, str]:
    """The page-side code, one expression per ``//== name`` section of ``step_effects.js``."""
    text = (resources.files("cx_auditor.gather") / "step_effects.js").read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    for chunk in re.split(r"^//== ", text, flags=re.M)[1:]:
        name, _, body = chunk.partition("\n")
        sections[name.strip()] = body.strip()
    return sections


_JS = _load_js()
#: installed in every document (init script); re-installed on demand when the recorder
#: was attached after the page loaded
PAGE_SCRIPT = _JS["install"]
_SNAPSHOT_JS = _JS["snapshot"]
_TARGET_JS = _JS["target"]
_IMAGES_JS = _JS["images"]
#: the target's facts for the first match, ``null`` when nothing matches (one round trip, no wait)
_TARGET_ALL_JS = f"(els) => els.length ? ({_TARGET_JS})(els[0]) : null"
#: After the next frame: is the page's one-shot timer list known (the collector's settle
#: script, :data:`cx_auditor.gather.quiet.QUIET_JS`), and in how many ms is its next timer due?
_PENDING_TIMER_JS = (
    "() => new Promise((done) => requestAnimationFrame(() => {"
    " const t = window.__cxTimers; if (!t) return done([false, null]);"
    " const now = performance.now(); let next = null;"
    " for (const due of t.values()) {"
    "  const d = Math.max(0, due - now); if (next === null || d < next) next = d; }"
    " done([true, next]); }))"
)


# --------------------------------------------------------------------------- pure parts


@dataclass
class Snapshot:
    """What the page looked like at one moment (field values stay in memory only)."""

    doc: str = ""
    mutations: int = 0
    url: str = ""
    title: str = ""
    heading: str = ""
    products: list[str] = field(default_factory=list)
    is_product_page: bool = False
    cart: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    found: bool | None = None

    @classmethod
    def from_js(cls, raw: dict[str, Any] | None) -> Snapshot:
        raw = raw or {}
        return cls(
            doc=str(raw.get("doc") or ""),
            mutations=int(raw.get("mutations") or 0),
            url=str(raw.get("url") or ""),
            title=str(raw.get("title") or ""),
            heading=str(raw.get("heading") or ""),
            products=[str(p) for p in raw.get("products") or [] if p],
            is_product_page=bool(raw.get("isProductPage")),
            cart=raw.get("cart") if isinstance(raw.get("cart"), int) else None,
            fields={str(k): str(v) for k, v in (raw.get("fields") or {}).items()},
            messages=[str(m) for m in raw.get("messages") or []],
            found=raw.get("found") if isinstance(raw.get("found"), bool) else None,
        )

    @property
    def product(self) -> str | None:
        """The product this page is about: structured data first, then the main heading."""
        if self.products:
            return self.products[0]
        return self.heading or None if self.is_product_page else None


def normalise_name(text: str | None) -> str:
    """Lower-case, accents and punctuation folded: ``"Trail-Tent 2P™"`` -> ``"trail tent 2p"``."""
    if not text:
        return ""
    # symbols (™, ®, ·) go before NFKD, which would spell ™ out as "TM"
    folded = "".join(" " if unicodedata.category(c).startswith("S") else c for c in text)
    folded = unicodedata.normalize("NFKD", folded)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", folded.lower()).split())


def names_match(clicked: str | None, landed: list[str]) -> bool | None:
    """Does a clicked name denote one of the landed page's names? ``None`` if unknowable.

    Containment either way counts (titles carry store names, cards abbreviate), but a
    short word never matches by accident: at least 4 characters must agree.
    """
    a = normalise_name(clicked)
    names = [normalise_name(n) for n in landed if normalise_name(n)]
    if len(a) < 4 or not names:
        return None
    return any(a == b or (len(b) >= 4 and (a in b or b in a)) for b in names)


def origin_of(url: str | None) -> str:
    """``scheme://host:port`` with the default port made explicit; ``""`` for non-HTTP URLs."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{parts.hostname.lower()}:{port}"


def classify_origin(
    resource_url: str, page_url: str | None, origins: list[str] | tuple[str, ...] = ()
) -> str:
    """``"same"`` when the resource comes from the page's origin or a configured one, else ``"third"``.

    ``data:`` and ``blob:`` URLs belong to the page itself.
    """
    if resource_url.startswith(("data:", "blob:", "about:")):
        return "same"
    own = {origin_of(page_url)} | {origin_of(o) for o in origins}
    own.discard("")
    return "same" if origin_of(resource_url) in own else "third"


def diff_snapshots(
    before: Snapshot,
    after: Snapshot,
    *,
    requests_started: int = 0,
    status_after: int | None = None,
    target_name: str | None = None,
    field_key: str | None = None,
    typed: str | None = None,
) -> StepEffects:
    """The effects of a step, from the snapshots around it. Typed values are never copied out."""
    navigated = bool(before.doc and after.doc and before.doc != after.doc)
    soft = not navigated and before.url != after.url
    landed = [*after.products, after.heading, after.title]
    effects = StepEffects(
        url_before=before.url or None,
        url_after=after.url or None,
        navigated=navigated,
        soft_navigation=soft,
        dom_mutations=None if navigated else max(0, after.mutations - before.mutations),
        requests_started=requests_started,
        cart_count_before=before.cart,
        cart_count_after=after.cart,
        product_before=before.product,
        product_after=list(after.products)
        or ([after.heading] if after.is_product_page and after.heading else []),
        product_before_on_after=after.found,
        target_name=target_name or None,
        target_name_on_after=names_match(target_name, landed) if (navigated or soft) else None,
        heading_after=after.heading or None,
        title_after=after.title or None,
        status_after=status_after if navigated else None,
        # only messages the step brought up: a banner shown all along blocks nothing new
        validation_messages=[m for m in after.messages if navigated or m not in before.messages],
    )
    if field_key is not None and not navigated:
        effects.field = field_key
        if typed is not None and field_key in after.fields:
            effects.field_readback_ok = after.fields[field_key] == typed
        changed = [
            k
            for k, v in after.fields.items()
            if k != field_key and k in before.fields and before.fields[k] != v
        ]
        effects.other_fields_changed = changed
        if typed:
            effects.value_landed_in = [k for k in changed if after.fields[k] == typed]
    return effects


def judge_expect(
    expect: Any,
    *,
    url: str,
    text_found: bool | None = None,
    selector_visible: bool | None = None,
    cart_before: int | None = None,
    cart_after: int | None = None,
) -> ExpectOutcome:
    """Turn a step's ``expect:`` (a :class:`~auditor.config.StepExpect` or mapping) into an outcome."""
    get = expect.get if isinstance(expect, dict) else (lambda k: getattr(expect, k, None))
    checks: list[ExpectCheck] = []
    if get("text") is not None:
        checks.append(ExpectCheck(kind="text", expected=str(get("text")), ok=bool(text_found)))
    if get("selector") is not None:
        checks.append(ExpectCheck(kind="selector", expected=str(get("selector")), ok=bool(selector_visible)))
    if get("url") is not None:
        ok = re.search(str(get("url")), url) is not None
        checks.append(ExpectCheck(kind="url", expected=str(get("url")), actual=url, ok=ok))
    change = get("cart_count_change")
    if change is not None:
        want = int(change)
        if cart_before is None or cart_after is None:
            checks.append(
                ExpectCheck(
                    kind="cart_count_change", expected=f"{want:+d}", actual="no cart count found", ok=False
                )
            )
        else:
            delta = cart_after - cart_before
            checks.append(
                ExpectCheck(
                    kind="cart_count_change", expected=f"{want:+d}", actual=f"{delta:+d}", ok=delta == want
                )
            )
    return ExpectOutcome(ok=all(c.ok for c in checks), checks=checks)


def looks_like_add_to_cart(*texts: str | None) -> bool:
    """Is this control an add-to-cart button, by its text, label, test id or class?"""
    return any(t and _ADD_TO_CART.search(t.replace("_", " ")) for t in texts)


# --------------------------------------------------------------------------- the recorder


@dataclass
class _Pending:
    record: StepRecord
    action: str
    target: str | None
    typed: str | None
    before: Snapshot
    target_name: str | None = None
    field_key: str | None = None
    productish: bool = False
    blob: str = ""
    requests: int = 0


class StepRecorder:
    """Records effects, errors and images of each step on one Playwright page.

    Not thread-safe; one recorder per page, used from that page's event loop.
    ``origins`` are extra origins counted as the site's own (``collect.allowed_origins``).
    """

    def __init__(
        self,
        page: Page,
        *,
        origins: list[str] | tuple[str, ...] = (),
        settle_ms: int = 300,
        max_wait_ms: int = 3000,
        redact: Callable[[str], str] | None = None,
    ) -> None:
        self.page = page
        #: the collector's secret redactor, applied to every text and URL the recorder stores
        self.redact: Callable[[str], str] = redact or (lambda s: s)
        self.origins = tuple(origins)
        self.settle_ms = settle_ms
        self.max_wait_ms = max_wait_ms
        #: requests the current step started that have not finished yet
        self._inflight: set[Request] = set()
        self._pending: _Pending | None = None
        self._last: StepRecord | None = None
        self._image_status: dict[str, int] = {}
        self._doc_status: int | None = None
        self._surveyed_doc: str | None = None
        self._surveyed_url: str | None = None
        self._attached = False
        #: a main-frame navigation started during the pending step
        self._navigating = False

    # -- wiring -------------------------------------------------------------------
    async def attach(self) -> None:
        """Install the page script and the listeners. Call once, before the first navigation."""
        if self._attached:
            return
        self._attached = True
        await self.page.add_init_script(PAGE_SCRIPT)
        self.page.on("pageerror", self._on_pageerror)
        self.page.on("console", self._on_console)
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", self._on_requestfailed)
        self.page.on("requestfinished", self._on_requestfinished)

    def detach(self) -> None:
        """Remove the listeners (the init script stays with the page)."""
        if not self._attached:
            return
        for event, fn in (
            ("pageerror", self._on_pageerror),
            ("console", self._on_console),
            ("request", self._on_request),
            ("response", self._on_response),
            ("requestfailed", self._on_requestfailed),
            ("requestfinished", self._on_requestfinished),
        ):
            self.page.remove_listener(event, fn)
        self._attached = False

    async def before_step(
        self,
        record: StepRecord,
        *,
        action: str,
        target: str | None = None,
        value: str | None = None,
        locator: Locator | None = None,
    ) -> None:
        """Snapshot the page before a step runs.

        ``target`` is the step's selector; pass ``locator`` too when the interpreter acts on
        something else than its first match (the first *visible* one, say), so the name read
        is the one of the element really acted on. ``value`` is the typed value of a fill: it
        stays in memory for the read-back comparison and is never stored.
        """
        acts_on = (target or locator is not None) and action in ("click", "fill", "select", "check", "press")
        # The page and the target are read at once (both only read): one round trip's wait.
        both: Any = await asyncio.gather(
            self._snapshot(), self._target_info(target, locator) if acts_on else asyncio.sleep(0, None)
        )
        before, info = both
        self._inflight.clear()
        pending = _Pending(record=record, action=action, target=target, typed=value, before=before)
        if acts_on:
            if info:
                pending.target_name = info.get("name") or None
                if action == "fill" or action == "select":
                    pending.field_key = info.get("key")
                pending.productish = bool(info.get("productish"))
                pending.blob = str(info.get("blob") or "")
        self._pending = pending
        self._last = record
        self._navigating = False

    async def after_step(self, record: StepRecord, *, expect: Any = None) -> StepEffects | None:
        """Snapshot after a successful step; write effects, expect outcome and images into ``record``."""
        pending = self._pending
        if pending is None or pending.record is not record:
            return None
        if pending.action in ("click", "press", "check", "select"):
            await self._settle()
        with _suppress():
            await self.page.wait_for_load_state("load", timeout=5000)
        after = await self._snapshot(look_for=pending.before.product)
        effects = diff_snapshots(
            pending.before,
            after,
            requests_started=pending.requests,
            status_after=self._doc_status,
            target_name=pending.target_name if pending.action in ("click", "press") else None,
            field_key=pending.field_key,
            typed=pending.typed if pending.action == "fill" else None,
        )
        effects.target_kind = self._target_kind(pending)
        record.effects = self._redacted(effects)
        if expect is not None:
            record.expect = await self._judge_expect(expect, effects)
        if after.doc != self._surveyed_doc or after.url != self._surveyed_url:
            record.images = await self._images()
            self._surveyed_doc, self._surveyed_url = after.doc, after.url
        self._pending = None
        return effects

    async def after_failure(self, record: StepRecord, selector: str | None = None) -> None:
        """After a step raised: count what its target matches (0 = a config problem, not the site)."""
        self._pending = None
        if not selector:
            return
        with _suppress():
            loc = self.page.locator(selector)
            record.target_matches = await loc.count()
            visible = 0
            for i in range(min(record.target_matches, 20)):
                if await loc.nth(i).is_visible():
                    visible += 1
            record.target_visible = visible
        with _suppress():
            snap = await self._snapshot()
            record.effects = self._redacted(
                StepEffects(
                    url_before=snap.url or None, url_after=snap.url or None, validation_messages=snap.messages
                )
            )

    def finish(self) -> None:
        """End of the journey: later events are no longer attributed to any step."""
        self._pending = None
        self._last = None

    # -- internals ----------------------------------------------------------------
    def _redacted(self, effects: StepEffects) -> StepEffects:
        r = self.redact
        for name in (
            "url_before",
            "url_after",
            "product_before",
            "target_name",
            "heading_after",
            "title_after",
        ):
            value = getattr(effects, name)
            if value:
                setattr(effects, name, r(value))
        effects.product_after = [r(p) for p in effects.product_after]
        effects.validation_messages = [r(m) for m in effects.validation_messages]
        return effects

    def _target_kind(self, pending: _Pending) -> str | None:
        blob = pending.blob
        if pending.action in ("fill", "select", "check"):
            return "field"
        if pending.action not in ("click", "press"):
            return None
        if looks_like_add_to_cart(blob, pending.target, pending.record.label):
            return "add-to-cart"
        if pending.productish:
            return "product-link"
        return "control"

    async def _settle(self) -> None:
        """Give a click's consequences time: a moment to start, then its requests to finish.

        A cart that updates after a slow add-to-cart request must not read as "nothing
        happened", so the requests the step started are waited for (up to ``max_wait_ms``,
        long-polling and beacons never hold a step longer), then the page gets a frame or
        two to render their answer. A step that started a document navigation needs none
        of it: the interpreter has waited for the new page's load, and the step's effect
        (a new document) is already certain.
        """
        if self._navigating:
            return
        if await self._nothing_pending():
            return
        await asyncio.sleep(self.settle_ms / 1000)
        waited = self.settle_ms
        while self._inflight and waited < self.max_wait_ms:
            await asyncio.sleep(0.05)
            waited += 50
        if waited > self.settle_ms:
            await asyncio.sleep(0.1)

    async def _nothing_pending(self) -> bool:
        """Has the step visibly set nothing in motion? Then its "moment to start" can be skipped.

        True only when, a frame after the action, the step has no request in flight and the
        page has no one-shot timer due within ``settle_ms`` (a debounced handler, a delayed
        update). Pages without the timer list (the recorder used on its own) always wait.
        """
        if self._inflight:
            return False
        try:
            tracked, next_due = await asyncio.wait_for(self.page.evaluate(_PENDING_TIMER_JS), 1)
        except Exception:  # noqa: BLE001 - navigating, or no answer: wait as before
            return False
        if not tracked or self._inflight or self._navigating:
            return False
        return next_due is None or float(next_due) > self.settle_ms

    async def _snapshot(self, look_for: str | None = None) -> Snapshot:
        for _ in range(3):
            try:
                raw = await self.page.evaluate(
                    "(a) => { " + PAGE_SCRIPT + "; return (" + _SNAPSHOT_JS + ")(a); }", {"lookFor": look_for}
                )
                return Snapshot.from_js(raw)
            except Exception:  # noqa: BLE001 - a navigation destroyed the context: wait and retry
                with _suppress():
                    await self.page.wait_for_load_state("load", timeout=5000)
        return Snapshot(url=self.page.url)

    async def _target_info(self, selector: str | None, locator: Locator | None) -> dict[str, Any] | None:
        try:
            loc = locator if locator is not None else self.page.locator(selector or "").first
            # Not there (yet): ``null`` at once, never wait here; the step itself will.
            return await loc.evaluate_all(_TARGET_ALL_JS)  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - an invalid selector: the step itself will say so
            return None

    async def _judge_expect(self, expect: Any, effects: StepEffects) -> ExpectOutcome:
        get = expect.get if isinstance(expect, dict) else (lambda k: getattr(expect, k, None))
        text_found = selector_visible = None
        if get("text") is not None:
            with _suppress():
                text_found = await self.page.evaluate(
                    "(t) => { const n = (s) => (s || '').toLowerCase().replace(/\\s+/g, ' ').trim();"
                    " return n(document.body && document.body.innerText).includes(n(t)); }",
                    str(get("text")),
                )
        if get("selector") is not None:
            with _suppress():
                selector_visible = await self.page.locator(str(get("selector"))).first.is_visible()
        return judge_expect(
            expect,
            url=self.page.url,
            text_found=text_found,
            selector_visible=selector_visible,
            cart_before=effects.cart_count_before,
            cart_after=effects.cart_count_after,
        )

    async def _images(self) -> list[ImageFact]:
        try:
            raw = await self.page.evaluate(_IMAGES_JS, MAX_IMAGES)
        except Exception:  # noqa: BLE001
            return []
        out = []
        for item in raw or []:
            fact = ImageFact.model_validate(item)
            fact.status = self._image_status.get(fact.src)
            fact.src = self.redact(fact.src)
            fact.product = self.redact(fact.product) if fact.product else fact.product
            out.append(fact)
        return out

    def _target_record(self) -> tuple[StepRecord | None, bool]:
        if self._pending is not None:
            return self._pending.record, False
        return self._last, True

    def _add_error(self, error: PageError) -> None:
        record, late = self._target_record()
        if record is None or len(record.errors) >= MAX_ERRORS_PER_STEP:
            return
        error.late = late
        error.message = self.redact(error.message)
        error.page_url = self.redact(error.page_url) if error.page_url else error.page_url
        error.resource_url = self.redact(error.resource_url) if error.resource_url else error.resource_url
        record.errors.append(error)

    def _page_url(self) -> str | None:
        try:
            return self.page.url
        except Exception:  # noqa: BLE001
            return None

    # -- listeners (synchronous, cheap) -------------------------------------------
    def _on_pageerror(self, exc: Exception) -> None:
        message = getattr(exc, "message", None) or str(exc)
        name = getattr(exc, "name", None)
        text = str(message).splitlines()[0] if message else "uncaught exception"
        if name and not text.startswith(str(name)):
            text = f"{name}: {text}"
        self._add_error(PageError(kind="exception", message=text[:300], page_url=self._page_url()))

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        text = msg.text or ""
        if text.startswith("Failed to load resource"):
            return  # the failed request itself is recorded, with its URL and status
        self._add_error(
            PageError(
                kind="console", message=text.splitlines()[0][:300] if text else "", page_url=self._page_url()
            )
        )

    def _on_request(self, request: Request) -> None:
        if self._pending is not None:
            self._pending.requests += 1
            if len(self._inflight) < 500:
                self._inflight.add(request)
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._doc_status = None
            self._navigating = self._pending is not None

    def _on_response(self, response: Response) -> None:
        request = response.request
        rtype = request.resource_type
        status = response.status
        if rtype == "image":
            if len(self._image_status) < 5000:
                self._image_status[response.url[:300]] = status
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._doc_status = status
            return
        if status < 400:
            return
        self._record_request_failure(response.url, rtype, status, f"HTTP {status}")

    def _on_requestfinished(self, request: Request) -> None:
        self._inflight.discard(request)

    def _on_requestfailed(self, request: Request) -> None:
        self._inflight.discard(request)
        failure = request.failure or "failed"
        if "ERR_ABORTED" in failure or "ERR_BLOCKED_BY_CLIENT" in failure:
            return  # cancelled by a navigation, or refused by cx-audit's own off-site guard
        if request.is_navigation_request():
            return  # the step itself fails and says why
        self._record_request_failure(request.url, request.resource_type, None, failure)

    def _record_request_failure(self, url: str, rtype: str, status: int | None, reason: str) -> None:
        page_url = self._page_url()
        side = classify_origin(url, page_url, self.origins)
        if side == "same" and rtype in ("image", "document", "media"):
            return  # images are judged by the image survey; documents by the step
        kind = "request" if side == "same" else "third_party"
        self._add_error(
            PageError(
                kind=kind,
                message=f"{reason} for {rtype} {_short_url(url, with_host=side != 'same')}",
                page_url=page_url,
                resource_url=url[:300],
                resource_type=rtype,
                status=status,
            )
        )


def _short_url(url: str, *, with_host: bool) -> str:
    """Path only for the site's own requests (ports vary between runs), host too for others."""
    parts = urlsplit(url)
    return (f"{parts.netloc}{parts.path}" if with_host else parts.path or "/")[:200]


class _suppress:
    """``contextlib.suppress(Exception)`` without the import noise in hot paths."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True
