"""Focused tests for the claim rules of session 5, round 7, writer C (cut-offs, hours, phones, emails).

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex


def _of(kind: str, text: str, region: str = "US") -> set[tuple[str, str]]:
    return {(c.key, c.value) for c in ex.extract_text(text, region=region) if c.kind == kind}


# --- hours of a delivery are not support hours ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Parcels are delivered between 8am and 6pm, Monday to Saturday.",
        "Orders are delivered 10am-4pm on weekdays.",
        "Our parcels go out Monday to Friday, 9am to 1pm.",
    ],
)
def test_delivery_windows_are_no_support_hours(text: str) -> None:
    assert _of(ex.SUPPORT_HOURS, text) == set()


def test_support_hours_beside_a_delivery_word_are_still_read_when_someone_answers() -> None:
    text = "Questions about a delivered parcel? Our care team answers Monday to Friday, 9am to 5pm."
    assert _of(ex.SUPPORT_HOURS, text) == {("", "mon-fri 09:00-17:00")}


# --- an address or number given as a third party's --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Orders abroad are run by our checkout partner; write to the partner at desk@xborder.example.",
        "For warranty repairs, contact the manufacturer directly at repairs@maker.example.",
        "Missed a delivery? Call the courier on 1-800-555-0191 to rebook it.",
    ],
)
def test_a_third_partys_contact_is_no_shop_contact(text: str) -> None:
    assert _of(ex.EMAIL, text) == set()
    assert _of(ex.PHONE, text) == set()


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Questions? Email our team at help@lanternhome.example.", ex.EMAIL, "help@lanternhome.example"),
        ("Our partners can reach us at trade@lanternhome.example.", ex.EMAIL, "trade@lanternhome.example"),
        ("Call us on 1-800-555-0148 about any delivery.", ex.PHONE, "+18005550148"),
    ],
)
def test_the_shops_own_contact_is_still_read(text: str, kind: str, value: str) -> None:
    assert ("", value) in _of(kind, text)


# --- order cut-offs ---------------------------------------------------------------------------


def test_a_clock_restated_in_brackets_keeps_its_spelt_out_zone() -> None:
    text = "Our same-day shipping cut-off is 12:00 PM (Noon) Central Time."
    assert _of(ex.ORDER_CUTOFF, text) == {("", "12:00 CT")}


@pytest.mark.parametrize(
    "text",
    [
        "Order by 1pm, Monday–Friday, for same-day dispatch.",
        "Orders placed before 11am Monday-Friday ship the same day.",
    ],
)
def test_a_run_of_weekdays_written_with_a_bare_dash_is_no_one_weekday_schedule(text: str) -> None:
    assert len(_of(ex.ORDER_CUTOFF, text)) == 1


def test_one_weekdays_cutoff_is_still_a_schedule_by_day() -> None:
    assert _of(ex.ORDER_CUTOFF, "Order by 1pm on Friday for same-day dispatch.") == set()


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Expedited orders must be received by 10:30am ET.", "express", "10:30 ET"),
        ("Rush orders need to be placed by 9 am PT on a business day.", "express", "09:00 PT"),
    ],
)
def test_a_tiers_orders_that_must_be_placed_by_a_clock_give_the_tiers_cutoff(
    text: str, key: str, value: str
) -> None:
    assert _of(ex.ORDER_CUTOFF, text) == {(key, value)}


@pytest.mark.parametrize(
    "text",
    [
        "Orders must be placed by 3pm.",  # no service named: a deadline for what?
        "Standard orders must be placed by noon to be included in this week's batch.",
        "Returns must be received by 5pm on the last day of the window.",
    ],
)
def test_a_deadline_without_a_tier_or_service_is_no_cutoff(text: str) -> None:
    assert _of(ex.ORDER_CUTOFF, text) == set()


def test_a_condition_with_the_order_left_unsaid_is_read() -> None:
    text = "If approved before 11am ET, your proof goes to press the same day."
    assert _of(ex.ORDER_CUTOFF, text) == {("", "11:00 ET")}


@pytest.mark.parametrize(
    "text",
    [
        "Refunds are processed by 5pm the same day.",
        "If processed by the bank, the refund shows the same day.",
    ],
)
def test_processing_by_a_clock_without_the_conditional_order_is_no_cutoff(text: str) -> None:
    assert _of(ex.ORDER_CUTOFF, text) == set()
