"""Cart arithmetic on any cart: do the lines and the summary rows add up?

Carts on different platforms label the same rows differently ("Subtotal", "Item
total", "Cart total", "Basket total", "Merchandise"; "Total", "Order total",
"Estimated total", "Grand total", "Total to pay") and lay out line items as table
rows (WooCommerce, Magento: cells joined by tabs in ``innerText``) or as stacked
blocks (Shopify themes, headless SPA carts: one element per line).  This module
reads both shapes from visible text and checks two sums:

* line items: unit price × quantity = line total, and the line totals add up to
  the subtotal;
* summary: subtotal + shipping + tax − discounts = total.

Pure functions of text; the vocabulary is a :class:`CartVocabulary` that config can
extend (``checkout_steps.cart_labels``).  A figure the cart does not show as a
number ("Calculated at checkout") makes that sum unknown, never a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cx_auditor.checks._text import normalise_space
from cx_auditor.checks_api import finding, url_path
from cx_auditor.models import Finding, PageVisit, Severity

__all__ = [
    "CartVocabulary",
    "DEFAULT_LABELS",
    "LineItem",
    "CartReading",
    "CartProblem",
    "read_cart",
    "read_line_items",
    "check_cart",
    "problem_message",
    "cart_findings",
]

#: Row labels per role, matched case-insensitively at the start of a line.
#: ``cart_total`` is ambiguous: the subtotal when another total row follows
#: ("Cart total … Order total"), else the total.
DEFAULT_LABELS: dict[str, tuple[str, ...]] = {
    "subtotal": (
        "subtotal",
        "sub-total",
        "sub total",
        "item subtotal",
        "items subtotal",
        "item total",
        "items total",
        "item(s) total",
        "merchandise subtotal",
        "merchandise total",
        "merchandise",
        "products total",
        "cart subtotal",
        "basket subtotal",
        "bag subtotal",
        "order subtotal",
        "total before tax",
    ),
    "cart_total": ("cart total", "basket total", "bag total", "cart totals"),
    "shipping": (
        "shipping",
        "estimated shipping",
        "standard shipping",
        "express shipping",
        "shipping & handling",
        "shipping and handling",
        "delivery",
        "estimated delivery",
        "postage",
        "postage & packing",
        "p&p",
    ),
    "tax": ("tax", "taxes", "estimated tax", "sales tax", "vat", "gst", "hst"),
    "discount": (
        "discount",
        "discounts",
        "promo",
        "promotion",
        "promo code",
        "coupon",
        "savings",
        "you save",
        "welcome discount",
        "member discount",
        "order discount",
    ),
    "total": (
        "total",
        "order total",
        "grand total",
        "estimated total",
        "total due",
        "amount due",
        "total to pay",
        "total (incl. tax)",
        "total incl. vat",
        "total price",
    ),
}

_PROMO_SENTENCE = re.compile(
    r"\b(?:free (?:standard )?shipping|orders? over|spend|more (?:to|for)|away from|save up to|% off|"
    r"gift card|klarna|afterpay|installments?|payments? of)\b",
    re.I,
)
_MONEY = re.compile(
    r"(?<![\w.])[-−–]?\s?(?:[$€£¥]|[A-Z]{3}\s?|R\$|CHF\s?)\s?(?:\d{1,3}(?:[,.\s\u00a0]\d{3})+|\d+)(?:[.,]\d{2})?"
    r"|(?<![\w.])[-−–]?(?:\d{1,3}(?:[,.\s\u00a0]\d{3})+|\d+)[.,]\d{2}\s?(?:[$€£]|[A-Z]{3})(?!\w)"
)
_QTY = re.compile(
    r"\b(?:qty|quantity)\.?\s*:?\s*(\d{1,3})\b|(?:^|\s)[×x]\s?(\d{1,3})\b|\b(\d{1,3})\s?[×x]\s|^\s*(\d{1,3})\s*$",
    re.I,
)
_CART_HEADING = re.compile(
    r"^(?:your |my )?(?:shopping )?(?:cart|basket|bag|trolley)(?:\s*\(?\d{1,3}\)?(?: items?)?)?$", re.I
)
_HEADER_WORD = re.compile(
    r"(?:product|item|items|price|unit price|qty|quantity|total|subtotal|each|description|details)", re.I
)
_QTY_MARK = re.compile(r"[×x]\s?\d|qty|quantity", re.I)
#: Option lines of a line item: "Size: M", "Colour: Blue", "Gift wrap: yes".
_ATTRIBUTE = re.compile(r"^[A-Za-z][\w /-]{0,24}:\s*\S")
_FREE = re.compile(r"\bfree\b", re.I)
_LATER = re.compile(
    r"calculated|at checkout|next step|to be (?:determined|confirmed)|\btbd\b|enter (?:your |a )?"
    r"(?:address|postcode|zip)|^[—–-]$",
    re.I,
)
_NOISE_LINE = re.compile(r"^(?:remove|update|delete|edit|save for later|move to wishlist)\b", re.I)


@dataclass(frozen=True)
class CartVocabulary:
    """Row labels per role; :meth:`extended` adds a site's own labels from config."""

    labels: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_LABELS))

    def extended(self, extra: Mapping[str, Iterable[str]] | None) -> CartVocabulary:
        """A vocabulary with ``extra`` labels added, e.g. ``{"total": ["Total TTC"]}``.

        Unknown roles are refused with a message naming them (a typo would
        otherwise silently never match).
        """
        merged = {k: tuple(v) for k, v in self.labels.items()}
        for role, labels in (extra or {}).items():
            if role not in merged:
                raise ValueError(f"cart_labels: unknown row {role!r}; use one of {', '.join(sorted(merged))}")
            if isinstance(labels, str):
                labels = [labels]
            merged[role] = tuple(
                dict.fromkeys([*(lbl.strip().lower() for lbl in labels if lbl.strip()), *merged[role]])
            )
        return CartVocabulary(merged)

    def match(self, line: str) -> tuple[str, str] | None:
        """(role, rest of line) when ``line`` starts with a known label, longest label first."""
        low = line.lower()
        best: tuple[int, str] | None = None
        for role, labels in self.labels.items():
            for label in labels:
                if low.startswith(label) and (len(low) == len(label) or not low[len(label)].isalnum()):
                    if best is None or len(label) > best[0]:
                        best = (len(label), role)
        if best is None:
            return None
        return best[1], line[best[0] :].lstrip(" :\t")


@dataclass(frozen=True)
class LineItem:
    name: str
    unit: Decimal | None
    quantity: int | None
    total: Decimal | None

    @property
    def amount(self) -> Decimal | None:
        """What the line contributes to the subtotal, when it can be known."""
        if self.total is not None:
            return self.total
        if self.unit is not None and self.quantity is not None:
            return self.unit * self.quantity
        return None


@dataclass
class CartReading:
    """The summary rows and line items a cart shows (None = not shown as a number)."""

    subtotal: Decimal | None = None
    shipping: Decimal | None = None
    tax: Decimal | None = None
    discount: Decimal | None = None
    total: Decimal | None = None
    #: rows shown with a label but no number ("Calculated at checkout")
    unknown: set[str] = field(default_factory=set)
    rows: dict[str, str] = field(default_factory=dict)
    lines: list[LineItem] = field(default_factory=list)


@dataclass(frozen=True)
class CartProblem:
    kind: str  # "line-arithmetic" | "lines-vs-subtotal" | "total-arithmetic"
    expected: Decimal
    shown: Decimal
    detail: str


def _amount_spans(text: str) -> list[tuple[Decimal, int]]:
    """Money amounts in ``text`` with where each starts (negative for "−$5.00")."""
    out = []
    for m in _MONEY.finditer(text):
        raw = m.group(0)
        negative = raw.lstrip()[:1] in "-−–"
        digits = re.sub(r"[^\d.,]", "", raw)
        if re.search(r",\d{2}$", digits):  # 1.299,00 / 12,50
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
        try:
            value = Decimal(digits)
        except ArithmeticError:
            continue
        out.append((-value if negative else value, m.start()))
    return out


def _amounts(text: str) -> list[Decimal]:
    return [v for v, _ in _amount_spans(text)]


def read_cart(text: str, vocabulary: CartVocabulary | None = None) -> CartReading | None:
    """Summary rows and line items of a cart or order summary; None when it shows no total.

    A row's value is on the label's line or the next short line (stacked layouts).
    The first occurrence of a role wins (a mini-cart repeated in a drawer is ignored).
    """
    vocab = vocabulary or CartVocabulary()
    raw = [ln.strip() for ln in re.split(r"[\r\n]+", text or "") if ln.strip()]
    lines = [normalise_space(ln) for ln in raw]
    reading = CartReading()
    found: dict[str, Decimal | None] = {}
    first_row: int | None = None
    for i, line in enumerate(lines):
        if len(line) > 80:
            continue
        hit = vocab.match(line)
        if hit is None:
            continue
        role, rest = hit
        if role in found:
            continue
        value, shown = _row_value(rest, lines[i + 1] if i + 1 < len(lines) else "", vocab, role)
        if not shown:
            continue
        first_row = i if first_row is None else first_row
        found[role] = value
        reading.rows[role] = line if rest else f"{line} {lines[i + 1]}"
    # "Cart total" is the subtotal when a real total row is also shown, else the total.
    if "cart_total" in found:
        target = "subtotal" if "total" in found and "subtotal" not in found else "total"
        if target not in found:
            found[target] = found["cart_total"]
            reading.rows[target] = reading.rows["cart_total"]
        del found["cart_total"], reading.rows["cart_total"]
    for role, value in found.items():
        if value is None:
            reading.unknown.add(role)
        else:
            setattr(reading, role, abs(value))
    if reading.total is None and "total" not in reading.unknown:
        return None
    reading.lines = read_line_items(raw[:first_row] if first_row is not None else raw)
    return reading


def _row_value(rest: str, following: str, vocab: CartVocabulary, role: str) -> tuple[Decimal | None, bool]:
    for j, chunk in enumerate((rest, following)):
        if j == 1 and (len(chunk) > 30 or vocab.match(chunk)):
            break
        amounts = _amounts(chunk)
        if amounts:
            return amounts[0], True
        if role == "shipping" and _FREE.search(chunk):
            return Decimal(0), True
        if _LATER.search(chunk):
            return None, True  # "Shipping  Calculated at checkout": shown, but not a number
        if chunk and j == 0:
            return None, False  # "Shipping & Returns", "Total: 3 items": not this row
    return None, False


def read_line_items(lines: list[str]) -> list[LineItem]:
    """Line items from the text above the summary rows (lines may keep table tabs).

    A new item starts where a product name follows a price ("Tent / Qty 2 / $249.00
    each $498.00 / Stove / …"); option lines ("Size: M") stay with their item, and of
    several text lines before an item's first price the last one is its name (the
    ones before are table headers and links).  Promotional sentences with amounts
    ("Add $12 more for free shipping") are ignored.  With two or more amounts the
    first is the unit price and the last the line total.
    """
    start = 0
    for i, line in enumerate(lines):
        if _CART_HEADING.match(normalise_space(line)):
            start = i + 1
    items: list[LineItem] = []
    name, extra, amounts, qty = "", [], [], None  # type: ignore[var-annotated]

    def flush() -> None:
        nonlocal name, extra, amounts, qty
        if amounts and name:
            items.append(_item(" ".join([name, *extra]), amounts, qty))
        name, extra, amounts, qty = "", [], [], None

    for line in lines[start:]:
        plain = normalise_space(line)
        if _NOISE_LINE.match(plain) or _PROMO_SENTENCE.search(plain):
            continue
        for cell in (normalise_space(c) for c in line.split("\t")):
            if not cell or (len(cell) == 1 and not cell.isalnum()) or _HEADER_WORD.fullmatch(cell):
                continue
            spans = _amount_spans(cell)
            q = _QTY.search(cell)
            if spans:
                if q and _QTY_MARK.search(cell):
                    qty = int(next(g for g in q.groups() if g))
                lead = cell[: spans[0][1]].strip(" :-–")
                if not amounts and re.search(r"[A-Za-z]{3}", lead) and not _HEADER_WORD.fullmatch(lead):
                    name, extra = lead, []
                amounts.extend(v for v, _ in spans if v >= 0)
                continue
            if q:
                qty = int(next(g for g in q.groups() if g))
                continue
            if _ATTRIBUTE.match(cell) and (name or amounts):
                extra.append(cell)
                continue
            if amounts:
                flush()
            name, extra = cell, []
    flush()
    return items


def _item(name: str, amounts: list[Decimal], qty: int | None) -> LineItem:
    if len(amounts) >= 2:
        unit, total = amounts[0], amounts[-1]
        if qty is None and unit and (total / unit) == int(total / unit):
            qty = int(total / unit)
        return LineItem(name[:120], unit, qty, total)
    if qty in (None, 1):
        return LineItem(name[:120], amounts[0], qty or 1, amounts[0])
    return LineItem(name[:120], None, qty, None)  # one amount, qty > 1: unit or total? unknown


def check_cart(reading: CartReading, tolerance: Decimal = Decimal("0.01")) -> list[CartProblem]:
    """Sums that do not add up (each only when every figure it needs is shown)."""
    problems: list[CartProblem] = []
    for line in reading.lines:
        if line.unit is not None and line.quantity is not None and line.total is not None:
            expected = line.unit * line.quantity
            if abs(expected - line.total) > tolerance:
                problems.append(
                    CartProblem(
                        "line-arithmetic",
                        expected,
                        line.total,
                        f"{line.name}: {line.quantity} × {line.unit:.2f} = {expected:.2f}, "
                        f"shown {line.total:.2f}",
                    )
                )
    amounts = [line.amount for line in reading.lines if line.amount is not None]
    if reading.lines and reading.subtotal is not None and len(amounts) == len(reading.lines):
        expected = sum(amounts, Decimal(0))
        if abs(expected - reading.subtotal) > tolerance:
            problems.append(
                CartProblem(
                    "lines-vs-subtotal",
                    expected,
                    reading.subtotal,
                    f"{len(reading.lines)} line(s) add up to {expected:.2f}; "
                    f"subtotal shown {reading.subtotal:.2f}",
                )
            )
    needed = {"subtotal", "shipping", "tax", "discount"} & reading.unknown
    if reading.subtotal is not None and reading.total is not None and not needed:
        expected = reading.subtotal + (reading.shipping or 0) + (reading.tax or 0) - (reading.discount or 0)
        if abs(expected - reading.total) > tolerance:
            parts = [f"subtotal {reading.subtotal:.2f}"]
            parts += [f"+ {k} {getattr(reading, k):.2f}" for k in ("shipping", "tax") if getattr(reading, k)]
            if reading.discount:
                parts.append(f"− discount {reading.discount:.2f}")
            problems.append(
                CartProblem(
                    "total-arithmetic",
                    expected,
                    reading.total,
                    f"{' '.join(parts)} = {expected:.2f}; total shown {reading.total:.2f}",
                )
            )
    return problems


_KIND_TEXT = {
    "line-arithmetic": "a line total is not unit price × quantity",
    "lines-vs-subtotal": "the line items do not add up to the subtotal",
    "total-arithmetic": "the total is not subtotal + shipping + tax − discounts",
}


def problem_message(problem: CartProblem, where: str) -> str:
    """Finding text: what does not add up, by how much, where."""
    return f"Cart arithmetic on {where}: {_KIND_TEXT[problem.kind]} ({problem.detail})"


def cart_findings(
    visits: Iterable[PageVisit], check_id: str, labels: Mapping[str, Iterable[str]] | None = None
) -> tuple[list[Finding], int]:
    """Findings for carts that do not add up, and how many carts were read.

    One finding per problem kind, listing every page and channel it was seen on (the
    same wrong summary repeated on each checkout step is one defect, not five); the
    same cart seen twice on one channel (a snapshot after a step) is read once.
    """
    vocab = CartVocabulary().extended(labels)
    seen: dict[str, dict[str, Any]] = {}
    read: set[tuple[str, str, str]] = set()
    for visit in visits:
        url = visit.final_url or visit.url
        path = url_path(url) or "/"
        if (visit.channel, path, visit.text) in read:
            continue
        reading = read_cart(visit.text, vocab)
        if reading is None:
            continue
        read.add((visit.channel, path, visit.text))
        for problem in check_cart(reading):
            entry = seen.setdefault(
                problem.kind,
                {"url": url, "problem": problem, "channels": [], "pages": [], "rows": reading.rows},
            )
            if visit.channel not in entry["channels"]:
                entry["channels"].append(visit.channel)
            if path not in entry["pages"]:
                entry["pages"].append(path)
    findings = []
    for kind, entry in seen.items():
        channels = sorted(entry["channels"])
        problem, pages = entry["problem"], entry["pages"]
        where = pages[0] if len(pages) == 1 else f"{pages[0]} and {len(pages) - 1} more page(s)"
        findings.append(
            finding(
                check_id,
                f"cart-{kind}",
                Severity.FAIL,
                f"{problem_message(problem, where)} ({', '.join(channels)})",
                channel=channels[0] if len(channels) == 1 else None,
                url=entry["url"],
                evidence={
                    "expected": f"{problem.expected:.2f}",
                    "shown": f"{problem.shown:.2f}",
                    "rows": entry["rows"],
                    "pages": pages[:25],
                    "channels": channels,
                },
            )
        )
    return findings, len({(c, p) for c, p, _ in read})
