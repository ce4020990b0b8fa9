"""Round 6 (writer A) rules of the claim extractors, each on sentences the corpus rows did not use.

Return windows stated by their end or coordinated with a refund, the right of withdrawal, deadlines
that come after a return was started; a table's header row that is no section heading; and the few
look-alikes of dispatch and delivery times the round's pages showed (a return's journey back, a
leading busy period, orders placed on a holiday, regional areas, a place's tier line).
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex


def _claims(text: str, region: str = "US") -> set[tuple[str, str, str]]:
    return {(c.kind, c.key, c.value) for c in ex.extract_text(text, region=region)}


def _windows(text: str) -> set[str]:
    return {c.value for c in ex.extract_text(text) if c.kind == ex.RETURN_WINDOW}


# --- return windows -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "You can ask for an exchange or a refund within 21 days of delivery.",
        "Items come back for refund or exchange within 21 days.",
        "Return and refund requests are accepted for 21 days.",
    ],
)
def test_a_refund_coordinated_with_a_return_names_the_return(text: str) -> None:
    assert _windows(text) == {"21 days"}


def test_a_refund_alone_is_still_a_processing_time() -> None:
    assert _windows("Refunds are issued within 21 days of us receiving the parcel.") == set()
    assert _windows("We refund you within 21 days.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Nothing can be returned after 45 days.",
        "We cannot accept returns more than 45 days after delivery.",
        "If 45 days have gone by since delivery, we can't take the item back for a refund or exchange.",
        "Orders older than 45 days are not eligible for return.",
    ],
)
def test_a_window_stated_by_its_end_is_read_when_the_return_is_refused(text: str) -> None:
    assert _windows(text) == {"45 days"}


@pytest.mark.parametrize(
    "text",
    [
        "Returns after 45 days are charged a 25% restocking fee.",
        "Items sent back more than 45 days after delivery get store credit.",
        "Once 45 days have passed, returns are refunded as a gift card.",
    ],
)
def test_what_happens_past_the_window_is_no_window(text: str) -> None:
    assert _windows(text) == set()


def test_the_right_of_withdrawal_is_the_return_window() -> None:
    assert _windows("You may withdraw from this contract within fourteen days without giving reasons.") == {
        "14 days"
    }
    assert _windows("The withdrawal period is 14 days from the day you receive the goods.") == {"14 days"}
    # withdrawing something else is no return
    assert _windows("You can withdraw your consent within 14 days.") == set()


def test_a_deadline_counted_from_the_label_or_authorisation_is_no_window() -> None:
    assert _windows("Please ship the parcel within 10 days of the return label being issued.") == set()
    assert _windows("Send it back within 10 days of your RMA number being emailed.") == set()
    assert _windows("Send it back within 10 days of delivery.") == {"10 days"}


def test_a_later_step_of_the_same_return_is_not_a_second_window() -> None:
    text = "Tell us you want to return it within 7 days of delivery, then send it back within 21 days."
    assert _windows(text) == {"7 days"}
    # two tiers in one sentence are still both read
    assert _windows("Returns within 30 days; sale items within 14 days.") >= {"30 days"}


def test_a_period_noun_after_the_duration_is_not_per() -> None:
    assert _windows("Start your return within the 30-day period after delivery.") == {"30 days"}
    assert _windows("Returns are limited to 2 per month.") == set()


# --- a table's header row ----------------------------------------------------------------------


def test_a_table_header_row_does_not_replace_the_heading_above_it() -> None:
    text = "Shipping charges\nOrder value | Charge\nUnder $60 | $7.50\n$60 and over | FREE"
    assert (ex.THRESHOLD, "", "USD 60.00") in _claims(text)


# --- dispatch and delivery look-alikes of the round's pages ------------------------------------


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


def test_regional_areas_are_outlying_places() -> None:
    text = "Standard delivery takes 2 - 5 business days, or 4 - 9 business days in regional areas."
    times = {c for c in _claims(text, "AU") if c[0] == ex.DELIVERY_TIME}
    assert times == {(ex.DELIVERY_TIME, "", "2-5 business days")}


def test_what_a_time_depends_on_is_no_second_time() -> None:
    text = "Delivery takes 4 to 8 days, depending on your address and the day you order."
    times = {c[2] for c in _claims(text) if c[0] == ex.DELIVERY_TIME}
    assert times == {"4-8 days"}


def test_a_place_before_a_tier_word_heads_a_place_line() -> None:
    assert not {c for c in _claims("EU express: 2–3 working days, free from €150", "DE")}
    # the shop's own country before a tier word is its default tier
    assert (ex.DELIVERY_TIME, "", "2-3 business days") in _claims(
        "UK standard delivery: 2-3 working days", "GB"
    )


# --- batch 2 ------------------------------------------------------------------------------------


def test_the_republic_of_ireland_is_home_on_an_irish_shop() -> None:
    text = "If you live in the Republic of Ireland, spend €60 or more and delivery is free."
    assert (ex.THRESHOLD, "", "EUR 60.00") in _claims(text, "IE")
    assert not {c for c in _claims(text, "GB") if c[0] == ex.THRESHOLD}


def test_amounts_that_pay_for_shipping_are_no_threshold() -> None:
    text = "Free delivery is per order: a basket of £24.50 and another of £18.00 each pay postage."
    assert not {c for c in _claims(text, "GB") if c[0] == ex.THRESHOLD}
    assert (ex.THRESHOLD, "", "GBP 40.00") in _claims("Orders of £40 or more get free postage.", "GB")


def test_returnable_is_a_return_cue_and_credit_only_windows_are_none() -> None:
    assert _windows("Unworn shoes are returnable for a refund within 45 days.") == {"45 days"}
    assert _windows("Up to 90 days: returnable for store credit only.") == set()
    assert (
        _windows("You can send things back for an exchange or a credit note up to 6 weeks after delivery.")
        == set()
    )
    # an exchange offered with a return is still the return window
    assert _windows("Returns and exchanges are accepted within 60 days.") == {"60 days"}


def test_a_blocking_word_in_another_clause_does_not_hide_the_window() -> None:
    text = "You may return your order at any time before delivery and for 14 days after delivery."
    assert _windows(text) == {"14 days"}


def test_a_deadline_counted_from_telling_the_shop_is_no_window() -> None:
    assert _windows("Send the goods back no later than 14 days after notifying us of the return.") == set()


def test_lifetime_with_two_words_before_the_warranty() -> None:
    claims = _claims("Every new frame carries a lifetime limited frame warranty.")
    assert (ex.WARRANTY, "", "lifetime") in claims


def test_periods_listed_per_part_after_the_warranty_word_are_none() -> None:
    text = "The warranty is 6 months for the battery and 24 months for the rest of the scooter."
    assert not {c for c in _claims(text) if c[0] == ex.WARRANTY}
    assert (ex.WARRANTY, "", "2 years") in _claims("The warranty is 24 months from the date of purchase.")


def test_a_warranty_on_repairs_is_not_the_products() -> None:
    assert not {c for c in _claims("We give a 90-day warranty on all repairs.") if c[0] == ex.WARRANTY}
    assert (ex.WARRANTY, "", "1 year") in _claims("A 1-year warranty on parts and labour.")


def test_an_item_reaching_the_shop_in_time_is_the_return_window_not_a_delivery() -> None:
    text = "We refund the full price if the item reaches our warehouse within 21 days of purchase."
    claims = _claims(text)
    assert (ex.RETURN_WINDOW, "", "21 days") in claims
    assert not {c for c in claims if c[0] in (ex.DISPATCH_TIME, ex.DELIVERY_TIME)}


def test_the_shoppers_deadline_to_write_to_the_shop_is_no_delivery_time() -> None:
    text = "If a parcel arrives broken, email us a photo within 5 days of receipt."
    assert not {c for c in _claims(text) if c[0] in (ex.DISPATCH_TIME, ex.DELIVERY_TIME)}


def test_a_typical_delivery_period_column_is_a_time_column() -> None:
    text = "Service | Typical delivery period\nExpress delivery | 1-2 working days"
    assert (ex.DELIVERY_TIME, "express", "1-2 business days") in _claims(text, "GB")


# --- batch 3 ------------------------------------------------------------------------------------


def test_an_exchange_window_next_to_the_return_window_is_not_a_second_one() -> None:
    text = "Returns are accepted within 14 days of delivery, and exchanges within 45 days."
    assert _windows(text) == {"14 days"}
    # "return or exchange" is still the return
    assert _windows("You can return or exchange unworn items within 45 days.") == {"45 days"}


def test_a_return_for_a_gift_card_is_a_credit_window() -> None:
    assert _windows("You may return it for a gift card or exchange it within 60 days of purchase.") == set()


def test_a_faults_remedy_is_no_return_window() -> None:
    text = "If the clasp breaks within the first 90 days, send it back and we'll replace it."
    assert _windows(text) == set()
    assert _windows("Send it back within 90 days and we'll refund you.") == {"90 days"}


# --- batch 4 ------------------------------------------------------------------------------------


def test_a_cut_off_restated_without_its_zone_is_one_cut_off() -> None:
    text = "Orders placed by 1:00pm Pacific ship the same day; after 1:00pm they ship the next business day."
    cutoffs = {c for c in _claims(text) if c[0] == ex.ORDER_CUTOFF}
    assert cutoffs == {(ex.ORDER_CUTOFF, "", "13:00 PT")}


def test_the_warranty_period_with_what_it_covers_between() -> None:
    assert (ex.WARRANTY, "", "3 years") in _claims("The warranty period for all cookware is 3 years.")


def test_the_return_process_is_no_processing_time() -> None:
    assert _windows("Begin the return process within 21 days of delivery.") == {"21 days"}
    assert _windows("Our team processes returns within 5 days of receiving them.") == set()


def test_a_refund_as_the_purpose_names_the_window_to_ask_for_it() -> None:
    assert _windows("For a full refund, please contact us within 21 days of receipt.") == {"21 days"}


def test_a_sentence_led_by_the_earlier_step_is_a_later_step() -> None:
    text = "After contacting us, send the item back so that it arrives at our warehouse within 40 days."
    claims = _claims(text)
    assert not {c for c in claims if c[0] in (ex.RETURN_WINDOW, ex.DISPATCH_TIME, ex.DELIVERY_TIME)}
