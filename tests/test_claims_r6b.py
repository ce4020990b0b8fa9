"""Focused tests for the claim rules of session 5, round 6, writer B (delivery, dispatch, hours).

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
        "You'll get your tracking email within 24 hours of dispatch.",
        "Tracking details are sent within 2 business days after shipping.",
        "We send the tracking link within 48 hours of your order shipping.",
    ],
)
def test_a_tracking_message_time_is_no_parcel_time(text: str) -> None:
    assert _times(text) == set()


def test_a_delivery_time_after_a_tracking_clause_is_still_read() -> None:
    text = "You'll receive a tracking number, and delivery takes 3-5 business days."
    assert (ex.DELIVERY_TIME, "", "3-5 business days") in _times(text)


@pytest.mark.parametrize(
    "text",
    [
        "A missing parcel is considered lost 20 working days after dispatch.",
        "Parcels are only deemed lost once 15 business days have passed since posting.",
    ],
)
def test_the_wait_before_a_parcel_counts_as_lost_is_no_time(text: str) -> None:
    assert _times(text) == set()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We dispatch orders the same day where possible, or the next day.", "0-1 days"),
        ("Orders go out the same working day (if possible) or the next working day.", "0-1 business days"),
    ],
)
def test_same_day_if_possible_or_next_day_is_one_span(text: str, value: str) -> None:
    assert _times(text) == {(ex.DISPATCH_TIME, "", value)}


def test_plain_same_day_dispatch_is_unchanged() -> None:
    assert _times("Orders placed before 1pm are dispatched the same day.") == {
        (ex.DISPATCH_TIME, "", "same day")
    }


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


@pytest.mark.parametrize(
    "text",
    [
        "A Saturday order should arrive within 2 business days.",
        "Orders placed on a Friday are dispatched within 24 hours.",
    ],
)
def test_one_weekdays_orders_are_a_schedule_not_the_promise(text: str) -> None:
    assert _times(text) == set()


def test_orders_placed_on_a_range_of_weekdays_are_still_read() -> None:
    text = "Orders placed on Monday to Friday are dispatched within 24 hours."
    assert (ex.DISPATCH_TIME, "", "24 hours") in _times(text)


def _hours(text: str) -> set[str]:
    return {c.value for c in ex.extract_text(text) if c.kind == ex.SUPPORT_HOURS}


@pytest.mark.parametrize(
    "text",
    [
        "Walk-ins welcome at our showroom, 10am - 4pm Monday to Saturday.",
        "You can browse in person from 9am to 5pm, Monday to Friday.",
    ],
)
def test_a_place_to_visit_has_opening_hours_not_support_hours(text: str) -> None:
    assert _hours(text) == set()


def test_a_showroom_sentence_that_names_the_phone_line_is_still_read() -> None:
    text = "Call our customer service team or visit the showroom, Monday to Friday 9am - 5pm."
    assert _hours(text) == {"mon-fri 09:00-17:00"}


@pytest.mark.parametrize(
    "text",
    [
        "Extended support covers Saturdays from 10am to 2pm for an extra fee.",
        "Phone support runs 8am - 8pm Monday to Friday on our Business plans.",
    ],
)
def test_hours_of_an_option_to_buy_are_not_everyones_hours(text: str) -> None:
    assert _hours(text) == set()


def test_plain_support_hours_are_unchanged() -> None:
    assert _hours("Our support team is available Monday to Friday, 8am - 6pm ET.") == {
        "mon-fri 08:00-18:00 ET"
    }


@pytest.mark.parametrize(
    "text",
    [
        "Special order products usually take 10 to 20 business days to dispatch.",
        "Some items ship within 24 hours, while others take a few days.",
        "Most parcels arrive in 3 days, and some parcels come within 24 hours.",
        "Claims for missing parcels can't be raised until 10 working days after dispatch.",
        "We can only look into lost parcels 15 business days after posting.",
    ],
)
def test_parts_of_the_orders_and_lost_parcel_waits_are_no_default_time(text: str) -> None:
    assert (ex.DISPATCH_TIME, "", "24 hours") not in _times(text)
    assert {t for t in _times(text) if t[2] not in {"3 days"}} == set()


def test_a_range_given_by_its_two_bounds_is_one_range() -> None:
    text = "Delivery takes at most 6 business days and at least 3."
    assert _times(text) == {(ex.DELIVERY_TIME, "", "3-6 business days")}


def test_an_upper_bound_alone_is_unchanged() -> None:
    assert _times("Delivery takes at most 6 business days.") == {(ex.DELIVERY_TIME, "", "6 business days")}


@pytest.mark.parametrize(
    "text",
    [
        "Our website is open 24/7 for orders; the phone team works office hours.",
        "Online ordering is available 24 hours a day, and our team answers calls on weekdays.",
    ],
)
def test_self_service_around_the_clock_is_no_support_hours(text: str) -> None:
    assert _hours(text) == set()


def test_support_around_the_clock_is_still_read() -> None:
    assert _hours("Our customer support team is available 24/7.") == {"24/7"}
