"""Finding a store's journeys without a config: the browser half of ``cx-audit init --from-url``.

A customer who has never seen a store still finds their way: a category, a product,
"Add to cart", the cart, "Checkout", the forms, and the button that places the order.
:func:`explore` does the same in a desktop context and records each action as a journey
step with a selector chosen from the most stable evidence the page offers (test ids, ids,
field names, ARIA role and accessible name, platform markup, classes), preferring
selectors that name a *kind* of control so that a run picks the first visible one on
every channel. It never places an order: the order button is found, not pressed.

What it is unsure of (a control found by weak evidence only) is marked, so the
written config says where a person should look. The page-side reading is in
``storefront.js`` and ``storefront_fields.js``; choosing test data is pure Python.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cx_auditor.browser import BrowserChoice
from cx_auditor.gather.locate import first_visible

__all__ = ["Exploration", "Found", "explore", "explore_sync", "merge_channels", "field_value"]

_HERE = Path(__file__).parent
_FIND_JS = (_HERE / "storefront.js").read_text(encoding="utf-8")
_FIELDS_JS = (_HERE / "storefront_fields.js").read_text(encoding="utf-8")

_PLATFORM_JS = """() => {
  const html = document.documentElement.outerHTML.slice(0, 400000);
  if (window.Shopify || /cdn\\.shopify\\.com|Shopify\\.theme/.test(html)) return 'Shopify';
  const woo = /wp-content\\/plugins\\/woocommerce/.test(html);
  if (document.body.classList.contains('woocommerce') || woo) return 'WooCommerce';
  if (/Magento_|mage\\/cookies|data-mage-init/.test(html)) return 'Magento';
  if (/saleor|__NEXT_DATA__/.test(html)) return 'Next.js storefront';
  return null;
}"""

#: the password the generated config uses when a store demands an account
#: (overridable through the environment; the variable name marks it a secret)
PASSWORD_ENV = "CX_AUDIT_PASSWORD"
DEFAULT_PASSWORD = "Cx-Audit-Test-Pass-1"


@dataclass
class Found:
    """A control or page found for one role in the journey, and why it was chosen."""

    role: str
    selector: str
    name: str = ""
    href: str | None = None
    why: list[str] = field(default_factory=list)
    score: int = 0

    @property
    def sure(self) -> bool:
        """Two independent kinds of evidence, or a platform/schema.org match, make it sure."""
        return self.score >= 5


@dataclass
class Exploration:
    """What :func:`explore` found on one store."""

    base_url: str
    platform: str | None = None
    #: the purchase journey's steps, as config mappings (``_note`` keys become comments)
    steps: list[dict[str, Any]] = field(default_factory=list)
    #: how far the purchase journey got: home, category, product, cart, checkout, review
    reached: str = "home"
    found: dict[str, Found] = field(default_factory=dict)
    #: same-site information pages: contact, help, returns, shipping
    pages: dict[str, Found] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    #: how far the purchase journey got on each channel explored
    reached_by_channel: dict[str, str] = field(default_factory=dict)


def field_value(f: dict[str, Any]) -> str | None:
    """Test data for one checkout field from its name, autocomplete, type and label.

    ``None`` means "no sensible value": the field is left alone unless it is required,
    in which case a neutral placeholder is used.
    """
    key = " ".join(str(f.get(k) or "") for k in ("autocomplete", "name", "label")).lower()
    kind = f.get("type") or "text"
    if kind == "email" or "email" in key:
        return "shopper@example.com"
    if kind == "password" or "password" in key:
        return "${" + PASSWORD_ENV + ":-" + DEFAULT_PASSWORD + "}"
    if kind == "tel" or re.search(r"phone|tel\b|mobile", key):
        return "5035550100"
    if re.search(r"cc-number|card.?(number|no)|cardnumber", key):
        return "4242 4242 4242 4242"
    if re.search(r"cc-exp|expir|exp.?date|\bexp\b|mm.?yy", key):
        return "12/30"
    if re.search(r"cc-csc|cvc|cvv|security code", key):
        return "123"
    if re.search(r"cc-name|name on card|card.?name|cardholder", key):
        return "Alex Rivera"
    if re.search(r"given|first.?name|fname", key):
        return "Alex"
    if re.search(r"family|last.?name|surname|lname", key):
        return "Rivera"
    if re.search(r"city|town|locality|address-level2", key):
        return "Portland"
    if re.search(r"postal|zip|postcode", key):
        return "97201"
    if re.search(r"address.?line[23]|address[23]|\bline[23]\b|(second|third) line|apartment|suite", key):
        return None
    if re.search(r"street|address.?line1|address1|address", key):
        return "12 Harbour Street"
    if re.search(r"full.?name|\bname\b", key):
        return "Alex Rivera"
    if re.search(r"birth|dob|bday", key) or kind == "date":
        return "1990-01-01"
    if re.search(r"company|organi[sz]ation", key):
        return None
    if kind == "number":
        return "1"
    return "test" if f.get("required") else None


def _choose_option(f: dict[str, Any]) -> str | None:
    options = [str(o) for o in f.get("options") or []]
    if not options:
        return None
    key = f"{f.get('name')} {f.get('label')} {f.get('autocomplete')}".lower()
    if "country" in key and "US" in options:
        return "US"
    if re.search(r"state|region|province", key) and "OR" in options:
        return "OR"
    return options[0]


class _Explorer:
    def __init__(self, page: Any, base_url: str, timeout_ms: int) -> None:
        self.page = page
        self.loads = 0  # document loads: a click that caused none changed the view in place
        page.on("load", self._loaded)
        self.base_url = base_url.rstrip("/")
        self.timeout_ms = timeout_ms
        self.result = Exploration(base_url=self.base_url)

    def _loaded(self, *_: Any) -> None:
        self.loads += 1

    async def settle(self) -> None:
        with contextlib.suppress(Exception):
            await self.page.wait_for_load_state("load", timeout=self.timeout_ms)
        with contextlib.suppress(Exception):
            await self.page.wait_for_load_state("networkidle", timeout=2500)
        await asyncio.sleep(0.3)

    async def find(self, kind: str) -> list[Found]:
        try:
            raw = await self.page.evaluate(_FIND_JS, {"kind": kind})
        except Exception:  # noqa: BLE001 - a page that navigated away mid-read has nothing to offer
            return []
        infos = kind in ("contact", "help", "returns", "shipping")  # footer links count even if folded
        return [
            Found(
                kind, r["selector"], r.get("name") or "", r.get("href"), list(r.get("why") or []), r["score"]
            )
            for r in raw
            if infos or not r.get("hidden")
        ]

    async def heading(self) -> str:
        with contextlib.suppress(Exception):
            data = await self.page.evaluate(_FIELDS_JS)
            return str(data.get("heading") or "")
        return ""

    def _path(self, url: str | None) -> str | None:
        if not url:
            return None
        parts = urlsplit(url)
        if (
            f"{parts.scheme}://{parts.netloc}"
            != f"{urlsplit(self.base_url).scheme}://{urlsplit(self.base_url).netloc}"
        ):
            return None
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    async def click_one(self, candidates: list[Found], label: str, *, role: str) -> Found | None:
        """Click the best candidate that works; record the step (and a wait for the new view)."""
        for cand in candidates[:4]:
            before_url, before_heading, loads = self.page.url, await self.heading(), self.loads
            try:
                await first_visible(self.page, cand.selector).click(timeout=min(self.timeout_ms, 5000))
            except Exception:  # noqa: BLE001 - try the next candidate
                continue
            await self.settle()
            step: dict[str, Any] = {"click": cand.selector, "label": label}
            note = (
                f"{role}: {cand.name!r} ({'; '.join(cand.why)})"
                if cand.name
                else f"{role}: {'; '.join(cand.why)}"
            )
            step["_note"] = ("" if cand.sure else "UNSURE ") + note
            self.result.steps.append(step)
            self.result.found[role] = cand
            after = await self.heading()
            in_place = self.loads == loads
            if in_place and after and after != before_heading and '"' not in after and "\\" not in after:
                # A single-page app changes the view without a load: wait for the new view.
                self.result.steps.append({"wait_for": f'h1:has-text("{after}"), h2:has-text("{after}")'})
            elif self.page.url == before_url and not after:
                self.result.notes.append(f"after clicking {cand.selector!r} nothing visibly changed")
            return cand
        return None

    async def info_pages(self) -> None:
        for kind in ("contact", "help", "returns", "shipping"):
            for cand in await self.find(kind):
                path = self._path(cand.href)
                if path and path not in ("/", "") and "#" not in (cand.href or ""):
                    if all(p.href != cand.href for p in self.result.pages.values()):
                        self.result.pages[kind] = cand
                        break

    async def fill_step(self) -> int:
        """Fill what the current checkout step asks for; the number of fields acted on."""
        try:
            data = await self.page.evaluate(_FIELDS_JS)
        except Exception:  # noqa: BLE001
            return 0
        acted = 0
        for f in data.get("fields") or []:
            if not f.get("empty"):
                continue
            sel = f["selector"]
            loc = first_visible(self.page, sel)
            step: dict[str, Any]
            try:
                if f["type"] == "select":
                    choice = _choose_option(f)
                    if choice is None:
                        continue
                    await loc.select_option(choice, timeout=3000)
                    step = {"select": {"selector": sel, "value": choice}}
                elif f["type"] in ("radio", "checkbox"):
                    if f["type"] == "checkbox" and not f.get("required"):
                        continue  # newsletters and "save my details": leave unticked
                    await self.page.locator(sel).first.check(timeout=3000, force=True)
                    step = {"check": sel}
                else:
                    value = field_value(f)
                    if value is None and f.get("required"):
                        value = "test"  # a required field we cannot name: a neutral answer
                    if value is None:
                        continue
                    typed = (
                        value.replace("${" + PASSWORD_ENV + ":-", "").rstrip("}")
                        if value.startswith("${")
                        else value
                    )
                    await loc.fill(typed, timeout=3000)
                    step = {"fill": {"selector": sel, "value": value}}
            except Exception:  # noqa: BLE001 - a field that refuses input is left for the run to judge
                continue
            if not f.get("required"):
                step["if_visible"] = sel  # a field some channels or variants may not show
            label = f.get("label") or f.get("name")
            if label:
                step["_note"] = f"field {label!r}"
            self.result.steps.append(step)
            acted += 1
        return acted

    async def run(self) -> Exploration:
        t0 = time.perf_counter()
        page = self.page
        await page.goto(self.base_url + "/", wait_until="load", timeout=self.timeout_ms)
        await self.settle()
        with contextlib.suppress(Exception):
            self.result.platform = await page.evaluate(_PLATFORM_JS)
        self.result.steps.append({"goto": "/", "label": "Home"})
        await self.info_pages()
        try:
            await self._purchase()
        finally:
            self.result.elapsed_s = round(time.perf_counter() - t0, 2)
        return self.result

    async def _purchase(self) -> None:
        r = self.result
        if await self.click_one(await self.find("category"), "Open a category", role="category"):
            r.reached = "category"
        else:
            r.notes.append(
                "no category link was recognised; the journey goes from the home page to a product"
            )
        products = await self.find("product")
        if not products and r.reached == "category":
            r.notes.append("the category page showed no recognisable product; trying the home page")
        if not await self.click_one(products, "Open a product", role="product"):
            r.notes.append("no product link was recognised")
            return
        r.reached = "product"
        adds = await self.find("add")
        if not await self.click_one(adds, "Add to cart", role="add_to_cart"):
            r.notes.append("no add-to-cart button was recognised on the product page")
            return
        checkout = await self.find("checkout")
        if not checkout:
            if not await self.click_one(await self.find("cart"), "Open the cart", role="cart"):
                r.notes.append("no cart link was recognised after adding to the cart")
                return
            r.reached = "cart"
            checkout = await self.find("checkout")
        else:
            r.reached = "cart"
        if not await self.click_one(checkout, "Go to checkout", role="checkout"):
            r.notes.append("no checkout button was recognised in the cart")
            return
        r.reached = "checkout"
        stuck = 0
        for _ in range(12):
            place = await self.find("place")
            if place:
                best = place[0]
                r.found["place_order"] = best
                r.steps.append(
                    {
                        "click": best.selector,
                        "label": "Place order",
                        "places_order": True,
                        "_note": ("" if best.sure else "UNSURE ")
                        + f"order button {best.name!r}: inspected, never clicked without --allow-orders",
                    }
                )
                r.reached = "review"
                return
            await self.fill_step()
            before = (page_url := self.page.url, await self.heading())
            nxt = await self.find("next")
            if not nxt:
                nxt = [
                    Found("next", s, "submit button", None, ["the form's submit button"], 3)
                    for s in ("form button[type=submit]", "form input[type=submit]")
                ]
            if not await self.click_one(nxt, "Continue", role="continue"):
                r.notes.append(f"no way on was found from the checkout step at {self._path(page_url)}")
                return
            if (self.page.url, await self.heading()) == before:
                # The click did not move on (a validation error): it is not a journey step.
                while r.steps and "click" not in r.steps[-1]:
                    r.steps.pop()
                if r.steps:
                    r.steps.pop()
                stuck += 1
                if stuck >= 2:
                    r.notes.append(
                        f"the checkout step at {self._path(page_url)} did not move on (a field it wants "
                        "may not have been recognised)"
                    )
                    return
            else:
                stuck = 0


async def _explore_channel(browser: Any, base_url: str, channel: str, timeout_ms: int) -> Exploration:
    from cx_auditor.config import Channel

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))

    async def same_site_only(route: Any) -> None:
        request = route.request
        target = "{0.scheme}://{0.netloc}".format(urlsplit(request.url))
        if request.is_navigation_request() and target != origin:
            await route.abort()
        else:
            await route.continue_()

    prof = Channel(name=channel, preset=channel).resolved()  # type: ignore[arg-type]
    ctx = await browser.new_context(
        viewport=prof["viewport"],
        user_agent=prof["user_agent"],
        device_scale_factor=prof["device_scale_factor"],
        is_mobile=prof["is_mobile"],
        has_touch=prof["has_touch"],
        service_workers="block",
        accept_downloads=False,
    )
    try:
        ctx.set_default_timeout(timeout_ms)
        await ctx.route("**/*", same_site_only)
        ctx.on("dialog", lambda d: asyncio.ensure_future(d.dismiss()))
        page = await ctx.new_page()
        return await _Explorer(page, base_url, timeout_ms).run()
    finally:
        with contextlib.suppress(Exception):
            await ctx.close()


def _step_key(step: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in step.items() if not k.startswith("_") and k != "label"}, sort_keys=True
    )


def merge_channels(runs: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One step list from each channel's: shared steps once, the others with ``channels:``.

    A mobile checkout with an extra "confirm your address" page, or a desktop-only
    mini-basket, becomes steps that run only where they were found.
    """
    names = list(runs)
    merged = [dict(s) for s in runs[names[0]]]
    owners: list[set[str]] = [{names[0]} for _ in merged]
    for name in names[1:]:
        other = runs[name]
        matcher = difflib.SequenceMatcher(
            a=[_step_key(s) for s in merged], b=[_step_key(s) for s in other], autojunk=False
        )
        out: list[dict[str, Any]] = []
        out_owners: list[set[str]] = []
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                out += merged[a0:a1]
                out_owners += [o | {name} for o in owners[a0:a1]]
                continue
            out += merged[a0:a1]
            out_owners += owners[a0:a1]
            out += [dict(s) for s in other[b0:b1]]
            out_owners += [{name} for _ in other[b0:b1]]
        merged, owners = out, out_owners
    everyone = set(names)
    for step, owned in zip(merged, owners, strict=True):
        if owned != everyone:
            step["channels"] = [n for n in names if n in owned]
    return merged


async def explore(
    base_url: str,
    choice: BrowserChoice,
    *,
    timeout_ms: int = 15_000,
    headless: bool = True,
    channels: tuple[str, ...] = ("desktop", "mobile"),
) -> Exploration:
    """Visit the store on each channel's device profile and find its journeys (see the module doc).

    The first channel's findings lead (pages, platform, notes); the purchase steps are
    merged across channels with :func:`merge_channels`.
    """
    from playwright.async_api import async_playwright

    t0 = time.perf_counter()
    async with async_playwright() as pw:
        if choice.kind == "connect":
            browser = await pw.chromium.connect(choice.endpoint, timeout=30_000)
        elif choice.kind == "cdp":
            browser = await pw.chromium.connect_over_cdp(choice.endpoint, timeout=30_000)
        else:
            browser = await pw.chromium.launch(
                executable_path=choice.executable, headless=headless, args=choice.args
            )
        try:
            found = await asyncio.gather(
                *(_explore_channel(browser, base_url, c, timeout_ms) for c in channels)
            )
        finally:
            with contextlib.suppress(Exception):
                await browser.close()
    lead = found[0]
    for name, other in zip(channels[1:], found[1:], strict=True):
        if other.reached != lead.reached:
            lead.notes.append(
                f"on {name} the purchase journey reached {other.reached} (on {channels[0]}: {lead.reached})"
            )
        lead.notes += [f"{name}: {n}" for n in other.notes]
    lead.reached_by_channel = {c: f.reached for c, f in zip(channels, found, strict=True)}
    lead.steps = merge_channels({c: f.steps for c, f in zip(channels, found, strict=True)})
    lead.elapsed_s = round(time.perf_counter() - t0, 2)
    return lead


def explore_sync(base_url: str, choice: BrowserChoice, **kw: Any) -> Exploration:
    """:func:`explore` for synchronous callers (the CLI)."""
    return asyncio.run(explore(base_url, choice, **kw))
