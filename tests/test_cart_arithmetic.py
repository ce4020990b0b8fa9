"""Cart arithmetic on any cart (checks/_cart.py) and its wiring into checkout_steps.

Cart texts are ``innerText``-shaped, written by us in the layouts of common
platforms: table carts (WooCommerce, Magento: cells joined by tabs), stacked
carts (Shopify themes, headless SPAs: one element per line).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from cx_auditor.checks._cart import CartVocabulary, cart_findings, check_cart, read_cart
from cx_auditor.checks.checkout_steps import CheckoutStepsCheck
from cx_auditor.models import Artifacts, JourneyOutcome, PageVisit

from tests.artifact_factory import meta

WOO_CART = """Cart
\tProduct\tPrice\tQuantity\tSubtotal
×\tHoodie with Logo\t£35.00\t\t£70.00
×\tBeanie\t£18.00\t\t£18.00
Apply coupon
Cart totals
Subtotal\t£88.00
Shipping\tFlat rate: £4.00
Shipping to London.
Total\t£92.00
Proceed to checkout"""

MAGENTO_CART = """Shopping Cart
Item\tPrice\tQty\tSubtotal
Radiant Tee
Size: M
Color: Blue
\t$22.00\t2\t$44.00
Breathe-Easy Tank
\t$34.00\t1\t$34.00
Summary
Estimate Shipping and Tax
Subtotal\t$78.00
Discount (SAVE10)\t-$7.80
Tax\t$5.79
Order Total\t$75.99"""

SHOPIFY_CART = """Your cart
Continue shopping
Product
Quantity
Total
Alpine Fleece Pullover
$89.00
Size: M
Quantity
2
$178.00
Ridge Beanie
$24.00
Quantity
1
$24.00
Estimated total
$202.00 USD
Taxes, discounts and shipping calculated at checkout.
Check out"""

REAL_STORE_CART = """Basket
Trail Runner GTX
Qty: 1
€129,00
Cart total
€129,00
Shipping
€4,95
Order total
€133,95"""


def test_woocommerce_table_cart_adds_up() -> None:
    r = read_cart(WOO_CART)
    assert r is not None
    assert (r.subtotal, r.shipping, r.total) == (Decimal("88.00"), Decimal("4.00"), Decimal("92.00"))
    assert [(li.name, li.unit, li.quantity, li.total) for li in r.lines] == [
        ("Hoodie with Logo", Decimal("35.00"), 2, Decimal("70.00")),
        ("Beanie", Decimal("18.00"), 1, Decimal("18.00")),
    ]
    assert check_cart(r) == []


def test_magento_cart_with_options_discount_and_tax() -> None:
    r = read_cart(MAGENTO_CART)
    assert r is not None and r.discount == Decimal("7.80") and r.tax == Decimal("5.79")
    assert [(li.quantity, li.total) for li in r.lines] == [(2, Decimal("44.00")), (1, Decimal("34.00"))]
    assert check_cart(r) == []


def test_shopify_estimated_total_is_the_total_and_later_charges_are_unknown() -> None:
    r = read_cart(SHOPIFY_CART)
    assert r is not None and r.total == Decimal("202.00") and r.subtotal is None
    assert [(li.name, li.quantity, li.total) for li in r.lines] == [
        ("Alpine Fleece Pullover Size: M", 2, Decimal("178.00")),
        ("Ridge Beanie", 1, Decimal("24.00")),
    ]
    assert check_cart(r) == []


def test_cart_total_and_order_total_rows_of_the_store_that_read_zero_carts() -> None:
    r = read_cart(REAL_STORE_CART)
    assert r is not None
    assert (r.subtotal, r.shipping, r.total) == (Decimal("129.00"), Decimal("4.95"), Decimal("133.95"))
    assert check_cart(r) == []
    broken = read_cart(REAL_STORE_CART.replace("€133,95", "€129,00"))
    assert broken is not None
    [p] = check_cart(broken)
    assert (p.kind, p.expected, p.shown) == ("total-arithmetic", Decimal("133.95"), Decimal("129.00"))


def test_cart_total_alone_is_the_total() -> None:
    r = read_cart("Cart\nTent\n$249.00\nBasket total\n$249.00\nCheckout")
    assert r is not None and r.total == Decimal("249.00") and r.subtotal is None


def test_lines_not_adding_up_and_a_wrong_line_total() -> None:
    text = (
        "Your cart\nTent\nQty 2\n$249.00 each $498.00\nStove\nQty 3\n$54.00 each $108.00\n"
        "Subtotal\n$552.00\nTotal\n$552.00"
    )
    r = read_cart(text)
    assert r is not None
    kinds = {p.kind: p for p in check_cart(r)}
    assert set(kinds) == {"line-arithmetic", "lines-vs-subtotal"}
    assert kinds["line-arithmetic"].expected == Decimal("162.00")
    assert kinds["lines-vs-subtotal"].expected == Decimal("606.00")


def test_a_discount_the_total_ignores() -> None:
    r = read_cart("Item total $100.00\nShipping Free\nWelcome discount −$5.00\nOrder total $100.00")
    assert r is not None and r.discount == Decimal("5.00") and r.shipping == Decimal(0)
    [p] = check_cart(r)
    assert p.kind == "total-arithmetic" and p.expected == Decimal("95.00")


def test_rows_that_are_not_figures_are_not_read_as_rows() -> None:
    text = "Shipping & Returns\nTotal: 3 items\nSubtotal $30.00\nShipping $5.00\nTotal $35.00"
    r = read_cart(text)
    assert r is not None and r.shipping == Decimal("5.00") and check_cart(r) == []
    later = read_cart("Subtotal $30.00\nShipping Calculated at checkout\nTotal $30.00")
    assert later is not None and "shipping" in later.unknown
    assert check_cart(later) == []  # cannot add up what is not shown


def test_promo_sentences_are_not_line_items() -> None:
    text = (
        "Cart\nFree shipping on orders over $50\nTent\n$40.00\nAdd $10.00 more for free shipping\n"
        "Subtotal $40.00\nTotal $45.99\nShipping $5.99"
    )
    r = read_cart(text)
    assert r is not None and [li.name for li in r.lines] == ["Tent"]
    assert check_cart(r) == []


def test_not_a_cart() -> None:
    assert read_cart("Tent\n$249.00\nAdd to cart") is None
    assert read_cart("") is None


def test_configurable_vocabulary() -> None:
    text = "Panier\nSous-total 40,00 €\nLivraison 5,00 €\nTotal TTC 45,00 €"
    assert read_cart(text) is None or read_cart(text).subtotal is None  # type: ignore[union-attr]
    vocab = CartVocabulary().extended(
        {"subtotal": ["Sous-total"], "shipping": ["Livraison"], "total": ["Total TTC"]}
    )
    r = read_cart(text, vocab)
    assert r is not None and (r.subtotal, r.shipping, r.total) == (
        Decimal("40.00"),
        Decimal("5.00"),
        Decimal("45.00"),
    )
    with pytest.raises(ValueError, match="unknown row 'totl'"):
        CartVocabulary().extended({"totl": ["x"]})


def _visit(i: int, path: str, text: str, channel: str = "desktop") -> PageVisit:
    return PageVisit(
        id=f"v{i}{channel}",
        channel=channel,
        journey="purchase",
        step_index=i,
        url=f"http://shop.test{path}",
        title="Northwind",
        text=text,
    )


def test_cart_findings_one_per_problem_across_pages_and_channels() -> None:
    bad = "Cart\nTent\nQty 2\n$249.00 each $498.00\nItem total\n$249.00\nOrder total\n$249.00"
    visits = [_visit(1, "/cart", bad), _visit(2, "/cart", bad), _visit(1, "/cart", bad, "mobile")]
    findings, checked = cart_findings(visits, "checkout_steps")
    assert checked == 2
    [f] = findings
    assert f.rule == "cart-lines-vs-subtotal" and f.channel is None and f.evidence["pages"] == ["/cart"]
    assert f.evidence["channels"] == ["desktop", "mobile"] and f.evidence["expected"] == "498.00"


def test_checkout_steps_reports_cart_arithmetic() -> None:
    bad = "Cart\nTent\n$249.00\nItem total $249.00\nWelcome discount −$5.00\nOrder total $249.00"
    visits = [
        _visit(0, "/", "Home"),
        _visit(1, "/cart", bad),
        _visit(2, "/checkout/review", bad.replace("Cart", "Review your order")),
    ]
    outcome = JourneyOutcome(journey="purchase", channel="desktop", checkout=True, completed=True)
    result = CheckoutStepsCheck().run(
        Artifacts(meta=meta(), visits=visits, journeys=[outcome]),
        CheckoutStepsCheck.Options.model_validate({}),
    )
    [f] = [f for f in result.findings if f.rule.startswith("cart-")]
    assert f.rule == "cart-total-arithmetic" and f.evidence["pages"] == ["/cart", "/checkout/review"]
    assert "/cart and 1 more page(s)" in f.message
    assert [v.value for v in result.values_named("carts_checked")] == [2]
    off = CheckoutStepsCheck().run(
        Artifacts(meta=meta(), visits=visits, journeys=[outcome]),
        CheckoutStepsCheck.Options.model_validate({"check_carts": False}),
    )
    assert not [f for f in off.findings if f.rule.startswith("cart-")]
    assert result.score == pytest.approx(off.score * math.exp(-0.2), abs=0.1)  # scores are rounded


@pytest.mark.parametrize(
    ("shown", "amount"),
    [
        ("$6000.00", "6000.00"),
        ("$6,000.00", "6000.00"),
        ("€1.299,00", "1299.00"),
        ("1 299,00 €", "1299.00"),
        ("£12", "12"),
        ("USD 45.50", "45.50"),
    ],
)
def test_amount_formats(shown: str, amount: str) -> None:
    r = read_cart(f"Subtotal {shown}\nTotal {shown}")
    assert r is not None and r.total == Decimal(amount) and check_cart(r) == []
