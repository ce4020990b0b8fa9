"""Behavioural tests for the built-in demo store (``auditor.demo``), over real HTTP.

No browser: a tiny urllib client with a cookie jar and *no* automatic redirects, so
the tests can assert each 303 of the checkout chain.  Each seeded defect has a
probe that must fire on the flawed store and stay silent on the clean one: the
demo store is the ground truth for the auditor, so a defect that cannot be
observed (or that leaks into ``clean``) is a bug here.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from cx_auditor.demo import SEEDED_DEFECTS, Defect, DemoStore, documents_dir
from cx_auditor.demo.defects import CHECKS

DESKTOP_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
)
MOBILE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
ALL_IDS = frozenset(d.id for d in SEEDED_DEFECTS)


# --------------------------------------------------------------------------- helpers


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # surface 3xx to the caller instead of following it


class Resp:
    def __init__(self, status: int, headers, body: bytes) -> None:  # type: ignore[no-untyped-def]
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")


class Client:
    """A browser-ish HTTP client: one cookie jar, one User-Agent, manual redirects."""

    def __init__(self, base: str, ua: str = DESKTOP_UA) -> None:
        self.base = base
        self.ua = ua
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def request(self, path: str, data: dict[str, str] | None = None, method: str | None = None) -> Resp:
        body = urlencode(data).encode() if data is not None else None
        req = Request(self.base + path, data=body, headers={"User-Agent": self.ua}, method=method)
        try:
            with self.opener.open(req, timeout=10) as r:
                return Resp(r.status, r.headers, r.read())
        except HTTPError as e:
            return Resp(e.code, e.headers, e.read())

    def get(self, path: str) -> Resp:
        return self.request(path)

    def post(self, path: str, data: dict[str, str]) -> Resp:
        return self.request(path, data)

    def add_to_cart(self, sku: str, qty: int = 1) -> None:
        r = self.post("/cart/add", {"sku": sku, "qty": str(qty)})
        assert (r.status, r.location) == (303, "/cart")


def text_of(html: str, testid: str) -> str:
    """Whitespace-normalised text content of the first element with ``data-testid``."""
    m = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert m, f"no element with data-testid={testid!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(2)).split())


def footer_help_order(html: str) -> list[str]:
    return re.findall(r'data-help="([a-z]+)"', html)


GOOD_CHECKOUT_DATA: dict[str, dict[str, str]] = {
    "email": {"email": "alex@example.com"},
    "account": {"password": "hunter2hunter2", "password_confirm": "hunter2hunter2"},
    "shipping": {
        "full_name": "Alex Rivera",
        "address1": "12 Harbor St",
        "address2": "",
        "city": "Portland",
        "postal_code": "04101",
        "country": "US",
        "phone": "2075550100",
        "company": "Acme",
        "dob": "1990-01-01",
        "phone2": "2075550101",
        "fax": "2075550102",
        "heard_about": "friend",
    },
    "confirm-address": {},
    "method": {"shipping_method": "standard"},
    "payment": {
        "card_number": "4242424242424242",
        "expiry": "12/30",
        "cvc": "123",
        "card_name": "Alex Rivera",
    },
}


def walk_checkout(client: Client) -> list[str]:
    """Submit every step with valid data; return the visited step paths in order."""
    visited = []
    path = "/checkout/email"
    while path != "/checkout/review":
        page = client.get(path)
        assert page.status == 200, (path, page.status)
        visited.append(path)
        r = client.post(path, GOOD_CHECKOUT_DATA[path.rsplit("/", 1)[1]])
        assert r.status == 303, (path, r.status, r.text[:500])
        assert r.location
        path = r.location
    visited.append(path)
    return visited


def count_checkout_fields(client: Client, steps: list[str]) -> int:
    """Form fields the shopper sees inside checkout forms (a radio group counts once)."""
    total = 0
    for path in steps:
        html = client.get(path).text
        form = re.search(r'<form[^>]*data-testid="checkout-form".*?</form>', html, re.S)
        assert form
        inputs = re.findall(r"<(?:input|select|textarea)\b([^>]*)>", form.group(0))
        radio_groups = set()
        for attrs in inputs:
            if 'type="hidden"' in attrs:
                continue
            if 'type="radio"' in attrs:
                radio_groups.add(re.search(r'name="([^"]+)"', attrs).group(1))  # type: ignore[union-attr]
                continue
            total += 1
        total += len(radio_groups)
    return total


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def clean() -> Iterator[DemoStore]:
    with DemoStore("clean") as store:
        yield store


@pytest.fixture(scope="module")
def flawed() -> Iterator[DemoStore]:
    """All defects except the 2.2 s product delay (tested once, separately) to stay fast."""
    with DemoStore("flawed", defects=ALL_IDS - {"slow-product-page"}) as store:
        yield store


# --------------------------------------------------------------------------- construction


def test_variant_validation_and_defaults() -> None:
    with pytest.raises(ValueError):
        DemoStore("broken")
    with pytest.raises(ValueError):
        DemoStore("flawed", defects={"no-such-defect"})
    assert DemoStore("flawed").active_defects == ALL_IDS
    assert DemoStore("clean").active_defects == frozenset()
    with pytest.raises(RuntimeError):
        _ = DemoStore().url


def test_seeded_defects_catalogue() -> None:
    ids = [d.id for d in SEEDED_DEFECTS]
    assert len(ids) == len(set(ids))
    assert all(
        isinstance(d, Defect) and d.check in CHECKS and d.description and d.where for d in SEEDED_DEFECTS
    )
    assert {d.check for d in SEEDED_DEFECTS} == set(CHECKS)
    required = {
        "slow-product-page",
        "layout-shift-banner",
        "slow-add-to-cart",
        "forced-account",
        "extra-fields",
        "mobile-extra-step",
        "mobile-shipping-threshold",
        "listing-price-mismatch",
        "faq-return-window",
        "email-phone-mismatch",
        "cart-charges-shipping-over-threshold",
        "checkout-contact-404",
        "checkout-no-help-mobile",
        "help-order-varies",
        "broken-chat-launcher",
        "malformed-tel",
    }
    assert required <= set(ids)


def test_url_and_stop_frees_port() -> None:
    store = DemoStore().start()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", store.url)
    port = int(store.url.rsplit(":", 1)[1])
    assert Client(store.url).get("/").status == 200
    store.stop()
    store.stop()  # idempotent
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with DemoStore(port=port) as again:  # the port can be bound again
        assert again.url.endswith(f":{port}")
        assert Client(again.url).get("/robots.txt").status == 200


# --------------------------------------------------------------------------- pages


PAGES = {
    "/": [
        "Free shipping on orders over $50 · 30-day free returns · "
        "Use code WELCOME10 for 10% off your first order",
        'data-testid="promo-banner"',
        '<img class="hero-img" src="/static/hero.svg" width="1200" height="480"',
        "Featured gear",
        "$249.00",
    ],
    "/category/camping": [
        'data-testid="product-card"',
        'href="/product/CAM-1001"',
        "SKU CAM-1001",
        "$249.00",
    ],
    "/product/PAC-1005": [
        "<h1>Trailhead 28L Daypack</h1>",
        '<span data-testid="price">$129.00</span>',
        "Free shipping on orders over $50. Ships within 1–2 business days. 30-day returns.",
        "2-year warranty",
        'action="/cart/add"',
        'data-testid="add-to-cart"',
    ],
    "/search?q=daypack": ['href="/product/PAC-1005"', "1 product found"],
    "/cart": ["Your cart is empty"],
    "/help": ['id="track"', "within 30 days", "2-year warranty", "3–5 business days", "$50", "WELCOME10"],
    "/contact": [
        '<a href="tel:+18005550199" data-testid="contact-phone">1-800-555-0199</a>',
        "support@northwind.example",
        "Mon–Fri 9am–6pm ET",
        'action="/contact"',
    ],
    "/policies/shipping-returns": [
        "over $50",
        "3–5 business days",
        "1–2 business days",
        "30-day returns",
        "2-year warranty",
    ],
}


@pytest.mark.parametrize("path", list(PAGES))
def test_pages_render_with_shared_layout(clean: DemoStore, path: str) -> None:
    r = Client(clean.url).get(path)
    assert r.status == 200
    assert r.headers["Content-Type"].startswith("text/html")
    html = r.text
    for snippet in PAGES[path]:
        assert snippet in html, snippet
    assert '<html lang="en">' in html and '<meta name="viewport"' in html
    assert re.search(r"<title>[^<]+ · Northwind Outfitters</title>", html)
    assert re.search(r"<header.*<nav id=\"site-nav\"", html, re.S)
    for link in (
        'href="/category/camping"',
        'href="/category/backpacks"',
        'href="/category/apparel"',
        'href="/help"',
        'href="/contact"',
        'href="/cart"',
        'action="/search"',
    ):
        assert link in html
    assert (
        '<button type="button" class="menu-toggle" data-testid="menu-toggle" aria-expanded="false" '
        'aria-controls="site-nav">Menu</button>' in html
    )
    footer = html[html.index("<footer") :]
    for snippet in (
        'href="/contact"',
        'href="/help"',
        'href="/policies/shipping-returns"',
        'href="/help#track"',
        '<a href="tel:+18005550199">1-800-555-0199</a>',
        '<a href="mailto:support@northwind.example">support@northwind.example</a>',
        "Mon–Fri 9am–6pm ET",
    ):
        assert snippet in footer, snippet
    assert 'data-testid="chat-launcher" aria-label="Chat with us"' in html
    assert 'role="dialog"' in html and 'data-testid="chat-panel"' in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_not_found(clean: DemoStore) -> None:
    c = Client(clean.url)
    r = c.get("/product/NOPE-1")
    assert r.status == 404 and "Product not found" in r.text and "<footer" in r.text
    assert c.get("/does-not-exist").status == 404
    assert c.get("/category/kayaks").status == 404
    assert c.get("/category/camping?page=99").status == 404
    assert c.get("/contact-us").status == 404


def test_robots_and_static_assets(clean: DemoStore) -> None:
    c = Client(clean.url)
    robots = c.get("/robots.txt")
    assert robots.status == 200
    assert "Disallow: /checkout/" in robots.text and "Disallow: /cart/add" in robots.text
    for path, ctype in (
        ("/static/app.css", "text/css"),
        ("/static/app.js", "javascript"),
        ("/static/hero.svg", "image/svg+xml"),
        ("/static/logo.svg", "image/svg+xml"),
        ("/static/img/product/CAM-1001.svg", "image/svg+xml"),
        ("/static/img/category/apparel.svg", "image/svg+xml"),
    ):
        r = c.get(path)
        assert r.status == 200 and ctype in r.headers["Content-Type"], path
    assert c.get("/static/../store.py").status == 404
    assert c.get("/static/img/product/CAM-9999.svg").status == 404


def test_head_requests_have_no_body(clean: DemoStore) -> None:
    r = Client(clean.url).request("/help", method="HEAD")
    assert r.status == 200 and r.body == b"" and int(r.headers["Content-Length"]) > 1000


def test_search(clean: DemoStore) -> None:
    c = Client(clean.url)
    html = c.get("/search?q=jacket").text
    assert 'href="/product/APP-1009"' in html
    assert 'value="jacket"' in html
    assert "No products match" in c.get("/search?q=snowmobile").text
    assert c.get("/search?q=%3Cscript%3E").text.count("<script>") == 0  # autoescaped


def test_contact_form(clean: DemoStore) -> None:
    c = Client(clean.url)
    bad = c.post("/contact", {"name": "", "email": "x@example.com", "message": ""})
    assert bad.status == 400 and "Your name is required." in bad.text
    ok = c.post("/contact", {"name": "Sam", "email": "sam@example.com", "message": "Hi"})
    assert ok.status == 200 and "Thanks, Sam!" in ok.text


# --------------------------------------------------------------------------- cart


def test_cart_cookie_flow_and_totals(clean: DemoStore) -> None:
    c = Client(clean.url)
    c.add_to_cart("PAC-1005")  # $129.00
    html = c.get("/cart").text
    assert text_of(html, "cart-count") == "1"
    assert text_of(html, "line-unit") == "$129.00"
    assert text_of(html, "cart-subtotal") == "Subtotal $129.00"
    assert text_of(html, "cart-shipping") == "Shipping Free"
    assert text_of(html, "cart-total") == "Total $129.00"
    assert 'href="/checkout/email" data-testid="checkout"' in html

    c.add_to_cart("PAC-1005", 2)
    html = c.get("/cart").text
    assert text_of(html, "line-total") == "$387.00" and text_of(html, "cart-count") == "3"

    other = Client(clean.url)  # a different browser has its own (empty) cart
    assert "Your cart is empty" in other.get("/cart").text

    cheap = Client(clean.url)
    cheap.add_to_cart("CAM-1004")  # $39.00, under the $50 threshold
    html = cheap.get("/cart").text
    assert text_of(html, "cart-shipping") == "Shipping $5.99"
    assert text_of(html, "cart-total") == "Total $44.99"
    assert cheap.post("/cart/update", {"sku": "CAM-1004", "remove": "1"}).status == 303
    assert "Your cart is empty" in cheap.get("/cart").text


def test_cart_add_unknown_sku_is_404(clean: DemoStore) -> None:
    assert Client(clean.url).post("/cart/add", {"sku": "NOPE-1"}).status == 404


# --------------------------------------------------------------------------- checkout


def test_checkout_requires_a_cart(clean: DemoStore) -> None:
    r = Client(clean.url).get("/checkout/email")
    assert (r.status, r.location) == (303, "/cart")


def test_clean_checkout_chain_desktop(clean: DemoStore) -> None:
    c = Client(clean.url)
    c.add_to_cart("PAC-1005")
    steps = walk_checkout(c)
    assert steps == [
        "/checkout/email",
        "/checkout/shipping",
        "/checkout/method",
        "/checkout/payment",
        "/checkout/review",
    ]
    email = c.get("/checkout/email").text
    assert "Checkout — Step 1 of 5: Email" in email and "Checkout as guest" in email
    assert "Checkout — Step 5 of 5: Review your order" in c.get("/checkout/review").text
    shipping = c.get("/checkout/shipping").text
    for name in ("full_name", "address1", "address2", "city", "postal_code", "country", "phone"):
        assert re.search(rf'<label for="f-{name}">', shipping) and f'name="{name}"' in shipping
    address2 = re.search(r'<input id="f-address2"[^>]*>', shipping)
    assert address2 and "required" not in address2.group(0)
    review = c.get("/checkout/review").text
    assert text_of(review, "review-total") == "Total $129.00"
    assert 'data-testid="place-order">Place order</button>' in review
    assert 'data-testid="continue"' in email
    placed = c.post("/checkout/place-order", {})
    assert (placed.status, placed.location) == (303, "/checkout/confirmation")
    confirmation = c.get("/checkout/confirmation").text
    assert re.search(r"Thank you, order #NW-\d{6}", confirmation)
    assert "Your cart is empty" in c.get("/cart").text


def test_clean_checkout_field_count(clean: DemoStore) -> None:
    c = Client(clean.url)
    c.add_to_cart("PAC-1005")
    steps = walk_checkout(c)[:-1]
    assert count_checkout_fields(c, steps) == 13  # 11 required + address line 2 + phone


def test_checkout_validation_and_no_skipping(clean: DemoStore) -> None:
    c = Client(clean.url)
    c.add_to_cart("PAC-1005")
    skipped = c.get("/checkout/payment")
    assert (skipped.status, skipped.location) == (303, "/checkout/email")
    bad = c.post("/checkout/email", {"email": ""})
    assert (
        bad.status == 400 and "Email address is required." in bad.text and 'aria-invalid="true"' in bad.text
    )
    assert c.post("/checkout/email", {"email": "not-an-email"}).status == 400
    assert c.post("/checkout/email", {"email": "a@example.com"}).location == "/checkout/shipping"
    partial = c.post("/checkout/shipping", {"full_name": "Alex", "country": "US"})
    assert partial.status == 400 and "City is required." in partial.text
    assert 'value="Alex"' in partial.text  # what was typed is kept


def test_clean_mobile_checkout_has_same_steps(clean: DemoStore) -> None:
    c = Client(clean.url, MOBILE_UA)
    c.add_to_cart("PAC-1005")
    assert walk_checkout(c) == [
        "/checkout/email",
        "/checkout/shipping",
        "/checkout/method",
        "/checkout/payment",
        "/checkout/review",
    ]


def test_flawed_checkout_chains(flawed: DemoStore) -> None:
    desktop = Client(flawed.url)
    desktop.add_to_cart("PAC-1005")
    desktop_steps = walk_checkout(desktop)
    assert desktop_steps == [
        "/checkout/email",
        "/checkout/account",
        "/checkout/shipping",
        "/checkout/method",
        "/checkout/payment",
        "/checkout/review",
    ]
    assert desktop.get("/checkout/confirm-address").status == 404

    mobile = Client(flawed.url, MOBILE_UA)
    mobile.add_to_cart("PAC-1005")
    mobile_steps = walk_checkout(mobile)
    assert mobile_steps == [
        "/checkout/email",
        "/checkout/account",
        "/checkout/shipping",
        "/checkout/confirm-address",
        "/checkout/method",
        "/checkout/payment",
        "/checkout/review",
    ]
    assert "Checkout — Step 4 of 7: Confirm your address" in mobile.get("/checkout/confirm-address").text
    assert mobile.post("/checkout/place-order", {}).location == "/checkout/confirmation"


# --------------------------------------------------------------------------- seeded defects


def _cart_client(url: str, ua: str = DESKTOP_UA, sku: str = "PAC-1005") -> Client:
    c = Client(url, ua)
    c.add_to_cart(sku)
    return c


def probe_slow_product_page(url: str) -> bool:
    start = time.perf_counter()
    assert Client(url).get("/product/CAM-1001").status == 200
    return time.perf_counter() - start >= 2.1


def probe_layout_shift_banner(url: str) -> bool:
    c = Client(url)
    injected = '<script src="/static/promo.js" defer></script>' in c.get("/").text
    if injected:
        js = c.get("/static/promo.js").text
        assert "setTimeout" in js and "insertBefore" in js
    return injected


def probe_slow_add_to_cart(url: str) -> bool:
    c = Client(url)
    hooked = '<script src="/static/tracking.js" defer></script>' in c.get("/product/PAC-1005").text
    if hooked:
        js = c.get("/static/tracking.js").text
        assert "add-to-cart" in js and "performance.now() + 400" in js
    return hooked


def probe_forced_account(url: str) -> bool:
    c = _cart_client(url)
    nxt = c.post("/checkout/email", {"email": "a@example.com"}).location
    if nxt != "/checkout/account":
        return False
    html = c.get(nxt).text
    assert "Checkout as guest" not in html
    assert html.count('type="password"') == 2 and html.count(" required") >= 2
    assert c.post(nxt, {"password": "", "password_confirm": ""}).status == 400
    return True


def probe_extra_fields(url: str) -> bool:
    c = _cart_client(url)
    steps = walk_checkout(c)[:-1]
    shipping = c.get("/checkout/shipping").text
    extra = all(f'name="{n}"' in shipping for n in ("company", "dob", "phone2", "fax", "heard_about"))
    return extra and count_checkout_fields(c, steps) > 15


def probe_mobile_extra_step(url: str) -> bool:
    desktop = walk_checkout(_cart_client(url))
    mobile = walk_checkout(_cart_client(url, MOBILE_UA))
    return len(mobile) > len(desktop) and "/checkout/confirm-address" in mobile


def probe_mobile_shipping_threshold(url: str) -> bool:
    mobile, desktop = Client(url, MOBILE_UA), Client(url)
    assert "over $50" in text_of(desktop.get("/").text, "promo-banner")
    assert "over $50" in text_of(desktop.get("/product/APP-1011").text, "shipping-info")
    banner = text_of(mobile.get("/").text, "promo-banner")
    product = text_of(mobile.get("/product/APP-1011").text, "shipping-info")
    return "over $75" in banner and "over $75" in product


def probe_listing_price_mismatch(url: str) -> bool:
    c = Client(url)
    listing = c.get("/category/camping").text
    card = re.search(r'href="/product/CAM-1002">.*?data-testid="card-price">([^<]+)<', listing, re.S)
    assert card
    detail = text_of(c.get("/product/CAM-1002").text, "price")
    c.add_to_cart("CAM-1002")
    cart = text_of(c.get("/cart").text, "line-unit")
    assert card.group(1) == "$89.00"
    return detail == cart == "$94.00"


def probe_faq_return_window(url: str) -> bool:
    c = Client(url)
    faq = re.search(r'id="returns">(.*?)</section>', c.get("/help").text, re.S).group(1)  # type: ignore[union-attr]
    assert "30-day returns" in c.get("/policies/shipping-returns").text
    return "within 14 days" in faq


def probe_email_phone_mismatch(url: str) -> bool:
    """Documents are files, not HTTP: read the folder for the variant served at ``url``."""
    text = "".join(p.read_text(encoding="utf-8") for p in documents_dir(_VARIANT_BY_URL[url]).iterdir())
    return "1-800-555-0123" in text and "60 days" in text and "1-800-555-0199" not in text


def probe_cart_charges_shipping(url: str) -> bool:
    html = _cart_client(url).get("/cart").text  # $129.00 > $50
    return (
        text_of(html, "cart-shipping") == "Shipping $5.99" and text_of(html, "cart-total") == "Total $134.99"
    )


def probe_checkout_contact_404(url: str) -> bool:
    c = _cart_client(url)
    html = c.get("/checkout/email").text
    header_contact = re.search(r'<nav id="site-nav".*?<a href="([^"]+)">Contact</a>', html, re.S).group(1)  # type: ignore[union-attr]
    footer_contact = re.search(r'data-help="contact"><a href="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert header_contact == footer_contact
    return header_contact == "/contact-us" and c.get(header_contact).status == 404


def probe_checkout_no_help_mobile(url: str) -> bool:
    page = _cart_client(url, MOBILE_UA).get("/checkout/email")
    assert page.status == 200
    html = page.text
    desktop = _cart_client(url).get("/checkout/email").text
    assert 'data-testid="chat-launcher"' in desktop and 'data-testid="footer-help"' in desktop
    gone = (
        'data-testid="chat-launcher"' not in html
        and 'data-testid="footer-help"' not in html
        and 'href="/help"' not in html
        and "tel:" not in html
        and ">Contact</a>" not in html
    )
    if not gone:
        assert 'data-testid="chat-launcher"' in html and 'href="/help"' in html
    return gone


def probe_help_order_varies(url: str) -> bool:
    c = Client(url)
    orders = {
        p: footer_help_order(c.get(p).text) for p in ("/", "/help", "/product/PAC-1005", "/category/camping")
    }
    assert orders["/"] == orders["/help"] == orders["/product/PAC-1005"]
    assert sorted(orders["/"]) == sorted(orders["/category/camping"])
    return orders["/category/camping"] != orders["/"]


def probe_broken_chat_launcher(url: str) -> bool:
    html = Client(url).get("/product/PAC-1005").text
    assert 'data-testid="chat-launcher"' in html
    return 'data-testid="chat-panel"' not in html


def probe_malformed_tel(url: str) -> bool:
    tels = re.findall(r'href="(tel:[^"]*)"', Client(url).get("/contact").text)
    assert tels
    return any(not re.fullmatch(r"tel:\+[0-9]{7,15}", t) for t in tels)


def probe_dead_add_to_cart(url: str) -> bool:
    c = Client(url)
    works = 'type="submit" class="button button-primary" data-testid="add-to-cart"'
    assert works in c.get("/product/CAM-1001").text  # the demo journey's product keeps a working button
    return works not in c.get("/product/CAM-1003").text


def probe_wrong_product_link(url: str) -> bool:
    listing = Client(url).get("/category/camping").text
    card = re.search(
        r'href="(/product/[^"]+)">\s*<img[^>]*>\s*<span class="card-body">\s*'
        r'<span class="card-name">Lakeside Folding Camp Chair<',
        listing,
    )
    assert card
    return card.group(1) != "/product/CAM-1004"


def probe_contact_field_mirror(url: str) -> bool:
    return "/static/contact-form.js" in Client(url).get("/contact").text


def probe_search_script_error(url: str) -> bool:
    c = Client(url)
    included = "/static/search-facets.js" in c.get("/search?q=tent").text
    script = c.get("/static/search-facets.js").text
    return included and "config.facets" in script


def probe_cart_recommendations_500(url: str) -> bool:
    c = _cart_client(url)
    included = "/static/recommendations.js" in c.get("/cart").text
    return included and c.get("/api/recommendations").status == 500


def probe_placeholder_product_images(url: str) -> bool:
    html = Client(url).get("/category/backpacks").text
    srcs = re.findall(r'data-testid="product-card"[^>]*>\s*<img src="([^"]+)"', html)
    return len(srcs) >= 3 and len(set(srcs)) == 1


def probe_place_order_throws(url: str) -> bool:
    c = _cart_client(url)
    steps = walk_checkout(c)
    assert steps[-1] == "/checkout/review"
    return "/static/place-order.js" in c.get("/checkout/review").text


PROBES: dict[str, Callable[[str], bool]] = {
    "slow-product-page": probe_slow_product_page,
    "layout-shift-banner": probe_layout_shift_banner,
    "slow-add-to-cart": probe_slow_add_to_cart,
    "forced-account": probe_forced_account,
    "extra-fields": probe_extra_fields,
    "mobile-extra-step": probe_mobile_extra_step,
    "mobile-shipping-threshold": probe_mobile_shipping_threshold,
    "listing-price-mismatch": probe_listing_price_mismatch,
    "faq-return-window": probe_faq_return_window,
    "email-phone-mismatch": probe_email_phone_mismatch,
    "cart-charges-shipping-over-threshold": probe_cart_charges_shipping,
    "checkout-contact-404": probe_checkout_contact_404,
    "checkout-no-help-mobile": probe_checkout_no_help_mobile,
    "help-order-varies": probe_help_order_varies,
    "broken-chat-launcher": probe_broken_chat_launcher,
    "malformed-tel": probe_malformed_tel,
    "dead-add-to-cart": probe_dead_add_to_cart,
    "wrong-product-link": probe_wrong_product_link,
    "contact-field-mirror": probe_contact_field_mirror,
    "search-script-error": probe_search_script_error,
    "cart-recommendations-500": probe_cart_recommendations_500,
    "placeholder-product-images": probe_placeholder_product_images,
    "place-order-throws": probe_place_order_throws,
}

#: Store URL -> variant, for probes of channels that are not served over HTTP.
_VARIANT_BY_URL: dict[str, str] = {}


def test_every_seeded_defect_has_a_probe() -> None:
    assert set(PROBES) == ALL_IDS


@pytest.mark.parametrize("defect_id", sorted(ALL_IDS - {"slow-product-page"}))
def test_defect_observable_in_flawed_only(clean: DemoStore, flawed: DemoStore, defect_id: str) -> None:
    _VARIANT_BY_URL[clean.url] = "clean"
    _VARIANT_BY_URL[flawed.url] = "flawed"
    assert PROBES[defect_id](flawed.url), f"{defect_id} not observable on the flawed store"
    assert not PROBES[defect_id](clean.url), f"{defect_id} leaks into the clean store"


def test_slow_product_page_only_when_flawed(clean: DemoStore) -> None:
    assert not probe_slow_product_page(clean.url)
    with DemoStore("flawed", defects={"slow-product-page"}) as slow:
        assert probe_slow_product_page(slow.url)  # the one 2.2 s request of the suite
        c = Client(slow.url)
        assert (
            c.get("/").status == 200 and c.get("/category/camping").status == 200
        )  # only product pages wait


def test_single_defect_switch_leaves_others_off() -> None:
    with DemoStore("flawed", defects={"malformed-tel"}) as store:
        _VARIANT_BY_URL[store.url] = "flawed"
        assert probe_malformed_tel(store.url)
        assert not probe_help_order_varies(store.url)
        assert not probe_cart_charges_shipping(store.url)


# --------------------------------------------------------------------------- documents


def test_documents_channel() -> None:
    names = {
        "order-confirmation.html",
        "shipping-notice.html",
        "sms.txt",
        "app-store-listing.txt",
        "chatbot-answers.txt",
    }
    for variant in ("clean", "flawed"):
        folder = documents_dir(variant)
        assert {p.name for p in folder.iterdir()} >= names
    clean_text = "".join(p.read_text(encoding="utf-8") for p in documents_dir("clean").iterdir())
    for fact in (
        "1-800-555-0199",
        "support@northwind.example",
        "over $50",
        "30 days",
        "3–5 business days",
        "2-year warranty",
        "WELCOME10",
        "Mon–Fri 9am–6pm ET",
        "$129.00",
    ):
        assert fact in clean_text, fact
    for bad in ("0123", "60 days", "60-day", "14 days", "$75"):
        assert bad not in clean_text, bad
    with pytest.raises(ValueError):
        documents_dir("other")


# --------------------------------------------------------------------------- large catalogue


def test_large_catalogue_is_reachable() -> None:
    with DemoStore(products=2000) as store:
        c = Client(store.url)
        seen: set[str] = set()
        total = 0
        for slug in ("camping", "backpacks", "apparel"):
            first = c.get(f"/category/{slug}").text
            count = int(re.search(r"of (\d+) products", text_of(first, "result-count")).group(1))  # type: ignore[union-attr]
            total += count
            pages = -(-count // 24)
            assert f'href="/category/{slug}?page=2"' in first
            for page in range(1, pages + 1):
                html = first if page == 1 else c.get(f"/category/{slug}?page={page}").text
                skus = re.findall(r'data-testid="product-card" href="/product/([A-Z]+-\d+)"', html)
                assert len(skus) == (24 if page < pages else count - 24 * (pages - 1))
                seen.update(skus)
            assert c.get(f"/category/{slug}?page={pages + 1}").status == 404
        assert total == 2000 and len(seen) == 2000
        ordered = sorted(seen, key=lambda s: int(s.split("-")[1]))
        for sku in (ordered[0], ordered[11], ordered[12], ordered[999], ordered[-1]):
            r = c.get(f"/product/{sku}")
            assert r.status == 200 and f'<span data-testid="sku">{sku}</span>' in r.text
        assert (
            c.get(f"/product/{ordered[-1].split('-')[0]}-{int(ordered[-1].split('-')[1]) + 1}").status == 404
        )


def test_catalogue_is_deterministic() -> None:
    a = [(p.sku, p.name, p.price) for p in DemoStore(products=300, seed=7).catalog.products]
    b = [(p.sku, p.name, p.price) for p in DemoStore(products=300, seed=7).catalog.products]
    c = [(p.sku, p.name, p.price) for p in DemoStore(products=300, seed=8).catalog.products]
    assert a == b and a != c and a[:12] == c[:12]
