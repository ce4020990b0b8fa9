"""The single-page-app mode of the demo store (auditor/demo/spa.py, static/spa/).

Server-side behaviour is tested through HTTP on a real ``DemoStore(spa=True)``;
the client-side routing through a real Chromium (marker ``browser``): cards that
link to ``#`` must lead browse → product → cart without a document load.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cx_auditor.checks._cart import check_cart, read_cart
from cx_auditor.checks._products import structured_products, visible_products
from cx_auditor.checks._structured import compare_offer, page_facts
from cx_auditor.demo import SPA_DEFECTS, DemoStore
from cx_auditor.demo.app import Request
from cx_auditor.demo.defects import CHECKS, SEEDED_DEFECTS
from cx_auditor.demo_config import demo_config

SPA_SOURCE = (Path(__file__).resolve().parents[1] / "auditor" / "demo" / "spa.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["clean", "flawed"])
def spa_store(request: pytest.FixtureRequest) -> Iterator[DemoStore]:
    with DemoStore(request.param, spa=True) as store:
        yield store


class Client:
    """A cookie-keeping HTTP client (the SPA's session lives in a cookie)."""

    def __init__(self, base: str, user_agent: str = "Mozilla/5.0 (X11; Linux x86_64)") -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.opener.addheaders = [("User-Agent", user_agent)]

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read().decode()

    def json(self, path: str, form: dict[str, str] | None = None) -> Any:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with self.opener.open(self.base + path, data=data, timeout=10) as r:
            assert r.headers["Content-Type"].startswith("application/json")
            return json.loads(r.read())


def test_every_route_gets_the_same_shell_and_title(spa_store: DemoStore) -> None:
    c = Client(spa_store.url)
    bodies = {
        path: c.get(path)
        for path in ("/", "/category/camping", "/product/CAM-1001", "/cart", "/help", "/nope")
    }
    assert {status for status, _, _ in bodies.values()} == {
        200
    }  # unknown routes too: the client renders them
    titles = {re.search(r"<title>(.*?)</title>", body).group(1) for _, _, body in bodies.values()}  # type: ignore[union-attr]
    assert titles == {"Northwind Outfitters – Outdoor gear"}
    assert c.get("/static/spa/app.js")[1].startswith("text/javascript")
    assert c.get("/static/spa/missing.js")[0] == 404


def test_api_answers_products_detail_and_errors(spa_store: DemoStore) -> None:
    c = Client(spa_store.url)
    listing = c.json("/api/products")
    assert listing["total"] == 12 and listing["products"][0]["price_display"].startswith("$")
    camping = c.json("/api/products?category=camping")["products"]
    assert camping and {p["category"] for p in camping} == {"camping"}
    sku = listing["products"][0]["sku"]
    detail = c.json(f"/api/products/{sku}")
    assert detail["sku"] == sku and detail["jsonld"]["@type"] == "Product"
    assert detail["jsonld"]["offers"]["price"] == detail["price"]
    assert c.get("/api/products/NOPE-1")[0] == 404
    assert c.get("/api/unknown")[0] == 404
    store_info = c.json("/api/store")
    assert store_info["phone_display"] == "1-800-555-0199" and store_info["return_days"] == 30


def test_cart_api_keeps_a_session_and_its_figures(spa_store: DemoStore) -> None:
    c = Client(spa_store.url)
    assert c.json("/api/cart")["lines"] == []
    sku = c.json("/api/products")["products"][0]["sku"]
    cart = c.json("/api/cart/add", {"sku": sku, "qty": "2"})
    assert cart["count"] == 2 and c.json("/api/cart")["count"] == 2  # the cookie keeps the session
    assert Client(spa_store.url).json("/api/cart")["count"] == 0  # another shopper's cart is empty
    text = "\n".join(f"{r['label']}\n{r['value']}" for r in cart["rows"])
    line = cart["lines"][0]
    shown_line = f"{line['name']}\nQty {line['qty']}\n{line['unit_display']} each {line['line_display']}"
    reading = read_cart(f"Your cart\n{shown_line}\n{text}")
    assert reading is not None
    problems = {p.kind for p in check_cart(reading)}
    if spa_store.variant == "clean":
        assert problems == set()
    else:
        assert problems == {"lines-vs-subtotal", "total-arithmetic"}
    emptied = c.json("/api/cart/update", {"sku": sku, "qty": "0"})
    assert emptied["lines"] == [] and emptied["rows"] == []


def test_orders_are_placed_only_by_posting_to_the_order_api(spa_store: DemoStore) -> None:
    c = Client(spa_store.url)
    with pytest.raises(urllib.error.HTTPError) as err:
        c.json("/api/order", {})  # nothing in the cart
    assert err.value.code == 409
    sku = c.json("/api/products")["products"][0]["sku"]
    c.json("/api/cart/add", {"sku": sku})
    order = c.json("/api/order", {})
    assert order["number"].startswith("NW-") and c.json("/api/cart")["count"] == 0


def test_flawed_api_carries_the_structured_data_and_price_defects() -> None:
    clean, flawed = DemoStore("clean", spa=True), DemoStore("flawed", spa=True)
    second, third = clean.catalog.products[1], clean.catalog.products[2]
    for store in (clean, flawed):
        app = store.app
        assert app.card(second)["price_display"] == "$89.00"  # type: ignore[union-attr]
    assert clean.app.detail(second, mobile=False)["price_display"] == "$89.00"  # type: ignore[union-attr]
    assert flawed.app.detail(second, mobile=False)["price_display"] == "$94.00"  # type: ignore[union-attr]
    sd = flawed.app.detail(third, mobile=False)["jsonld"]  # type: ignore[union-attr]
    assert sd["offers"]["price"] == "49.00" and third.price == 54_00
    assert sd["offers"]["hasMerchantReturnPolicy"]["merchantReturnDays"] == 14
    clean_sd = clean.app.detail(third, mobile=False)["jsonld"]  # type: ignore[union-attr]
    assert clean_sd["offers"]["price"] == "54.00"
    assert clean_sd["offers"]["hasMerchantReturnPolicy"]["merchantReturnDays"] == 30


def test_flawed_mobile_product_view_has_unreserved_late_image_and_slow_api() -> None:
    mobile_ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"
    for variant in ("clean", "flawed"):
        app = DemoStore(variant, spa=True).app
        sku = app.catalog.products[0].sku
        detail = app.handle(Request("GET", f"/api/products/{sku}", user_agent=mobile_ua))
        data = json.loads(detail.body)
        image = app.handle(Request("GET", data["image"], user_agent=mobile_ua))
        desktop = json.loads(app.handle(Request("GET", f"/api/products/{sku}")).body)
        assert desktop["reserve_media"] is True
        if variant == "flawed":
            assert data["reserve_media"] is False and "/late/" in data["image"] and image.delay > 0.5
            assert detail.delay > 2.5
        else:
            assert data["reserve_media"] is True and image.delay == 0 and detail.delay == 0


def test_spa_defects_are_listed_beside_the_others_and_each_is_implemented() -> None:
    ids = [d.id for d in SPA_DEFECTS]
    assert len(ids) == len(set(ids)) and not set(ids) & {d.id for d in SEEDED_DEFECTS}
    assert {d.check for d in SPA_DEFECTS} == set(CHECKS)
    for defect_id in ids:
        assert f'self.on("{defect_id}")' in SPA_SOURCE, f"{defect_id} is listed but never switched on"
    assert DemoStore("flawed", spa=True).active_defects == frozenset(ids)
    assert DemoStore("clean", spa=True).active_defects == frozenset()
    with pytest.raises(ValueError, match="unknown defect ids"):
        DemoStore("flawed", spa=True, defects=["forced-account"])  # a server-rendered defect


def test_spa_demo_config_parses_with_its_journeys() -> None:
    cfg = demo_config("http://127.0.0.1:9", "flawed", spa=True)
    assert [j.name for j in cfg.journeys] == ["purchase", "browse-and-help"]
    purchase = cfg.journeys[0]
    assert purchase.checkout and any(s.wait_for for s in purchase.steps) and purchase.steps[-1].places_order


def test_cli_serve_runs_until_interrupted() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cx_auditor.cli",
            "demo",
            "--serve",
            "--spa",
            "--variant",
            "clean",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        assert m, line + (proc.stderr.read() if proc.poll() is not None else "")  # type: ignore[union-attr]
        assert Client(m.group(1)).json("/api/store")["name"] == "Northwind Outfitters"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0  # generous: a starved machine, not the test's subject
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def chromium(browser_ok: None) -> Iterator[Any]:
    from cx_auditor.browser import find_browser
    from playwright.sync_api import sync_playwright

    choice = find_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=choice.executable, args=choice.args)
        yield browser
        browser.close()


@pytest.mark.browser
def test_browse_product_cart_by_clicking_cards(spa_store: DemoStore, chromium: Any) -> None:
    page = chromium.new_page()
    try:
        page.goto(spa_store.url + "/")
        page.wait_for_selector("[data-testid=category-tile]")
        title = page.title()
        page.evaluate("window.__sameDocument = true")
        page.click("[data-testid=category-tile] >> nth=0")
        page.wait_for_selector("[data-testid=product-grid] [data-testid=product-card]")
        assert page.url.endswith("/category/camping")
        card = page.locator("[data-testid=product-grid] [data-testid=product-card]").nth(1)
        assert card.get_attribute("href") == "#"
        card_name = card.locator("[data-testid=product-name]").inner_text()
        card_price = card.locator("[data-testid=price]").inner_text()
        card.click()
        page.wait_for_selector("[data-testid=add-to-cart]", timeout=15_000)
        assert re.search(r"/product/[A-Z]{3}-\d+$", page.url)
        assert page.evaluate("window.__sameDocument") is True  # History API, no document load
        assert page.title() == title
        html = page.content()
        [sd] = structured_products(html, page.url)
        [heading] = [v for v in visible_products(html) if v.role == "heading"]
        assert heading.name == card_name == sd.name  # identity without links or titles
        facts = page_facts(page.inner_text("body"), heading)
        mismatches = {m.field for m in compare_offer(sd, facts)}
        detail_price = page.inner_text("[data-testid=product-detail] [data-testid=price]")
        if spa_store.variant == "clean":
            assert detail_price == card_price and mismatches == set()
        else:
            assert (card_price, detail_price) == ("$89.00", "$94.00")  # listing vs detail
            assert mismatches == {"return_days"}
        page.fill("[data-testid=qty]", "2")
        page.click("[data-testid=add-to-cart]")
        page.wait_for_selector("[data-testid=cart-line]")
        assert page.url.endswith("/cart") and page.evaluate("window.__sameDocument") is True
        assert page.inner_text("[data-testid=cart-count]") == "2"
        reading = read_cart(page.inner_text("body"))
        assert reading is not None and [li.quantity for li in reading.lines] == [2]
        problems = {p.kind for p in check_cart(reading)}
        assert problems == (
            set() if spa_store.variant == "clean" else {"lines-vs-subtotal", "total-arithmetic"}
        )
        page.go_back()
        page.wait_for_selector("[data-testid=add-to-cart]", timeout=15_000)
        assert "/product/" in page.url
    finally:
        page.close()


@pytest.mark.browser
def test_structured_data_price_defect_in_a_real_browser(chromium: Any) -> None:
    with DemoStore("flawed", spa=True, defects=["spa-structured-data-price"]) as store:
        sku = store.catalog.products[2].sku
        page = chromium.new_page()
        try:
            page.goto(f"{store.url}/product/{sku}")
            page.wait_for_selector("[data-testid=add-to-cart]")
            html = page.content()
            [sd] = structured_products(html, page.url)
            [heading] = [v for v in visible_products(html) if v.role == "heading"]
            [m] = compare_offer(sd, page_facts(page.inner_text("body"), heading))
            assert (m.field, m.structured, m.shown) == ("price", "49.00 USD", "54.00 USD")
            page.click("[data-testid=cart-link]")
            page.wait_for_selector("[data-testid=empty-cart]")
            assert page.locator("script[type='application/ld+json']").count() == 0  # removed on leaving
        finally:
            page.close()


MOBILE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
_OBSERVE_SHIFTS = """() => {
  window.__shifts = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => {
    if (!e.hadRecentInput) { window.__shifts.push(e.value); }
  })).observe({type: "layout-shift"});
}"""


def _soft_nav_cls(browser: Any, base_url: str, mobile: bool) -> float:
    """CLS of the product view reached by clicking a card (the window starts at the click)."""
    if mobile:
        ctx = browser.new_context(
            user_agent=MOBILE_UA, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
    else:
        ctx = browser.new_context(viewport={"width": 1350, "height": 940})
    try:
        page = ctx.new_page()
        page.goto(base_url + "/category/camping")
        page.wait_for_selector("[data-testid=product-card]")
        page.evaluate(_OBSERVE_SHIFTS)
        page.locator("[data-testid=product-card]").first.click()
        page.wait_for_selector("[data-testid=add-to-cart]")
        # The late image is served after 1.2 s; wait until it has loaded, not for a fixed time.
        page.wait_for_function("() => document.querySelector('[data-testid=product-image]').complete")
        page.wait_for_timeout(200)  # let the layout-shift entry be delivered
        return float(sum(page.evaluate("window.__shifts")))
    finally:
        ctx.close()


@pytest.mark.browser
def test_mobile_product_view_shifts_after_a_soft_navigation_only_when_seeded(chromium: Any) -> None:
    with DemoStore("flawed", spa=True, defects=["spa-mobile-product-shift"]) as flawed:
        assert _soft_nav_cls(chromium, flawed.url, mobile=True) > 0.25
        assert _soft_nav_cls(chromium, flawed.url, mobile=False) < 0.01
    with DemoStore("clean", spa=True) as clean:
        assert _soft_nav_cls(chromium, clean.url, mobile=True) < 0.01
