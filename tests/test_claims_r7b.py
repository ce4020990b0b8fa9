"""Focused tests for the claim rules of session 5, round 7, writer B (delivery and dispatch times).

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex


def _times(text: str, region: str = "US") -> set[tuple[str, str, str]]:
    return {
        (c.kind, c.key, c.value)
        for c in ex.extract_text(text, region=region)
        if c.kind in (ex.DISPATCH_TIME, ex.DELIVERY_TIME)
    }


@pytest.mark.parametrize(
    "text",
    [
        "Orders are packed each afternoon for the next day's collection.",
        "We bake every evening, and orders are prepared for the following working day's post.",
    ],
)
def test_a_day_named_by_its_possessive_is_another_events_day(text: str) -> None:
    assert _times(text) == set()


def test_a_next_day_dispatch_without_a_possessive_is_still_read() -> None:
    assert (ex.DISPATCH_TIME, "", "next day") in _times("Orders are packed and shipped the next day.")


@pytest.mark.parametrize(
    "text",
    [
        "If the courier fails to collect, parcels are sent the next business day.",
        "When the van is late, orders are dispatched the following working day.",
        "If stock doesn't arrive in time, we ship the next business day.",
    ],
)
def test_a_next_day_after_a_failed_condition_is_a_fallback(text: str) -> None:
    assert _times(text) == set()


def test_a_next_day_after_a_plain_condition_is_still_read() -> None:
    text = "If you order before noon, your parcel is dispatched the next working day."
    assert (ex.DISPATCH_TIME, "", "next business day") in _times(text)


@pytest.mark.parametrize(
    "text",
    [
        "Choose a 5-day, 3-day or overnight service at checkout.",
        "2-day and 3-day shipping are offered for a fee.",
        "Next-day or 2-day delivery can be added at checkout.",
    ],
)
def test_durations_naming_services_in_a_list_are_no_promise(text: str) -> None:
    assert _times(text) == set()


def test_one_duration_before_its_noun_is_still_read() -> None:
    assert (ex.DELIVERY_TIME, "", "3-5 days") in _times("We offer 3-5 day delivery on every order.")


@pytest.mark.parametrize(
    "text",
    [
        "Once a lost-parcel claim is accepted, we send a replacement within 3 business days.",
        "After the carrier confirms the loss, we ship a new parcel within 2 days.",
    ],
)
def test_a_replacement_after_a_claim_is_no_journey_time(text: str) -> None:
    assert _times(text) == set()


def test_n_days_in_transit_is_a_delivery_time() -> None:
    text = "Most parcels spend 3-6 business days in transit."
    assert _times(text) == {(ex.DELIVERY_TIME, "", "3-6 business days")}


def test_a_negated_limit_in_transit_is_no_delivery_time() -> None:
    assert _times("Fresh flowers must not spend more than 2 days in transit.") == set()


def test_receiving_a_shipment_after_dispatch_is_a_delivery_time() -> None:
    text = "Please allow up to 6 business days to receive your shipment after dispatch."
    assert _times(text) == {(ex.DELIVERY_TIME, "", "6 business days")}


def test_a_heading_with_a_bracketed_note_still_names_its_place() -> None:
    text = "Canada (Toronto warehouse)\nStandard: please allow up to 9 business days to receive your order."
    assert _times(text, region="AU") == set()
    home = "Australia (Sydney warehouse)\nStandard: please allow up to 9 business days to receive your order."
    assert (ex.DELIVERY_TIME, "", "9 business days") in _times(home, region="AU")


@pytest.mark.parametrize(
    "text",
    [
        "During the planting season, orders can take up to 6 days to ship.",
        "At the height of wedding season, please allow 8 business days for dispatch.",
    ],
)
def test_one_seasons_time_is_no_standing_promise(text: str) -> None:
    assert _times(text) == set()


def test_a_final_leg_by_another_carrier_is_no_delivery_time() -> None:
    text = "The courier passes it to the post office; allow 2 to 4 days for the final delivery."
    assert _times(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Heavy items go by freight; please allow 10-14 business days for freight delivery.",
        "Large and bulky packages travel by freight truck and arrive in 6-9 business days.",
    ],
)
def test_freight_deliveries_are_a_service_of_their_own(text: str) -> None:
    assert _times(text) == set()


def test_a_carriers_service_priced_on_its_line_is_no_claim() -> None:
    line = "Royal Mail Tracked 24 £5.10 (allow 1 - 2 working days for delivery)."
    assert _times(line, region="GB") == set()
    assert (ex.DELIVERY_TIME, "", "1-2 business days") in _times(
        "Standard £5.10 (allow 1 - 2 working days for delivery).", region="GB"
    )


def test_a_next_day_after_a_clocked_cut_off_is_the_late_orders_rule() -> None:
    text = "Orders placed after the 11 AM CST cut-off are packed the next business day."
    assert (ex.DISPATCH_TIME, "", "next business day") not in _times(text)


@pytest.mark.parametrize(
    "text",
    [
        "In summer we require express shipping to every address outside our 2-3 day ground zone.",
        "Deliveries to a 5 day transit region should go by air.",
    ],
)
def test_a_place_named_by_its_transit_time_is_no_promise(text: str) -> None:
    assert _times(text) == set()


def test_a_parcel_the_shopper_collects_is_no_delivery_time() -> None:
    text = "A missed delivery can be collected from your local depot within 5 working days."
    assert _times(text) == set()
