"""Dispatch and delivery times: which durations are the shop's standing promise and which are not.

Times whose subject is something else are no claim: a tracking message, the wait before a parcel
counts as lost, a parcel coming back, one weekday's or one season's orders, a replacement, a
carrier's final leg, a service named by its time, a subscription's interval, the shopper's own
deadline. Next to them stay read: same-day-or-next-day spans, a range given by its two bounds, a
hedge between a time and its cue, "n days in transit", the next day after a cut-off as the late
orders' rule, and weekdays counted as business days.

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


def test_times_in_a_sentence_about_a_parcel_coming_back_are_the_returns() -> None:
    text = "Your refund takes shipping back to us (3-7 business days) plus our checks (2 business days)."
    assert not {c for c in _claims(text) if c[0] in (ex.DISPATCH_TIME, ex.DELIVERY_TIME)}


def test_a_leading_busy_period_scopes_the_whole_sentence() -> None:
    assert _claims("During big sales, please allow 4-6 business days for orders to be dispatched.") == set()
    assert (ex.DISPATCH_TIME, "", "4-6 business days") in _claims(
        "Please allow 4-6 business days for orders to be dispatched."
    )


def test_orders_placed_on_a_holiday_going_next_day_is_no_dispatch_time() -> None:
    text = "Orders placed over the weekend or on public holidays ship the next business day."
    assert not {c for c in _claims(text) if c[0] == ex.DISPATCH_TIME}


def test_what_a_time_depends_on_is_no_second_time() -> None:
    text = "Delivery takes 4 to 8 days, depending on your address and the day you order."
    times = {c[2] for c in _claims(text) if c[0] == ex.DELIVERY_TIME}
    assert times == {"4-8 days"}


def test_the_shoppers_deadline_to_write_to_the_shop_is_no_delivery_time() -> None:
    text = "If a parcel arrives broken, email us a photo within 5 days of receipt."
    assert not {c for c in _claims(text) if c[0] in (ex.DISPATCH_TIME, ex.DELIVERY_TIME)}


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
        "A Saturday order should arrive within 2 business days.",
        "Orders placed on a Friday are dispatched within 24 hours.",
    ],
)
def test_one_weekdays_orders_are_a_schedule_not_the_promise(text: str) -> None:
    assert _times(text) == set()


def test_orders_placed_on_a_range_of_weekdays_are_still_read() -> None:
    text = "Orders placed on Monday to Friday are dispatched within 24 hours."
    assert (ex.DISPATCH_TIME, "", "24 hours") in _times(text)


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
        "Parcels go by tracked post, which takes 2-4 days on average to arrive.",
        "We use a local courier that needs 3-5 days usually to deliver.",
    ],
)
def test_a_hedge_between_the_time_and_its_cue_after_keeps_the_cue(text: str) -> None:
    assert {v for _k, _key, v in _claims_of_kinds(text, (ex.DELIVERY_TIME,))} == {
        "2-4 days" if "2-4" in text else "3-5 days"
    }


def test_a_hedged_time_for_a_reply_is_still_no_delivery_time() -> None:
    text = "Our team needs 1-2 days on average to reply to messages."
    assert _claims_of_kinds(text, (ex.DELIVERY_TIME, ex.DISPATCH_TIME)) == set()


def test_reaching_most_addresses_is_a_delivery_cue() -> None:
    text = "Our courier service reaches most addresses within 2 working days."
    assert _claims_of_kinds(text, (ex.DELIVERY_TIME,), region="GB") == {
        (ex.DELIVERY_TIME, "", "2 business days")
    }


def test_a_parcel_reaching_us_is_still_no_delivery_time() -> None:
    text = "Make sure the parcel reaches our warehouse within 14 days."
    assert _claims_of_kinds(text, (ex.DELIVERY_TIME, ex.DISPATCH_TIME)) == set()


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


def test_a_parcel_the_shopper_collects_is_no_delivery_time() -> None:
    text = "A missed delivery can be collected from your local depot within 5 working days."
    assert _times(text) == set()


def test_weekdays_are_business_days_and_h_is_hours() -> None:
    assert _of(ex.DISPATCH_TIME, "Every order is packed within 2-4 weekdays.") == {("", "2-4 business days")}
    assert _of(ex.DISPATCH_TIME, "We dispatch within 48h of payment.") == {("", "48 hours")}


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


def test_every_n_weeks_is_an_interval_not_a_time() -> None:
    assert _of(ex.DISPATCH_TIME, "Refills ship every 6 weeks until you pause them.") == set()
    assert _of(ex.DISPATCH_TIME, "Refills ship within 6 days.") == {("", "6 days")}


def test_work_beginning_is_no_dispatch_time() -> None:
    text = "If approved by 11 am ET, printing begins that day; after that, it begins the next day."
    assert _of(ex.DISPATCH_TIME, text) == set()


def test_the_next_day_after_a_cut_off_is_the_late_orders_rule() -> None:
    text = "Every order ships the same day up to our 3pm cut-off, and the next day after that."
    assert _of(ex.DISPATCH_TIME, text) == {("", "same day")}


def test_a_negated_service_noun_is_no_time() -> None:
    assert _of(ex.DISPATCH_TIME, "We don't currently offer same-day dispatch.") == set()
    assert _of(ex.DISPATCH_TIME, "We offer same-day dispatch on every order.") == {("", "same day")}


def test_a_claim_deadline_is_no_delivery_time() -> None:
    assert _of(ex.DELIVERY_TIME, "Damage claims should be lodged within 10 days of delivery.") == set()
    assert _of(ex.DELIVERY_TIME, "You must file a claim within 30 days of shipping.") == set()
