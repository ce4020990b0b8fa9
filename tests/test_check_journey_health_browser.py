"""journey_health end to end: the demo store driven through the step-effects recorder in Chromium.

The flawed variant runs with its journey_health defects switched on (the other checks'
defects add steps and delays these journeys do not need); every one must be found from
the recorded artifacts. The clean variant, walked the same way, must give no ``fail``.
The recorded step records are also compared with the hand-written fixture the unit tests
use, so the fixture cannot drift away from what the recorder really writes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cx_auditor.checks.journey_health import JourneyHealthCheck
from cx_auditor.demo import SEEDED_DEFECTS, DemoStore
from cx_auditor.models import Artifacts, CheckResult, Finding

from tests.journey_harness import HJourney, HStep, run_journeys, serve

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent / "fixtures" / "journey_health" / "flawed.json"
JOURNEY_DEFECTS = [d.id for d in SEEDED_DEFECTS if d.check == "journey_health"]

SHOP = HJourney(
    "shop",
    [
        HStep("goto", "/", label="Home"),
        HStep("click", "[data-testid=category-tile] >> nth=0", label="Open a category"),
        HStep("click", "[data-testid=product-card] >> nth=3", label="Open the fourth product"),
        HStep("goto", "/product/CAM-1003", label="Open the camp stove"),
        HStep("click", "[data-testid=add-to-cart]", label="Add to cart", expect={"cart_count_change": 1}),
        HStep("goto", "/search?q=tent", label="Search"),
        HStep("goto", "/contact", label="Contact"),
        HStep("fill", "input[name=name]", "Alex Rivera"),
        HStep("fill", "input[name=email]", "alex@example.com"),
    ],
)
CHECKOUT = HJourney(
    "purchase",
    [
        HStep("goto", "/product/CAM-1001", label="Open a product"),
        HStep("click", "[data-testid=add-to-cart]", label="Add to cart"),
        HStep("click", "[data-testid=checkout]", label="Go to checkout"),
        HStep("fill", "input[name=email]", "shopper@example.com"),
        HStep("click", "[data-testid=continue]", label="Continue from email"),
        HStep("fill", "input[name=full_name]", "Alex Rivera"),
        HStep("fill", "input[name=address1]", "12 Harbour Street"),
        HStep("fill", "input[name=city]", "Portland"),
        HStep("fill", "input[name=postal_code]", "97201"),
        HStep("select", "select[name=country]", "US"),
        HStep("click", "[data-testid=continue]", label="Continue from shipping"),
        HStep("click", "[data-testid=continue]", label="Continue from delivery method"),
        HStep("fill", "input[name=card_number]", "4242 4242 4242 4242"),
        HStep("fill", "input[name=expiry]", "12/30"),
        HStep("fill", "input[name=cvc]", "123"),
        HStep("fill", "input[name=card_name]", "Alex Rivera"),
        HStep("click", "[data-testid=continue]", label="Continue from payment"),
        HStep("click", "[data-testid=place-order]", label="Place order", places_order=True),
    ],
    checkout=True,
)

CONFIG = HJourney(
    "config",
    [
        HStep("goto", "/help", label="Help"),
        HStep("click", "#chat-with-a-human", label="Chat with a human", timeout_ms=500),
    ],
)

Matcher = Callable[[Finding], bool]
DETECTORS: dict[str, Matcher] = {
    "dead-add-to-cart": lambda f: f.rule == "add-to-cart-no-effect" and "/product/CAM-1003" in (f.url or ""),
    "wrong-product-link": lambda f: (
        f.rule == "wrong-product-opened" and "Lakeside Folding Camp Chair" in f.message
    ),
    "contact-field-mirror": lambda f: f.rule == "fill-not-kept" and "#c-name" in f.message,
    "search-script-error": lambda f: f.rule == "uncaught-exception" and "/search" in (f.url or ""),
    "cart-recommendations-500": lambda f: (
        f.rule == "failed-request" and "/api/recommendations" in f.message and f.evidence["status"] == 500
    ),
    "placeholder-product-images": lambda f: f.rule == "shared-product-image" and "placeholder" in f.message,
    "place-order-throws": lambda f: f.rule == "journey-broken-by-site" and "threw" in f.message,
}


def _audit(variant: str) -> tuple[Artifacts, CheckResult]:
    defects = JOURNEY_DEFECTS if variant == "flawed" else None
    with DemoStore(variant, defects=defects) as store:
        arts = asyncio.run(run_journeys(store.url, [SHOP, CHECKOUT, CONFIG]))
    arts = Artifacts.model_validate_json(arts.model_dump_json())
    return arts, JourneyHealthCheck().run(arts, {})


@pytest.fixture(scope="module")
def flawed(browser_ok: None) -> tuple[Artifacts, CheckResult]:
    return _audit("flawed")


@pytest.fixture(scope="module")
def clean(browser_ok: None) -> tuple[Artifacts, CheckResult]:
    return _audit("clean")


def test_every_journey_defect_has_a_detector() -> None:
    assert set(JOURNEY_DEFECTS) == set(DETECTORS)


@pytest.mark.parametrize("defect", JOURNEY_DEFECTS)
def test_flawed_defect_is_found(flawed: tuple[Artifacts, CheckResult], defect: str) -> None:
    _, result = flawed
    hits = [f for f in result.findings if DETECTORS[defect](f)]
    seen = "; ".join(f"{f.rule}: {f.message[:100]}" for f in result.findings)
    assert hits, f"{defect} not found; findings: {seen}"
    assert all(h.severity.value == "fail" for h in hits)


def test_flawed_journey_outcomes_and_score(flawed: tuple[Artifacts, CheckResult]) -> None:
    _, result = flawed
    assert result.status.value == "fail" and result.score is not None and result.score < 50
    assert result.findings[0].rule.startswith("journey-")  # outcomes first
    [table] = [d for d in result.details if d.title == "Journey outcomes"]
    outcomes = {o["journey"]: o["outcome"] for o in table.rows}
    assert outcomes == {"shop": "completed", "purchase": "broken-by-site", "config": "config-problem"}


def test_clean_store_has_no_fail(clean: tuple[Artifacts, CheckResult]) -> None:
    arts, result = clean
    fails = [f for f in result.findings if f.severity.value == "fail"]
    assert not fails, "\n".join(f"{f.rule}: {f.message}" for f in fails)
    assert [j.completed for j in arts.journeys] == [True, True, False]
    counts = {v.name: v.value for v in result.values if v.scope.level == "run"}
    assert counts["steps_with_effects"] >= 20 and counts["journeys_broken_by_site"] == 0
    (config,) = [f for f in result.findings if f.rule == "journey-config-problem"]
    assert (
        "'#chat-with-a-human' matched nothing on /help" in config.message and config.severity.value == "warn"
    )


def _keys(value: object) -> set[str]:
    """Dotted key paths of a JSON value (list items merged)."""
    out: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            out |= {f"{k}.{sub}" for sub in _keys(v)}
    elif isinstance(value, list):
        for item in value:
            out |= _keys(item)
    return out


# What the demo store never shows (an image without dimensions, a message that blocks a
# form), on a page of its own, so every key of the unit fixture is seen recorded.
EXTRA_PAGE = (
    "<!doctype html><title>Extra</title><main><h1>Delivery</h1><img src='/i.svg'>"
    "<input id='zip' name='zip'><button id='go' type='button'>Check postcode</button>"
    "<script>document.getElementById('go').addEventListener('click', () => {"
    " const p = document.createElement('p'); p.setAttribute('role', 'alert');"
    " p.textContent = 'Enter a valid postcode'; document.querySelector('main').append(p); });</script></main>"
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30"/></svg>'


def test_the_unit_fixture_has_the_recorders_shape(flawed: tuple[Artifacts, CheckResult]) -> None:
    arts, _ = flawed
    with serve({"/v": (200, "text/html", EXTRA_PAGE), "/i.svg": (200, "image/svg+xml", SVG)}) as base:
        extra = asyncio.run(
            run_journeys(
                base,
                [
                    HJourney(
                        "extra",
                        [HStep("goto", "/v"), HStep("click", "#go"), HStep("click", "#nope", timeout_ms=300)],
                    )
                ],
            )
        )
    steps = extra.journeys[0].steps
    assert steps[0].images[0].has_dimensions is False
    assert steps[1].effects is not None and steps[1].effects.validation_messages == ["Enter a valid postcode"]
    recorded = set()
    for a in (arts, extra):
        recorded |= _keys(json.loads(a.model_dump_json(exclude_defaults=True))["journeys"])
    fixture = _keys(json.loads(FIXTURE.read_text(encoding="utf-8"))["journeys"])
    fixture -= {"steps.visit_id"}  # written by the collector (the visit a step produced), not the recorder
    assert fixture <= recorded, f"fixture keys the recorder never writes: {sorted(fixture - recorded)}"
