"""Product identity on markup we did not write (checks/_products.py).

The HTML below is written by us in the shapes common platforms emit (a Shopify
theme's JSON-LD and card grid, WooCommerce's loop and cart table, Magento's
microdata and ``product-item`` lists, an RDFa page, a headless SPA cart), not
copied from any of them.
"""

# ruff: noqa: E501 - the HTML fixtures keep the long lines real shops serve

from __future__ import annotations

from decimal import Decimal

import pytest
from cx_auditor.checks._products import (
    StructuredProduct,
    VisibleProduct,
    identity_keys,
    normalise_gtin,
    normalise_product_name,
    parse_amount,
    products_from_items,
    same_product,
    structured_products,
    visible_products,
)

SHOPIFY_PRODUCT = """<!doctype html><html><head><title>Alpine Fleece | Summit Supply</title>
<script type="application/ld+json">
{"@context": "http://schema.org/", "@type": "Product", "name": "Alpine Fleece Pullover",
 "url": "https://summit.example/products/alpine-fleece", "sku": "AFP-200-M",
 "gtin12": "036000291452", "brand": {"@type": "Brand", "name": "Summit Supply"},
 "offers": [{"@type": "Offer", "sku": "AFP-200-M", "availability": "http://schema.org/InStock",
   "price": "89.00", "priceCurrency": "USD", "url": "https://summit.example/products/alpine-fleece?variant=1"},
  {"@type": "Offer", "sku": "AFP-200-L", "availability": "http://schema.org/OutOfStock",
   "price": "89.00", "priceCurrency": "USD"}]}
</script></head><body>
<div class="product__info-wrapper"><div class="product__title"><h1>Alpine Fleece Pullover</h1></div>
<div class="price price--large"><div class="price__regular"><span class="price-item price-item--regular">$89.00 USD</span></div></div>
<form action="/cart/add"><button type="submit" name="add">Add to cart</button></form></div>
</body></html>"""

SHOPIFY_GRID = """<ul class="grid product-grid">
<li class="grid__item"><div class="card-wrapper product-card-wrapper"><div class="card">
<div class="card__content"><h3 class="card__heading"><a href="/products/alpine-fleece">Alpine Fleece Pullover</a></h3>
<div class="price price--on-sale"><s class="price-item price-item--regular">$110.00</s>
<span class="price-item price-item--sale">$89.00</span></div></div></div></div></li>
<li class="grid__item"><div class="card-wrapper product-card-wrapper"><div class="card">
<h3 class="card__heading"><a href="/products/ridge-beanie">Ridge Beanie</a></h3>
<span class="price-item price-item--regular">$24.00</span></div></div></li>
</ul>"""

WOO_LOOP = """<ul class="products columns-4">
<li class="product type-product post-41 status-publish instock">
<a href="https://woo.example/product/hoodie/" class="woocommerce-LoopProduct-link">
<img src="hoodie.jpg" alt=""><h2 class="woocommerce-loop-product__title">Hoodie with Logo</h2>
<span class="price"><del aria-hidden="true"><span class="woocommerce-Price-amount amount">&pound;45.00</span></del>
<ins><span class="woocommerce-Price-amount amount">&pound;35.00</span></ins></span></a>
<a href="?add-to-cart=41" class="button add_to_cart_button">Add to basket</a></li>
</ul>"""

WOO_CART = """<table class="shop_table cart"><thead><tr><th class="product-name">Product</th>
<th class="product-price">Price</th><th class="product-quantity">Quantity</th><th class="product-subtotal">Subtotal</th></tr></thead>
<tbody><tr class="woocommerce-cart-form__cart-item cart_item">
<td class="product-name"><a href="/product/hoodie/">Hoodie with Logo</a></td>
<td class="product-price"><span class="woocommerce-Price-amount amount">&pound;35.00</span></td>
<td class="product-quantity"><div class="quantity"><input type="number" class="input-text qty text" name="cart[abc][qty]" value="2"></div></td>
<td class="product-subtotal"><span class="woocommerce-Price-amount amount">&pound;70.00</span></td></tr></tbody></table>"""

MAGENTO_PRODUCT = """<html><body>
<div class="product-info-main" itemscope itemtype="http://schema.org/Product">
<h1 class="page-title"><span class="base" itemprop="name">Radiant Tee</span></h1>
<div class="product-info-price"><span class="price-wrapper" data-price-amount="22">
<span class="price">$22.00</span></span></div>
<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
<meta itemprop="price" content="22"><meta itemprop="priceCurrency" content="USD">
<link itemprop="availability" href="http://schema.org/InStock"></div>
<div class="product attribute sku"><div class="value" itemprop="sku">WS12</div></div>
<button type="submit" title="Add to Cart" class="action primary tocart" id="product-addtocart-button">Add to Cart</button>
</div>
<ol class="products list items product-items">
<li class="item product product-item"><div class="product-item-info">
<strong class="product name product-item-name"><a class="product-item-link" href="/breathe-easy-tank.html">Breathe-Easy Tank</a></strong>
<span class="price-wrapper"><span class="price">$34.00</span></span></div></li></ol>
</body></html>"""

RDFA_PAGE = """<html><body><main vocab="https://schema.org/" typeof="Product">
<h1 property="name">Trail Mug – Enamel</h1><span property="sku">MUG-ENM</span>
<div property="offers" typeof="Offer"><meta property="priceCurrency" content="EUR">
<span property="price" content="12.50">12,50 €</span>
<link property="availability" href="https://schema.org/InStock"></div></main></body></html>"""


def test_shopify_json_ld_product_with_variant_offers() -> None:
    [p] = structured_products(SHOPIFY_PRODUCT, "https://summit.example/products/alpine-fleece")
    assert (p.name, p.sku, p.brand, p.syntax) == (
        "Alpine Fleece Pullover",
        "AFP-200-M",
        "Summit Supply",
        "json-ld",
    )
    assert p.gtin == "00036000291452"
    assert [(o.price, o.currency, o.availability) for o in p.offers] == [
        (Decimal("89.00"), "USD", "InStock"),
        (Decimal("89.00"), "USD", "OutOfStock"),
    ]


def test_magento_microdata_product() -> None:
    [p] = structured_products(MAGENTO_PRODUCT)
    assert (p.name, p.sku, p.syntax) == ("Radiant Tee", "WS12", "microdata")
    assert p.offers[0].price == Decimal("22") and p.offers[0].currency == "USD"
    assert p.offers[0].availability == "InStock"


def test_rdfa_product_is_read_and_flattened() -> None:
    [p] = structured_products(RDFA_PAGE, "https://mugs.example/p/1")
    assert (p.name, p.sku, p.syntax) == ("Trail Mug – Enamel", "MUG-ENM", "rdfa")
    assert p.offers[0].price == Decimal("12.50") and p.offers[0].currency == "EUR"


def test_json_ld_graph_aggregate_offer_and_broken_blocks() -> None:
    html = """<script type="application/ld+json">{ not json </script>
    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebPage","name":"Tents"},
      {"@type":["Product"],"name":"Dome Tent","mpn":"DT-2",
       "offers":{"@type":"AggregateOffer","lowPrice":"199.99","highPrice":"249.99","priceCurrency":"usd"}}]}</script>"""
    [p] = structured_products(html)
    assert p.name == "Dome Tent" and p.mpn == "DT-2"
    assert p.offers[0].price == Decimal("199.99") and p.offers[0].currency == "USD"


def test_no_structured_data_and_hostile_input() -> None:
    assert structured_products("<p>Hello</p>") == []
    assert structured_products("") == []
    assert structured_products("<<<>>>" * 1000) == []


def test_products_from_items_reads_what_a_collector_recorded() -> None:
    items = [
        {
            "@type": "Product",
            "name": "X",
            "gtin13": "4006381333931",
            "offers": {"price": 5, "priceCurrency": "EUR"},
        }
    ]
    [p] = products_from_items(items)
    assert p.gtin == "04006381333931" and p.offers[0].price == Decimal("5")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("036000291452", "00036000291452"),  # UPC-A
        ("4006381333931", "04006381333931"),  # EAN-13
        ("96385074", "00000096385074"),  # EAN-8
        ("4006381333932", None),  # bad check digit
        ("12345", None),
        (None, None),
    ],
)
def test_normalise_gtin(raw: str | None, expected: str | None) -> None:
    assert normalise_gtin(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("89.00", Decimal("89.00")),
        (89, Decimal("89")),
        ("1,299.00", Decimal("1299.00")),
        ("12,50", Decimal("12.50")),
        ("n/a", None),
        (True, None),
    ],
)
def test_parse_amount(raw: object, expected: Decimal | None) -> None:
    assert parse_amount(raw) == expected


def test_normalised_names_drop_badges_and_punctuation_but_keep_variants() -> None:
    assert normalise_product_name("Ridgeline 2-Person Tent — NEW") == normalise_product_name(
        "ridgeline 2 person tent"
    )
    assert normalise_product_name("Crème Brûlée Mug") == "creme brulee mug"
    assert normalise_product_name("Tent – Green") != normalise_product_name("Tent – Blue")


def test_shopify_cards_take_the_sale_price_not_the_struck_one() -> None:
    cards = visible_products(SHOPIFY_GRID)
    assert [(c.name, c.role, c.price) for c in cards] == [
        ("Alpine Fleece Pullover", "card", Decimal("89.00")),
        ("Ridge Beanie", "card", Decimal("24.00")),
    ]


def test_woocommerce_loop_card_and_cart_row() -> None:
    [card] = visible_products(WOO_LOOP, currency="GBP")
    assert (card.name, card.role, card.price, card.currency) == (
        "Hoodie with Logo",
        "card",
        Decimal("35.00"),
        "GBP",
    )
    [row] = visible_products(WOO_CART, currency="GBP")
    assert (row.name, row.role, row.quantity, row.price) == (
        "Hoodie with Logo",
        "cart-row",
        2,
        Decimal("35.00"),
    )


def test_magento_heading_and_nested_product_items_count_once() -> None:
    found = visible_products(MAGENTO_PRODUCT)
    assert [(v.name, v.role, v.price) for v in found] == [
        ("Breathe-Easy Tank", "card", Decimal("34.00")),
        ("Radiant Tee", "heading", Decimal("22")),
    ]


def test_spa_cart_rows_with_test_ids_and_hidden_templates() -> None:
    html = """<div class="cart-lines">
    <div class="cart-line" data-testid="cart-line"><img src="a.svg" alt="">
    <span data-testid="line-name">Ridgeline 2-Person Backpacking Tent</span><span>Qty 2</span>
    <span><span>$249.00 each</span> <strong>$498.00</strong></span></div></div>
    <template><div class="cart-line"><span class="line-name">Ghost</span></div></template>
    <div class="cart-line" hidden><span class="line-name">Hidden</span>$1.00</div>"""
    [row] = visible_products(html)
    assert (row.name, row.role, row.quantity, row.price) == (
        "Ridgeline 2-Person Backpacking Tent",
        "cart-row",
        2,
        Decimal("249.00"),
    )


def test_a_page_heading_without_product_signals_is_not_a_product() -> None:
    assert visible_products("<h1>Our story</h1><p>Since 1998.</p>") == []


def test_identity_prefers_strong_identifiers_over_names() -> None:
    a = StructuredProduct(name="Trail Tee", sku="TT-1-BLUE")
    b = StructuredProduct(name="Trail Tee", sku="TT-1-RED")
    c = StructuredProduct(name="trail tee", gtin="00036000291452")
    card = VisibleProduct("Trail Tee", "card")
    assert not same_product(a, b)  # same name, different variants
    assert same_product(a, card) and same_product(c, card)
    assert identity_keys(a) == {"sku:TT-1-BLUE", "name:trail tee"}
    assert same_product(
        StructuredProduct(name="Alpine Fleece", gtin="00036000291452"),
        StructuredProduct(name="Alpine Fleece Pullover (Men's)", gtin="00036000291452"),
    )
