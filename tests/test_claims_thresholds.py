"""Free-shipping thresholds: amounts that pay for shipping and "free" in brackets.

An amount that pays for shipping is no threshold; "(free)" after a delivery line's price gives
that line's threshold, but not on a place line nor for a free gift.

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex

from tests.claim_reading import claims as _claims


def test_amounts_that_pay_for_shipping_are_no_threshold() -> None:
    text = "Free delivery is per order: a basket of £24.50 and another of £18.00 each pay postage."
    assert not {c for c in _claims(text, "GB") if c[0] == ex.THRESHOLD}
    assert (ex.THRESHOLD, "", "GBP 40.00") in _claims("Orders of £40 or more get free postage.", "GB")


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
