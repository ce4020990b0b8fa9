"""Round 7 (writer A) rules of the claim extractors, each on sentences the corpus rows did not use.

A country or union named alone over a rate section (and a place in a section heading's brackets) is a
place with no key; return windows in "calendar days"; what happens once a window "has passed" without
a refusal; a duration a return takes or needs "to be processed"; windows for orders collected in a
shop.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex


def _claims(text: str, region: str = "US") -> set[tuple[str, str, str]]:
    return {(c.kind, c.key, c.value) for c in ex.extract_text(text, region=region)}


def _windows(text: str) -> set[str]:
    return {c.value for c in ex.extract_text(text) if c.kind == ex.RETURN_WINDOW}


def _thresholds(text: str, region: str = "US") -> set[tuple[str, str]]:
    return {(c.key, c.value) for c in ex.extract_text(text, region=region) if c.kind == ex.THRESHOLD}


# --- places named alone over a section ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Austria\nShipping: €9.50\nFree shipping from €90 order value", "DE"),
        ("Norway\nFree delivery on orders over €150", "DE"),
        ("Rest of Europe\nShipping costs 19,90 €\nfree shipping from 200 € order value", "DE"),
        ("Japan\nFree shipping on orders over $250", "US"),
    ],
)
def test_a_country_or_union_alone_over_a_section_is_a_place_with_no_key(text: str, region: str) -> None:
    assert _thresholds(text, region) == set()


def test_the_shops_own_country_over_a_section_is_home() -> None:
    assert _thresholds("Germany\nShipping: €4.50\nFree shipping from €60 order value", "DE") == {
        ("", "EUR 60.00")
    }
    assert _thresholds("Austria\nFree shipping from €60 order value", "AT") == {("", "EUR 60.00")}


def test_a_country_name_that_is_also_a_product_is_no_heading() -> None:
    # "China" over a tableware shop's shipping note is a product line's name as often as a country
    assert _thresholds("China\nFree shipping on orders over $80", "US") == {("", "USD 80.00")}


def test_a_place_in_a_headings_brackets_names_whom_the_section_is_for() -> None:
    text = "Shipping Rates (Scottish Highlands)\nStandard Delivery (3 - 5 Days): £6.95"
    assert not any(k in {"delivery_time", "dispatch_time"} for k, _key, _v in _claims(text, "GB"))
    # home in brackets stays the default section
    assert ("delivery_time", "", "3-5 days") in _claims(
        "Shipping Rates (UK Mainland)\nStandard Delivery (3 - 5 Days): £6.95", "GB"
    )


# --- return windows -----------------------------------------------------------------------------


def test_calendar_days_are_days() -> None:
    assert _windows("Unused goods may be sent back within 45 calendar days of receipt.") == {"45 days"}
    assert _windows("We accept returns for 30 calendar days.") == {"30 days"}


@pytest.mark.parametrize(
    "text",
    [
        "Anything that has passed the 60-day return period is charged a 10% handling fee.",
        "Orders that exceeded the 30 day window go back with a restocking charge.",
    ],
)
def test_past_the_window_without_a_refusal_is_no_window(text: str) -> None:
    assert _windows(text) == set()


def test_past_the_window_with_a_refusal_is_the_window() -> None:
    assert _windows("Items that have passed the 60-day return period cannot be refunded.") == {"60 days"}


@pytest.mark.parametrize(
    "text",
    [
        "Inspecting a return usually takes about 5 days.",
        "A return can take up to two weeks once it reaches our warehouse.",
        "Please allow 10 days for your return to be processed.",
        "Allow three weeks for each refund to be issued after your parcel arrives.",
    ],
)
def test_the_time_a_return_takes_is_no_window(text: str) -> None:
    assert _windows(text) == set()


def test_the_shopper_taking_time_to_return_is_the_window() -> None:
    assert _windows("You can take up to 40 days to return any unworn item.") == {"40 days"}


@pytest.mark.parametrize(
    "text",
    [
        "Orders collected in store can be returned within 10 days of collection.",
        "Click & Collect purchases may be returned within 60 days.",
        "Items picked up in-store are returnable within 14 days for a refund.",
    ],
)
def test_a_window_for_orders_collected_in_a_shop_is_no_claim(text: str) -> None:
    assert _windows(text) == set()


def test_returning_to_a_shop_is_still_the_window() -> None:
    assert _windows("Online orders can be returned by post or in store within 30 days.") == {"30 days"}


# --- batch 2: waits to allow, cancelling after receipt, a window's end stated by arrival -----------


@pytest.mark.parametrize(
    "text",
    [
        "Please allow up to 21 days for a refund.",
        "Allow about 10 days for a full refund once we have your parcel.",
    ],
)
def test_a_wait_to_allow_for_a_refund_is_no_window(text: str) -> None:
    assert _windows(text) == set()


def test_for_a_refund_before_the_deadline_is_still_the_window() -> None:
    assert _windows("For a full refund, write to us within 20 days of delivery.") == {"20 days"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You can cancel the purchase within 21 days of receiving the goods.", {"21 days"}),
        ("Cancel for any reason within 14 days beginning with the day you get your parcel.", {"14 days"}),
        ("You might be able to cancel your order within two hours of placing it.", set()),
        ("Cancellations made within 30 days of the event are not refunded.", set()),
    ],
)
def test_cancelling_counted_from_receipt_is_the_window(text: str, expected: set[str]) -> None:
    assert _windows(text) == expected


def test_a_windows_end_stated_by_the_returns_arrival_with_a_refusal_is_the_window() -> None:
    text = "Should the parcel arrive more than 50 days after dispatch, we may refuse the return."
    assert _windows(text) == {"50 days"}
    # without a refusal it is what happens past the window
    assert _windows("Parcels that arrive more than 50 days after dispatch pay a 10% fee on return.") == set()


# --- thresholds in brackets after a delivery line's price (two older development misses) --------


@pytest.mark.parametrize(
    ("text", "region", "currency", "expected"),
    [
        (
            "Tracked Delivery - £4.25 (free on orders over £35) - 2-3 day service",
            "GB",
            "GBP",
            {("", "GBP 35.00")},
        ),
        ("Express delivery: £8.50 (free for orders over £120)", "GB", "GBP", {("express", "GBP 120.00")}),
        (
            "Parcel shipping: 2–4 working days | fee €5.50 (free from €70 order value)",
            "DE",
            "EUR",
            {("", "EUR 70.00")},
        ),
    ],
)
def test_free_in_brackets_after_a_delivery_lines_price_is_its_threshold(
    text: str, region: str, currency: str, expected: set[tuple[str, str]]
) -> None:
    got = {
        (c.key, c.value)
        for c in ex.extract_text(text, region=region, currency=currency)
        if c.kind == ex.THRESHOLD
    }
    assert got == expected


def test_a_place_line_keeps_its_bracketed_threshold_out() -> None:
    text = "Nordic countries: 6–9 working days | €14.90 (free from €150)"
    assert not any(c.kind == ex.THRESHOLD for c in ex.extract_text(text, region="DE", currency="EUR"))


def test_a_bracketed_free_gift_is_no_threshold() -> None:
    text = "Standard shipping: 3-5 days | $6.95 (free tote bag over $90)"
    assert not any(c.kind == ex.THRESHOLD for c in ex.extract_text(text))


# --- batch 3: a replacement's cover --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Repaired units carry a 90-day warranty.",
        "Replacement items are covered by a 6 month warranty from the swap date.",
        "Any replacement parts are warranted for 60 days or to the end of the original term.",
    ],
)
def test_a_replacements_cover_is_no_product_warranty(text: str) -> None:
    assert not any(c.kind == ex.WARRANTY for c in ex.extract_text(text))


def test_the_products_own_warranty_is_still_read() -> None:
    got = {
        c.value for c in ex.extract_text("Every heater carries a 3-year warranty.") if c.kind == ex.WARRANTY
    }
    assert got == {"3 years"}
