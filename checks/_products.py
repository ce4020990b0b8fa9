"""Product identity on markup we did not write: structured data and visible names.

Matching a product across listing, detail page, cart and email by its link and
its page title fails on single-page stores (cards link to ``#``, every route
has one title).  Two sources survive any markup:

* **structured data** that shops publish for search engines and shopping agents:
  schema.org ``Product`` in JSON-LD, microdata or RDFa, read with ``extruct``
  (sku, gtin, mpn, name, brand, offers);
* **the visible product name** on cards, on the product heading and in cart rows,
  found by the class, ``itemprop`` and test-id conventions common shop platforms
  share (Shopify themes, WooCommerce, Magento, headless React shops), normalised.

Everything here is a pure function of HTML (or of already-parsed JSON-LD), so the
checks can run it on recorded artifacts without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bs4 import BeautifulSoup, Tag
from cx_auditor.checks._text import normalise_name, normalise_space

__all__ = [
    "ShippingRate",
    "OfferData",
    "StructuredProduct",
    "VisibleProduct",
    "structured_products",
    "json_ld_blocks",
    "products_from_items",
    "visible_products",
    "normalise_product_name",
    "normalise_gtin",
    "identity_keys",
    "same_product",
    "parse_amount",
    "PRODUCT_BOXES",
    "product_boxes_script",
    "page_identity",
]

SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")


@dataclass(frozen=True)
class ShippingRate:
    """One ``OfferShippingDetails`` entry: the rate and where it applies."""

    amount: Decimal | None
    currency: str | None
    country: str | None = None


@dataclass(frozen=True)
class OfferData:
    """The parts of a schema.org ``Offer`` that a shopper can check against the page."""

    price: Decimal | None
    currency: str | None
    availability: str | None = None  # short form: "InStock", "OutOfStock", ...
    shipping: tuple[ShippingRate, ...] = ()
    return_days: int | None = None
    return_category: str | None = None  # short form, e.g. "MerchantReturnFiniteReturnWindow"


@dataclass(frozen=True)
class StructuredProduct:
    """A schema.org ``Product`` from any of the three syntaxes."""

    name: str | None
    sku: str | None = None
    gtin: str | None = None
    mpn: str | None = None
    brand: str | None = None
    offers: tuple[OfferData, ...] = ()
    syntax: str = "json-ld"


@dataclass(frozen=True)
class VisibleProduct:
    """A product name as a shopper sees it, with the price and quantity shown beside it."""

    name: str
    role: str  # "heading" (product page), "card" (listing) or "cart-row"
    price: Decimal | None = None
    currency: str | None = None
    quantity: int | None = None
    normalised: str = field(default="", compare=False)


# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

_NAME_NOISE = re.compile(r"\b(?:new|sale|sold out|in stock|out of stock|best ?seller|limited edition)\b")


def normalise_product_name(name: str) -> str:
    """Normalised product name: case, accents, punctuation and badge words removed.

    "Ridgeline 2-Person Tent — NEW" and "ridgeline 2 person tent" compare equal;
    variant suffixes are kept (a "Tent – Green" is not the blue one).
    """
    return normalise_space(_NAME_NOISE.sub(" ", normalise_name(name)))


def normalise_gtin(value: object) -> str | None:
    """GTIN-8/12/13/14 as 14 digits when its check digit is valid, else None."""
    digits = re.sub(r"\D", "", str(value or ""))
    if len(digits) not in (8, 12, 13, 14):
        return None
    padded = digits.zfill(14)
    body, check = padded[:-1], int(padded[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return padded if (10 - total % 10) % 10 == check else None


def parse_amount(value: object) -> Decimal | None:
    """A schema.org price: a number or a string like ``"1,299.00"`` / ``"12.50"``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")  # schema.org says '.', but "12,50" is common
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def identity_keys(product: StructuredProduct | VisibleProduct) -> set[str]:
    """Keys that identify a product: ``gtin:…``, ``sku:…`` and ``name:…`` (normalised)."""
    keys: set[str] = set()
    if isinstance(product, StructuredProduct):
        if product.gtin:
            keys.add(f"gtin:{product.gtin}")
        if product.sku:
            keys.add(f"sku:{product.sku.strip().upper()}")
        if product.mpn:
            keys.add(f"mpn:{product.mpn.strip().upper()}")
    name = normalise_product_name(product.name or "")
    if name:
        keys.add(f"name:{name}")
    return keys


def same_product(a: StructuredProduct | VisibleProduct, b: StructuredProduct | VisibleProduct) -> bool:
    """Same product?  Strong identifiers decide when both sides have one; names otherwise.

    Two different GTINs (or SKUs) are different products even under one name
    (colour and size variants often share it).
    """
    ka, kb = identity_keys(a), identity_keys(b)
    for prefix in ("gtin:", "sku:", "mpn:"):
        sa = {k for k in ka if k.startswith(prefix)}
        sb = {k for k in kb if k.startswith(prefix)}
        if sa and sb:
            return bool(sa & sb)
    return bool({k for k in ka if k.startswith("name:")} & {k for k in kb if k.startswith("name:")})


# ---------------------------------------------------------------------------
# Structured data
# ---------------------------------------------------------------------------


def structured_products(html: str, base_url: str | None = None) -> list[StructuredProduct]:
    """Every schema.org ``Product`` in the page's JSON-LD, microdata and RDFa.

    JSON-LD blocks are parsed one by one, so one malformed block (common on real
    shops: a theme's unescaped quote) costs only itself; microdata and RDFa are
    read by ``extruct``.  Hostile markup yields what could be read, never an error.
    """
    import extruct

    out = products_from_items(json_ld_blocks(html), syntax="json-ld")
    # Parsing RDFa (rdflib) is the slow part: only when the page uses its attributes.
    syntaxes = [
        name
        for name, marker in (("microdata", "itemscope"), ("rdfa", "typeof="))
        if marker in (html or "").lower()
    ]
    if not syntaxes:
        return out
    try:
        data = extruct.extract(html, base_url=base_url, syntaxes=syntaxes, uniform=True, errors="ignore")
    except Exception:  # noqa: BLE001 - extruct/lxml raise many kinds on hostile markup
        return out
    out += products_from_items(data.get("microdata") or [], syntax="microdata")
    out += products_from_items(_rdfa_tree(data.get("rdfa") or []), syntax="rdfa")
    return out


_JSON_LD = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.I | re.S
)


def json_ld_blocks(html: str) -> list[Any]:
    """The parsed JSON-LD scripts of a page; malformed ones are skipped."""
    import json

    out: list[Any] = []
    for m in _JSON_LD.finditer(html or ""):
        raw = m.group(1).strip()
        if raw.startswith("<!--"):
            raw = raw[4:].rsplit("-->", 1)[0]
        try:
            out.append(json.loads(raw, strict=False))
        except ValueError:
            continue
    return out


def products_from_items(items: Iterable[Any], syntax: str = "json-ld") -> list[StructuredProduct]:
    """Products from parsed JSON-LD-shaped items (``@graph`` and nesting are searched)."""
    found: list[StructuredProduct] = []
    for node in _walk(list(items), depth=0):
        if _is_type(node, "Product") or _is_type(node, "ProductGroup"):
            found.append(_product(node, syntax))
    return found


def _walk(value: Any, depth: int) -> Iterable[Mapping[str, Any]]:
    if depth > 8:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1)
    elif isinstance(value, Mapping):
        yield value
        for key in ("@graph", "mainEntity", "itemListElement", "item", "hasVariant"):
            if key in value:
                yield from _walk(value[key], depth + 1)


def _short(value: Any) -> str:
    text = str(value or "")
    for prefix in SCHEMA_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _is_type(node: Mapping[str, Any], name: str) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(_short(t) == name for t in types)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("@value")
    if value is None:
        return None
    text = normalise_space(str(value))
    return text or None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _product(node: Mapping[str, Any], syntax: str) -> StructuredProduct:
    gtin = None
    for key in ("gtin14", "gtin13", "gtin12", "gtin8", "gtin"):
        gtin = gtin or normalise_gtin(_text(node.get(key)))
    offers: list[OfferData] = []
    for offer in _list(node.get("offers")):
        if not isinstance(offer, Mapping):
            continue
        if _is_type(offer, "AggregateOffer") and "offers" in offer:
            offers += [_offer(o) for o in _list(offer["offers"]) if isinstance(o, Mapping)]
        else:
            offers.append(_offer(offer))
    return StructuredProduct(
        name=_text(node.get("name")),
        sku=_text(node.get("sku")),
        gtin=gtin,
        mpn=_text(node.get("mpn")),
        brand=_text(node.get("brand")),
        offers=tuple(offers),
        syntax=syntax,
    )


def _offer(node: Mapping[str, Any]) -> OfferData:
    price = parse_amount(_text(node.get("price")))
    if price is None and _is_type(node, "AggregateOffer"):
        price = parse_amount(_text(node.get("lowPrice")))
    if price is None:  # price inside a UnitPriceSpecification
        for spec in _list(node.get("priceSpecification")):
            if isinstance(spec, Mapping) and price is None:
                price = parse_amount(_text(spec.get("price")))
    currency = _text(node.get("priceCurrency"))
    shipping = []
    for details in _list(node.get("shippingDetails")):
        if not isinstance(details, Mapping):
            continue
        rate = details.get("shippingRate")
        rate = rate[0] if isinstance(rate, list) and rate else rate
        amount, rate_currency = None, None
        if isinstance(rate, Mapping):
            amount = parse_amount(_text(rate.get("value") if "value" in rate else rate.get("price")))
            rate_currency = _text(rate.get("currency") or rate.get("priceCurrency"))
        dest = details.get("shippingDestination")
        dest = dest[0] if isinstance(dest, list) and dest else dest
        country = _text(dest.get("addressCountry")) if isinstance(dest, Mapping) else None
        shipping.append(ShippingRate(amount, rate_currency or currency, country))
    return_days, return_category = None, None
    for policy in _list(node.get("hasMerchantReturnPolicy")):
        if isinstance(policy, Mapping):
            days = _text(policy.get("merchantReturnDays"))
            if days and re.fullmatch(r"\d{1,4}", days):
                return_days = int(days)
            return_category = _short(_text(policy.get("returnPolicyCategory"))) or None
            break
    availability = _text(node.get("availability"))
    return OfferData(
        price=price,
        currency=currency.upper() if currency else None,
        availability=_short(availability).rsplit("/", 1)[-1] if availability else None,
        shipping=tuple(shipping),
        return_days=return_days,
        return_category=return_category,
    )


def _rdfa_tree(nodes: list[Any]) -> list[dict[str, Any]]:
    """Expanded RDFa nodes (``https://schema.org/name: [{"@value": …}]``) as nested JSON-LD."""
    by_id = {n.get("@id"): n for n in nodes if isinstance(n, Mapping) and n.get("@id")}

    def convert(node: Mapping[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {"@type": [_short(t) for t in _list(node.get("@type"))]}
        for key, values in node.items():
            if key.startswith("@") or not any(key.startswith(p) for p in SCHEMA_PREFIXES):
                continue
            converted = []
            for v in _list(values):
                if isinstance(v, Mapping) and "@value" in v:
                    converted.append(v["@value"])
                elif isinstance(v, Mapping) and "@id" in v:
                    ref = by_id.get(v["@id"])
                    if ref is not None and depth < 6 and ref is not node:
                        converted.append(convert(ref, depth + 1))
                    else:
                        converted.append(v["@id"])
            out[_short(key)] = converted[0] if len(converted) == 1 else converted
        return out

    return [convert(n, 0) for n in nodes if isinstance(n, Mapping) and n.get("@type")]


# ---------------------------------------------------------------------------
# Visible names
# ---------------------------------------------------------------------------

# Conventions of common platforms: Shopify (card__heading, product-card, cart-item__name),
# WooCommerce (type-product, woocommerce-loop-product__title, cart_item, product-name),
# Magento (product-item, product-item-name, cart item-info), headless shops (data-testid).
_CART_ROW = re.compile(
    r"(?:^|[\s_-])(?:cart|basket|bag|line)[_-]*(?:item|line|row|product)s?(?:$|[\s_-])|\bcart_item\b|(?:^|\s)item-info(?:$|\s)",
    re.I,
)
_CARD = re.compile(
    r"(?:^|[\s_-])(?:product[_-]*(?:card|item|tile|miniature|grid[_-]*item|block)|card[_-]*product|type-product)(?:$|[\s_-])",
    re.I,
)
_NAME_HINT = re.compile(r"(?:name|title|heading)(?:$|[\s_-])", re.I)
_PRICE_HINT = re.compile(r"price|amount|money", re.I)
_OLD_PRICE = re.compile(r"compare|old|was|regular|strike|original|list-price|msrp", re.I)
_ADD_TO_CART = re.compile(r"\badd to (?:cart|bag|basket|trolley)\b|\bbuy now\b", re.I)
_QTY_TEXT = re.compile(r"(?:\bqty\.?|\bquantity)\s*:?\s*(\d{1,3})\b|[×x]\s*(\d{1,3})\b", re.I)


def _parser() -> str:
    """lxml (an extruct dependency) parses ~5x faster than the stdlib parser; fall back if absent."""
    try:
        import lxml  # noqa: F401

        return "lxml"
    except ImportError:  # pragma: no cover - extruct requires lxml
        return "html.parser"


_PARSER = _parser()


# Attribute tests written as bs4 matchers rather than CSS selectors: soupsieve compiled and ran a
# selector per call, a tenth of the whole judge on the demo's 60 pages (same semantics: exact
# values, ``$=`` case-insensitive, ``~=`` one of the space-separated words).
def _hidden(tag: Tag) -> bool:
    """``[hidden], [aria-hidden=true]``."""
    return tag.has_attr("hidden") or tag.get("aria-hidden") == "true"


def _schema_product_type(value: str | None) -> bool:
    """``[itemtype$='schema.org/Product' i]``."""
    return bool(value) and str(value).lower().endswith("schema.org/product")


def _rdfa_product_type(value: str | None) -> bool:
    """``[typeof~=Product], [typeof~='schema:Product']``."""
    return bool(value) and bool({"Product", "schema:Product"} & set(str(value).split()))


def _tokens(tag: Tag) -> str:
    parts = [" ".join(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("data-testid") or "")]
    return " ".join(p for p in parts if p)


def visible_products(html: str, currency: str = "USD") -> list[VisibleProduct]:
    """Product names shown on cards, as a product page's heading, and in cart rows.

    Hidden templates (``<template>``, ``hidden``, ``aria-hidden``) are skipped; a
    card nested in another card counts once (Magento wraps ``product-item-info``
    in ``product-item``).
    """
    soup = BeautifulSoup(html or "", _PARSER)
    for junk in soup.find_all(["script", "style", "template", "noscript"]):
        junk.decompose()
    for hidden in soup.find_all(_hidden):
        hidden.decompose()
    out: list[VisibleProduct] = []
    seen: set[tuple[str, str]] = set()

    def add(name: str | None, role: str, box: Tag | None) -> None:
        name = normalise_space(name or "")
        norm = normalise_product_name(name)
        if not norm or len(name) > 200 or (role, norm) in seen:
            return
        seen.add((role, norm))
        price, cur = _box_price(box, currency) if box is not None else (None, None)
        qty = _box_quantity(box) if box is not None and role == "cart-row" else None
        out.append(VisibleProduct(name, role, price, cur, qty, normalised=norm))

    rows = [t for t in soup.find_all(True) if _CART_ROW.search(_tokens(t))]
    rows = _outermost(rows)
    for row in rows:
        add(_box_name(row), "cart-row", row)
    row_ids = {id(r) for r in rows}
    cards = [t for t in soup.find_all(True) if _CARD.search(_tokens(t)) and not _inside(t, row_ids)]
    for card in _outermost(cards):
        add(_box_name(card), "card", card)
    h1 = soup.find("h1")
    if (
        isinstance(h1, Tag)
        and not _inside(h1, row_ids | {id(c) for c in cards})
        and _looks_like_product_page(soup)
    ):
        add(h1.get_text(" "), "heading", _heading_box(h1))
    return out


def _outermost(tags: list[Tag]) -> list[Tag]:
    chosen = set(map(id, tags))
    return [t for t in tags if not any(id(p) in chosen for p in t.parents)]


def _inside(tag: Tag, box_ids: set[int]) -> bool:
    return any(id(p) in box_ids for p in tag.parents)


def _box_name(box: Tag) -> str | None:
    el = box.find(itemprop="name")
    if isinstance(el, Tag):
        return str(el.get("content") or el.get_text(" "))
    for el in box.find_all(True):
        if _NAME_HINT.search(_tokens(el)) and not _PRICE_HINT.search(_tokens(el)) and el.get_text(strip=True):
            return el.get_text(" ")
    for name in ("h2", "h3", "h4", "h5"):
        el = box.find(name)
        if isinstance(el, Tag) and el.get_text(strip=True):
            return el.get_text(" ")
    for a in box.find_all("a"):
        text = a.get_text(" ", strip=True)
        if text and not re.search(r"\$|€|£|\d+[.,]\d{2}", text):
            return text
    return None


def _box_price(box: Tag, currency: str) -> tuple[Decimal | None, str | None]:
    from cx_auditor.checks.extractors import find_money

    meta = box.find(itemprop="price")
    if isinstance(meta, Tag) and meta.get("content"):
        amount = parse_amount(meta.get("content"))
        cur_el = box.find(itemprop="priceCurrency")
        cur = str(cur_el.get("content")) if isinstance(cur_el, Tag) and cur_el.get("content") else currency
        if amount is not None:
            return amount, cur
    candidates = [t for t in box.find_all(True) if _PRICE_HINT.search(_tokens(t))]
    current = [
        t
        for t in candidates
        if not _OLD_PRICE.search(_tokens(t))
        and not t.find_parent(["del", "s", "strike"])
        and t.name not in ("del", "s")
    ]
    for el in current or candidates:
        # Prefer the sale price of a "was/now" pair: text outside <del>/<s>.
        for old in el.find_all(["del", "s", "strike"]):
            old.extract()
        money = find_money(el.get_text(" "), currency)
        if money:
            return money[0].amount, money[0].currency
    money = find_money(box.get_text(" "), currency)
    return (money[0].amount, money[0].currency) if money else (None, None)


def _box_quantity(box: Tag) -> int | None:
    for el in box.find_all(["input", "select"]):
        name = f"{el.get('name') or ''} {_tokens(el)} {el.get('aria-label') or ''}"
        if re.search(r"qty|quantity|updates", name, re.I):
            value = el.get("value")
            if el.name == "select":
                opt = el.find("option", selected=True)
                value = opt.get("value") if isinstance(opt, Tag) else None
            if value is not None and str(value).strip().isdigit():
                return int(str(value).strip())
    m = _QTY_TEXT.search(box.get_text(" "))
    if m:
        return int(m.group(1) or m.group(2))
    return None


def _looks_like_product_page(soup: BeautifulSoup) -> bool:
    if soup.find(itemtype=_schema_product_type):
        return True
    if soup.find(typeof=_rdfa_product_type):
        return True
    for el in soup.find_all(["button", "input"]):
        label = el.get_text(" ") if el.name == "button" else str(el.get("value") or "")
        if _ADD_TO_CART.search(label) or re.search(
            r"add[-_]?to[-_]?cart", str(el.get("name") or "") + _tokens(el)
        ):
            return True
    return False


def _heading_box(h1: Tag) -> Tag:
    """The smallest ancestor of the heading that also shows a price (the product summary)."""
    for parent in h1.parents:
        if not isinstance(parent, Tag) or parent.name in ("body", "html"):
            break
        if any(_PRICE_HINT.search(_tokens(t)) for t in parent.find_all(True)) or parent.find(
            itemprop="price"
        ):
            return parent
    return h1


# ---------------------------------------------------------------------------
# Gathering: the product boxes of a live page (cards, cart rows, the product heading)
# ---------------------------------------------------------------------------

#: ``PageVisit.gathered`` key under which the product boxes' HTML is recorded
PRODUCT_BOXES = "product_boxes"


def product_boxes_script(limit_chars: int = 150_000) -> str:
    """A page script returning the HTML of the page's visible product boxes, for :func:`visible_products`.

    Cards and cart rows are found by the same class/id/test-id conventions as
    :func:`visible_products` (so the result reads the same), plus the box around the
    ``h1`` when it shows a price or a button (a product page's summary). Only these
    fragments are kept, not the whole page: a few kilobytes per visit.
    """
    import json

    card, row = json.dumps(_CARD.pattern), json.dumps(_CART_ROW.pattern)
    return (
        "() => {"
        f" const card = new RegExp({card}, 'i'), row = new RegExp({row}, 'i');"
        " const tokens = (el) => [el.getAttribute('class') || '', el.id || '',"
        "   el.getAttribute('data-testid') || ''].join(' ');"
        " const shown = (el) => typeof el.checkVisibility !== 'function' || el.checkVisibility();"
        " const boxes = [];"
        " for (const el of document.body ? document.body.querySelectorAll('*') : []) {"
        "   if (boxes.length >= 400) break;"
        "   const t = tokens(el);"
        "   if (t.trim() && (card.test(t) || row.test(t)) && !boxes.some((b) => b.contains(el)) && shown(el))"
        "     boxes.push(el);"
        " }"
        " const h1 = document.querySelector('h1');"
        " if (h1 && shown(h1) && !boxes.some((b) => b.contains(h1))) {"
        "   let box = h1;"
        "   for (let p = h1.parentElement, i = 0; p && p !== document.body && i < 6;"
        "        p = p.parentElement, i++) {"
        "     if (p.querySelector('button, [itemprop=price], [class*=price i], [data-testid*=price i]')) {"
        "       box = p; break; }"
        "   }"
        "   boxes.push(box);"
        " }"
        " let out = '';"
        " for (const b of boxes) {"
        "   const html = b.outerHTML;"
        f"   if (out.length + html.length > {int(limit_chars)}) break;"
        "   out += html + '\\n';"
        " }"
        " return out;"
        "}"
    )


def page_identity(
    structured_data: list[dict[str, Any]] | None, boxes_html: str | None, currency: str = "USD"
) -> tuple[StructuredProduct | VisibleProduct | None, list[VisibleProduct]]:
    """What a recorded page says about product identity: its own product, and the others it lists.

    The page's own product is its single structured ``Product`` (JSON-LD, microdata)
    when there is exactly one, else the product heading of its boxes; the others are
    the cards and cart rows it shows.
    """
    own: StructuredProduct | VisibleProduct | None = None
    products = [p for p in products_from_items(structured_data or []) if p.name or p.sku]
    distinct = {tuple(sorted(identity_keys(p))) for p in products}
    if len(distinct) == 1:
        own = products[0]
    listed: list[VisibleProduct] = []
    for item in visible_products(boxes_html, currency) if boxes_html else []:
        if item.role == "heading":
            own = own or item
        else:
            listed.append(item)
    return own, listed
