"""Claims read the way shoppers read them: the labelled corpus and the comparison rules.

The corpus (tests/corpus/) is split by the public page each pattern was
studied on: rules are tuned on the development part only. These tests hold
the development part's figures above the issue's targets and pin the
behaviours behind them; ``benchmarks/bench_claims.py`` prints the held-out
figures, which are measured, never asserted here (asserting them would be
tuning on them).
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import _claims as cl
from cx_auditor.checks import extractors as ex
from cx_auditor.checks.messaging_consistency import MessagingConsistencyCheck
from cx_auditor.models import CheckResult, Document, Severity
from cx_auditor.runner import run_check

from tests import claims_corpus as cc
from tests.artifact_factory import artifacts

DEV = cc.load("dev")
HELDOUT = cc.load("heldout")


# --- the corpus itself ---------------------------------------------------------------------------


def test_corpus_is_large_labelled_and_split_by_source() -> None:
    assert len(DEV) + len(HELDOUT) >= 400
    # the held-out part never shrinks. Its share was 30 % until a round that added development rows
    # only (26.8 % after it); session 4 added three fresh batches written by engineers who wrote no
    # rule (211 rows from 45 pages, 160 from 29, 280 from 43: 44 % after them); session 5 four more
    # (359 rows from 65 pages, 252/44, 255/43, 260/39: 47 % after them). A quarter is the floor.
    assert len(HELDOUT) >= 1970
    assert len(HELDOUT) >= 0.25 * (len(DEV) + len(HELDOUT))
    assert not {r.source for r in DEV} & {r.source for r in HELDOUT}
    assert all(r.source.startswith(("http://", "https://")) for r in DEV + HELDOUT)
    for part in (DEV, HELDOUT):
        kinds = {label[0] for r in part for label in r.expected}
        assert kinds == set(cc.KINDS.values())
        assert sum(not r.expected for r in part) >= 0.25 * len(part)  # look-alikes that are not claims


@pytest.mark.parametrize(
    "family",
    [
        "threshold-by-condition",
        "threshold-no-free-word",
        "promo-shape",
        "promo-next-sentence",
        "promo-percent",
        "hours-until",
        "hours-timezone",
        "hours-times-first",
        "hours-partial",
        "duration-before-noun",
        "phone-possible",
        "cutoff",
        "number-words",
        "negation-exception",
        "scope",
        "heading-scope",
        "refund-time-lookalike",
        "restocking-lookalike",
        "tracking-lookalike",
        "threshold-no-shipping-word",
        "processing-time",
        "cue-after-duration",
        "cue-previous-sentence",
        "amount-words",
        "promo-letters-only",
        "phone-national-no-country",
        "processing-vs-transit",
        "following-working-day",
        "weeks",
        "lead-time-lookalike",
    ],
)
def test_every_failure_family_of_the_issue_is_in_the_corpus(family: str) -> None:
    assert sum(r.family == family for r in DEV + HELDOUT) >= 3


def test_a_bad_label_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="kind\\[key\\]=value"):
        cc.parse_label("shipping=$5")


# --- figures on the development part ------------------------------------------------------------


def test_development_part_meets_the_targets_for_every_kind() -> None:
    for kind, s in cc.score(DEV).items():
        assert s.recall >= 0.95 or s.fn <= 1, (kind, s.misses)
        assert s.precision >= 0.98, (kind, s.false)


def test_development_pairs_contradictions_found_and_no_equivalent_flagged() -> None:
    detection = cc.pair_detection(DEV, per_kind=15)
    found = sum(v[0] for v in detection.values())
    total = sum(v[1] for v in detection.values())
    flagged = sum(v[2] for v in detection.values())
    equivalent = sum(v[3] for v in detection.values())
    read_both = sum(v[4] for v in detection.values())
    assert total >= 100 and equivalent >= 20
    # an equivalent pair "passes" trivially when one side goes unread: keep those few (known misses)
    assert read_both >= 0.95 * equivalent
    assert found >= 0.95 * total
    assert flagged == 0


# --- normalisation and comparison ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Returns within thirty days", "Returns within 30 days"),
        ("a two-year warranty", "a 2-year warranty"),
        ("for a period of two (2) years", "for a period of 2 years"),
        ("forty-five days", "45 days"),
        ("10 percent off", "10% off"),
        ("15 per cent", "15%"),
        ("9:00 a.m. to 4:30 p.m. (CST)", "9:00 am to 4:30 pm (CST)"),
        ("1pm - 9pm US Eastern time", "1pm - 9pm ET"),
        ("9–5 Pacific", "9–5 PT"),
        ("Eastern Europe", "Eastern Europe"),  # a zone name only after a time
    ],
)
def test_normalise_text(text: str, normalised: str) -> None:
    assert cl.normalise_text(text) == normalised


@pytest.mark.parametrize(
    ("kind", "a", "b", "relation"),
    [
        ("return_window", "30 days", "1 month", "equivalent"),
        ("return_window", "14 days", "2 weeks", "equivalent"),
        ("return_window", "1 year", "365 days", "equivalent"),
        ("warranty", "12 months", "1 year", "equivalent"),  # as the extractors normalise it
        ("warranty", "24 months", "730 days", "equivalent"),
        ("warranty", "6 months", "180 days", "equivalent"),
        ("warranty", "13 months", "1 year", "different"),
        ("return_window", "30 days", "60 days", "different"),
        ("delivery_time", "1-2 weeks", "7-14 days", "equivalent"),
        ("support_hours", "mon-fri 09:00-18:00 ET", "09:00-18:00", "partial"),
        ("support_hours", "mon-fri 09:00-18:00 ET", "mon-fri 09:00-18:00", "partial"),
        ("support_hours", "mon-fri 09:00-18:00 EST", "mon-fri 09:00-18:00 ET", "equivalent"),
        ("support_hours", "mon-fri 09:00-18:00 ET", "mon-fri 09:00-18:00 PT", "different"),
        ("support_hours", "mon-fri 09:00-18:00", "mon-sat 09:00-18:00", "different"),
        ("support_hours", "mon-fri 09:00-18:00 GMT", "mon-fri 09:00-18:00 BST", "equivalent"),
        ("order_cutoff", "14:00 ET", "14:00", "partial"),
        ("order_cutoff", "14:00", "15:00", "different"),
        ("phone", "+18005550199", "+18005550123", "different"),
    ],
)
def test_relate(kind: str, a: str, b: str, relation: str) -> None:
    assert cl.relate(kind, a, b).kind == relation
    assert cl.relate(kind, b, a).kind == relation


def test_day_ranges_normalise() -> None:
    assert cl.format_days(cl.day_set("Monday through Friday")) == "mon-fri"
    assert cl.format_days(cl.day_set("daily")) == "mon-sun"
    assert cl.format_days(cl.day_set("Saturday, Sunday")) == "sat-sun"
    assert cl.format_days(cl.day_set("mon, wed")) == "mon,wed"


def test_a_partial_value_never_joins_two_contradicting_values() -> None:
    merged, notes = cl.merge_values(
        "support_hours", {"mon-fri 09:00-18:00 ET": [1, 2], "mon-fri 09:00-18:00 PT": [3], "09:00-18:00": [4]}
    )
    assert set(merged) == {"mon-fri 09:00-18:00 ET", "mon-fri 09:00-18:00 PT"}
    assert merged["mon-fri 09:00-18:00 ET"] == [1, 2, 4]
    assert notes["mon-fri 09:00-18:00 ET"] == [
        "09:00-18:00 (partial: days stated on one side only; time zone stated on one side only)"
    ]


# --- extraction by structure ---------------------------------------------------------------------


def _claims(text: str) -> set[tuple[str, str, str]]:
    return {(c.kind, c.key, c.value) for c in ex.extract_text(text)}


def test_order_cutoff_is_a_claim_kind() -> None:
    assert _claims("Order by 2pm ET for same-day dispatch.") == {
        (ex.ORDER_CUTOFF, "", "14:00 ET"),
        (ex.DISPATCH_TIME, "", "same day"),
    }
    assert _claims("Orders placed after 4 p.m. Eastern ship the next business day.") == {
        (ex.ORDER_CUTOFF, "", "16:00 ET")
    }
    assert _claims("Sale ends at midnight tonight.") == set()


def test_heading_above_a_sentence_scopes_its_claims() -> None:
    assert _claims("International Shipping\nOrders over $150 ship free.") == {
        (ex.THRESHOLD, "international", "USD 150.00")
    }
    assert _claims("Shipping within USA\nFree shipping on orders over $75.") == {
        (ex.THRESHOLD, "", "USD 75.00")
    }
    # a heading naming two scopes leaves the sentence uncompared rather than guessed
    assert _claims("Express International Shipping\nDelivery in 5 to 10 business days.") == set()


def test_a_heading_scopes_its_section_not_the_rest_of_the_page() -> None:
    filler = "\n".join(f"Paragraph {i} of the section." for i in range(9))
    text = f"International\n{filler}\nFree shipping on orders over $50."
    assert _claims(text) == {(ex.THRESHOLD, "", "USD 50.00")}


def test_a_code_takes_its_terms_from_the_next_sentence() -> None:
    assert _claims("Use code STARTER at checkout. It takes 20% off your first order.") == {
        (ex.PROMO_CODE, "STARTER", "20% off")
    }


def test_exceptions_do_not_scope_the_claim() -> None:
    assert _claims("Free returns within 30 days, except on sale items.") == {
        (ex.RETURN_WINDOW, "", "30 days")
    }
    assert _claims("No free returns on sale items.") == set()


def test_possible_but_unassigned_phone_numbers_are_kept_and_marked() -> None:
    (claim,) = ex.extract_phones("Call us at (555) 123-4567.")
    assert (claim.value, claim.extra["dialable"]) == ("+15551234567", "no")
    (real,) = ex.extract_phones("Call 1-800-555-0199")
    assert real.extra["dialable"] == "yes"
    assert ex.extract_phones("Call 555-0100 today!") == []  # local-only: cannot be compared


# --- the check ----------------------------------------------------------------------------------


def _audit(*texts: str) -> CheckResult:
    docs = [
        Document(id=str(i), channel=channel, path=f"{channel}/{i}.txt", kind=channel, text=text)
        for i, (channel, text) in enumerate(zip(("email", "sms", "chatbot"), texts, strict=False))
    ]
    channels = [d.channel for d in docs]
    return run_check(MessagingConsistencyCheck(), artifacts(documents=docs, channels=channels), {})


def test_equivalent_return_windows_are_not_a_contradiction_but_are_noted() -> None:
    result = _audit("Returns within 30 days of delivery.", "You have one month to return your purchase.")
    assert not [f for f in result.findings if f.rule == "inconsistent-return-window"]
    (note,) = [f for f in result.findings if f.rule == "equivalent-wording"]
    assert note.severity == Severity.INFO
    assert note.evidence["equivalences"] in (["30 days = 1 month"], ["1 month = 30 days"])
    assert result.score == 100


def test_equivalence_is_noted_when_another_value_contradicts() -> None:
    result = _audit(
        "Returns within 30 days of delivery.",
        "You have one month to return your purchase.",
        "Returns accepted within 14 days.",
    )
    (f,) = [f for f in result.findings if f.rule == "inconsistent-return-window"]
    displays = [v["display"] for v in f.evidence["variants"]]
    merged = {"30 days (also stated as 1 month)", "1 month (also stated as 30 days)"}
    assert merged & set(displays)
    assert "14 days" in displays


def test_hours_without_zone_do_not_contradict_hours_with_one() -> None:
    result = _audit("Support: Mon–Fri 9–6 ET", "Our phone lines are open Mon–Fri 9–6.")
    assert not [f for f in result.findings if f.rule == "inconsistent-support-hours"]
    different = _audit("Support: Mon–Fri 9–6 ET", "Our phone lines are open Mon–Fri 9–5.")
    assert [f for f in different.findings if f.rule == "inconsistent-support-hours"]


def test_non_dialable_number_is_reported_once_with_where_it_appears() -> None:
    result = _audit(
        "Questions? Call (555) 123-4567.", "Need help? Call (555) 123-4567.", "Call 1-800-555-0199 any time."
    )
    (f,) = [f for f in result.findings if f.rule == "undialable-phone"]
    assert f.severity == Severity.WARN
    assert f.evidence["number"] == "+15551234567"
    assert {s["document"] for s in f.evidence["seen"]} == {"email/0.txt", "sms/1.txt"}
    # the typo'd number still differs from the real one
    assert [f for f in result.findings if f.rule == "inconsistent-phone"]


def test_different_cutoffs_are_a_warning() -> None:
    result = _audit("Order by 2pm for same-day dispatch.", "Orders placed before 3pm ship the same day.")
    (f,) = [f for f in result.findings if f.rule == "inconsistent-order-cutoff"]
    assert f.severity == Severity.WARN


# --- families read by structure (session 2) -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("There's no charge for delivery on orders over $75.", "USD 75.00"),
        ("Carriage is free on all orders over £70.", "GBP 70.00"),
        ("Postage and packing is free for orders above £25.", "GBP 25.00"),
        ("We'll waive the delivery fee on orders over $40.", "USD 40.00"),
        ("Delivery at no extra cost on orders over €80", "EUR 80.00"),
        ("Orders over $60 are delivered free.", "USD 60.00"),
        ("Domestic: free over $50; otherwise $7.", "USD 50.00"),
    ],
)
def test_free_shipping_said_without_the_word_shipping(text: str, amount: str) -> None:
    assert _claims(text) == {(ex.THRESHOLD, "", amount)}


@pytest.mark.parametrize(
    "text",
    [
        "There is no charge for returns on orders over $50.",
        "No charge for gift wrapping on orders over £30.",
        "Delivery is charged at £4.95 for orders under £40.",
        "Click & collect is free on all orders.",
    ],
)
def test_free_things_that_are_not_shipping_are_no_threshold(text: str) -> None:
    assert _claims(text) == set()


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("orders over fifty dollars", "orders over $50"),
        ("over a hundred dollars", "over $100"),
        ("spend over twenty-five pounds", "spend over £25"),
        ("ten euros off", "€10 off"),
        ("Items over 70 pounds ship by freight", "Items over 70 pounds ship by freight"),  # a weight
        ("parcels under 5 pounds", "parcels under 5 pounds"),
        ("takes between 3 and 5 business days", "takes 3-5 business days"),
        ("open between 9 and 5 pm", "open between 9 and 5 pm"),  # clock times stay for the hours reader
        ("ships in about a week", "ships in about 1 week"),
        ("7 days a week", "7 days a week"),
    ],
)
def test_amounts_in_words_become_money_only_where_money_is_meant(text: str, normalised: str) -> None:
    assert cl.normalise_text(text) == normalised


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Processing time: 1-2 business days", ex.DISPATCH_TIME, "1-2 business days"),
        ("Expect order processing to take 1-3 business days.", ex.DISPATCH_TIME, "1-3 business days"),
        ("We aim to despatch orders within 3 working days.", ex.DISPATCH_TIME, "3 business days"),
        ("Please allow 2-3 business days for order processing.", ex.DISPATCH_TIME, "2-3 business days"),
        ("Orders take 1-2 business days to process before they ship.", ex.DISPATCH_TIME, "1-2 business days"),
        ("Please allow 3 to 5 working days for delivery.", ex.DELIVERY_TIME, "3-5 business days"),
        ("It typically takes 2-4 days for the courier to deliver your parcel.", ex.DELIVERY_TIME, "2-4 days"),
    ],
)
def test_processing_time_and_a_cue_after_the_duration(text: str, kind: str, value: str) -> None:
    assert _claims(text) == {(kind, "", value)}


@pytest.mark.parametrize(
    "text",
    [
        "Payment processing can take up to 24 hours.",
        "Returns take 3-5 business days to process once they reach us.",
        "Please allow 10 days for your refund to be processed.",
        "During sales, orders may take an additional 1–3 days to process.",
        "It can take 24 hours for the tracking link to work.",
    ],
)
def test_processing_of_other_things_is_no_dispatch_time(text: str) -> None:
    assert _claims(text) == set()


def test_a_cue_in_the_previous_sentence_or_the_label_line_above() -> None:
    assert _claims("Delivery within the UK is by Royal Mail. This usually takes 2-3 working days.") == {
        (ex.DELIVERY_TIME, "", "2-3 business days")
    }
    assert _claims("Free shipping is back! Orders over $70 qualify.") == {(ex.THRESHOLD, "", "USD 70.00")}
    assert _claims("Processing time\n1-2 business days") == {(ex.DISPATCH_TIME, "", "1-2 business days")}
    # the next sentence is about something else: no claim borrows the cue
    assert _claims("Refunds go back to your card. This can take 5-10 business days.") == set()
    assert _claims("Your order has shipped. It can take 24 hours for tracking to update.") == set()
    assert _claims("We ship worldwide. Allow 2 hours for a reply to your email.") == set()
    assert _claims("Free shipping on all orders. Gift cards from $25.") == set()
    # a label naming two scopes still leaves its line uncompared
    assert _claims("Express International Shipping\nDelivery in 5 to 10 business days.") == set()


@pytest.mark.parametrize(
    ("text", "code", "terms"),
    [
        ("THANKYOU — 10% off your next order", "THANKYOU", "10% off"),
        ("Save 20% sitewide with SUNSHINE.", "SUNSHINE", "20% off"),
        ("BLOOM takes 15% off all bouquets this week.", "BLOOM", "15% off"),
        ("“HELLOAGAIN” gives returning customers 15% off.", "HELLOAGAIN", "15% off"),
        ("FREESHIP: free shipping on any order", "FREESHIP", "free shipping"),
        ("Use code TENOFF for ten dollars off.", "TENOFF", "$10 off"),
    ],
)
def test_letters_only_codes_by_their_place(text: str, code: str, terms: str) -> None:
    assert (ex.PROMO_CODE, code, terms) in _claims(text)


@pytest.mark.parametrize(
    "text",
    [
        "HUGE SALE — 40% off everything",
        "LAST CHANCE: 30% off ends tonight",
        "SAVE 20% on all jackets",
        "BOGO: buy one, get one 50% off",
        "FLASH SALE! Take 25% off with no code needed.",
    ],
)
def test_shouted_banners_are_no_codes(text: str) -> None:
    assert not [c for c in ex.extract_text(text) if c.kind == ex.PROMO_CODE]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("The number to call is 0306 999 0123.", "+443069990123"),
        ("Freephone 0808 157 0192", "+448081570192"),
        ("Phone: (02) 9876 5432", "+61298765432"),
        ("Our Dutch team: call 020 123 4567 (Netherlands)", "+31201234567"),
    ],
)
def test_foreign_national_numbers_read_by_their_grouping_or_country(text: str, number: str) -> None:
    assert [c.value for c in ex.extract_phones(text, "US")] == [number]


def test_foreign_national_numbers_need_a_phone_cue_and_no_reference_word() -> None:
    assert ex.extract_phones("Quote reference 0161 496 0732 when you call.", "US") == []
    assert ex.extract_phones("Item code 0203 9461 234", "US") == []
    assert ex.extract_phones("Batch 0161 496 0732", "US") == []


def test_days_without_business_are_partial_not_a_contradiction() -> None:
    assert cl.relate("delivery_time", "3-5 days", "3-5 business days").kind == "partial"
    assert cl.relate("delivery_time", "3-5 days", "2-5 business days").kind == "different"
    result = _audit("Delivery takes 3-5 business days.", "Your parcel arrives in 3-5 days.")
    assert not [f for f in result.findings if f.rule == "inconsistent-delivery-time"]
    (note,) = [f for f in result.findings if f.rule == "equivalent-wording"]
    assert "business days stated on one side only" in note.message


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("5-7 working day delivery is free on every order.", ex.DELIVERY_TIME, "5-7 business days"),
        ("3-5 day standard delivery costs £2.99.", ex.DELIVERY_TIME, "3-5 days"),
        ("Your order will be on its way within 2 business days.", ex.DISPATCH_TIME, "2 business days"),
        ("Orders leave our Ohio facility within 24 hours.", ex.DISPATCH_TIME, "24 hours"),
        ("Expect your order within 3-5 business days.", ex.DELIVERY_TIME, "3-5 business days"),
        ("Your order will be with you in 2-3 days.", ex.DELIVERY_TIME, "2-3 days"),
    ],
)
def test_ranges_before_the_noun_and_the_order_as_subject(text: str, kind: str, value: str) -> None:
    assert _claims(text) == {(kind, "", value)}


def test_a_late_order_rule_is_not_a_second_dispatch_promise() -> None:
    assert _claims(
        "Orders placed by 1pm are dispatched the same day; later orders go out the next working day."
    ) == {
        (ex.DISPATCH_TIME, "", "same day"),
        (ex.ORDER_CUTOFF, "", "13:00"),
    }
    assert _claims("Orders usually ship the next business day.") == {
        (ex.DISPATCH_TIME, "", "next business day")
    }


@pytest.mark.parametrize(
    "text",
    [
        "Our next working day delivery is £5.99.",  # a service tier, not a promised duration
        "We'll send you a tracking email within 24 hours.",
        "Cancellations are processed within 24 hours.",
        "Expect a reply within 24 hours.",
        "Once your order leaves us, delivery is handled by UPS.",
        "You will receive a shipping confirmation email within 24 hours.",  # a message, not the parcel
        "If your order hasn't shipped within 5 business days, contact us.",  # when to complain
        # after "we ship with UPS", is "3-5 days" the transit or the dispatch? Left unread.
        "We ship via UPS Ground. It usually takes 3-5 business days.",
    ],
)
def test_times_of_other_things_or_of_unclear_kind_are_not_read(text: str) -> None:
    assert _claims(text) == set()


def test_abbreviations_end_no_sentence() -> None:
    assert [c.value for c in ex.extract_text("Tel. 0044 20 7946 0321") if c.kind == ex.PHONE] == [
        "+442079460321"
    ]
    (hours,) = [c for c in ex.extract_text("Support: Mon. - Fri. 9am-5pm ET") if c.kind == ex.SUPPORT_HOURS]
    assert hours.value == "mon-fri 09:00-17:00 ET"


# --- dispatch vs delivery, session 3 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "same or next" is a span from zero, not the next day alone
        ("We aim to ship same or next working day.", {(ex.DISPATCH_TIME, "", "0-1 business days")}),
        (
            "Your parcel goes out on the following business day.",
            {(ex.DISPATCH_TIME, "", "next business day")},
        ),
        # handing the parcel over to the carrier is its dispatch
        ("Parcels are handed over to the courier within 24 hours.", {(ex.DISPATCH_TIME, "", "24 hours")}),
        # a long subject between the cue and its value, in one clause
        (
            "Standard tracked delivery to every address within mainland Great Britain usually takes"
            " 2-4 working days.",
            {(ex.DELIVERY_TIME, "", "2-4 business days")},
        ),
        # a tier line under a label naming the kind: the label says which
        ("Dispatch time\nStandard delivery: 1-2 working days", {(ex.DISPATCH_TIME, "", "1-2 business days")}),
        (
            "Processing Time\nExpress Shipping: 24 hours",
            {(ex.DISPATCH_TIME, "express", "24 hours")},
        ),
        # cut-off in "UK time"
        (
            "Order by 1pm UK time for same-day dispatch.",
            {(ex.DISPATCH_TIME, "", "same day"), (ex.ORDER_CUTOFF, "", "13:00 UK")},
        ),
        # a label line whose value is written in words
        ("Delivery\nAllow three to five working days.", {(ex.DELIVERY_TIME, "", "3-5 business days")}),
    ],
)
def test_dispatch_and_delivery_wordings_read_by_structure(
    text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Backorders are usually fulfilled within 3 weeks.",  # an item's own lead time
        "Pre-orders are sent when stock comes in, normally within 4 weeks.",
        "Monogrammed towels ship in 5-7 business days.",
        "Made-to-measure curtains are dispatched within 3 weeks.",
        "Customs checks can add up to 10 days to delivery.",  # a delay added to a promise
        "Tracking can take 2 days to show the parcel as delivered.",  # the duration is the tracking's
        "Delivery questions sent by email are answered by our team within 2 business days.",
        "Orders placed at the weekend won't be processed until the following business day.",
    ],
)
def test_lead_times_delays_and_answers_are_not_dispatch_or_delivery(text: str) -> None:
    assert {c for c in _claims(text) if c[0] in (ex.DISPATCH_TIME, ex.DELIVERY_TIME)} == set()


def test_a_list_of_tiers_under_one_label_takes_the_label_for_every_line() -> None:
    assert _claims("Delivery Options\nStandard - 3-5 working days\nExpress - 1 working day") == {
        (ex.DELIVERY_TIME, "", "3-5 business days"),
        (ex.DELIVERY_TIME, "express", "1 business day"),
    }
    # a line of another topic ends nothing but is not read as a tier of the label
    assert _claims("Delivery\nStandard: 2-4 days\nWarranty: 2 years") == {
        (ex.DELIVERY_TIME, "", "2-4 days"),
        (ex.WARRANTY, "", "2 years"),
    }


def test_a_cue_after_one_duration_is_not_the_cue_of_the_next() -> None:
    assert _claims("Allow 2 working days to pack your order and 4-6 working days for delivery.") == {
        (ex.DISPATCH_TIME, "", "2 business days"),
        (ex.DELIVERY_TIME, "", "4-6 business days"),
    }


# --- session 4: regions, named carriers, bracketed tier times, booked services, cut-off look-alikes ---


@pytest.mark.parametrize(
    "text",
    [
        "Orders to Alaska and Hawaii arrive in 7-10 business days.",
        "Canada: 2-6 weeks",
        "Rural addresses may take up to 5 business days for delivery.",
        "Deliveries to the Scottish Highlands take 3-5 working days.",
        "Canadian orders arrive within 5-10 business days.",
        "Alaska and Hawaii orders ship within 3 business days.",
        "APO/FPO orders can take up to 6 weeks to arrive.",
        "Hawaii, Alaska, Puerto Rico\nOrders arrive within 2 business days.",
        "Shipping to Canada\nOrders arrive in 5-10 business days.",
    ],
)
def test_a_time_for_a_region_with_no_key_is_not_the_default_time(text: str) -> None:
    assert {c for c in _claims(text) if c[0] in (ex.DISPATCH_TIME, ex.DELIVERY_TIME)} == set()


def test_the_shops_own_country_and_the_default_part_of_a_sentence_stay_default() -> None:
    assert _claims("Orders within the US arrive in 3-5 business days.") == {
        (ex.DELIVERY_TIME, "", "3-5 business days")
    }
    assert _claims("Delivery to UK mainland addresses takes 2-3 working days.") == {
        (ex.DELIVERY_TIME, "", "2-3 business days")
    }
    # the region limits only its own part of the sentence
    assert _claims(
        "Delivery takes 3-5 business days within the contiguous US and 7-10 business days to Alaska."
    ) == {(ex.DELIVERY_TIME, "", "3-5 business days")}
    # the shop's country comes from the `region` option: Australia is home to an Australian shop
    text = "Orders across Australia arrive in 2-6 business days."
    assert ex.extract_text(text, region="US") == []
    assert [(c.kind, c.value) for c in ex.extract_text(text, region="AU")] == [
        (ex.DELIVERY_TIME, "2-6 business days")
    ]
    # a brand or a menu entry over a sentence is no region; a capitalised sort of order is no place
    assert _claims("Harbor Goods\nOrders arrive in 3-5 business days.") == {
        (ex.DELIVERY_TIME, "", "3-5 business days")
    }
    assert _claims("Bulk orders arrive in 3 days.") == {(ex.DELIVERY_TIME, "", "3 days")}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Orders are handed over to Royal Mail within 24 hours.", "24 hours"),
        ("We hand your parcel to DHL within 1 business day.", "1 business day"),
        ("Your parcel is collected by DPD within 2 working days.", "2 business days"),
        ("We pass your order to Parcelforce within 2 working days.", "2 business days"),
    ],
)
def test_a_handover_to_a_named_carrier_is_a_dispatch_time(text: str, value: str) -> None:
    assert _claims(text) == {(ex.DISPATCH_TIME, "", value)}


def test_a_bracketed_tier_time_does_not_hide_the_free_shipping_threshold() -> None:
    assert _claims("Standard delivery (2-4 working days) is free over £40.") == {
        (ex.DELIVERY_TIME, "", "2-4 business days"),
        (ex.THRESHOLD, "", "GBP 40.00"),
    }


def test_a_time_counted_from_dispatch_is_a_delivery_time() -> None:
    assert _claims("Allow 2-3 working days after dispatch.") == {(ex.DELIVERY_TIME, "", "2-3 business days")}
    assert _claims("Once dispatched, allow 2-3 working days from despatch.") == {
        (ex.DELIVERY_TIME, "", "2-3 business days")
    }


@pytest.mark.parametrize(
    "text",
    [
        "Two-man delivery: please allow up to 10 days; our delivery partner will call you to book a date.",
        "Sofas come by two-person delivery within 10-14 days, booked in by phone.",
        "Once your furniture is ready, we'll contact you to arrange delivery within 2 weeks.",
        "You'll get a call 2-3 days before your delivery date with a 3-hour window.",
        "Choosing next-day shipping does not get an out-of-stock item to you the next day.",
        "Please allow 10 days for your refund to appear.",
    ],
)
def test_booked_services_notices_negations_and_refunds_are_no_delivery_time(text: str) -> None:
    assert {c for c in _claims(text) if c[0] in (ex.DISPATCH_TIME, ex.DELIVERY_TIME)} == set()


def test_a_qualifier_word_inside_the_value_names_no_tier() -> None:
    assert _claims("Most orders ship the same or next day.") == {(ex.DISPATCH_TIME, "", "0-1 days")}


@pytest.mark.parametrize(
    "text",
    [
        "Same-day collection orders must be placed by 11am.",
        "Order by 1pm for same-day Click & Collect from 4pm.",
        "The cut-off time for same-day pickup is 12:00 PM.",
        "Our customer service team is here until 5pm today if you need to change your order.",
    ],
)
def test_collection_pickup_and_support_hours_are_no_dispatch_cutoff(text: str) -> None:
    assert {c for c in _claims(text) if c[0] == ex.ORDER_CUTOFF} == set()


def test_a_deadline_for_shipping_orders_is_a_cutoff_and_a_carrier_collection_is_dispatch() -> None:
    assert _claims("Our daily deadline for shipping orders is 14:00 on a working day.") == {
        (ex.ORDER_CUTOFF, "", "14:00")
    }
    assert _claims("Your parcel is collected by DPD the same working day if you order before noon.") == {
        (ex.DISPATCH_TIME, "", "same day"),
        (ex.ORDER_CUTOFF, "", "12:00"),
    }


def test_today_is_a_same_day_promise_only_after_an_order_cutoff() -> None:
    assert _claims("Orders placed by 2pm GMT are dispatched that day.") == {
        (ex.DISPATCH_TIME, "", "same day"),
        (ex.ORDER_CUTOFF, "", "14:00 GMT"),
    }
    assert _claims("Your order shipped today.") == set()  # a status, not a promise
    assert _claims("If you are not home that day, the courier will deliver to a neighbour.") == set()
    assert _claims("Order within 9 hrs 41 mins for dispatch today.") == set()  # a countdown, no time stated
    assert _claims("Most customers receive their order within a week.") == {(ex.DELIVERY_TIME, "", "1 week")}


def test_a_pattern_is_read_with_its_shops_region() -> None:
    # "within Australia" is home to an Australian shop and a place with no key to a US one
    au = [r for r in DEV if r.region == "AU" and "within Australia" in r.text and r.expected]
    assert au
    for row in au:
        assert cc.extracted(row.text, "AU") == row.expected
        assert cc.extracted(row.text, "US") != row.expected
