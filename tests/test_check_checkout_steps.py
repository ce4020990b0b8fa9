"""The checkout_steps check, judged as a pure function on scripted journeys."""

from __future__ import annotations

import pytest
from cx_auditor.checks.checkout_steps import CheckoutStepsCheck
from cx_auditor.models import Severity, Status
from cx_auditor.runner import run_check

from tests.artifact_factory import JourneyBuilder, artifacts, form_field

SHIPPING = ["first_name", "last_name", "address", "city", "postcode", "country"]
PAYMENT = ["card_number", "expiry", "cvc", "name_on_card"]


def req(name, **kwargs):
    return form_field(name, required=True, **kwargs)


def checkout(
    channel="desktop",
    *,
    run_index=0,
    account_page=None,
    extra_shipping=(),
    extra_pages=(),
    fail_at=None,
    order_placed=False,
):
    """A guest checkout like the demo store's: home, product, then cart -> email -> shipping ->
    method -> payment -> review (6 steps, Baymard counting), plus optional variations."""
    j = JourneyBuilder("purchase", channel, run_index=run_index)
    j.page("/", label="Home")
    j.page("/product/boots", label="Product", action="click")
    j.page(
        "/cart", label="Cart", action="click", title="Your cart", fields=[form_field("qty", type="number")]
    )
    j.page(
        "/checkout/email",
        label="Email",
        action="click",
        fields=[req("email", type="email", filled=True), form_field("q", type="search")],
        text="Checkout as guest. Already have an account? Sign in.",
        screenshot=f"{channel}-email.jpg",
    )
    j.act("fill", "Type email", keypresses=16)
    if account_page is not None:
        j.page(
            "/checkout/account",
            label="Create account",
            action="click",
            screenshot=f"{channel}-account.jpg",
            **account_page,
        )
    if fail_at == "shipping":
        j.fail("Continue to shipping", "Timeout 5000ms waiting for button#continue", screenshot="fail.jpg")
        return j.build()
    fields = [req(n, filled=True) for n in SHIPPING] + [req(n) for n in extra_shipping]
    j.page(
        "/checkout/shipping",
        label="Shipping",
        action="click",
        fields=fields,
        screenshot=f"{channel}-ship.jpg",
    )
    j.act("fill", "Type address", keypresses=60)
    for path, label in extra_pages:
        j.page(path, label=label, action="click", screenshot=f"{channel}-extra.jpg")
    j.page(
        "/checkout/method",
        label="Delivery method",
        action="click",
        fields=[form_field("method", type="radio"), form_field("method", type="radio")],
    )
    j.act("check", "Pick standard", clicks=1)
    j.page(
        "/checkout/payment", label="Payment", action="click", fields=[req(n, filled=True) for n in PAYMENT]
    )
    j.act("fill", "Type card", keypresses=30)
    j.page("/checkout/review", label="Review", action="click")
    j.place_order(skipped=not order_placed)
    if order_placed:
        j.page("/checkout/confirmation", label="Confirmation", action="click")
    return j.build()


def judge(*journeys, **options):
    visits = [v for vs, _ in journeys for v in vs]
    outcomes = [o for _, o in journeys]
    return run_check(CheckoutStepsCheck(), artifacts(visits, outcomes), options)


def by_rule(result, rule):
    return [f for f in result.findings if f.rule == rule]


def table(result, title):
    [found] = [d for d in result.details if d.title == title]
    return found.rows


def channel_metrics(result, channel="desktop", journey="purchase"):
    """What the check publishes for one journey on one channel: its typed values by name,
    its row of the journeys table, and the steps and fields it counted."""

    def mine(row):
        return row["journey"] == journey and row["channel"] == channel

    [row] = [r for r in table(result, "Checkout journeys") if mine(r)]
    return {
        **{
            v.name: v.value for v in result.values if (v.scope.journey, v.scope.channel) == (journey, channel)
        },
        **row,
        "step_pages": [r for r in table(result, "Checkout steps counted") if mine(r)],
        "field_list": [r for r in table(result, "Checkout fields counted") if mine(r)],
    }


# -- the clean path ----------------------------------------------------------------


def test_clean_checkout_counts_six_steps_and_does_not_fail_or_warn():
    result = judge(checkout())
    m = channel_metrics(result)
    assert [p["path"] for p in m["step_pages"]] == [
        "/cart",
        "/checkout/email",
        "/checkout/shipping",
        "/checkout/method",
        "/checkout/payment",
        "/checkout/review",
    ]
    assert m["steps"] == 6 and m["completed"] and m["guest_checkout"]
    assert result.status == Status.PASS
    assert {f.severity for f in result.findings} <= {Severity.INFO}
    assert result.score > 80


def test_fields_are_deduplicated_and_search_quantity_excluded():
    m = channel_metrics(judge(checkout()))
    # email 1 + shipping 6 + one radio group + payment 4; qty and the search box are not checkout fields
    assert m["fields"] == 12
    assert m["required_fields"] == 11
    assert m["filled_fields"] == 11
    assert {f["name"] for f in m["field_list"]} >= {"email", "method", "card_number"}
    assert not {"q", "qty"} & {f["name"] for f in m["field_list"]}


def test_effort_sums_only_the_cart_to_review_span():
    m = channel_metrics(judge(checkout()))
    # clicks: the 6 navigating clicks landing on cart..review + the radio; none from home/product
    assert m["clicks"] == 7
    assert m["keypresses"] == 16 + 60 + 30
    assert m["time_ms"] == pytest.approx(6 * 1000 + 4 * 200)  # skipped order step excluded


def test_confirmation_page_is_not_a_step():
    m = channel_metrics(judge(checkout(order_placed=True)))
    assert m["steps"] == 6 and m["step_pages"][-1]["path"] == "/checkout/review"


def test_first_completed_run_is_used():
    broken = checkout(fail_at="shipping", run_index=0)
    good = checkout(run_index=1)
    result = judge(broken, good)
    m = channel_metrics(result)
    assert m["run_index"] == 1 and m["completed"] and m["runs"] == 2 and m["completed_runs"] == 1
    assert not by_rule(result, "checkout-incomplete")


# -- forced account ------------------------------------------------------------------

ACCOUNT = {
    "fields": [
        req("password", type="password"),
        req("password_confirm", type="password", label="Confirm password"),
    ],
    "text": "Create an account to continue.",
}


def test_forced_account_is_a_fail_naming_the_step():
    result = judge(checkout(account_page=ACCOUNT))
    [f] = by_rule(result, "forced-account")
    assert f.severity == Severity.FAIL and result.status == Status.FAIL
    assert f.url.endswith("/checkout/account") and "Create account" in f.message
    assert "Confirm password" in f.message and f.screenshot == "desktop-account.jpg"
    assert not channel_metrics(result)["guest_checkout"]


def test_account_page_with_guest_option_is_not_forced():
    offered = {**ACCOUNT, "text": "Create an account to continue, or continue as a guest."}
    result = judge(checkout(account_page=offered))
    assert not by_rule(result, "forced-account")
    assert channel_metrics(result)["guest_checkout"]


def test_guest_checkout_explicitly_unavailable_is_forced():
    refused = {"fields": [], "text": "Sign in to continue. Guest checkout is not available."}
    [f] = by_rule(judge(checkout(account_page=refused)), "forced-account")
    assert "Guest checkout is not available" in f.evidence["text"]


def test_forced_account_can_be_downgraded_to_warn():
    result = judge(checkout(account_page=ACCOUNT), forbid_forced_account=False)
    assert [f.severity for f in by_rule(result, "forced-account")] == [Severity.WARN]


def test_forced_account_costs_score():
    assert judge(checkout(account_page=ACCOUNT)).score <= judge(checkout()).score - 40


# -- fields --------------------------------------------------------------------------

EXTRA = ["company", "date_of_birth", "alt_phone", "how_did_you_hear", "fax"]


def test_unnecessary_required_fields_are_named():
    result = judge(checkout(extra_shipping=EXTRA))
    [f] = by_rule(result, "unnecessary-fields")
    assert f.severity == Severity.WARN and f.url.endswith("/checkout/shipping")
    for label in ("Company", "Date Of Birth", "Fax", "How Did You Hear", "Alt Phone"):
        assert label in f.message
    assert f.screenshot == "desktop-ship.jpg"


def test_fields_above_max_fail_and_above_target_inform():
    many = [f"extra_{i}" for i in range(10)]  # 12 + 10 = 22 > 20
    [f] = by_rule(judge(checkout(extra_shipping=many)), "too-many-fields")
    assert f.severity == Severity.FAIL and f.evidence["fields"] == 22
    assert "Most on /checkout/shipping" in f.message and "Extra 3" in f.message
    [f] = by_rule(judge(checkout(extra_shipping=many[:3])), "too-many-fields")
    assert f.severity == Severity.INFO and f.evidence["fields"] == 15


def test_more_fields_score_lower_smoothly():
    scores = [judge(checkout(extra_shipping=[f"x{i}" for i in range(n)])).score for n in (0, 2, 4, 8, 16)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


# -- steps and options -------------------------------------------------------------


def test_steps_over_max_fail():
    extra = [("/checkout/a", "A"), ("/checkout/b", "B")]  # 8 steps > 7
    [f] = by_rule(judge(checkout(extra_pages=extra)), "too-many-steps")
    assert f.severity == Severity.FAIL and f.evidence["steps"] == 8 and "/checkout/b" in f.message


def test_options_override_targets():
    result = judge(checkout(), target_steps=3, max_steps=4, target_fields=5, max_fields=10)
    assert [f.severity for f in by_rule(result, "too-many-steps")] == [Severity.FAIL]
    assert [f.severity for f in by_rule(result, "too-many-fields")] == [Severity.FAIL]
    relaxed = judge(checkout(), target_steps=6, target_fields=12)
    assert relaxed.findings == [] and relaxed.score == 100


def test_invalid_options_are_an_error():
    result = judge(checkout(), target_steps=9, max_steps=7)
    assert result.status == Status.ERROR and "target_steps" in result.error


# -- channels ------------------------------------------------------------------------


def test_mobile_extra_step_is_named_against_desktop():
    desktop = checkout("desktop")
    mobile = checkout("mobile", extra_pages=[("/checkout/confirm-address", "Confirm your address")])
    result = judge(desktop, mobile)
    [f] = by_rule(result, "channel-extra-steps")
    assert f.channel == "mobile" and f.severity == Severity.WARN
    assert "/checkout/confirm-address" in f.message and "Confirm your address" in f.message
    assert "desktop" in f.message and f.screenshot == "mobile-extra.jpg"
    assert channel_metrics(result, "mobile")["steps"] == 7


def test_mobile_extra_fields_are_named():
    result = judge(checkout("desktop"), checkout("mobile", extra_shipping=["phone"]))
    [f] = by_rule(result, "channel-extra-fields")
    assert f.channel == "mobile" and "Phone (/checkout/shipping)" in f.message


def test_equal_channels_give_no_comparison_finding():
    result = judge(checkout("desktop"), checkout("mobile"), checkout("tablet"))
    assert not by_rule(result, "channel-extra-steps") and not by_rule(result, "channel-extra-fields")
    assert {v.scope.channel for v in result.values if v.scope.journey == "purchase"} == {
        "desktop",
        "mobile",
        "tablet",
    }


# -- broken journeys -----------------------------------------------------------------


def test_incomplete_journey_fails_with_step_and_error():
    result = judge(checkout(fail_at="shipping"))
    [f] = by_rule(result, "checkout-incomplete")
    assert f.severity == Severity.FAIL
    assert "Continue to shipping" in f.message and "Timeout 5000ms" in f.message
    assert f.screenshot == "fail.jpg" and f.url.endswith("/checkout/email")
    assert f.evidence["failed_step"]["index"] == 5
    assert result.score == 0 and not channel_metrics(result)["completed"]


def test_incomplete_fingerprint_is_stable_across_runs():
    a = by_rule(judge(checkout(fail_at="shipping", run_index=0)), "checkout-incomplete")[0]
    b = by_rule(judge(checkout(fail_at="shipping", run_index=3)), "checkout-incomplete")[0]
    assert a.fingerprint == b.fingerprint


def test_no_checkout_journey_is_skipped():
    visits, outcome = checkout()
    outcome.checkout = False
    result = run_check(CheckoutStepsCheck(), artifacts(visits, [outcome]))
    assert result.status == Status.SKIPPED and result.score is None


# -- single-page checkout ------------------------------------------------------------


def test_single_page_checkout_counts_snapshot_stages():
    j = JourneyBuilder("purchase")
    j.page("/product/boots", label="Product")
    j.page("/cart", label="Cart", action="click", title="Your cart")
    j.page("/checkout", label="Checkout", action="click", fields=[req("email")], title="Checkout")
    j.page(
        "/checkout",
        label="Address stage",
        action="snapshot",
        status=None,
        fields=[req("email"), req("address")],
    )
    j.page(
        "/checkout",
        label="Address again",
        action="snapshot",
        status=None,
        fields=[req("email"), req("address")],
    )
    j.page("/checkout", label="Payment stage", action="snapshot", status=None, fields=[req("card_number")])
    j.page("/checkout", label="Review stage", action="snapshot", status=None, title="Review your order")
    j.place_order()
    m = channel_metrics(judge(j.build()))
    assert [p["label"] for p in m["step_pages"]] == [
        "Cart",
        "Checkout",
        "Address stage",
        "Payment stage",
        "Review stage",
    ]
    assert m["steps"] == 5
    assert m["fields"] == 3  # email, address, card_number: deduplicated by path + name


def test_span_starts_at_cart_not_at_a_bags_category():
    j = JourneyBuilder("purchase")
    j.page("/category/bags", label="Bags", title="Weekender Bag and friends")
    j.page("/product/weekender-bag", label="Product", action="click", title="Weekender Bag")
    j.page("/basket", label="Basket", action="click")
    j.page("/checkout/review", label="Review", action="click")
    j.place_order()
    m = channel_metrics(judge(j.build()))
    assert [p["path"] for p in m["step_pages"]] == ["/basket", "/checkout/review"] and m["span_found"]


# -- the order-placing step, inspected without clicking (issue 13, item 8) ------------


@pytest.mark.parametrize(
    ("matches", "visible", "enabled", "words"),
    [(0, 0, None, "missing"), (2, 0, None, "not visible"), (1, 1, False, "disabled")],
)
def test_an_unusable_order_button_is_a_fail_not_a_silent_skip(matches, visible, enabled, words):
    visits, outcome = checkout()
    order = outcome.steps[-1]
    assert order.places_order and order.skipped
    order.target = "#place-order"
    order.target_matches, order.target_visible, order.target_enabled = matches, visible, enabled
    order.order_target_ready = False
    result = judge((visits, outcome))
    [f] = by_rule(result, "order-button-unusable")
    assert f.severity == Severity.FAIL and result.status == Status.FAIL
    assert words in f.message and f.evidence["target"] == "#place-order"
    assert f.evidence["matches"] == matches and f.channel == "desktop"


def test_a_usable_or_uninspected_order_button_is_no_finding():
    for ready in (True, None):  # None: older artifacts, or the order was really placed
        visits, outcome = checkout()
        outcome.steps[-1].order_target_ready = ready
        assert not by_rule(judge((visits, outcome)), "order-button-unusable")
