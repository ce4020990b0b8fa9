"""Request handling for the demo store: routing, sessions, pages and the seeded defects.

This module is transport-free: :class:`StoreApp` turns a :class:`Request` into a
:class:`Response`, and :mod:`auditor.demo.store` wires it to ``http.server``.
Keeping HTTP plumbing out of here keeps the page logic readable.

Every deliberate defect is switched on by :meth:`StoreApp.on` with an id from
:data:`auditor.demo.defects.SEEDED_DEFECTS`; grep for ``self.on(`` to see exactly
where each one bites.

Mobile detection
----------------
A request counts as *mobile* when its ``User-Agent`` contains ``"Mobile"`` or
``"Android"`` (case-sensitive, as real mobile browsers send them).  Viewport size
plays no part on the server: the responsive CSS handles layout, while the
mobile-only defects (``mobile-*``, ``checkout-no-help-mobile``) key off the UA,
which is how many real stores end up with mobile-only bugs.  Responses carry
``Vary: User-Agent``.
"""

from __future__ import annotations

import json
import mimetypes
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import images
from .catalog import (
    EXPRESS_SHIPPING,
    FREE_SHIPPING_THRESHOLD,
    STANDARD_SHIPPING,
    Catalog,
    Product,
    money,
)

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

STORE_NAME = "Northwind Outfitters"
PHONE_DISPLAY = "1-800-555-0199"
PHONE_TEL = "tel:+18005550199"
MALFORMED_TEL = "tel:1-800-555-01 99x"
SUPPORT_EMAIL = "support@northwind.example"
HOURS = "Mon–Fri 9am–6pm ET"
RETURN_DAYS = 30
FAQ_RETURN_DAYS_FLAWED = 14
WARRANTY = "2-year warranty"
DISPATCH = "1–2 business days"
STANDARD_DELIVERY = "3–5 business days"
EXPRESS_DELIVERY = "1–2 business days"
PROMO_CODE = "WELCOME10"
MOBILE_THRESHOLD_FLAWED = 75_00
#: Detail/cart price of the 2nd product under ``listing-price-mismatch``.
MISMATCH_DETAIL_PRICE = 94_00
#: Server delay of product pages under ``slow-product-page`` (seconds).
SLOW_PRODUCT_DELAY = 2.2
#: Extra delay of the product page's main image under ``slow-product-page``.
SLOW_PRODUCT_IMAGE_DELAY = 0.5
PER_PAGE = 24
SEARCH_LIMIT = 48
SESSION_COOKIE = "nw_sid"
MAX_SESSIONS = 5000


def is_mobile_ua(user_agent: str) -> bool:
    """True for user agents containing ``Mobile`` or ``Android`` (see module docstring)."""
    return "Mobile" in user_agent or "Android" in user_agent


# --------------------------------------------------------------------------- HTTP model


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    user_agent: str = ""

    @property
    def is_mobile(self) -> bool:
        return is_mobile_ua(self.user_agent)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    #: Seconds the server waits before sending anything (simulated slowness).
    delay: float = 0.0


def redirect(location: str) -> Response:
    """303 See Other: the POST/redirect/GET pattern every form here uses."""
    return Response(303, b"", "text/plain; charset=utf-8", [("Location", location)])


def parse_cookies(header: str | None) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header or "")
    except CookieError:
        return {}
    return {k: m.value for k, m in jar.items()}


# --------------------------------------------------------------------------- sessions


@dataclass
class Session:
    """Per-browser state, held server-side and keyed by the ``nw_sid`` cookie."""

    cart: dict[str, int] = field(default_factory=dict)
    #: Submitted checkout steps: step slug -> field values.
    checkout: dict[str, dict[str, str]] = field(default_factory=dict)
    last_order: dict[str, object] | None = None

    @property
    def cart_count(self) -> int:
        return sum(self.cart.values())


class SessionStore:
    """Thread-safe, bounded map of session id to :class:`Session`.

    Sessions are only *created* by state-changing requests (POSTs), so a crawler
    fetching thousands of product pages without cookies does not grow it.
    """

    def __init__(self, limit: int = MAX_SESSIONS) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session is not None:
                self._sessions.move_to_end(sid)
            return session

    def create(self) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(18)
        session = Session()
        with self._lock:
            self._sessions[sid] = session
            while len(self._sessions) > self._limit:
                self._sessions.popitem(last=False)
        return sid, session


@dataclass(frozen=True)
class CartLine:
    product: Product
    qty: int
    unit: int  # cents, the detail-page price

    @property
    def total(self) -> int:
        return self.unit * self.qty


@dataclass(frozen=True)
class CartSummary:
    lines: tuple[CartLine, ...]
    subtotal: int
    shipping: int
    method: str

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping

    @property
    def free_gap(self) -> int:
        """How much more to spend for free standard shipping (the cart's nudge)."""
        return max(0, FREE_SHIPPING_THRESHOLD - self.subtotal)


# --------------------------------------------------------------------------- checkout model


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"
    required: bool = True
    autocomplete: str = ""
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    placeholder: str = ""
    inputmode: str = ""


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple[Field, ...] = ()
    button: str = "Continue"

    @property
    def path(self) -> str:
        return f"/checkout/{self.slug}"


COUNTRIES = (
    ("US", "United States"),
    ("CA", "Canada"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
)

STEP_EMAIL = Step(
    "email",
    "Email",
    (
        Field(
            "email",
            "Email address",
            "email",
            autocomplete="email",
            hint="We'll send your order confirmation here.",
        ),
    ),
)
STEP_ACCOUNT = Step(
    "account",
    "Create your account",
    (
        Field("password", "Password", "password", autocomplete="new-password", hint="At least 8 characters."),
        Field("password_confirm", "Confirm password", "password", autocomplete="new-password"),
    ),
    button="Create account and continue",
)
_NAME = Field("full_name", "Full name", autocomplete="name")
_ADDRESS = (
    Field("address1", "Address line 1", autocomplete="address-line1"),
    Field(
        "address2",
        "Address line 2 (optional)",
        required=False,
        autocomplete="address-line2",
        hint="Apartment, suite, unit, etc.",
    ),
    Field("city", "City", autocomplete="address-level2"),
    Field("postal_code", "Postal code", autocomplete="postal-code"),
    Field("country", "Country", "select", autocomplete="country", options=COUNTRIES),
)
_PHONE = Field(
    "phone",
    "Phone (optional)",
    "tel",
    required=False,
    autocomplete="tel",
    hint="Only used if the courier needs to reach you.",
)
STEP_SHIPPING = Step("shipping", "Shipping address", (_NAME, *_ADDRESS, _PHONE))
STEP_SHIPPING_EXTRA = Step(
    "shipping",
    "Shipping address",
    (
        _NAME,
        Field("company", "Company", autocomplete="organization"),
        Field("dob", "Date of birth", "date", autocomplete="bday"),
        *_ADDRESS,
        Field("phone", "Phone", "tel", autocomplete="tel"),
        Field("phone2", "Alternative phone", "tel"),
        Field("fax", "Fax", "tel"),
        Field(
            "heard_about",
            "How did you hear about us?",
            "select",
            options=(
                ("", "Please choose…"),
                ("search", "Search engine"),
                ("friend", "Friend or family"),
                ("social", "Social media"),
                ("magazine", "Magazine"),
                ("other", "Other"),
            ),
        ),
    ),
)
STEP_CONFIRM_ADDRESS = Step("confirm-address", "Confirm your address", (), button="Yes, this is correct")
STEP_METHOD = Step(
    "method",
    "Delivery method",
    (
        Field(
            "shipping_method",
            "Delivery method",
            "radio",
            options=(
                ("standard", f"Standard — Free over $50 · {STANDARD_DELIVERY}"),
                ("express", f"Express — {money(EXPRESS_SHIPPING)} · {EXPRESS_DELIVERY}"),
            ),
        ),
    ),
)
STEP_PAYMENT = Step(
    "payment",
    "Payment",
    (
        Field(
            "card_number",
            "Card number",
            autocomplete="cc-number",
            inputmode="numeric",
            placeholder="1234 5678 9012 3456",
        ),
        Field("expiry", "Expiry date (MM/YY)", autocomplete="cc-exp", placeholder="MM/YY"),
        Field("cvc", "Security code (CVC)", autocomplete="cc-csc", inputmode="numeric"),
        Field("card_name", "Name on card", autocomplete="cc-name"),
    ),
)
STEP_REVIEW = Step("review", "Review your order", (), button="Place order")


# --------------------------------------------------------------------------- the app


_ROUTES: list[tuple[str, re.Pattern[str], str]] = []


def route(methods: str, pattern: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Register a handler for space-separated ``methods`` and a full-match regex."""

    def register(fn: Callable[..., Response]) -> Callable[..., Response]:
        for m in methods.split():
            _ROUTES.append((m, re.compile(pattern), fn.__name__))
        return fn

    return register


class StoreApp:
    """The storefront: pure request -> response logic, safe to call from many threads."""

    def __init__(self, variant: str, catalog: Catalog, defects: frozenset[str]) -> None:
        self.variant = variant
        self.catalog = catalog
        self.defects = defects
        self.sessions = SessionStore()
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["money"] = money
        # The product whose listing and detail prices disagree when flawed.
        self._mismatch_sku = catalog.products[1].sku if len(catalog.products) > 1 else None
        # journey_health defects act on the 3rd and 4th products of the first category,
        # which the demo's own purchase and browse journeys (cards 1 and 2) never touch.
        first = catalog.in_category(catalog.categories[0].slug) if catalog.categories else []
        self._dead_cart_sku = first[2].sku if len(first) > 2 else None
        self._misdirected: tuple[str, str] | None = None
        if len(first) > 3:
            later = catalog.products[catalog.products.index(first[3]) + 1 :]
            if later:
                self._misdirected = (first[3].sku, later[0].sku)

    # ---- defects & messaging -------------------------------------------------

    def on(self, defect_id: str) -> bool:
        """Is this seeded defect active?  The one switch every defect goes through."""
        return defect_id in self.defects

    def detail_price(self, product: Product) -> int:
        """Price on the product page, in the cart and at checkout."""
        if self.on("listing-price-mismatch") and product.sku == self._mismatch_sku:
            return MISMATCH_DETAIL_PRICE
        return product.price

    def listing_price(self, product: Product) -> int:
        """Price on product cards (home, category, search)."""
        return product.price

    def threshold_text(self, req: Request) -> str:
        """Free-shipping threshold as advertised on the home banner and product pages."""
        if self.on("mobile-shipping-threshold") and req.is_mobile:
            return money(MOBILE_THRESHOLD_FLAWED).removesuffix(".00")
        return money(FREE_SHIPPING_THRESHOLD).removesuffix(".00")

    def shipping_cost(self, subtotal: int, method: str = "standard") -> int:
        if subtotal <= 0:
            return 0
        if method == "express":
            return EXPRESS_SHIPPING
        if subtotal >= FREE_SHIPPING_THRESHOLD and not self.on("cart-charges-shipping-over-threshold"):
            return 0
        return STANDARD_SHIPPING

    def cart_summary(self, session: Session | None, method: str = "standard") -> CartSummary:
        lines = []
        for sku, qty in session.cart.items() if session else ():
            product = self.catalog.product(sku)
            if product is not None:
                lines.append(CartLine(product, qty, self.detail_price(product)))
        subtotal = sum(line.total for line in lines)
        return CartSummary(tuple(lines), subtotal, self.shipping_cost(subtotal, method), method)

    # ---- layout context ----------------------------------------------------------

    def layout(self, req: Request, session: Session | None, page: str, title: str) -> dict[str, object]:
        """Context shared by every page: header, footer, chat and which defects alter them."""
        checkout = page == "checkout"
        contact_href = "/contact-us" if checkout and self.on("checkout-contact-404") else "/contact"
        no_help = checkout and req.is_mobile and self.on("checkout-no-help-mobile")

        help_items = {
            "contact": {"key": "contact", "prefix": "", "label": "Contact us", "href": contact_href},
            "help": {"key": "help", "prefix": "", "label": "Help & FAQ", "href": "/help"},
            "returns": {
                "key": "returns",
                "prefix": "",
                "label": "Shipping & Returns",
                "href": "/policies/shipping-returns",
            },
            "track": {"key": "track", "prefix": "", "label": "Track your order", "href": "/help#track"},
            "phone": {"key": "phone", "prefix": "Call ", "label": PHONE_DISPLAY, "href": PHONE_TEL},
            "email": {
                "key": "email",
                "prefix": "Email ",
                "label": SUPPORT_EMAIL,
                "href": f"mailto:{SUPPORT_EMAIL}",
            },
        }
        order = ["contact", "help", "returns", "track", "phone", "email"]
        if page == "category" and self.on("help-order-varies"):
            order = ["phone", "email", "track", "returns", "help", "contact"]

        scripts = []
        if page == "home" and self.on("layout-shift-banner"):
            scripts.append("/static/promo.js")
        if page == "product" and self.on("slow-add-to-cart"):
            scripts.append("/static/tracking.js")
        if page == "search" and self.on("search-script-error"):
            scripts.append("/static/search-facets.js")
        if page == "cart" and self.on("cart-recommendations-500"):
            scripts.append("/static/recommendations.js")
        if page == "checkout" and self.on("place-order-throws"):
            scripts.append("/static/place-order.js")
        if page == "contact" and self.on("contact-field-mirror"):
            scripts.append("/static/contact-form.js")

        return {
            "store_name": STORE_NAME,
            "title": title,
            "page": page,
            "categories": self.catalog.categories,
            "cart_count": session.cart_count if session else 0,
            "q": req.query.get("q", "") if page == "search" else "",
            "contact_href": contact_href,
            "nav_help": not no_help,
            "show_footer_help": not no_help,
            "footer_help": [help_items[k] for k in order],
            "show_chat": not no_help,
            "chat_panel": not (page == "product" and self.on("broken-chat-launcher")),
            "phone_display": PHONE_DISPLAY,
            "phone_tel": PHONE_TEL,
            "email": SUPPORT_EMAIL,
            "hours": HOURS,
            "return_days": RETURN_DAYS,
            "warranty": WARRANTY,
            "dispatch": DISPATCH,
            "standard_delivery": STANDARD_DELIVERY,
            "express_delivery": EXPRESS_DELIVERY,
            "promo_code": PROMO_CODE,
            "threshold": money(FREE_SHIPPING_THRESHOLD).removesuffix(".00"),
            "extra_scripts": scripts,
        }

    def render(
        self,
        template: str,
        req: Request,
        session: Session | None,
        page: str,
        title: str,
        status: int = 200,
        **context: object,
    ) -> Response:
        ctx = self.layout(req, session, page, title)
        ctx.update(context)
        body = self.env.get_template(template).render(**ctx).encode()
        headers = [("Vary", "User-Agent")]
        if page in ("cart", "checkout"):
            headers.append(("Cache-Control", "no-store"))
        else:
            headers.append(("Cache-Control", "no-cache"))
        return Response(status, body, headers=headers)

    def not_found(self, req: Request, session: Session | None, what: str = "page") -> Response:
        return self.render("not_found.html", req, session, "not-found", "Not found", status=404, what=what)

    def cards(self, products: list[Product], *, listing: bool = False) -> list[dict[str, object]]:
        """Product cards; ``listing`` marks category pages, where two journey defects live."""
        out: list[dict[str, object]] = []
        misdirected = self._misdirected if listing and self.on("wrong-product-link") else None
        for p in products:
            card: dict[str, object] = {"p": p, "price": self.listing_price(p)}
            if misdirected and p.sku == misdirected[0]:
                card["href"] = f"/product/{misdirected[1]}"
            if listing and self.on("placeholder-product-images"):
                card["img"] = "/static/img/placeholder.svg"
            out.append(card)
        return out

    # ---- dispatch ------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        """Route a request; attach a session cookie if the handler created a session."""
        sid = req.cookies.get(SESSION_COOKIE)
        session = self.sessions.get(sid)
        ctx = _Ctx(self, sid if session else None, session)
        allowed = False
        for method, pattern, name in _ROUTES:
            match = pattern.fullmatch(req.path)
            if not match:
                continue
            allowed = True
            if method == req.method or (method == "GET" and req.method == "HEAD"):
                resp: Response = getattr(self, name)(req, match, ctx)
                break
        else:
            if allowed:
                resp = Response(405, b"Method not allowed", "text/plain; charset=utf-8")
            else:
                resp = self.not_found(req, session)
        if ctx.new_sid:
            resp.headers.append(
                ("Set-Cookie", f"{SESSION_COOKIE}={ctx.new_sid}; Path=/; HttpOnly; SameSite=Lax")
            )
        return resp

    # ---- static assets -------------------------------------------------------------

    @route("GET", r"/robots\.txt")
    def robots(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        body = "User-agent: *\nDisallow: /checkout/\nDisallow: /cart/add\nAllow: /\n"
        return Response(200, body.encode(), "text/plain; charset=utf-8")

    @route("GET", r"/favicon\.ico|/static/favicon\.svg|/static/logo\.svg")
    def logo(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        return _static(images.LOGO_SVG, "image/svg+xml")

    @route("GET", r"/static/hero\.svg")
    def hero(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        return _static(images.hero_svg(), "image/svg+xml")

    @route("GET", r"/static/img/(product|product-large)/([A-Z]{3}-\d+)\.svg")
    def product_image(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        product = self.catalog.product(m.group(2))
        if product is None:
            return Response(404, b"Not found", "text/plain; charset=utf-8")
        resp = _static(images.product_svg(product), "image/svg+xml")
        if m.group(1) == "product-large" and self.on("slow-product-page"):
            resp.delay = SLOW_PRODUCT_IMAGE_DELAY
        return resp

    @route("GET", r"/static/img/placeholder\.svg")
    def placeholder_image(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        return _static(images.PLACEHOLDER_SVG, "image/svg+xml")

    @route("GET", r"/api/recommendations")
    def recommendations(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        """ "You may also like" for the cart; fails with a 500 under ``cart-recommendations-500``."""
        if self.on("cart-recommendations-500"):
            return Response(500, b'{"error": "recommendation service unavailable"}', "application/json")
        picks = [{"sku": p.sku, "name": p.name} for p in self.catalog.products[:3]]
        return Response(200, json.dumps(picks).encode(), "application/json", [("Cache-Control", "no-store")])

    @route("GET", r"/static/img/category/([a-z-]+)\.svg")
    def category_image(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        if self.catalog.category(m.group(1)) is None:
            return Response(404, b"Not found", "text/plain; charset=utf-8")
        return _static(images.category_svg(m.group(1)), "image/svg+xml")

    @route("GET", r"/static/([a-z0-9_-]+\.(?:css|js))")
    def static_file(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        path = STATIC_DIR / m.group(1)
        if not path.is_file():
            return Response(404, b"Not found", "text/plain; charset=utf-8")
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype in ("text/css", "text/javascript", "application/javascript"):
            ctype += "; charset=utf-8"
        return _static(path.read_bytes(), ctype)

    # ---- catalogue pages -----------------------------------------------------------

    @route("GET", r"/")
    def home(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        products = self.catalog.products
        featured_idx = [i for i in (0, 1, 4, 8) if i < len(products)]
        return self.render(
            "home.html",
            req,
            ctx.session,
            "home",
            "Outdoor gear for every trail",
            promo_threshold=self.threshold_text(req),
            featured=self.cards([products[i] for i in featured_idx]),
        )

    @route("GET", r"/category/([a-z-]+)")
    def category(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        category = self.catalog.category(m.group(1))
        if category is None:
            return self.not_found(req, ctx.session, "category")
        items = self.catalog.in_category(category.slug)
        pages = self.catalog.page_count(category.slug, PER_PAGE)
        try:
            page = int(req.query.get("page", "1"))
        except ValueError:
            page = 1
        if not 1 <= page <= pages:
            return self.not_found(req, ctx.session, "page")
        start = (page - 1) * PER_PAGE
        shown = items[start : start + PER_PAGE]
        return self.render(
            "category.html",
            req,
            ctx.session,
            "category",
            category.name if page == 1 else f"{category.name} – page {page}",
            category=category,
            cards=self.cards(shown, listing=True),
            total=len(items),
            first=start + 1,
            last=start + len(shown),
            page_no=page,
            pages=pages,
            page_links=_page_window(page, pages),
        )

    @route("GET", r"/product/([A-Za-z0-9-]+)")
    def product(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        product = self.catalog.product(m.group(1))
        if product is None:
            return self.not_found(req, ctx.session, "product")
        slow = self.on("slow-product-page")
        resp = self.render(
            "product.html",
            req,
            ctx.session,
            "product",
            product.name,
            product=product,
            price=self.detail_price(product),
            category=self.catalog.category(product.category),
            product_threshold=self.threshold_text(req),
            image_src=f"/static/img/{'product-large' if slow else 'product'}/{product.sku}.svg",
            add_to_cart_works=not (self.on("dead-add-to-cart") and product.sku == self._dead_cart_sku),
        )
        if slow:
            resp.delay = SLOW_PRODUCT_DELAY
        return resp

    @route("GET", r"/search")
    def search(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        q = req.query.get("q", "").strip()
        hits = self.catalog.search(q) if q else []
        return self.render(
            "search.html",
            req,
            ctx.session,
            "search",
            f"Search: {q}" if q else "Search",
            query=q,
            cards=self.cards(hits[:SEARCH_LIMIT]),
            total=len(hits),
        )

    # ---- cart ----------------------------------------------------------------------

    @route("GET", r"/cart")
    def cart(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        return self.render(
            "cart.html", req, ctx.session, "cart", "Your cart", summary=self.cart_summary(ctx.session)
        )

    @route("POST", r"/cart/add")
    def cart_add(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        product = self.catalog.product(req.form.get("sku", ""))
        if product is None:
            return self.not_found(req, ctx.session, "product")
        qty = _int(req.form.get("qty"), 1, 1, 99)
        session = ctx.ensure_session()
        session.cart[product.sku] = min(99, session.cart.get(product.sku, 0) + qty)
        return redirect("/cart")

    @route("POST", r"/cart/update")
    def cart_update(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        session = ctx.ensure_session()
        sku = req.form.get("sku", "")
        qty = 0 if "remove" in req.form else _int(req.form.get("qty"), 1, 0, 99)
        if sku in session.cart:
            if qty == 0:
                del session.cart[sku]
            else:
                session.cart[sku] = qty
        return redirect("/cart")

    # ---- checkout ------------------------------------------------------------------

    def steps_for(self, req: Request) -> list[Step]:
        """The checkout steps this shopper goes through, in order (defects add steps)."""
        steps = [STEP_EMAIL]
        if self.on("forced-account"):
            steps.append(STEP_ACCOUNT)
        steps.append(STEP_SHIPPING_EXTRA if self.on("extra-fields") else STEP_SHIPPING)
        if self.on("mobile-extra-step") and req.is_mobile:
            steps.append(STEP_CONFIRM_ADDRESS)
        steps += [STEP_METHOD, STEP_PAYMENT, STEP_REVIEW]
        return steps

    @route("GET POST", r"/checkout/(email|account|shipping|confirm-address|method|payment|review)")
    def checkout_step(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        session = ctx.session
        if session is None or not session.cart:
            return redirect("/cart")
        steps = self.steps_for(req)
        index = next((i for i, s in enumerate(steps) if s.slug == m.group(1)), None)
        if index is None:
            return self.not_found(req, session)
        step = steps[index]
        # Don't let a shopper skip ahead: send them to the first step still to do.
        for earlier in steps[:index]:
            if earlier.slug not in session.checkout:
                return redirect(earlier.path)
        if req.method == "POST" and step.slug != "review":
            values, errors = self.validate(step, req.form)
            if not errors:
                session.checkout[step.slug] = values
                return redirect(steps[index + 1].path)
            return self.render_step(req, session, steps, index, values, errors, status=400)
        if req.method == "POST":
            return Response(405, b"Method not allowed", "text/plain; charset=utf-8")
        values = dict(session.checkout.get(step.slug, {}))
        values.pop("password", None)
        values.pop("password_confirm", None)
        if step.slug == "method" and not values:
            values["shipping_method"] = "standard"
        return self.render_step(req, session, steps, index, values, {})

    def validate(self, step: Step, form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        values = {f.name: form.get(f.name, "").strip() for f in step.fields}
        errors: dict[str, str] = {}
        for f in step.fields:
            value = values[f.name]
            if f.required and not value:
                errors[f.name] = f"{f.label} is required."
            elif f.type == "email" and value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
                errors[f.name] = "Enter an email address like name@example.com."
            elif f.options and value and value not in {v for v, _ in f.options if v}:
                errors[f.name] = f"Choose a valid option for {f.label}."
        if step.slug == "account" and not errors:
            if len(values["password"]) < 8:
                errors["password"] = "Password must be at least 8 characters."
            elif values["password"] != values["password_confirm"]:
                errors["password_confirm"] = "Passwords do not match."
        return values, errors

    def render_step(
        self,
        req: Request,
        session: Session,
        steps: list[Step],
        index: int,
        values: dict[str, str],
        errors: dict[str, str],
        status: int = 200,
    ) -> Response:
        step = steps[index]
        method = session.checkout.get("method", {}).get("shipping_method", "standard")
        return self.render(
            "checkout_step.html",
            req,
            session,
            "checkout",
            f"Checkout – {step.title}",
            status=status,
            step=step,
            steps=steps,
            index=index,
            values=values,
            errors=errors,
            heading=f"Checkout — Step {index + 1} of {len(steps)}: {step.title}",
            summary=self.cart_summary(session, method),
            guest=not self.on("forced-account"),
            shipping=session.checkout.get("shipping", {}),
            customer_email=session.checkout.get("email", {}).get("email", ""),
            payment=session.checkout.get("payment", {}),
            country_names=dict(COUNTRIES),
            back=steps[index - 1].path if index else "/cart",
        )

    @route("POST", r"/checkout/place-order")
    def place_order(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        session = ctx.session
        if session is None or not session.cart:
            return redirect("/cart")
        for step in self.steps_for(req)[:-1]:
            if step.slug not in session.checkout:
                return redirect(step.path)
        method = session.checkout["method"].get("shipping_method", "standard")
        summary = self.cart_summary(session, method)
        session.last_order = {
            "number": f"NW-{secrets.randbelow(900_000) + 100_000}",
            "email": session.checkout["email"]["email"],
            "total": summary.total,
            "method": method,
        }
        session.cart.clear()
        session.checkout.clear()
        return redirect("/checkout/confirmation")

    @route("GET", r"/checkout/confirmation")
    def confirmation(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        if ctx.session is None or ctx.session.last_order is None:
            return redirect("/")
        return self.render(
            "confirmation.html",
            req,
            ctx.session,
            "confirmation",
            "Order confirmed",
            order=ctx.session.last_order,
        )

    # ---- support pages -------------------------------------------------------------

    @route("GET POST", r"/contact")
    def contact(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        tel = MALFORMED_TEL if self.on("malformed-tel") else PHONE_TEL
        values: dict[str, str] = {}
        errors: dict[str, str] = {}
        if req.method == "POST":
            values = {k: req.form.get(k, "").strip() for k in ("name", "email", "order", "message")}
            for key, label in (("name", "Your name"), ("email", "Email address"), ("message", "Message")):
                if not values[key]:
                    errors[key] = f"{label} is required."
            if values["email"] and "@" not in values["email"]:
                errors["email"] = "Enter an email address like name@example.com."
            if not errors:
                return self.render(
                    "contact_thanks.html", req, ctx.session, "contact", "Message sent", name=values["name"]
                )
        return self.render(
            "contact.html",
            req,
            ctx.session,
            "contact",
            "Contact us",
            status=400 if errors else 200,
            contact_tel=tel,
            values=values,
            errors=errors,
        )

    @route("GET", r"/help")
    def help(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        days = FAQ_RETURN_DAYS_FLAWED if self.on("faq-return-window") else RETURN_DAYS
        return self.render("help.html", req, ctx.session, "help", "Help & FAQ", faq_return_days=days)

    @route("GET", r"/policies/shipping-returns")
    def policy(self, req: Request, m: re.Match[str], ctx: _Ctx) -> Response:
        return self.render("policy.html", req, ctx.session, "policy", "Shipping & Returns")


class _Ctx:
    """Per-request session handle that creates the session (and cookie) lazily."""

    def __init__(self, app: StoreApp, sid: str | None, session: Session | None) -> None:
        self._app = app
        self.sid = sid
        self.session = session
        self.new_sid: str | None = None

    def ensure_session(self) -> Session:
        if self.session is None:
            self.new_sid, self.session = self._app.sessions.create()
            self.sid = self.new_sid
        return self.session


def _static(body: bytes, content_type: str) -> Response:
    return Response(200, body, content_type, [("Cache-Control", "public, max-age=3600")])


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(raw or default)))
    except ValueError:
        return default


def _page_window(page: int, pages: int) -> list[int | None]:
    """Page numbers to link, with ``None`` for an ellipsis: 1 … 4 5 6 … 28."""
    wanted = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    out: list[int | None] = []
    for n in wanted:
        if out and n - out[-1] > 1:  # type: ignore[operator]
            out.append(None)
        out.append(n)
    return out
