"""The single-page-app mode of the demo store (``cx-audit demo --spa``).

Real storefronts are often React/Vue apps, and they defeat an auditor that only
knows server-rendered pages: every route shares one ``<title>``, product cards
are ``<a href="#">`` with click handlers, the URL changes through the History
API without a document load, products arrive as JSON, images are lazy and have
no dimensions, and the machine-readable product data (JSON-LD) is injected by
script.  :class:`SpaApp` serves exactly that shape, with the same catalogue,
policies and journeys (browse → product → cart → checkout review; help and
contact) as the server-rendered store in :mod:`auditor.demo.app`.

The server side is a JSON API plus one HTML shell for every non-API path; all
rendering happens in ``static/spa/app.js``.  Every seeded defect of this mode is
declared in :data:`auditor.demo.defects.SPA_DEFECTS` and switched through
:meth:`SpaApp.on`; most of them live in what the API returns (prices, JSON-LD,
cart figures, delays), so the shell and script are the same for both variants.
"""

from __future__ import annotations

import json
import mimetypes
import re
import secrets
from collections import deque
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import images
from .app import (
    FREE_SHIPPING_THRESHOLD,
    HOURS,
    PHONE_DISPLAY,
    PHONE_TEL,
    RETURN_DAYS,
    SESSION_COOKIE,
    STANDARD_SHIPPING,
    STORE_NAME,
    SUPPORT_EMAIL,
    Request,
    Response,
    Session,
    SessionStore,
    is_mobile_ua,
)
from .catalog import Catalog, Product, money

SPA_STATIC_DIR = Path(__file__).resolve().parent / "static" / "spa"

#: The one document title every route of the SPA shows (a common SPA trait).
SPA_TITLE = f"{STORE_NAME} – Outdoor gear"
#: A flat discount every non-empty cart gets, so carts have a discount row to add up.
WELCOME_DISCOUNT = 5_00
#: ``spa-listing-price-mismatch``: the 2nd product's price on detail view and in the cart.
SPA_MISMATCH_DETAIL_PRICE = 94_00
#: ``spa-structured-data-price``: JSON-LD price of the 3rd product (shown price is its catalogue price).
SPA_JSONLD_PRICE = 49_00
#: ``spa-structured-data-returns``: return window the JSON-LD MerchantReturnPolicy declares.
SPA_JSONLD_RETURN_DAYS = 14
#: ``spa-slow-product-api``: seconds the product detail API waits.
SPA_SLOW_API_DELAY = 2.8
#: ``spa-mobile-product-shift``: seconds the late product image waits (beyond the 500 ms input grace).
SPA_LATE_IMAGE_DELAY = 1.2

_JSON = "application/json; charset=utf-8"
_SKU = r"[A-Za-z0-9-]+"


def _gtin(product: Product) -> str:
    """A stable, check-digit-valid GTIN-13 per product (the demo's barcode)."""
    digits = "0" + "614141" + f"{abs(hash_sku(product.sku)) % 1_000_000:06d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def hash_sku(sku: str) -> int:
    """Deterministic across processes (``hash()`` of str is salted)."""
    value = 0
    for ch in sku:
        value = (value * 131 + ord(ch)) % 1_000_003
    return value


def _decimal(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


class SpaApp:
    """The SPA storefront: a JSON API and one HTML shell; same interface as ``StoreApp``."""

    def __init__(self, variant: str, catalog: Catalog, defects: frozenset[str]) -> None:
        self.variant = variant
        self.catalog = catalog
        self.defects = defects
        self.sessions = SessionStore()
        products = catalog.products
        self._mismatch_sku = products[1].sku if len(products) > 1 else None
        self._jsonld_sku = products[2].sku if len(products) > 2 else None
        # journey_health defects act on the 3rd and 4th products of the first category,
        # as in the server-rendered store (the shipped journeys open cards 1 and 2).
        first = catalog.in_category(catalog.categories[0].slug) if catalog.categories else []
        self._dead_cart_sku = first[2].sku if len(first) > 2 else None
        self._misdirected: tuple[str, str] | None = None
        if len(first) > 3:
            later = products[products.index(first[3]) + 1 :]
            if later:
                self._misdirected = (first[3].sku, later[0].sku)
        #: orders placed (the latest 1000): tests prove an audit never placed one
        self.orders: deque[dict[str, Any]] = deque(maxlen=1000)
        index = (SPA_STATIC_DIR / "index.html").read_text(encoding="utf-8")
        self._shell = index.replace("{{title}}", SPA_TITLE).encode()

    # ---- defects ---------------------------------------------------------------

    def on(self, defect_id: str) -> bool:
        """Is this seeded defect active?  The one switch every SPA defect goes through."""
        return defect_id in self.defects

    def listing_price(self, product: Product) -> int:
        return product.price

    def detail_price(self, product: Product) -> int:
        if self.on("spa-listing-price-mismatch") and product.sku == self._mismatch_sku:
            return SPA_MISMATCH_DETAIL_PRICE
        return product.price

    def shipping(self, subtotal: int) -> int:
        if subtotal <= 0 or subtotal >= FREE_SHIPPING_THRESHOLD:
            return 0
        return STANDARD_SHIPPING

    # ---- JSON views ------------------------------------------------------------

    def card(self, product: Product, *, listing: bool = False) -> dict[str, Any]:
        """A product card; ``listing`` marks category grids, where two journey defects live."""
        price = self.listing_price(product)
        route = product.sku
        if self.on("spa-wrong-product-link") and self._misdirected and product.sku == self._misdirected[0]:
            route = self._misdirected[1]  # the card names one product and routes to the next
        image = f"/static/spa/img/{product.sku}.svg"
        if listing and self.on("spa-placeholder-product-images"):
            image = "/static/spa/img/placeholder.svg"
        return {
            "sku": product.sku,
            "route": route,
            "name": product.name,
            "category": product.category,
            "price": _decimal(price),
            "price_display": money(price),
            "image": image,
        }

    def detail(self, product: Product, mobile: bool) -> dict[str, Any]:
        price = self.detail_price(product)
        late = mobile and self.on("spa-mobile-product-shift")
        category = self.catalog.category(product.category)
        return {
            **self.card(product),
            "price": _decimal(price),
            "price_display": money(price),
            "description": product.description,
            "highlights": list(product.highlights),
            "warranty": product.warranty,
            "category_name": category.name if category else "",
            "image": f"/static/spa/img/{'late/' if late else ''}{product.sku}.svg",
            # Clean stores reserve the image box with CSS; the flawed mobile view does not.
            "reserve_media": not late,
            "jsonld": self.jsonld(product, price),
            # the button is rendered but wired to nothing for this one product when flawed
            "cart_enabled": not (self.on("spa-dead-add-to-cart") and product.sku == self._dead_cart_sku),
        }

    def jsonld(self, product: Product, shown_price: int) -> dict[str, Any]:
        """schema.org Product data as search engines and shopping agents read it."""
        price = shown_price
        if self.on("spa-structured-data-price") and product.sku == self._jsonld_sku:
            price = SPA_JSONLD_PRICE
        days = SPA_JSONLD_RETURN_DAYS if self.on("spa-structured-data-returns") else RETURN_DAYS
        free = shown_price >= FREE_SHIPPING_THRESHOLD
        return {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": product.name,
            "sku": product.sku,
            "gtin13": _gtin(product),
            "description": product.description,
            "image": f"/static/spa/img/{product.sku}.svg",
            "brand": {"@type": "Brand", "name": STORE_NAME},
            "offers": {
                "@type": "Offer",
                "price": _decimal(price),
                "priceCurrency": "USD",
                "availability": "https://schema.org/InStock",
                "shippingDetails": {
                    "@type": "OfferShippingDetails",
                    "shippingRate": {
                        "@type": "MonetaryAmount",
                        "value": "0" if free else _decimal(STANDARD_SHIPPING),
                        "currency": "USD",
                    },
                    "shippingDestination": {"@type": "DefinedRegion", "addressCountry": "US"},
                },
                "hasMerchantReturnPolicy": {
                    "@type": "MerchantReturnPolicy",
                    "applicableCountry": "US",
                    "returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow",
                    "merchantReturnDays": days,
                },
            },
        }

    def cart(self, session: Session | None) -> dict[str, Any]:
        """Cart lines and summary rows, with the figures the flawed variant gets wrong."""
        lines: list[dict[str, Any]] = []
        for sku, qty in session.cart.items() if session else ():
            product = self.catalog.product(sku)
            if product is None:
                continue
            unit = self.detail_price(product)
            lines.append(
                {
                    "sku": sku,
                    "name": product.name,
                    "qty": qty,
                    "unit_display": money(unit),
                    "line_display": money(unit * qty),
                    "image": f"/static/spa/img/{sku}.svg",
                    "_unit": unit,
                }
            )
        subtotal = sum(line["_unit"] * line["qty"] for line in lines)
        if self.on("spa-cart-subtotal-ignores-quantity"):
            subtotal = sum(line["_unit"] for line in lines)
        shipping = self.shipping(subtotal)
        discount = WELCOME_DISCOUNT if lines else 0
        total = subtotal + shipping - discount
        if self.on("spa-cart-total-ignores-discount"):
            total += discount
        for line in lines:
            del line["_unit"]
        rows = []
        if lines:
            rows = [
                {"label": "Item total", "value": money(subtotal), "testid": "cart-subtotal"},
                {
                    "label": "Shipping",
                    "value": "Free" if shipping == 0 else money(shipping),
                    "testid": "cart-shipping",
                },
                {"label": "Welcome discount", "value": f"−{money(discount)}", "testid": "cart-discount"},
                {"label": "Order total", "value": money(total), "testid": "cart-total"},
            ]
        return {
            "lines": lines,
            "count": sum(line["qty"] for line in lines),
            "rows": rows,
            "free_gap": money(max(0, FREE_SHIPPING_THRESHOLD - subtotal)) if lines else None,
            "_total": total,
        }

    def store_info(self) -> dict[str, Any]:
        contact_route = "/contact-us" if self.on("spa-contact-soft-404") else "/contact"
        return {
            "name": STORE_NAME,
            "phone_display": PHONE_DISPLAY,
            "phone_tel": PHONE_TEL,
            "email": SUPPORT_EMAIL,
            "hours": HOURS,
            "return_days": RETURN_DAYS,
            "threshold": money(FREE_SHIPPING_THRESHOLD).removesuffix(".00"),
            "contact_route": contact_route,
            # client behaviours the flawed store gets wrong (read by static/spa/app.js)
            "contact_autofill": self.on("spa-contact-field-mirror"),
            "faq_widget": self.on("spa-help-script-error"),
            "order": None if self.on("spa-place-order-throws") else {"endpoint": "/api/order"},
            "categories": [
                {"slug": c.slug, "name": c.name, "blurb": c.blurb} for c in self.catalog.categories
            ],
        }

    # ---- dispatch --------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        sid = req.cookies.get(SESSION_COOKIE)
        session = self.sessions.get(sid)
        new_sid: str | None = None
        path = req.path
        if path.startswith("/api/"):
            if req.method == "POST" and session is None:
                new_sid, session = self.sessions.create()
            resp = self.api(req, path, session)
        elif path.startswith("/static/") or path == "/favicon.ico":
            resp = self.static(req, path)
        elif req.method in ("GET", "HEAD"):
            resp = self.shell(req)
        else:
            resp = Response(405, b"Method not allowed", "text/plain; charset=utf-8")
        if new_sid:
            resp.headers.append(("Set-Cookie", f"{SESSION_COOKIE}={new_sid}; Path=/; HttpOnly; SameSite=Lax"))
        return resp

    def shell(self, req: Request) -> Response:
        """The same HTML for every route: the script renders the view from the URL."""
        return Response(200, self._shell, headers=[("Cache-Control", "no-cache")])

    def static(self, req: Request, path: str) -> Response:
        if path in ("/favicon.ico", "/static/logo.svg", "/static/favicon.svg"):
            return _cached(images.LOGO_SVG, "image/svg+xml")
        if path == "/static/spa/img/placeholder.svg":
            return _cached(images.PLACEHOLDER_SVG, "image/svg+xml")
        m = re.fullmatch(rf"/static/spa/img/(late/)?({_SKU})\.svg", path)
        if m:
            product = self.catalog.product(m.group(2))
            if product is None:
                return _not_found_text()
            if not m.group(1):
                return _cached(images.product_svg(product), "image/svg+xml")
            resp = _cached(_portrait(images.product_svg(product)), "image/svg+xml")
            resp.delay = SPA_LATE_IMAGE_DELAY
            return resp
        m = re.fullmatch(r"/static/spa/([a-z0-9_-]+\.(?:css|js))", path)
        if m and (SPA_STATIC_DIR / m.group(1)).is_file():
            file = SPA_STATIC_DIR / m.group(1)
            ctype = (mimetypes.guess_type(file.name)[0] or "application/octet-stream") + "; charset=utf-8"
            return Response(200, file.read_bytes(), ctype, [("Cache-Control", "no-cache")])
        return _not_found_text()

    def api(self, req: Request, path: str, session: Session | None) -> Response:
        mobile = is_mobile_ua(req.user_agent)
        if req.method in ("GET", "HEAD"):
            if path == "/api/store":
                return _json(self.store_info())
            if path == "/api/products":
                items = self.catalog.products
                if req.query.get("category"):
                    items = self.catalog.in_category(req.query["category"])
                if req.query.get("q"):
                    items = self.catalog.search(req.query["q"])
                listing = bool(req.query.get("category"))
                return _json(
                    {"products": [self.card(p, listing=listing) for p in items[:48]], "total": len(items)}
                )
            if path == "/api/recommendations":
                if self.on("spa-recommendations-500"):
                    return _json({"error": "recommendations unavailable"}, 500)
                picks = [p for p in self.catalog.products if p.sku not in (session.cart if session else {})]
                return _json({"products": [self.card(p) for p in picks[:3]]})
            m = re.fullmatch(rf"/api/products/({_SKU})", path)
            if m:
                product = self.catalog.product(m.group(1))
                if product is None:
                    return _json({"error": "no such product"}, 404)
                resp = _json(self.detail(product, mobile))
                if self.on("spa-slow-product-api"):
                    resp.delay = SPA_SLOW_API_DELAY
                return resp
            if path == "/api/cart":
                return _json(_public(self.cart(session)), no_store=True)
        if req.method == "POST" and session is not None:
            if path == "/api/cart/add":
                product = self.catalog.product(req.form.get("sku", ""))
                if product is None:
                    return _json({"error": "no such product"}, 404)
                qty = _qty(req.form.get("qty"), 1, 1)
                session.cart[product.sku] = min(99, session.cart.get(product.sku, 0) + qty)
                return _json(_public(self.cart(session)), no_store=True)
            if path == "/api/cart/update":
                sku = req.form.get("sku", "")
                qty = _qty(req.form.get("qty"), 1, 0)
                if sku in session.cart:
                    if qty == 0:
                        del session.cart[sku]
                    else:
                        session.cart[sku] = qty
                return _json(_public(self.cart(session)), no_store=True)
            if path == "/api/order":
                if not session.cart:
                    return _json({"error": "your cart is empty"}, 409)
                order = {
                    "number": f"NW-{secrets.randbelow(900_000) + 100_000}",
                    "total": money(self.cart(session)["_total"]),
                }
                self.orders.append(order)
                session.cart.clear()
                return _json(order, no_store=True)
        if path in ("/api/store", "/api/products", "/api/cart") or path.startswith("/api/products/"):
            return _json({"error": "method not allowed"}, 405)
        return _json({"error": "not found"}, 404)


def _portrait(svg: bytes) -> bytes:
    """The 600x450 product shot centred on a 600x800 canvas: the mobile view's tall hero image."""
    inner = svg.decode().replace("<svg ", '<svg y="175" ', 1)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 800" width="600" height="800">'
        f'<rect width="600" height="800" fill="#e7ece6"/>{inner}</svg>'
    ).encode()


def _public(cart: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cart.items() if not k.startswith("_")}


def _qty(raw: str | None, default: int, low: int) -> int:
    try:
        return max(low, min(99, int(raw or default)))
    except ValueError:
        return default


def _json(data: Any, status: int = 200, *, no_store: bool = False) -> Response:
    headers = [("Cache-Control", "no-store" if no_store else "no-cache"), ("Vary", "User-Agent")]
    return Response(status, json.dumps(data).encode(), _JSON, headers)


def _cached(body: bytes, content_type: str) -> Response:
    return Response(200, body, content_type, [("Cache-Control", "public, max-age=3600")])


def _not_found_text() -> Response:
    return Response(404, b"Not found", "text/plain; charset=utf-8")
