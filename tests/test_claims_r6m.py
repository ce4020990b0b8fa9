"""Focused tests for the rules added when round 6's two writers' branches were reconciled.

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex


def _claims(text: str, kinds: tuple[str, ...], region: str = "US") -> set[tuple[str, str, str]]:
    return {(c.kind, c.key, c.value) for c in ex.extract_text(text, region=region) if c.kind in kinds}


def _cutoffs(text: str, region: str = "US") -> set[tuple[str, str]]:
    return {(c.key, c.value) for c in ex.extract_order_cutoffs(text)}


# --- a cut-off for one weekday in a list ("on a Friday, at the weekend or on a holiday") -----------


@pytest.mark.parametrize(
    "text",
    [
        "Orders placed after 3pm on a Thursday, at the weekend or on a holiday ship the next working day.",
        "Anything ordered after noon on a Saturday is sent on the next business day.",
        "Orders received after 1pm on Fridays go out the following business day.",
    ],
)
def test_a_cutoff_for_one_weekday_is_a_schedule_not_a_claim(text: str) -> None:
    assert _cutoffs(text) == set()


def test_a_cutoff_for_a_range_of_weekdays_is_still_read() -> None:
    text = "Orders placed after 3pm on Monday to Friday ship the next working day."
    assert _cutoffs(text) == {("", "15:00")}


# --- a zone in brackets closing the sentence -------------------------------------------------------


def test_a_closing_zone_in_brackets_holds_for_the_sentences_clocks() -> None:
    text = "Orders in before 2 pm are packed and shipped the same day (AEST)."
    assert _cutoffs(text) == {("", "14:00 AEST")}


def test_new_zealand_zones_are_read() -> None:
    assert _cutoffs("Order by 11am NZDT for same-day dispatch.") == {("", "11:00 NZDT")}


def test_a_bracketed_word_that_is_no_zone_leaves_the_clock_bare() -> None:
    text = "Orders in before 2 pm are packed and shipped the same day (weekdays)."
    assert _cutoffs(text) == {("", "14:00")}


def test_a_clocks_own_zone_wins_over_a_closing_bracket() -> None:
    text = "Orders placed by 1pm PT ship the same day (excluding holidays)."
    assert _cutoffs(text) == {("", "13:00 PT")}


# --- a hedge between a time and its cue after it ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Parcels go by tracked post, which takes 2-4 days on average to arrive.",
        "We use a local courier that needs 3-5 days usually to deliver.",
    ],
)
def test_a_hedge_between_the_time_and_its_cue_after_keeps_the_cue(text: str) -> None:
    assert {v for _k, _key, v in _claims(text, (ex.DELIVERY_TIME,))} == {
        "2-4 days" if "2-4" in text else "3-5 days"
    }


def test_a_hedged_time_for_a_reply_is_still_no_delivery_time() -> None:
    text = "Our team needs 1-2 days on average to reply to messages."
    assert _claims(text, (ex.DELIVERY_TIME, ex.DISPATCH_TIME)) == set()


# --- "reaches most addresses" ----------------------------------------------------------------------


def test_reaching_most_addresses_is_a_delivery_cue() -> None:
    text = "Our courier service reaches most addresses within 2 working days."
    assert _claims(text, (ex.DELIVERY_TIME,), region="GB") == {(ex.DELIVERY_TIME, "", "2 business days")}


def test_a_parcel_reaching_us_is_still_no_delivery_time() -> None:
    text = "Make sure the parcel reaches our warehouse within 14 days."
    assert _claims(text, (ex.DELIVERY_TIME, ex.DISPATCH_TIME)) == set()


# --- a table row naming the default tier with its noun ---------------------------------------------


def test_a_standard_delivery_row_is_the_default_tier() -> None:
    text = (
        "Service | Delivery time\nStandard shipping | 4-6 business days\nExpress shipping | 2 business days"
    )
    assert _claims(text, (ex.DELIVERY_TIME,)) == {
        (ex.DELIVERY_TIME, "", "4-6 business days"),
        (ex.DELIVERY_TIME, "express", "2 business days"),
    }


def test_a_carrier_service_row_is_still_left_to_the_line_reading() -> None:
    # a named service ("Parcelforce 48") is neither the default tier nor a key
    text = "Service | Delivery time\nParcelforce 48 | 2 business days"
    assert _claims(text, (ex.DELIVERY_TIME,), region="GB") == set()


# --- "regional" names a place, not the courier -------------------------------------------------


def test_a_regional_courier_is_no_outlying_place() -> None:
    text = "We use a regional courier that needs 3-5 days to deliver."
    assert _claims(text, (ex.DELIVERY_TIME,)) == {(ex.DELIVERY_TIME, "", "3-5 days")}


def test_regional_areas_stay_an_outlying_place() -> None:
    text = "Delivery to regional areas takes 5-8 business days."
    assert _claims(text, (ex.DELIVERY_TIME,), region="AU") == set()
