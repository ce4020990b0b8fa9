"""messaging_consistency on small hand-built artifacts (no browser)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from cx_auditor.checks.messaging_consistency import MessagingConsistencyCheck, read_cart
from cx_auditor.documents import read_document
from cx_auditor.models import CheckResult, Document, Finding, Severity, Status
from cx_auditor.runner import run_check

from tests.support_factory import FOOTER_TEXT, artifacts, banner, document, link, store_pages, visit

CHECK = MessagingConsistencyCheck()
DAYPACK = "/product/trailhead-28l-daypack"
PAD = "/product/cascade-sleeping-pad"


def count(result, name: str) -> float:
    """A run-wide count the check publishes as a typed value (0 when it publishes none)."""
    found = [v.value for v in result.values_named(name) if v.scope.level == "run"]
    assert len(found) <= 1, name
    return found[0] if found else 0


def run(visits: list[Any], documents: list[Any] = (), **options: Any) -> CheckResult:  # type: ignore[assignment]
    return run_check(CHECK, artifacts(visits, documents), options)


def by_rule(result: CheckResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def variant_values(f: Finding) -> dict[str, dict[str, Any]]:
    return {v["display"]: v for v in f.evidence["variants"]}


def test_consistent_site_has_no_findings() -> None:
    email = document("emails/welcome.txt", "Free shipping on orders over $50. Call 1-800-555-0199.")
    result = run(store_pages("desktop") + store_pages("mobile"), [email])
    assert result.error is None
    assert result.findings == []
    assert result.status == Status.PASS and result.score == 100
    assert count(result, "products_matched") == 2
    assert count(result, "sources_compared.documents") == 1
    assert count(result, "claims_per_kind.free_shipping_threshold") >= 12


def test_mobile_threshold_differs_is_one_fail_listing_both_channels() -> None:
    result = run(store_pages("desktop") + store_pages("mobile", threshold="$75"))
    (f,) = result.findings
    assert f.rule == "inconsistent-free-shipping-threshold" and f.severity == Severity.FAIL
    variants = variant_values(f)
    assert set(variants) == {"$50", "$75"}
    assert {s["channel"] for s in variants["$50"]["seen"]} == {"desktop"}
    assert {s["channel"] for s in variants["$75"]["seen"]} == {"mobile"}
    assert "desktop: 6 pages" in f.message and "mobile: 6 pages" in f.message
    assert all("over $75" in s["sentence"] for s in variants["$75"]["seen"])


def test_same_product_different_price_on_listing_and_detail_fails() -> None:
    pages = store_pages("desktop", listing_prices={PAD: "$84.00"})
    result = run(pages)
    (f,) = by_rule(result, "inconsistent-price")
    assert f.severity == Severity.FAIL
    assert "Cascade Insulated Sleeping Pad" in f.message
    variants = variant_values(f)
    assert set(variants) == {"$89.00", "$84.00"}
    listing_urls = {s["url"] for s in variants["$84.00"]["seen"]}
    assert listing_urls == {"https://shop.example/", "https://shop.example/category/backpacks"}
    assert {s["url"] for s in variants["$89.00"]["seen"]} == {"https://shop.example" + PAD}
    assert f.url == "https://shop.example" + PAD


def test_detail_and_cart_disagreeing_is_found_through_the_product_name() -> None:
    result = run(store_pages("desktop", detail_prices={DAYPACK: "$134.00"}) + store_pages("mobile"))
    (f,) = by_rule(result, "inconsistent-price")
    seen = {(s["channel"], s["url"].rsplit("/", 1)[-1]) for v in f.evidence["variants"] for s in v["seen"]}
    assert ("desktop", "cart") in seen and ("mobile", "trailhead-28l-daypack") in seen


def test_different_products_with_different_prices_are_not_an_inconsistency() -> None:
    result = run(store_pages("desktop"))
    assert by_rule(result, "inconsistent-price") == []
    assert count(result, "variants_per_kind.price") == 2  # one price per product


def test_fifty_dollars_and_fifty_dollars_zero_cents_are_the_same() -> None:
    result = run(store_pages("desktop") + store_pages("mobile", threshold="$50.00"))
    assert result.findings == []


def test_document_contradiction_is_reported_with_the_document_path() -> None:
    sms = document("sms/shipped.txt", "Your order shipped! Returns are free within 60 days.", kind="sms")
    result = run(store_pages("desktop"), [sms])
    (f,) = by_rule(result, "inconsistent-return-window")
    variants = variant_values(f)
    assert variants["60 days"]["seen"] == [
        {
            "channel": "documents",
            "document": "sms/shipped.txt",
            "sentence": "Returns are free within 60 days.",
        }
    ]
    assert "documents: sms/shipped.txt" in f.message


def test_faq_window_contradicts_policy_even_next_to_a_sitewide_banner() -> None:
    pages = store_pages("desktop") + [
        visit("/help", title="Help & FAQ", text=f"{banner()}\nFAQ\nYou can return items within 14 days.")
    ]
    (f,) = by_rule(run(pages), "inconsistent-return-window")
    assert set(variant_values(f)) == {"30 days", "14 days"}


def test_support_phone_in_documents_differs_once() -> None:
    docs = [
        document("emails/order.html", "Questions about your order? Call 1-800-555-0123."),
        document("app/listing.txt", "Support: 1-800-555-0123", kind="listing"),
    ]
    result = run(store_pages("desktop") + store_pages("mobile"), docs)
    phone = by_rule(result, "inconsistent-phone")
    assert len(phone) == 1 and phone[0].severity == Severity.FAIL
    assert set(variant_values(phone[0])) == {"1-800-555-0199", "1-800-555-0123"}


def test_department_numbers_on_one_page_are_not_a_contradiction() -> None:
    contact = visit(
        "/contact",
        title="Contact us",
        text=f"Sales: call 1-800-555-0150\nReturns desk: 1-800-555-0160\n{FOOTER_TEXT}",
    )
    result = run(store_pages("desktop") + [contact])
    assert by_rule(result, "inconsistent-phone") == []


def test_cart_over_threshold_charging_shipping_fails() -> None:
    rows = "Subtotal\n$129.00\nShipping\n$5.99\nTotal\n$134.99"
    result = run(store_pages("desktop", cart_rows=rows))
    (f,) = by_rule(result, "shipping-charged-over-threshold")
    assert f.severity == Severity.FAIL and f.url == "https://shop.example/cart"
    assert "$50" in f.message
    assert by_rule(result, "cart-total-mismatch") == []


def test_cart_under_threshold_or_express_may_charge_shipping() -> None:
    under = "Subtotal\n$39.00\nShipping\n$5.99\nTotal\n$44.99"
    express = "Subtotal\n$129.00\nShipping (Express)\n$14.99\nTotal\n$143.99"
    for rows in (under, express):
        assert run(store_pages("desktop", cart_rows=rows)).findings == []


def test_cart_total_that_does_not_add_up_fails() -> None:
    rows = "Subtotal\n$129.00\nShipping\nFree\nTotal\n$131.00"
    (f,) = by_rule(run(store_pages("desktop", cart_rows=rows)), "cart-total-mismatch")
    assert f.severity == Severity.FAIL
    assert f.evidence["occurrences"][0]["expected_total"] == "129.00"


def test_cart_with_tax_and_discount_adds_up() -> None:
    text = "Subtotal $129.00\nDiscount (WELCOME10) -$12.90\nShipping Free\nTax $9.29\nTotal $125.39"
    figures = read_cart(text)
    assert figures is not None
    assert (figures.subtotal, figures.discount, figures.shipping, figures.tax, figures.total) == (
        Decimal("129.00"),
        Decimal("12.90"),
        Decimal("0"),
        Decimal("9.29"),
        Decimal("125.39"),
    )
    assert by_rule(run(store_pages("desktop", cart_rows=text)), "cart-total-mismatch") == []


def test_quantity_two_line_total_is_not_a_second_price() -> None:
    rows = "Subtotal\n$258.00\nShipping\nFree\nTotal\n$258.00"
    text = f"{banner()}\nYour cart\nTrailhead 28L Daypack\n$258.00\nQty 2\n{rows}"
    pages = store_pages("desktop") + [visit("/cart", title="Your cart", text=text, journey="other")]
    assert by_rule(run(pages), "inconsistent-price") == []


def test_custom_regex_claim_is_compared_across_channels() -> None:
    pages = store_pages("desktop")
    pages[0] = pages[0].model_copy(update={"text": pages[0].text + "\nEarn 5 points per $1 spent"})
    app = document("app/store.txt", "Members earn 10 points per $1!", kind="listing")
    claims = [{"name": "loyalty_points", "pattern": r"(\d+) points per \$1"}]
    result = run(pages, [app], custom_claims=claims)
    (f,) = by_rule(result, "inconsistent-loyalty-points")
    assert f.severity == Severity.WARN
    assert set(variant_values(f)) == {"5", "10"}
    assert count(result, "claims_per_kind.loyalty_points") == 2


def test_custom_selector_claim_reads_extracted_texts() -> None:
    a = visit("/", text="Home", extracted={"eco_badge": ["Carbon neutral"]})
    b = visit("/about", text="About", extracted={"eco_badge": ["Carbon negative"]})
    claims = [{"name": "eco_badge", "selector": ".eco", "severity": "fail"}]
    (f,) = run([a, b], custom_claims=claims).findings
    assert f.severity == Severity.FAIL and set(variant_values(f)) == {"Carbon neutral", "Carbon negative"}


def test_invalid_custom_regex_is_an_error_result_naming_it() -> None:
    result = run(store_pages("desktop"), custom_claims=[{"name": "bad", "pattern": "(unclosed"}])
    assert result.status == Status.ERROR and "bad" in (result.error or "")


def test_delivery_tiers_on_one_page_are_not_a_contradiction() -> None:
    tiers = "Standard delivery 3-5 business days\nExpress delivery 1-2 business days"
    pages = store_pages("desktop", policy_text=tiers)
    assert by_rule(run(pages), "inconsistent-delivery-time") == []


def test_delivery_time_stated_instead_of_another_warns() -> None:
    pages = store_pages("desktop") + store_pages("mobile", policy_text="Delivery in 5-7 business days.")
    (f,) = by_rule(run(pages), "inconsistent-delivery-time")
    assert f.severity == Severity.WARN


def test_severity_option_overrides_the_default() -> None:
    pages = store_pages("desktop") + store_pages("mobile", threshold="$75")
    result = run(pages, severity={"free_shipping_threshold": "warn"})
    assert [f.severity for f in result.findings] == [Severity.WARN]
    assert result.status == Status.WARN


def test_member_threshold_is_not_compared_with_the_default_one() -> None:
    extra = visit("/rewards", title="Rewards", text="Members get free shipping on orders over $25.")
    assert run(store_pages("desktop") + [extra]).findings == []


def test_score_falls_smoothly_with_more_findings() -> None:
    one = run(store_pages("desktop") + store_pages("mobile", threshold="$75"))
    two = run(store_pages("desktop") + store_pages("mobile", threshold="$75", listing_prices={PAD: "$84.00"}))
    assert 100 > one.score > two.score > 0  # type: ignore[operator]


def test_nothing_to_read_is_not_applicable() -> None:
    assert run([]).status == Status.SKIPPED


def test_fingerprint_is_stable_when_values_change() -> None:
    a = run(store_pages("desktop") + store_pages("mobile", threshold="$75")).findings[0]
    b = run(store_pages("desktop") + store_pages("mobile", threshold="$100")).findings[0]
    assert a.fingerprint == b.fingerprint


def test_shop_name_first_in_titles_does_not_merge_products() -> None:
    pages = [
        p.model_copy(update={"title": "Northwind Outfitters | " + p.title.split(" — ")[0]})
        if "/product/" in p.url
        else p
        for p in store_pages("desktop", listing_prices={PAD: "$84.00"})
    ]
    (f,) = run(pages).findings
    assert f.rule == "inconsistent-price" and "Cascade Insulated Sleeping Pad" in f.message
    assert set(variant_values(f)) == {"$89.00", "$84.00"}


def test_generic_link_texts_on_product_urls_do_not_merge_products() -> None:
    pages = store_pages("desktop")
    extra = [link(path, "View details", location="main", order=90) for path in (DAYPACK, PAD)]
    pages[0] = pages[0].model_copy(update={"links": pages[0].links + extra})
    result = run(pages)
    assert result.findings == [] and count(result, "products_matched") == 2


def test_warranty_on_a_product_page_belongs_to_that_product() -> None:
    pages = store_pages("desktop")
    i = next(i for i, p in enumerate(pages) if p.url.endswith(PAD))
    pages[i] = pages[i].model_copy(
        update={"text": pages[i].text.replace("2-year warranty", "Lifetime warranty")}
    )
    assert by_rule(run(pages), "inconsistent-warranty") == []


# --- regressions from artifacts recorded on the demo storefront in a real browser ----------------

TENT = "/product/ridgeline-tent"
#: The checkout review page as Chromium's innerText renders it: table cells are tab-separated,
#: so the order line reads "name<TAB>qty<TAB>total".
REVIEW_TEXT = (
    "Review your order\nCONTACT\n\nshopper@example.com\n\nSHIP TO\n\nAlex Rivera\n12 Harbour Street\n\n"
    "DELIVERY\n\nStandard, 3–5 business days\n\nItems\nItem\tQty\tTotal\n"
    "Ridgeline 2-Person Backpacking Tent\t1\t$249.00\n\nSubtotal\n$249.00\n\nShipping\nFree\n\n"
    "Total\n$249.00\n\nPlace order\nYour order\n1 × Ridgeline 2-Person Backpacking Tent\n$249.00\n\n"
    f"Subtotal\n$249.00\n{FOOTER_TEXT}"
)
ACCOUNT_TEXT = (
    "Create an account (optional)\nCreate a password for shopper@example.com.\nPassword\n"
    "Continue as guest\nSubtotal\n$249.00\nTotal\n$249.00"
)
HELP_DELIVERY = (
    "How long will my order take to arrive?\nWe dispatch orders within 1–2 business days. "
    "Standard delivery then takes 3–5 business days; Express takes {express} business days."
)
POLICY_TIERS = (
    "Orders are dispatched within 1–2 business days.\nStandard delivery: 3–5 business days.\n"
    "Express delivery: 1–2 business days for $14.99."
)


def _tent_pages(channel: str) -> list[Any]:
    detail = visit(
        TENT,
        channel=channel,
        title="Ridgeline 2-Person Backpacking Tent · Northwind Outfitters",
        text="Ridgeline 2-Person Backpacking Tent\n$249.00\nSKU CAM-1001\nAdd to cart",
    )
    listing = visit(
        "/category/camping",
        channel=channel,
        title="Camping · Northwind Outfitters",
        text="Camping\nRidgeline 2-Person Backpacking Tent\nSKU CAM-1001\n$249.00",
        links=[link(TENT, "Ridgeline 2-Person Backpacking Tent SKU CAM-1001 $249.00", location="main")],
    )
    review = visit(
        "/checkout/review", channel=channel, title="Checkout – Review your order", text=REVIEW_TEXT
    )
    account = visit("/checkout/account", channel=channel, title="Checkout – Account", text=ACCOUNT_TEXT)
    return [detail, listing, review, account]


def test_quantity_cell_before_a_price_on_the_review_page_is_not_a_price() -> None:
    result = run(_tent_pages("desktop") + _tent_pages("mobile"))
    assert by_rule(result, "inconsistent-price") == []
    assert count(result, "variants_per_kind.price") == 1  # $249.00, never "$1.00"


def test_review_page_still_reports_a_real_price_difference() -> None:
    pages = _tent_pages("desktop")
    pages[2] = pages[2].model_copy(update={"text": REVIEW_TEXT.replace("1\t$249.00", "1\t$259.00")})
    (f,) = by_rule(run(pages), "inconsistent-price")
    assert set(variant_values(f)) == {"$249.00", "$259.00"}


def test_standard_and_express_in_one_sentence_keep_their_own_durations() -> None:
    pages = store_pages("desktop", policy_text=POLICY_TIERS) + [
        visit("/help", title="Help & FAQ", text=HELP_DELIVERY.format(express="1–2")),
    ]
    docs = [
        document(
            "chatbot-answers.txt",
            "A: We dispatch within 1–2 business days, then standard delivery takes 3–5 business days "
            "(Express: 1–2 business days).",
            kind="chatbot",
        )
    ]
    assert by_rule(run(pages, docs), "inconsistent-delivery-time") == []


def test_express_duration_contradicted_in_a_two_tier_sentence_is_still_found() -> None:
    pages = store_pages("desktop", policy_text=POLICY_TIERS) + [
        visit("/help", title="Help & FAQ", text=HELP_DELIVERY.format(express="2–3")),
    ]
    (f,) = by_rule(run(pages), "inconsistent-delivery-time")
    assert f.evidence["key"] == "express"
    assert set(variant_values(f)) == {"1-2 business days", "2-3 business days"}


def test_shoppers_own_email_echoed_at_checkout_is_not_a_support_address() -> None:
    footer = [link("mailto:support@northwind.example", "support@northwind.example", location="footer")]
    pages = [
        p.model_copy(update={"links": [*p.links, *footer]})
        for p in store_pages("desktop")
        + store_pages("mobile")
        + _tent_pages("desktop")
        + _tent_pages("mobile")
    ]
    result = run(pages)
    assert by_rule(result, "inconsistent-email") == []
    assert count(result, "variants_per_kind.email") == 1


def test_support_address_offered_in_words_is_still_compared() -> None:
    contact = visit(
        "/contact",
        title="Contact us",
        text="Questions about an order? Email us at help@northwind-mail.example.",
    )
    docs = [document("emails/order.html", "Need help? Write to help@northwind-mail.example.")]
    footer = [link("mailto:support@northwind.example", "support@northwind.example", location="footer")]
    pages = [p.model_copy(update={"links": [*p.links, *footer]}) for p in store_pages("desktop")]
    (f,) = by_rule(run([*pages, contact], docs), "inconsistent-email")
    assert set(variant_values(f)) == {"support@northwind.example", "help@northwind-mail.example"}


def test_bare_address_without_support_context_or_mailto_is_ignored() -> None:
    profile = visit("/account", title="Your account", text="Profile\nName: Alex Rivera\nalex@example.com")
    result = run(store_pages("desktop") + [profile])
    assert by_rule(result, "inconsistent-email") == []
    assert count(result, "claims_per_kind.email") == 0


# --- the demo's documents folders (in the repo) ---------------------------------------------------

DEMO_DOCUMENTS = Path(__file__).resolve().parent.parent / "auditor" / "demo" / "documents"


def _demo_documents(variant: str, channel: str = "email") -> list[Document]:
    root = DEMO_DOCUMENTS / variant
    return [read_document(p, channel=channel, root=root) for p in sorted(root.iterdir()) if p.is_file()]


def test_clean_demo_documents_agree_with_the_store() -> None:
    docs = _demo_documents("clean")
    assert len(docs) >= 4
    result = run(store_pages("desktop") + store_pages("mobile"), docs)
    assert result.findings == []
    assert count(result, "sources_compared.documents") == len(docs)


def test_flawed_demo_documents_contradict_the_store_on_returns_and_phone_only() -> None:
    result = run(store_pages("desktop") + store_pages("mobile"), _demo_documents("flawed"))
    assert sorted(f.rule for f in result.findings) == ["inconsistent-phone", "inconsistent-return-window"]
    (window,) = by_rule(result, "inconsistent-return-window")
    assert set(variant_values(window)) == {"30 days", "60 days"}
    (phone,) = by_rule(result, "inconsistent-phone")
    assert set(variant_values(phone)) == {"1-800-555-0199", "1-800-555-0123"}


def test_flawed_documents_contradict_the_clean_ones() -> None:
    docs = _demo_documents("clean", "email") + _demo_documents("flawed", "sms")
    rules = {f.rule for f in run([], docs).findings}
    assert rules == {"inconsistent-phone", "inconsistent-return-window"}
