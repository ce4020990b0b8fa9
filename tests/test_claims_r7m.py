"""Focused tests for the round-7 reconciliation rules (session 5): the rows each writer left in the
others' kinds (times, cut-offs, return windows).

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex


def _of(kind: str, text: str, region: str = "US") -> set[tuple[str, str]]:
    return {(c.key, c.value) for c in ex.extract_text(text, region=region) if c.kind == kind}


# --- units: weekdays count business days, "24h" is hours --------------------------------------


def test_weekdays_are_business_days_and_h_is_hours() -> None:
    assert _of(ex.DISPATCH_TIME, "Every order is packed within 2-4 weekdays.") == {("", "2-4 business days")}
    assert _of(ex.DISPATCH_TIME, "We dispatch within 48h of payment.") == {("", "48 hours")}


# --- "the day we receive it, or at the latest the next day": one 0-1 day span ------------------


@pytest.mark.parametrize(
    "text",
    [
        "Parcels leave our studio the day we get them, or at the latest the following day.",
        "Orders are posted the same day, or at latest the next day.",
    ],
)
def test_same_day_or_at_the_latest_the_next_is_one_span(text: str) -> None:
    assert _of(ex.DISPATCH_TIME, text) == {("", "0-1 days")}
    assert _of(ex.DELIVERY_TIME, text) == set()


# --- a day before a service noun, or after a carrier's name, names a service --------------------


@pytest.mark.parametrize(
    "text",
    [
        "On bank holiday weeks, everything ships on Wednesday for next day delivery.",
        "Express dispatch / next working day delivery costs £7.50 extra.",
        "We send all parcels by DHL next day.",
    ],
)
def test_a_service_name_is_no_dispatch_time(text: str) -> None:
    assert _of(ex.DISPATCH_TIME, text) == set()


def test_a_plain_next_day_dispatch_is_still_read() -> None:
    assert _of(ex.DISPATCH_TIME, "If you order before noon, it is dispatched the next working day.") == {
        ("", "next business day")
    }


# --- "every 6 weeks": a subscription's interval ------------------------------------------------


def test_every_n_weeks_is_an_interval_not_a_time() -> None:
    assert _of(ex.DISPATCH_TIME, "Refills ship every 6 weeks until you pause them.") == set()
    assert _of(ex.DISPATCH_TIME, "Refills ship within 6 days.") == {("", "6 days")}


# --- work that begins is no dispatch; "after it" follows a cut-off -----------------------------


def test_work_beginning_is_no_dispatch_time() -> None:
    text = "If approved by 11 am ET, printing begins that day; after that, it begins the next day."
    assert _of(ex.DISPATCH_TIME, text) == set()


def test_the_next_day_after_a_cut_off_is_the_late_orders_rule() -> None:
    text = "Every order ships the same day up to our 3pm cut-off, and the next day after that."
    assert _of(ex.DISPATCH_TIME, text) == {("", "same day")}


# --- a second default value in one sentence: conceded worst case or a part of the goods ---------


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


# --- negated services, other areas, claim deadlines ---------------------------------------------


def test_a_negated_service_noun_is_no_time() -> None:
    assert _of(ex.DISPATCH_TIME, "We don't currently offer same-day dispatch.") == set()
    assert _of(ex.DISPATCH_TIME, "We offer same-day dispatch on every order.") == {("", "same day")}


def test_other_areas_are_a_place_with_no_key() -> None:
    text = "Cities get parcels within 2 days; other areas take 4 business days."
    assert ("", "4 business days") not in _of(ex.DELIVERY_TIME, text)


def test_a_claim_deadline_is_no_delivery_time() -> None:
    assert _of(ex.DELIVERY_TIME, "Damage claims should be lodged within 10 days of delivery.") == set()
    assert _of(ex.DELIVERY_TIME, "You must file a claim within 30 days of shipping.") == set()


# --- cut-offs: a chance, a clock restated, a clock inside the cut-off's name ----------------------


def test_a_chance_is_no_cut_off() -> None:
    text = "Orders in by 1pm Eastern stand a good chance of shipping the same day."
    assert _of(ex.ORDER_CUTOFF, text) == set()
    assert _of(ex.ORDER_CUTOFF, "Orders in by 1pm Eastern ship the same day.") == {("", "13:00 ET")}


def test_a_cut_off_restated_by_its_late_orders_is_one_claim() -> None:
    text = "The cut-off for next day delivery is 1pm (orders after 1pm go the following day)."
    assert _of(ex.ORDER_CUTOFF, text) == {("next day", "13:00")}


def test_a_clock_inside_the_cut_offs_name() -> None:
    text = "Orders received after our 11 AM PST cut-off ship the next business day."
    assert _of(ex.ORDER_CUTOFF, text) == {("", "11:00 PT")}


# --- return windows: counted from the shop's answer; a refund asked for --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Parcels must be returned within 10 days of hearing back from our team.",
        "Please send the item back within 14 days of our reply.",
    ],
)
def test_a_deadline_from_the_shops_answer_is_no_return_window(text: str) -> None:
    assert _of(ex.RETURN_WINDOW, text) == set()


def test_a_refund_asked_for_within_a_period_is_the_window() -> None:
    assert _of(ex.RETURN_WINDOW, "A refund may be claimed within 21 days of delivery.") == {("", "21 days")}
    assert _of(ex.RETURN_WINDOW, "Refunds are paid within 21 days.") == set()
