"""The SPA demo store audited end to end with its shipped config and today's collector.

Kept apart from ``test_spa_demo.py``: that module holds a sync Playwright browser
open for its tests, and an audit runs its own event loop, which cannot start
inside another one.
"""

from __future__ import annotations

from typing import Any

import pytest
from cx_auditor.demo import DemoStore
from cx_auditor.demo_config import demo_config


@pytest.fixture(scope="module", params=["clean", "flawed"])
def spa_audit(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, browser_ok: None
) -> Any:
    """The SPA demo audited once per variant with its shipped config and today's collector."""
    from cx_auditor.pipeline import AuditOptions, audit

    out = tmp_path_factory.mktemp(f"spa-{request.param}")
    with DemoStore(request.param, spa=True) as store:
        cfg = demo_config(store.url, request.param, work_dir=out, spa=True)
        result = audit(cfg, AuditOptions(out=out, history=str(out / "history.db")))
        orders = list(store.app.orders)  # type: ignore[union-attr]
    return request.param, result, orders


@pytest.mark.browser
def test_spa_journeys_reach_checkout_review_on_desktop_and_mobile(spa_audit: Any) -> None:
    variant, result, orders = spa_audit
    journeys = result.artifacts.journeys
    assert {(j.channel, j.journey) for j in journeys} == {
        (c, j) for c in ("desktop", "mobile") for j in ("purchase", "browse-and-help")
    }
    assert all(j.completed and j.failed_step is None for j in journeys), [j.error for j in journeys]
    reviews = [v for v in result.artifacts.visits if v.url.endswith("/checkout/review")]
    assert {v.channel for v in reviews} == {"desktop", "mobile"}
    assert all("Place order" in v.text for v in reviews)
    purchase = next(j for j in journeys if j.journey == "purchase")
    assert purchase.steps[-1].places_order and purchase.steps[-1].skipped and orders == []
    # One document title for every route: the SPA trait the store is there to present.
    assert len({v.title for v in result.artifacts.visits}) == 1


@pytest.mark.browser
def test_spa_cart_defects_found_and_clean_has_no_fail(spa_audit: Any) -> None:
    variant, result, _ = spa_audit
    steps = result.scorecard.result("checkout_steps")
    cart_rules = {f.rule for f in steps.findings if f.rule.startswith("cart-")}
    if variant == "clean":
        fails = [
            f"{r.check}:{f.rule}"
            for r in result.scorecard.results
            for f in r.findings
            if f.severity.value == "fail"
        ]
        assert fails == [] and cart_rules == set()
        assert (
            steps.values_named("carts_checked")[0].value >= 2
        )  # "Item total" / "Order total" carts are read
    else:
        # spa-cart-subtotal-ignores-quantity and spa-cart-total-ignores-discount
        assert cart_rules == {"cart-lines-vs-subtotal", "cart-total-arithmetic"}


# How each SPA journey_health defect shows up (spa-place-order-throws needs --allow-orders:
# see tests/test_e2e_demo.py::test_final_button_is_judged_when_orders_are_allowed).
SPA_JOURNEY_DETECTORS = {
    "spa-dead-add-to-cart": lambda f: f.rule == "add-to-cart-no-effect" and "CAM-1003" in (f.url or ""),
    "spa-wrong-product-link": lambda f: (
        f.rule == "wrong-product-opened" and "Lakeside Folding Camp Chair" in f.message
    ),
    "spa-contact-field-mirror": lambda f: f.rule == "fill-not-kept" and "#c-name" in f.message,
    "spa-help-script-error": lambda f: f.rule == "uncaught-exception" and "/help" in (f.url or ""),
    "spa-recommendations-500": lambda f: (
        f.rule == "failed-request" and "/api/recommendations" in f.message and f.evidence["status"] == 500
    ),
    "spa-placeholder-product-images": lambda f: (
        f.rule == "shared-product-image" and "placeholder" in f.message
    ),
}


def _path(f: Any) -> str:
    from urllib.parse import urlsplit

    return urlsplit(f.url or "").path


#: How each seeded SPA defect shows up in the scorecard (journey_health ones are found by
#: tests/test_check_journey_health_browser.py once the recorder is wired into the collector).
SPA_DETECTORS: dict[str, tuple[str, Any]] = {
    "spa-listing-price-mismatch": (
        "messaging_consistency",
        lambda f: f.rule == "inconsistent-price" and "$89.00" in f.message and "$94.00" in f.message,
    ),
    "spa-structured-data-price": (
        "messaging_consistency",
        lambda f: f.rule == "structured-data-price" and "49.00" in f.message and "54.00" in f.message,
    ),
    "spa-structured-data-returns": (
        "messaging_consistency",
        lambda f: f.rule == "structured-data-return-days" and "14 days" in f.message,
    ),
    "spa-mobile-product-shift": (
        "load_time",
        lambda f: (
            f.rule == "cls"
            and f.channel == "mobile"
            and f.severity.value == "fail"
            and _path(f).startswith("/product/")
        ),
    ),
    "spa-slow-product-api": (
        "load_time",
        lambda f: f.rule == "lcp" and f.channel == "desktop" and _path(f).startswith("/product/"),
    ),
    "spa-cart-subtotal-ignores-quantity": ("checkout_steps", lambda f: f.rule == "cart-lines-vs-subtotal"),
    "spa-cart-total-ignores-discount": ("checkout_steps", lambda f: f.rule == "cart-total-arithmetic"),
    "spa-contact-soft-404": (
        "support_reachability",
        lambda f: f.rule == "broken-help-link" and f.severity.value == "fail" and "/contact-us" in f.message,
    ),
}


def test_every_spa_journey_defect_has_a_detector() -> None:
    from cx_auditor.demo import SPA_DEFECTS

    ids = {d.id for d in SPA_DEFECTS if d.check == "journey_health"}
    assert ids == set(SPA_JOURNEY_DETECTORS) | {"spa-place-order-throws"}


@pytest.mark.browser
def test_spa_journey_health_defects_found_on_both_channels(spa_audit: Any) -> None:
    variant, result, _ = spa_audit
    health = result.scorecard.result("journey_health")
    assert health is not None and health.status.value != "error"
    if variant == "clean":
        assert (
            health.status.value in ("pass", "warn")
            and health.values_named("steps_with_effects")[0].value > 40
        )
        return
    for defect, matches in SPA_JOURNEY_DETECTORS.items():
        channels = {f.channel for f in health.findings if matches(f) and f.severity.value == "fail"}
        assert channels == {"desktop", "mobile"}, (defect, [f.message[:120] for f in health.findings])


def test_every_spa_defect_but_journey_health_has_a_detector() -> None:
    from cx_auditor.demo.defects import SPA_DEFECTS

    wanted = {d.id for d in SPA_DEFECTS if d.check != "journey_health"}
    assert wanted == set(SPA_DETECTORS)


@pytest.mark.browser
def test_spa_flawed_defects_are_found_and_clean_has_none_of_them(spa_audit: Any) -> None:
    variant, result, _ = spa_audit
    found = {
        defect
        for defect, (check, matches) in SPA_DETECTORS.items()
        if any(matches(f) for f in result.scorecard.result(check).findings)
    }
    if variant == "flawed":
        assert found == set(SPA_DETECTORS), sorted(set(SPA_DETECTORS) - found)
    else:
        assert found == set()


@pytest.mark.browser
def test_spa_route_changes_are_soft_visits_with_their_own_windows(spa_audit: Any) -> None:
    variant, result, _ = spa_audit
    visits = result.artifacts.visits
    soft = [v for v in visits if v.navigation == "soft" and v.id.split("-")[0] in ("desktop", "mobile")]
    paths = {v.url.split("/", 3)[-1] for v in soft}
    assert {"cart", "checkout/review"} <= paths and any(p.startswith("product/") for p in paths)
    assert any(p.startswith("contact") for p in paths)  # /contact-us in the flawed store
    for v in soft:
        # Not applicable to an in-app route change, never inherited from the first load.
        assert v.timings.ttfb_ms is None and v.timings.fcp_ms is None and v.status is None
        assert not any(r.type == "document" for r in v.resources)
    measured = [v for v in soft if v.timings.lcp_ms is not None]
    assert measured, "soft visits measure their own LCP"
    products = [v for v in measured if "/product/" in v.url]
    # The product API answers after 2.8 s in the flawed store only: its LCP is the view's own.
    if variant == "flawed":
        assert all(v.timings.lcp_ms > 2500 for v in products)
        mobile_cls = [v.timings.cls for v in products if v.channel == "mobile"]
        # The late image's shift is the product view's own (0.43 when the view is read after it
        # landed; a view read before it landed on a starved machine shows 0, never another page's).
        assert any(c is not None and c > 0.25 for c in mobile_cls), mobile_cls
    else:
        assert all(v.timings.lcp_ms < 2500 for v in products)
        assert all((v.timings.cls or 0) <= 0.1 for v in soft)
