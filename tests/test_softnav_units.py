"""Pure parts of soft navigations, structured-data recording, product identity wiring and soft 404s."""

from __future__ import annotations

from cx_auditor.checks._products import page_identity, product_boxes_script
from cx_auditor.checks.load_time import LoadTimeCheck
from cx_auditor.checks.messaging_consistency import MessagingConsistencyCheck
from cx_auditor.checks.support_reachability import (
    SupportReachabilityCheck,
    not_found_line,
    soft_not_found,
)
from cx_auditor.gather.convert import apply_metrics
from cx_auditor.gather.softnav import SoftNavigations, Window, new_soft_index
from cx_auditor.gather.structured import MAX_ITEMS, items_from_page, redact_items
from cx_auditor.runner import run_check

from tests.artifact_factory import artifacts, link, visit

# -- soft navigation bookkeeping ------------------------------------------------------


def test_a_new_soft_navigation_is_the_latest_unrecorded_one_of_the_same_document() -> None:
    assert new_soft_index({"doc": "a", "soft": 2}, "a", seen=1) == 1
    assert new_soft_index({"doc": "a", "soft": 3}, "a", seen=1) == 2  # two since: the latest view
    assert new_soft_index({"doc": "a", "soft": 1}, "a", seen=1) is None  # nothing new
    assert new_soft_index({"doc": "b", "soft": 4}, "a", seen=0) is None  # another document: a hard load
    assert new_soft_index(None, "a", seen=0) is None  # no instrument on the page
    assert new_soft_index({"doc": "a", "soft": 1}, None, seen=0) is None
    # A URL change not (yet) followed by a DOM change is not a navigation (yet).
    assert new_soft_index({"doc": "a", "soft": 2, "confirmed": [True, False]}, "a", seen=1) is None
    assert new_soft_index({"doc": "a", "soft": 3, "confirmed": [True, True, False]}, "a", seen=1) == 1


def test_a_soft_visit_has_no_http_status_and_its_own_window() -> None:
    tracker = SoftNavigations(doc="a", seen=1)
    v = visit("/product/1", status=200)
    tracker.mark(v, 0)
    assert v.navigation == "soft" and v.status is None
    assert tracker.window(v) == Window(0) and tracker.window(visit("/")) == Window()


def test_soft_metrics_carry_no_ttfb_fcp_or_document_from_the_load() -> None:
    v = visit("/product/1", status=None, navigation="soft")
    apply_metrics(
        v,
        {
            "navigated": False,
            "soft": True,
            "ttfb_ms": None,
            "fcp_ms": None,
            "lcp_ms": 2816.7,
            "cls": 0.4284,
            "tbt_ms": 0,
            "resources": [
                {"url": "https://shop.test/api/products/1", "type": "fetch", "transfer_bytes": 900}
            ],
            "shifts": [{"value": 0.43, "time_ms": 1300, "sources": ["article > div"]}],
        },
    )
    assert v.timings.ttfb_ms is None and v.timings.fcp_ms is None
    assert v.timings.lcp_ms == 2816.7 and v.timings.cls == 0.4284
    assert [r.type for r in v.resources] == ["fetch"]  # no document row: nothing was loaded


def test_load_time_treats_ttfb_and_fcp_of_a_soft_visit_as_not_applicable() -> None:
    hard = visit("/", ttfb_ms=2500, fcp_ms=3500, lcp_ms=1000, cls=0.0)
    soft = visit("/product/1", status=None, navigation="soft", lcp_ms=4200, cls=0.43, step_index=1)
    result = run_check(LoadTimeCheck(), artifacts([hard, soft]))
    soft_rules = {f.rule for f in result.findings if f.url and f.url.endswith("/product/1")}
    hard_rules = {f.rule for f in result.findings if f.url and f.url.endswith("shop.test/")}
    assert soft_rules == {"lcp", "cls"}  # no ttfb/fcp finding, never inherited from "/"
    assert {"ttfb", "fcp"} <= hard_rules  # the load's own slow TTFB/FCP stay on the load
    scoped = [
        val
        for val in result.values
        if val.scope.page == "/product/1" and val.name in ("ttfb_ms", "fcp_ms") and val.value is not None
    ]
    assert scoped == []


# -- structured data recording ---------------------------------------------------------


def test_structured_items_flatten_blocks_read_microdata_and_are_capped() -> None:
    data = {
        "blocks": [
            {"@type": "Product", "name": "Tent", "sku": "T-1"},
            [{"@type": "BreadcrumbList"}, "junk"],
        ],
        "html": (
            '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Stove</span>'
            '<meta itemprop="sku" content="S-2"></div>'
        ),
    }
    items = items_from_page(data, "https://shop.test/p")
    names = [i.get("name") for i in items]
    assert names[:2] == ["Tent", None] and "Stove" in names  # JSON-LD, then microdata
    assert items_from_page(None) == []
    many = {"blocks": [{"@type": "Thing", "n": i} for i in range(MAX_ITEMS + 20)]}
    assert len(items_from_page(many)) == MAX_ITEMS


def test_structured_items_are_redacted_everywhere() -> None:
    out = redact_items(
        {"a": ["token-123", {"b": "x token-123 y"}], "n": 5}, lambda s: s.replace("token-123", "***")
    )
    assert out == {"a": ["***", {"b": "x *** y"}], "n": 5}


# -- product identity wired into messaging ---------------------------------------------

CARDS = (
    '<ul><li><a href="#" class="card" data-testid="product-card"><h3 data-testid="product-name">'
    'Cascade Sleeping Pad</h3><p class="price">$89.00</p></a></li>'
    '<li><a href="#" class="card" data-testid="product-card"><h3>Ridgeline Tent</h3>'
    '<p class="price">$249.00</p></a></li></ul>'
)
DETAIL_LD = [
    {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Cascade Sleeping Pad",
        "sku": "CAM-1002",
        "offers": {"@type": "Offer", "price": "94.00", "priceCurrency": "USD"},
    }
]


def _spa_visits(detail_price: str) -> list:  # type: ignore[type-arg]
    title = "Northwind – Outdoor gear"  # one title for every route, cards link to "#"
    home = visit(
        "/",
        title=title,
        text="Featured\nCascade Sleeping Pad\n$89.00\nRidgeline Tent\n$249.00",
        gathered={"product_boxes": CARDS},
    )
    ld = [
        dict(
            DETAIL_LD[0], offers={"@type": "Offer", "price": detail_price.strip("$"), "priceCurrency": "USD"}
        )
    ]
    detail = visit(
        "/product/CAM-1002",
        title=title,
        navigation="soft",
        status=None,
        text=f"Cascade Sleeping Pad\n{detail_price}\nSKU CAM-1002\nAdd to cart",
        structured_data=ld,
    )
    return [home, detail]


def test_cards_linking_to_hash_are_matched_to_their_product_page_by_structured_data() -> None:
    result = run_check(MessagingConsistencyCheck(), artifacts(_spa_visits("$94.00")))
    prices = [f for f in result.findings if f.rule == "inconsistent-price"]
    assert len(prices) == 1 and "$89.00" in prices[0].message and "$94.00" in prices[0].message
    assert result.values_named("products_matched")[0].value >= 1
    clean = run_check(MessagingConsistencyCheck(), artifacts(_spa_visits("$89.00")))
    assert not [f for f in clean.findings if f.rule == "inconsistent-price"]


def test_page_identity_prefers_one_structured_product_then_the_heading() -> None:
    own, listed = page_identity(DETAIL_LD, CARDS)
    assert own is not None and own.name == "Cascade Sleeping Pad" and getattr(own, "sku", None) == "CAM-1002"
    assert [p.name for p in listed] == ["Cascade Sleeping Pad", "Ridgeline Tent"]
    two = DETAIL_LD + [{"@type": "Product", "name": "Other", "sku": "X-9"}]
    own, _ = page_identity(two, None)
    assert own is None  # a page listing two products is not either one's detail page
    heading = '<div><h1>Emberlite Stove</h1><p class="price">$54.00</p><button>Add to cart</button></div>'
    own, _ = page_identity([], heading)
    assert own is not None and own.name == "Emberlite Stove"


def test_product_boxes_script_uses_the_same_conventions_as_the_reader() -> None:
    script = product_boxes_script(limit_chars=1000)
    assert script.startswith("() =>") and "product[_-]*(?:card" in script and "1000" in script


# -- soft 404 of help pages ------------------------------------------------------------


def test_not_found_lines_are_short_notices_not_answers_that_mention_a_missing_page() -> None:
    assert (
        not_found_line("Shop\nSorry, we can\u2019t find that page\nBack") == "Sorry, we can't find that page"
    )
    assert not_found_line("Page not found") and not_found_line("404 – nothing here")
    assert not_found_line("The page you were looking for doesn't exist.")
    faq = (
        "What if the tracking page says the parcel cannot be found? Contact us with your order number and we "
        "will find the page of the courier for you within one working day."
    )
    assert not_found_line(faq) is None and not_found_line("Contact us\nCall 1-800-555-0100") is None


def test_a_help_page_showing_not_found_with_no_http_error_is_a_broken_help_link() -> None:
    soft404 = visit(
        "/contact-us",
        status=None,
        navigation="soft",
        step_label="Contact us (footer)",
        text="Northwind\nSorry, we can't find that page\nBack to the shop",
    )
    assert soft_not_found(soft404) == "Sorry, we can't find that page"
    product = visit("/product/9", text="Page not found", step_label="Open a product")
    assert soft_not_found(product) is None  # not a help page: not this check's business
    hard = visit("/contact", status=404, text="Page not found", step_label="Contact")
    assert soft_not_found(hard) is None  # the status already says it
    home = visit("/", text="Home\nCall 1-800-555-0100", links=[link("tel:+18005550100", "Call")])
    result = run_check(SupportReachabilityCheck(), artifacts([home, soft404]))
    broken = [f for f in result.findings if f.rule == "broken-help-link"]
    assert len(broken) == 1 and broken[0].severity.value == "fail"
    assert "/contact-us" in broken[0].message and broken[0].evidence["soft_404"] is True
    ok = visit(
        "/contact-us", status=None, navigation="soft", step_label="Contact us", text="Contact us\nCall"
    )
    assert not [
        f
        for f in run_check(SupportReachabilityCheck(), artifacts([home, ok])).findings
        if f.rule == "broken-help-link"
    ]
