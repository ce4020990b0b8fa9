"""Whom a value is for: places, tiers, headings and table rows around a claim.

A region with no claim key (outlying areas, a country or union named over a section, a place in a
heading's brackets, a "Place: time" line, "other areas") keeps its value out of the default; the
shop's home country does not. Headings reach their own lines only, a table's header row does not
replace the heading above it, a default-tier row or column is read as the default, and a second
default value in one sentence is no second claim.

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex

from tests.claim_reading import claims as _claims
from tests.claim_reading import claims_of_kinds as _claims_of_kinds
from tests.claim_reading import of as _of
from tests.claim_reading import times as _times


def _thresholds(text: str, region: str = "US") -> set[tuple[str, str]]:
    return _of(ex.THRESHOLD, text, region)


def test_a_table_header_row_does_not_replace_the_heading_above_it() -> None:
    text = "Shipping charges\nOrder value | Charge\nUnder $60 | $7.50\n$60 and over | FREE"
    assert (ex.THRESHOLD, "", "USD 60.00") in _claims(text)


def test_regional_areas_are_outlying_places() -> None:
    text = "Standard delivery takes 2 - 5 business days, or 4 - 9 business days in regional areas."
    times = {c for c in _claims(text, "AU") if c[0] == ex.DELIVERY_TIME}
    assert times == {(ex.DELIVERY_TIME, "", "2-5 business days")}


def test_a_place_before_a_tier_word_heads_a_place_line() -> None:
    assert not {c for c in _claims("EU express: 2–3 working days, free from €150", "DE")}
    # the shop's own country before a tier word is its default tier
    assert (ex.DELIVERY_TIME, "", "2-3 business days") in _claims(
        "UK standard delivery: 2-3 working days", "GB"
    )


def test_the_republic_of_ireland_is_home_on_an_irish_shop() -> None:
    text = "If you live in the Republic of Ireland, spend €60 or more and delivery is free."
    assert (ex.THRESHOLD, "", "EUR 60.00") in _claims(text, "IE")
    assert not {c for c in _claims(text, "GB") if c[0] == ex.THRESHOLD}


def test_a_typical_delivery_period_column_is_a_time_column() -> None:
    text = "Service | Typical delivery period\nExpress delivery | 1-2 working days"
    assert (ex.DELIVERY_TIME, "express", "1-2 business days") in _claims(text, "GB")


@pytest.mark.parametrize(
    "text",
    [
        "3-Day Select\nDelivered within 3 business days once your order ships.",
        "Next Day Air\nArrives the next business day after pickup.",
        "Overnight Service\nDelivered within 1 business day.",
    ],
)
def test_a_speed_service_heading_keeps_its_time_to_itself(text: str) -> None:
    assert _times(text) == set()


def test_a_plain_heading_still_lets_its_line_be_read() -> None:
    text = "Delivery Times\nDelivered within 3 business days once your order ships."
    assert (ex.DELIVERY_TIME, "", "3 business days") in _times(text)


def test_a_speed_service_heading_reaches_one_line_only() -> None:
    text = "2-Day Service\nDelivered within 2 working days.\nStandard delivery takes 3-5 working days."
    assert _times(text) == {(ex.DELIVERY_TIME, "", "3-5 business days")}


def test_a_standard_delivery_row_is_the_default_tier() -> None:
    text = (
        "Service | Delivery time\nStandard shipping | 4-6 business days\nExpress shipping | 2 business days"
    )
    assert _claims_of_kinds(text, (ex.DELIVERY_TIME,)) == {
        (ex.DELIVERY_TIME, "", "4-6 business days"),
        (ex.DELIVERY_TIME, "express", "2 business days"),
    }


def test_a_carrier_service_row_is_still_left_to_the_line_reading() -> None:
    # a named service ("Parcelforce 48") is neither the default tier nor a key
    text = "Service | Delivery time\nParcelforce 48 | 2 business days"
    assert _claims_of_kinds(text, (ex.DELIVERY_TIME,), region="GB") == set()


def test_a_regional_courier_is_no_outlying_place() -> None:
    text = "We use a regional courier that needs 3-5 days to deliver."
    assert _claims_of_kinds(text, (ex.DELIVERY_TIME,)) == {(ex.DELIVERY_TIME, "", "3-5 days")}


def test_regional_areas_stay_an_outlying_place() -> None:
    text = "Delivery to regional areas takes 5-8 business days."
    assert _claims_of_kinds(text, (ex.DELIVERY_TIME,), region="AU") == set()


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


def test_a_heading_with_a_bracketed_note_still_names_its_place() -> None:
    text = "Canada (Toronto warehouse)\nStandard: please allow up to 9 business days to receive your order."
    assert _times(text, region="AU") == set()
    home = "Australia (Sydney warehouse)\nStandard: please allow up to 9 business days to receive your order."
    assert (ex.DELIVERY_TIME, "", "9 business days") in _times(home, region="AU")


@pytest.mark.parametrize(
    "text",
    [
        "In summer we require express shipping to every address outside our 2-3 day ground zone.",
        "Deliveries to a 5 day transit region should go by air.",
    ],
)
def test_a_place_named_by_its_transit_time_is_no_promise(text: str) -> None:
    assert _times(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Most parcels arrive within 3-5 days of dispatch, although bad weather can push this to 9 days.",
        "We try to ship orders the day they are placed, but an order may take up to three business days.",
        "We ship everything within 7 business days, and items marked 'In stock' within 2 business days.",
    ],
)
def test_a_second_default_value_is_no_second_claim(text: str) -> None:
    got = _of(ex.DISPATCH_TIME, text) | _of(ex.DELIVERY_TIME, text)
    assert len(got) == 1, got


def test_two_tiers_in_one_sentence_are_both_read() -> None:
    text = "Standard delivery takes 3-5 business days, but express delivery takes 1-2 business days."
    assert _of(ex.DELIVERY_TIME, text) == {("", "3-5 business days"), ("express", "1-2 business days")}


def test_other_areas_are_a_place_with_no_key() -> None:
    text = "Cities get parcels within 2 days; other areas take 4 business days."
    assert ("", "4 business days") not in _of(ex.DELIVERY_TIME, text)
