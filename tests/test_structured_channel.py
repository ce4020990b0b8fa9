"""Structured data as a channel (checks/_structured.py): Offer vs what the page shows."""

# ruff: noqa: E501 - the HTML fixtures keep the long lines real shops serve

from __future__ import annotations

from decimal import Decimal

from cx_auditor.checks._products import (
    OfferData,
    ShippingRate,
    StructuredProduct,
    VisibleProduct,
    structured_products,
    visible_products,
)
from cx_auditor.checks._structured import (
    DataMismatch,
    PageFacts,
    compare_offer,
    mismatch_message,
    page_facts,
    shown_price,
    structured_findings,
)
from cx_auditor.models import Artifacts, PageVisit


def _product(**offer: object) -> StructuredProduct:
    base: dict[str, object] = {"price": Decimal("54.00"), "currency": "USD", "availability": "InStock"}
    base.update(offer)
    return StructuredProduct(name="Emberlite Camp Stove", sku="CAM-1003", offers=(OfferData(**base),))  # type: ignore[arg-type]


def test_agreeing_offer_has_no_mismatch() -> None:
    facts = PageFacts(price=Decimal("54"), currency="USD", in_stock=True, return_days=30)
    assert compare_offer(_product(return_days=30), facts) == []


def test_price_mismatch() -> None:
    [m] = compare_offer(_product(price=Decimal("49.00")), PageFacts(price=Decimal("54.00"), currency="USD"))
    assert m == DataMismatch("price", "49.00 USD", "54.00 USD", "Emberlite Camp Stove")
    text = mismatch_message(m, "/product/CAM-1003")
    assert "49.00 USD" in text and "54.00 USD" in text and "/product/CAM-1003" in text


def test_any_variant_offer_matching_the_shown_price_agrees() -> None:
    p = StructuredProduct(
        name="Fleece",
        offers=(OfferData(Decimal("79"), "USD"), OfferData(Decimal("89"), "USD")),
    )
    assert compare_offer(p, PageFacts(price=Decimal("89.00"), currency="USD")) == []


def test_currency_mismatch_is_its_own_rule() -> None:
    [m] = compare_offer(_product(currency="EUR"), PageFacts(price=Decimal("54"), currency="USD"))
    assert (m.field, m.structured, m.shown) == ("currency", "EUR", "USD")


def test_availability_both_ways() -> None:
    [m] = compare_offer(_product(), PageFacts(in_stock=False))
    assert (m.field, m.shown) == ("availability", "sold out")
    [m] = compare_offer(_product(availability="OutOfStock"), PageFacts(in_stock=True))
    assert (m.field, m.shown) == ("availability", "in stock")
    assert compare_offer(_product(availability="OutOfStock"), PageFacts(in_stock=False)) == []


def test_shipping_rate_against_the_advertised_free_threshold() -> None:
    paid = (ShippingRate(Decimal("5.99"), "USD", "US"),)
    free = (ShippingRate(Decimal("0"), "USD", "US"),)
    over = PageFacts(price=Decimal("54"), currency="USD", free_shipping_threshold=Decimal("50"))
    [m] = compare_offer(_product(shipping=paid), over)
    assert m.field == "shipping" and m.structured == "5.99 USD" and "over 50.00" in m.shown
    assert compare_offer(_product(shipping=free), over) == []
    under = PageFacts(
        price=Decimal("39"),
        currency="USD",
        free_shipping_threshold=Decimal("50"),
        standard_shipping=Decimal("5.99"),
    )
    [m] = compare_offer(_product(price=Decimal("39"), shipping=free), under)
    assert (m.field, m.structured) == ("shipping", "free")
    assert compare_offer(_product(price=Decimal("39"), shipping=paid), under) == []


def test_return_days() -> None:
    [m] = compare_offer(_product(return_days=14), PageFacts(return_days=30))
    assert (m.field, m.structured, m.shown) == ("return_days", "14 days", "30 days")
    assert compare_offer(_product(return_days=None), PageFacts(return_days=30)) == []


def test_page_facts_from_visible_text() -> None:
    shown = VisibleProduct("Emberlite Camp Stove", "heading", Decimal("54.00"), "USD")
    text = "Emberlite Camp Stove\n$54.00\nIn stock · Free shipping on orders over $50 · 30-day free returns"
    facts = page_facts(text, shown)
    assert facts == PageFacts(
        price=Decimal("54.00"),
        currency="USD",
        in_stock=True,
        free_shipping_threshold=Decimal("50"),
        return_days=30,
    )
    assert page_facts("Sold out. Returns within 2 weeks.", None) == PageFacts(in_stock=False, return_days=14)
    # An express-only or member threshold is not the standard one.
    assert page_facts("Free express shipping for members over $200", None).free_shipping_threshold is None


def test_end_to_end_on_a_woocommerce_shaped_page() -> None:
    html = """<html><head><script type="application/ld+json">{"@context":"https://schema.org/","@type":"Product",
    "name":"Hoodie with Logo","sku":"woo-hoodie-logo","offers":[{"@type":"Offer","price":"45.00",
    "priceValidUntil":"2027-12-31","priceCurrency":"GBP","availability":"http://schema.org/InStock",
    "hasMerchantReturnPolicy":{"@type":"MerchantReturnPolicy","merchantReturnDays":14,
    "returnPolicyCategory":"https://schema.org/MerchantReturnFiniteReturnWindow"}}]}</script></head>
    <body class="single-product"><div class="summary entry-summary"><h1 class="product_title entry-title">Hoodie with Logo</h1>
    <p class="price"><del><span class="woocommerce-Price-amount amount">&pound;45.00</span></del>
    <ins><span class="woocommerce-Price-amount amount">&pound;35.00</span></ins></p>
    <p class="stock in-stock">12 in stock</p><p>Returns accepted within 30 days.</p>
    <button type="submit" name="add-to-cart" value="41" class="single_add_to_cart_button button alt">Add to basket</button>
    </div></body></html>"""
    [sd] = structured_products(html)
    [shown] = [v for v in visible_products(html, currency="GBP") if v.role == "heading"]
    facts = page_facts(
        "Hoodie with Logo\n£45.00 £35.00\n12 in stock\nReturns accepted within 30 days.", shown, "GBP"
    )
    found = {m.field: m for m in compare_offer(sd, facts)}
    assert set(found) == {"price", "return_days"}
    assert (found["price"].structured, found["price"].shown) == ("45.00 GBP", "35.00 GBP")
    assert (found["return_days"].structured, found["return_days"].shown) == ("14 days", "30 days")


def _visit(channel: str, path: str, text: str, data: list[dict[str, object]]) -> PageVisit:
    return PageVisit(
        id=f"{channel}{path}",
        channel=channel,
        journey="browse",
        step_index=1,
        url=f"http://shop.test{path}",
        text=text,
        structured_data=data,
    )


STOVE_TEXT = (
    "Northwind Outfitters\nCamping\nEmberlite Camp Stove\n$54.00\nSKU CAM-1003\n"
    "In stock · Free shipping on orders over $50 · 30-day free returns\nAdd to cart"
)


def _stove_jsonld(price: str, days: int) -> dict[str, object]:
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Emberlite Camp Stove",
        "sku": "CAM-1003",
        "offers": {
            "@type": "Offer",
            "price": price,
            "priceCurrency": "USD",
            "availability": "https://schema.org/InStock",
            "shippingDetails": {
                "@type": "OfferShippingDetails",
                "shippingRate": {"value": "0", "currency": "USD"},
            },
            "hasMerchantReturnPolicy": {"@type": "MerchantReturnPolicy", "merchantReturnDays": days},
        },
    }


def test_shown_price_is_read_under_the_products_own_name() -> None:
    assert shown_price(STOVE_TEXT, "Emberlite Camp Stove") == (Decimal("54.00"), "USD")
    assert shown_price("Featured\nOther thing\n$10.00", "Emberlite Camp Stove") == (None, None)


def test_structured_findings_group_by_product_and_field_across_channels() -> None:
    bad = [_stove_jsonld("49.00", 14)]
    visits = [
        _visit("desktop", "/product/CAM-1003", STOVE_TEXT, bad),
        _visit("mobile", "/product/CAM-1003", STOVE_TEXT, bad),
        _visit("desktop", "/product/CAM-1001", "Tent\n$249.00\nIn stock", []),  # nothing recorded: skipped
    ]
    found = {f.rule: f for f in structured_findings(visits, "messaging_consistency")}
    assert set(found) == {"structured-data-price", "structured-data-return-days"}
    price = found["structured-data-price"]
    assert price.severity.value == "fail" and price.channel is None
    assert price.evidence["structured"] == "49.00 USD" and price.evidence["shown"] == "54.00 USD"
    assert found["structured-data-return-days"].severity.value == "warn"
    assert structured_findings([_visit("desktop", "/p", STOVE_TEXT, [_stove_jsonld("54.00", 30)])], "m") == []


def test_messaging_check_reports_structured_data_and_can_be_switched_off() -> None:
    from cx_auditor.checks.messaging_consistency import MessagingConsistencyCheck

    from tests.artifact_factory import meta

    arts = Artifacts(
        meta=meta(), visits=[_visit("desktop", "/product/CAM-1003", STOVE_TEXT, [_stove_jsonld("49.00", 30)])]
    )
    rules = [
        f.rule
        for f in MessagingConsistencyCheck()
        .run(arts, MessagingConsistencyCheck.Options.model_validate({}))
        .findings
    ]
    assert "structured-data-price" in rules
    off = (
        MessagingConsistencyCheck()
        .run(arts, MessagingConsistencyCheck.Options.model_validate({"check_structured_data": False}))
        .findings
    )
    assert not [f for f in off if f.rule.startswith("structured-data")]


def test_page_facts_read_the_threshold_for_the_shops_own_country() -> None:
    text = "Free shipping within Australia on orders over $100"
    # An Australian shop's home threshold; to a US shop, a threshold for another country.
    assert page_facts(text, None, "AUD", region="AU").free_shipping_threshold == Decimal("100")
    assert page_facts(text, None, "USD").free_shipping_threshold is None
