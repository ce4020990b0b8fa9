"""Tiny builders for the messaging and support check tests.

Checks are pure functions over artifacts, so tests build small artifacts by
hand: a few pages with text and links, maybe a document. These helpers keep
the tests about *what* a page says rather than about model boilerplate.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from cx_auditor.models import Artifacts, ChannelInfo, Document, FormField, Link, PageVisit, RunMeta

BASE = "https://shop.example"
_ids = itertools.count(1)


def url(path: str) -> str:
    return BASE + path


def link(
    href: str, text: str = "", *, location: str = "footer", order: int = 0, visible: bool = True
) -> Link:
    """A link; relative http paths are made absolute like the collector does."""
    absolute = href if href.startswith(("http", "tel:", "mailto:")) else BASE + href
    return Link(href=absolute, text=text, location=location, order=order, visible=visible)


def links(*specs: tuple[str, str] | tuple[str, str, str]) -> list[Link]:
    """Links in document order from (href, text[, location]) tuples."""
    out = []
    for i, spec in enumerate(specs):
        href, text = spec[0], spec[1]
        location = spec[2] if len(spec) > 2 else "footer"  # type: ignore[misc]
        out.append(link(href, text, location=location, order=i))
    return out


def visit(
    path: str,
    *,
    channel: str = "desktop",
    text: str = "",
    title: str = "",
    links: Iterable[Link] = (),
    journey: str = "browse",
    step: int = 0,
    status: int | None = 200,
    widgets: dict[str, str] | None = None,
    probes: dict[str, Any] | None = None,
    fields: Iterable[FormField] = (),
    extracted: dict[str, list[str]] | None = None,
) -> PageVisit:
    return PageVisit(
        id=f"v{next(_ids)}",
        channel=channel,
        journey=journey,
        step_index=step,
        url=url(path),
        title=title,
        status=status,
        text=text,
        links=list(links),
        fields=list(fields),
        widgets=widgets or {},
        probes=probes or {},
        extracted=extracted or {},
    )


def document(
    path: str, text: str, *, channel: str = "documents", kind: str = "email", title: str = ""
) -> Document:
    return Document(id=f"d{next(_ids)}", channel=channel, path=path, kind=kind, title=title, text=text)


def artifacts(
    visits: Iterable[PageVisit],
    documents: Iterable[Document] = (),
    *,
    link_status: dict[str, int | None] | None = None,
    mobile_channels: Iterable[str] = ("mobile",),
) -> Artifacts:
    """Artifacts whose channel list is derived from the visits (plus a documents channel if any)."""
    visits = list(visits)
    documents = list(documents)
    mobile = set(mobile_channels)
    names: list[str] = []
    for v in visits:
        if v.channel not in names:
            names.append(v.channel)
    channels = [ChannelInfo(name=n, kind="browser", label=n, mobile=n in mobile) for n in names]
    for d in documents:
        if d.channel not in [c.name for c in channels]:
            channels.append(ChannelInfo(name=d.channel, kind="documents", label=d.channel))
    return Artifacts(
        meta=RunMeta(site="shop.example", base_url=BASE, channels=channels),
        visits=visits,
        documents=documents,
        link_status=link_status or {},
    )


# ---------------------------------------------------------------------------
# A miniature storefront for the messaging check
# ---------------------------------------------------------------------------

PRODUCTS = {
    "/product/trailhead-28l-daypack": ("Trailhead 28L Daypack", "PAC-001", "$129.00"),
    "/product/cascade-sleeping-pad": ("Cascade Insulated Sleeping Pad", "CAM-002", "$89.00"),
}
POLICY_TEXT = "Returns are accepted within 30 days of delivery. Standard delivery 3-5 business days."
FOOTER_TEXT = "Need help?\nCall 1-800-555-0199\nsupport@northwind.example\nMon–Fri 9am–6pm ET"


def banner(threshold: str = "$50") -> str:
    return f"Free shipping on orders over {threshold} · 30-day free returns · Use code WELCOME10 for 10% off"


def _card_links(listing_prices: dict[str, str]) -> list[Link]:
    return [
        link(path, f"{name} {listing_prices.get(path, price)}", location="main", order=10 + i)
        for i, (path, (name, _sku, price)) in enumerate(PRODUCTS.items())
    ]


def store_pages(
    channel: str = "desktop",
    *,
    threshold: str = "$50",
    listing_prices: dict[str, str] | None = None,
    detail_prices: dict[str, str] | None = None,
    cart_rows: str = "Subtotal\n$129.00\nShipping\nFree\nTotal\n$129.00",
    policy_text: str = POLICY_TEXT,
) -> list[PageVisit]:
    """Home, a category, two product pages, a policy page and a cart, all saying the same things."""
    listing_prices = listing_prices or {}
    detail_prices = detail_prices or {}
    top = banner(threshold)
    cards = "\n".join(f"{n}\n{listing_prices.get(p, pr)}" for p, (n, _s, pr) in PRODUCTS.items())
    pages = [
        visit(
            "/",
            channel=channel,
            title="Northwind Outfitters",
            text=f"{top}\n{cards}\n{FOOTER_TEXT}",
            links=_card_links(listing_prices),
        ),
        visit(
            "/category/backpacks",
            channel=channel,
            title="Backpacks | Northwind Outfitters",
            text=f"{top}\nBackpacks\n{cards}\n{FOOTER_TEXT}",
            links=_card_links(listing_prices),
        ),
    ]
    for path, (name, sku, price) in PRODUCTS.items():
        shown = detail_prices.get(path, price)
        text = (
            f"{top}\nHome / Shop / {name}\n{name}\n{shown}\nSKU: {sku}\nAdd to cart\n"
            f"Free shipping on orders over {threshold}. Ships within 1–2 business days. 30-day returns.\n"
            f"2-year warranty\n{FOOTER_TEXT}"
        )
        pages.append(visit(path, channel=channel, title=f"{name} — Northwind Outfitters", text=text))
    pages.append(
        visit(
            "/policies/shipping-returns",
            channel=channel,
            title="Shipping & Returns",
            text=f"{top}\nShipping & Returns\n{policy_text}\n{FOOTER_TEXT}",
        )
    )
    name, _sku, price = PRODUCTS["/product/trailhead-28l-daypack"]
    cart_price = detail_prices.get("/product/trailhead-28l-daypack", price)
    pages.append(
        visit(
            "/cart",
            channel=channel,
            title="Your cart",
            journey="purchase",
            text=f"{top}\nYour cart\n{name}\n{cart_price}\nQty 1\n{cart_rows}\nCheckout\n{FOOTER_TEXT}",
        )
    )
    return pages


# ---------------------------------------------------------------------------
# A miniature storefront for the support check
# ---------------------------------------------------------------------------

SUPPORT_PATHS = (
    "/",
    "/category/camping",
    "/category/backpacks",
    "/product/ridgeline-tent",
    "/product/trailhead-28l-daypack",
    "/help",
    "/contact",
    "/cart",
    "/checkout/email",
    "/checkout/shipping",
)
TEL = "tel:+18005550199"
MAILTO = "mailto:support@northwind.example"
FOOTER_HELP = (
    ("/contact", "Contact"),
    ("/help", "Help & FAQ"),
    ("/policies/shipping-returns", "Shipping & Returns"),
    ("/help#track", "Track your order"),
    (TEL, "1-800-555-0199"),
    (MAILTO, "support@northwind.example"),
)


def help_links(
    *,
    menu: bool = False,
    contact_href: str = "/contact",
    tel_href: str = TEL,
    footer: tuple[tuple[str, str], ...] = FOOTER_HELP,
    header_help: bool = True,
    footer_help: bool = True,
) -> list[Link]:
    """Header (or collapsed menu) and footer links as a storefront template renders them."""
    where = "menu" if menu else "header"
    specs: list[tuple[str, str, str]] = [("/", "Northwind Outfitters", "header")]
    specs += [("/category/camping", "Camping", where), ("/category/backpacks", "Backpacks", where)]
    if header_help:
        specs += [("/help", "Help", where), (contact_href, "Contact", where)]
    specs.append(("/cart", "Cart", "header"))
    if footer_help:
        for href, text in footer:
            href = contact_href if href == "/contact" else tel_href if href == TEL else href
            specs.append((href, text, "footer"))
    specs += [("/product/ridgeline-tent", "Ridgeline Tent", "main")]
    return links(*specs)


def support_site(
    channel: str = "desktop",
    *,
    menu: bool = False,
    checkout_contact_href: str = "/contact",
    checkout_help: bool = True,
    category_footer: tuple[tuple[str, str], ...] = FOOTER_HELP,
    product_chat_opens: bool = True,
    contact_tel: str = TEL,
    chat: bool = True,
) -> list[PageVisit]:
    """Every page of :data:`SUPPORT_PATHS` on one channel, with knobs for the classic defects."""
    pages = []
    for path in SUPPORT_PATHS:
        checkout = path.startswith(("/checkout", "/cart"))
        kwargs: dict[str, Any] = {"menu": menu}
        if path.startswith("/checkout"):
            kwargs["contact_href"] = checkout_contact_href
        if checkout and not checkout_help:
            kwargs.update(header_help=False, footer_help=False)
        if path.startswith("/category/"):
            kwargs["footer"] = category_footer
        if path == "/contact":
            kwargs["tel_href"] = contact_tel
        widgets = (
            {"chat_launcher": "[data-testid=chat-launcher]"}
            if chat and (checkout_help or not checkout)
            else {}
        )
        if menu:
            widgets["menu_toggle"] = "button.menu"
        probes = {}
        if "chat_launcher" in widgets:
            opened = product_chat_opens or not path.startswith("/product/")
            probes = {"chat_launcher": {"clicked": True, "opened": opened, "detail": ""}}
        fields = (
            [FormField(name="message", type="textarea", label="How can we help?")]
            if path == "/contact"
            else []
        )
        pages.append(
            visit(
                path,
                channel=channel,
                title=path.strip("/") or "Home",
                text="" if checkout and not checkout_help else FOOTER_TEXT,
                links=help_links(**kwargs),
                widgets=widgets,
                probes=probes,
                fields=fields,
            )
        )
    return pages
