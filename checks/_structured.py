"""Structured data as a channel: what search engines and shopping agents read vs the page.

A product's schema.org ``Offer`` is shown to shoppers by Google Shopping, price
comparison sites and AI shopping agents, and merchant platforms disapprove items
whose structured price, availability, shipping or return policy disagrees with
the landing page.  :func:`compare_offer` reads one page's structured product
against what the same page shows and returns :class:`DataMismatch` items that the
messaging check reports as findings (rules and message text live here, so they
can be tested without a browser).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cx_auditor.checks._products import OfferData, StructuredProduct, VisibleProduct
from cx_auditor.models import Finding, PageVisit

__all__ = [
    "PageFacts",
    "DataMismatch",
    "compare_offer",
    "page_facts",
    "mismatch_message",
    "shown_price",
    "structured_findings",
]

_OUT_OF_STOCK = re.compile(r"\b(?:out of stock|sold out|currently unavailable|no longer available)\b", re.I)
_IN_STOCK = re.compile(
    r"\b(?:in stock|available now|ships (?:today|tomorrow)|add to (?:cart|bag|basket))\b", re.I
)
_OUT_TYPES = {"OutOfStock", "SoldOut", "Discontinued"}
_IN_TYPES = {"InStock", "LimitedAvailability", "OnlineOnly", "InStoreOnly"}


@dataclass(frozen=True)
class PageFacts:
    """What the page itself tells a shopper about the product (None = not shown)."""

    price: Decimal | None = None
    currency: str | None = None
    in_stock: bool | None = None
    free_shipping_threshold: Decimal | None = None
    standard_shipping: Decimal | None = None
    return_days: int | None = None


@dataclass(frozen=True)
class DataMismatch:
    """One disagreement between the structured data and the page."""

    field: str  # "price" | "currency" | "availability" | "shipping" | "return_days"
    structured: str
    shown: str
    product: str


def page_facts(
    text: str, shown: VisibleProduct | None, currency: str = "USD", region: str = "US"
) -> PageFacts:
    """Facts from a product page's visible text and the price shown by its product heading.

    The free-shipping threshold and return window come from the same extractors the
    messaging check uses (unqualified claims only: an "express" or "member" threshold
    is not the standard one, and neither is one for a place other than the shop's ``region``);
    stock is read from the text.
    """
    from cx_auditor.checks import extractors as ex
    from cx_auditor.checks._text import split_sentences

    in_stock: bool | None = None
    if _OUT_OF_STOCK.search(text or ""):
        in_stock = False
    elif _IN_STOCK.search(text or ""):
        in_stock = True
    threshold: Decimal | None = None
    days: int | None = None
    for sentence in split_sentences(text or ""):
        for claim in ex.extract_free_shipping_thresholds(sentence, currency, region):
            if threshold is None and not claim.key and claim.amount is not None:
                threshold = claim.amount
        for claim in ex.extract_return_windows(sentence):
            m = re.fullmatch(r"(\d+) days", claim.value)
            if days is None and not claim.key and m:
                days = int(m.group(1))
    return PageFacts(
        price=shown.price if shown else None,
        currency=shown.currency if shown else None,
        in_stock=in_stock,
        free_shipping_threshold=threshold,
        return_days=days,
    )


def compare_offer(product: StructuredProduct, facts: PageFacts) -> list[DataMismatch]:
    """Disagreements between the product's offers and the page's facts.

    Rules (each only when both sides state the fact):

    * **price**: no offer's price equals the shown price (a product with several
      offers — sizes, sellers — agrees when any one does);
    * **currency**: the offers' currency is not the shown one;
    * **availability**: the data says in stock while the page says sold out, or the
      reverse;
    * **shipping**: a shipping rate of 0 for a price below the advertised
      free-shipping threshold, or a charge for a price at or above it;
    * **return_days**: ``merchantReturnDays`` differs from the return window shown.
    """
    name = product.name or product.sku or product.gtin or "product"
    out: list[DataMismatch] = []
    offers = [o for o in product.offers if o.price is not None]
    if facts.price is not None and offers:
        same_currency = [
            o for o in offers if not o.currency or not facts.currency or o.currency == facts.currency
        ]
        if same_currency and all(abs(o.price - facts.price) > Decimal("0.005") for o in same_currency):  # type: ignore[operator]
            out.append(
                DataMismatch("price", _money(same_currency[0]), _amount(facts.price, facts.currency), name)
            )
        if not same_currency:
            out.append(DataMismatch("currency", str(offers[0].currency), str(facts.currency), name))
    avail = {o.availability for o in product.offers if o.availability}
    if facts.in_stock is not None and avail:
        says_in = bool(avail & _IN_TYPES)
        says_out = bool(avail & _OUT_TYPES) and not says_in
        if facts.in_stock is False and says_in:
            out.append(DataMismatch("availability", "/".join(sorted(avail)), "sold out", name))
        elif facts.in_stock is True and says_out:
            out.append(DataMismatch("availability", "/".join(sorted(avail)), "in stock", name))
    if facts.free_shipping_threshold is not None and facts.price is not None:
        for offer in product.offers:
            for rate in offer.shipping:
                if rate.amount is None:
                    continue
                free_expected = facts.price >= facts.free_shipping_threshold
                if free_expected and rate.amount > 0:
                    shown = f"free shipping over {_amount(facts.free_shipping_threshold, facts.currency)}"
                    out.append(DataMismatch("shipping", _amount(rate.amount, rate.currency), shown, name))
                    break
                if not free_expected and rate.amount == 0 and facts.standard_shipping:
                    rate_text = _amount(facts.standard_shipping, facts.currency)
                    shown = f"{rate_text} under the free-shipping threshold"
                    out.append(DataMismatch("shipping", "free", shown, name))
                    break
            else:
                continue
            break
    days = {o.return_days for o in product.offers if o.return_days is not None}
    if facts.return_days is not None and days and facts.return_days not in days:
        out.append(DataMismatch("return_days", f"{min(days)} days", f"{facts.return_days} days", name))
    return out


_FIELD_TEXT = {
    "price": "price",
    "currency": "currency",
    "availability": "availability",
    "shipping": "shipping rate",
    "return_days": "return window (merchantReturnDays)",
}


def mismatch_message(m: DataMismatch, where: str) -> str:
    """One-line finding text: what the data says, what the page shows, and why it matters."""
    return (
        f"Structured data for {m.product} on {where} gives the {_FIELD_TEXT.get(m.field, m.field)} as "
        f"{m.structured}, but the page shows {m.shown}; shopping platforms disapprove items whose "
        "structured data disagrees with the page"
    )


def _money(offer: OfferData) -> str:
    return _amount(offer.price, offer.currency)


def _amount(value: Decimal | None, currency: str | None) -> str:
    if value is None:
        return "?"
    return f"{value:.2f} {currency}" if currency else f"{value:.2f}"


# ---------------------------------------------------------------------------
# Findings from recorded visits
# ---------------------------------------------------------------------------

#: Merchant platforms disapprove items whose price or availability disagrees with the
#: landing page; shipping and return mismatches cost the listing its annotations.
SEVERITY = {
    "price": "fail",
    "currency": "fail",
    "availability": "fail",
    "shipping": "warn",
    "return_days": "warn",
}


def shown_price(text: str, name: str, currency: str = "USD") -> tuple[Decimal | None, str | None]:
    """The price shown under the product's own name in a page's visible text.

    The first amount within four lines after the line that *is* the product name
    (normalised) — where a product page puts its price — else None.
    """
    from cx_auditor.checks import extractors as ex
    from cx_auditor.checks._products import normalise_product_name
    from cx_auditor.checks._text import split_lines

    wanted = normalise_product_name(name)
    lines = split_lines(text)
    for i, line in enumerate(lines):
        if wanted and normalise_product_name(line) == wanted:
            for follow in lines[i + 1 : i + 5]:
                money = ex.find_money(follow, currency)
                if money:
                    return money[0].amount, money[0].currency
            return None, None
    return None, None


def structured_findings(
    visits: Iterable[PageVisit], check_id: str, currency: str = "USD", region: str = "US"
) -> list[Finding]:
    """One finding per (product, field) whose structured data disagrees with its page.

    Reads ``PageVisit.structured_data`` (JSON-LD-shaped items the collector found on
    the page); visits without it are skipped, so runs recorded before the collector
    gathered structured data simply produce no such findings.
    """
    from cx_auditor.checks._products import products_from_items
    from cx_auditor.checks_api import finding, url_path

    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for visit in visits:
        items = getattr(visit, "structured_data", None) or []
        if not items:
            continue
        url = visit.final_url or visit.url
        for product in products_from_items(items):
            price, cur = shown_price(visit.text, product.name or "", currency)
            shown = VisibleProduct(product.name or "", "heading", price, cur) if price is not None else None
            for m in compare_offer(product, page_facts(visit.text, shown, currency, region)):
                entry = grouped.setdefault(
                    (m.field, (product.sku or product.name or "").lower()),
                    {"mismatch": m, "url": url, "channels": [], "pages": []},
                )
                if visit.channel not in entry["channels"]:
                    entry["channels"].append(visit.channel)
                if url_path(url) not in entry["pages"]:
                    entry["pages"].append(url_path(url))
    out = []
    for (field_name, key), entry in grouped.items():
        m = entry["mismatch"]
        channels = sorted(entry["channels"])
        out.append(
            finding(
                check_id,
                f"structured-data-{field_name.replace('_', '-')}",
                SEVERITY[field_name],
                f"{mismatch_message(m, entry['pages'][0])} ({', '.join(channels)})",
                channel=channels[0] if len(channels) == 1 else None,
                url=entry["url"],
                evidence={
                    "claim": "structured_data",
                    "field": field_name,
                    "structured": m.structured,
                    "shown": m.shown,
                    "product": m.product,
                    "pages": entry["pages"][:25],
                    "channels": channels,
                },
                identity=(key,),
            )
        )
    return out
