"""Return windows and warranty periods.

A return window is the shopper's time to send an item back: stated by its end, coordinated with a
refund, in "calendar days", as the right of withdrawal, for a gift-card credit, or for cancelling
after receipt. Durations that are no window: what happens once it has passed without a refusal,
deadlines counted from a label, an authorisation or telling the shop, later steps of the same
return, the time a return takes to process, exchanges next to it, a fault's remedy, orders
collected in a shop. A warranty is the product's own period, not a repair's or a replacement's
cover, nor periods listed per part.

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex

from tests.claim_reading import claims as _claims
from tests.claim_reading import of as _of


def _windows(text: str) -> set[str]:
    return {c.value for c in ex.extract_text(text) if c.kind == ex.RETURN_WINDOW}


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


def test_calendar_days_are_days() -> None:
    assert _windows("Unused goods may be sent back within 45 calendar days of receipt.") == {"45 days"}
    assert _windows("We accept returns for 30 calendar days.") == {"30 days"}


@pytest.mark.parametrize(
    "text",
    [
        "Anything that has passed the 60-day return period is charged a 10% handling fee.",
        "Orders that exceeded the 30 day window go back with a restocking charge.",
    ],
)
def test_past_the_window_without_a_refusal_is_no_window(text: str) -> None:
    assert _windows(text) == set()


def test_past_the_window_with_a_refusal_is_the_window() -> None:
    assert _windows("Items that have passed the 60-day return period cannot be refunded.") == {"60 days"}


@pytest.mark.parametrize(
    "text",
    [
        "Inspecting a return usually takes about 5 days.",
        "A return can take up to two weeks once it reaches our warehouse.",
        "Please allow 10 days for your return to be processed.",
        "Allow three weeks for each refund to be issued after your parcel arrives.",
    ],
)
def test_the_time_a_return_takes_is_no_window(text: str) -> None:
    assert _windows(text) == set()


def test_the_shopper_taking_time_to_return_is_the_window() -> None:
    assert _windows("You can take up to 40 days to return any unworn item.") == {"40 days"}


@pytest.mark.parametrize(
    "text",
    [
        "Orders collected in store can be returned within 10 days of collection.",
        "Click & Collect purchases may be returned within 60 days.",
        "Items picked up in-store are returnable within 14 days for a refund.",
    ],
)
def test_a_window_for_orders_collected_in_a_shop_is_no_claim(text: str) -> None:
    assert _windows(text) == set()


def test_returning_to_a_shop_is_still_the_window() -> None:
    assert _windows("Online orders can be returned by post or in store within 30 days.") == {"30 days"}


@pytest.mark.parametrize(
    "text",
    [
        "Please allow up to 21 days for a refund.",
        "Allow about 10 days for a full refund once we have your parcel.",
    ],
)
def test_a_wait_to_allow_for_a_refund_is_no_window(text: str) -> None:
    assert _windows(text) == set()


def test_for_a_refund_before_the_deadline_is_still_the_window() -> None:
    assert _windows("For a full refund, write to us within 20 days of delivery.") == {"20 days"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You can cancel the purchase within 21 days of receiving the goods.", {"21 days"}),
        ("Cancel for any reason within 14 days beginning with the day you get your parcel.", {"14 days"}),
        ("You might be able to cancel your order within two hours of placing it.", set()),
        ("Cancellations made within 30 days of the event are not refunded.", set()),
    ],
)
def test_cancelling_counted_from_receipt_is_the_window(text: str, expected: set[str]) -> None:
    assert _windows(text) == expected


def test_a_windows_end_stated_by_the_returns_arrival_with_a_refusal_is_the_window() -> None:
    text = "Should the parcel arrive more than 50 days after dispatch, we may refuse the return."
    assert _windows(text) == {"50 days"}
    # without a refusal it is what happens past the window
    assert _windows("Parcels that arrive more than 50 days after dispatch pay a 10% fee on return.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Repaired units carry a 90-day warranty.",
        "Replacement items are covered by a 6 month warranty from the swap date.",
        "Any replacement parts are warranted for 60 days or to the end of the original term.",
    ],
)
def test_a_replacements_cover_is_no_product_warranty(text: str) -> None:
    assert not any(c.kind == ex.WARRANTY for c in ex.extract_text(text))


def test_the_products_own_warranty_is_still_read() -> None:
    got = {
        c.value for c in ex.extract_text("Every heater carries a 3-year warranty.") if c.kind == ex.WARRANTY
    }
    assert got == {"3 years"}


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
