"""Support hours, support phone numbers and email addresses, and order cut-off times.

Hours of a place to visit, of a delivery window, of an option to buy or of self-service are not
support hours; a third party's address or number is not the shop's contact. Cut-offs: one
weekday's cut-off is a schedule by day, a closing time zone in brackets holds for the sentence's
clocks, a tier's "must be placed by" gives that tier's cut-off, and a deadline, a chance or a
clock restated is no second cut-off.

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex

from tests.claim_reading import claims as _claims
from tests.claim_reading import of as _of


def _hours(text: str) -> set[str]:
    return {c.value for c in ex.extract_text(text) if c.kind == ex.SUPPORT_HOURS}


def _cutoffs(text: str, region: str = "US") -> set[tuple[str, str]]:
    return {(c.key, c.value) for c in ex.extract_order_cutoffs(text)}


def test_a_cut_off_restated_without_its_zone_is_one_cut_off() -> None:
    text = "Orders placed by 1:00pm Pacific ship the same day; after 1:00pm they ship the next business day."
    cutoffs = {c for c in _claims(text) if c[0] == ex.ORDER_CUTOFF}
    assert cutoffs == {(ex.ORDER_CUTOFF, "", "13:00 PT")}


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
        "Our website is open 24/7 for orders; the phone team works office hours.",
        "Online ordering is available 24 hours a day, and our team answers calls on weekdays.",
    ],
)
def test_self_service_around_the_clock_is_no_support_hours(text: str) -> None:
    assert _hours(text) == set()


def test_support_around_the_clock_is_still_read() -> None:
    assert _hours("Our customer support team is available 24/7.") == {"24/7"}


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
