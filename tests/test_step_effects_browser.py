"""The step-effects recorder in a real Chromium, against small pages served by the test.

Each page is written to behave one way (works, does nothing, writes elsewhere,
throws, fails a request); the recorder must describe each behaviour in the
artifact shape the journey_health check reads.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import pytest
from cx_auditor.models import Artifacts, StepRecord

from tests.journey_harness import HJourney, HStep, run_journeys, serve

pytestmark = pytest.mark.browser

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30"/></svg>'

HEADER = '<header><a href="/cart" class="cart-link">Cart <span class="cart-count">{n}</span></a></header>'

LIST = (
    "<!doctype html><title>Shop</title>" + HEADER.format(n=0) + "<main><h1>All products</h1>"
    '<a class="product-card" href="/p/1"><img src="/img/1.svg" width="40" height="30">'
    '<span class="card-name">Alpine Tent</span></a>'
    '<a class="product-card" href="/p/3"><img src="/img/2.svg"><span class="card-name">Birch Stove</span></a>'
    '<a class="product-card" href="/p/3"><img src="/img/missing.svg" width="40" height="30">'
    '<span class="card-name">Cedar Lamp</span></a>'
    "</main>"
)


def product(name: str, working: bool, api: str = "/api/cart") -> str:
    handler = (
        "document.getElementById('add').addEventListener('click', async () => {"
        f" await fetch('{api}', {{method: 'POST'}});"
        " const c = document.querySelector('.cart-count'); c.textContent = String(+c.textContent + 1); });"
        if working
        else ""
    )
    return (
        f"<!doctype html><title>{name} | Shop</title>"
        + HEADER.format(n=0)
        + f'<script type="application/ld+json">{json.dumps({"@type": "Product", "name": name})}</script>'
        + f'<main><h1>{name}</h1><button id="add" type="button">Add to cart</button></main>'
        + f"<script>{handler}</script>"
    )


FORM = (
    "<!doctype html><title>Form</title><main><h1>Details</h1>"
    '<input id="first" name="first"><input id="last" name="last">'
    "<script>document.getElementById('last').addEventListener('input', (e) => {"
    " document.getElementById('first').value = e.target.value; e.target.value = ''; });</script>"
    '<input id="ok" name="ok"></main>'
)

ERRORS = (
    "<!doctype html><title>Errors</title><main><h1>Review</h1>"
    '<link rel="stylesheet" href="{third}/font.css">'
    '<button id="pay">Place order</button>'
    "<script>"
    "fetch('/api/recs').then(() => {});"
    "console.error('recommendations unavailable for session s3cr3t-4711');"
    "document.getElementById('pay').addEventListener('click', () => {"
    " throw new TypeError('Cannot read properties of undefined (reading \\'total\\')'); });"
    "</script></main>"
)


def _routes(third: str) -> dict[str, tuple[int, str, str | bytes]]:
    return {
        "/list": (200, "text/html", LIST),
        "/p/1": (200, "text/html", product("Alpine Tent", True)),
        "/p/3": (200, "text/html", product("Cedar Lamp", False)),
        "/api/cart": (200, "application/json", "{}"),
        "/p/slow": (200, "text/html", product("Juniper Kettle", True, api="/api/slow-cart")),
        "/api/recs": (500, "application/json", '{"error": "boom"}'),
        "/form": (200, "text/html", FORM),
        "/errors": (200, "text/html", ERRORS.replace("{third}", third)),
        "/img/1.svg": (200, "image/svg+xml", SVG),
        "/img/2.svg": (200, "image/svg+xml", SVG),
    }


def _handler(third: str) -> Callable[[str, str, bytes], tuple[int, str, bytes]]:
    routes = _routes(third)

    def answer(method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        if path == "/api/slow-cart":
            time.sleep(0.9)  # a slow add-to-cart request: longer than the recorder's settle time
            return 200, "application/json", b"{}"
        status, ctype, raw = routes.get(path, (404, "text/plain", "not found"))
        return status, ctype, raw.encode() if isinstance(raw, str) else raw

    return answer


def _record(arts: Artifacts, journey: str, index: int) -> StepRecord:
    j = next(j for j in arts.journeys if j.journey == journey)
    return j.steps[index]


@pytest.fixture(scope="module")
def recorded() -> Artifacts:
    from cx_auditor.browser import find_browser

    try:
        find_browser()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(str(exc))
    with serve({}) as third, serve(_handler(third)) as base:
        journeys = [
            HJourney(
                "shop",
                [
                    HStep("goto", "/list"),
                    HStep("click", ".product-card >> nth=0"),
                    HStep("click", "#add", expect={"cart_count_change": 1, "text": "Alpine"}),
                    HStep("goto", "/list"),
                    HStep("click", ".product-card >> nth=1"),
                    HStep("click", "#add", expect={"cart_count_change": 1}),
                    HStep("goto", "/p/slow"),
                    HStep("click", "#add", expect={"cart_count_change": 1}),
                ],
            ),
            HJourney(
                "form",
                [
                    HStep("goto", "/form"),
                    HStep("fill", "#ok", "fine"),
                    HStep("fill", "#last", "Rivera"),
                    HStep("click", "#no-such-button", timeout_ms=500),
                ],
            ),
            HJourney("errors", [HStep("goto", "/errors"), HStep("click", "#pay", places_order=True)]),
        ]
        arts = asyncio.run(run_journeys(base, journeys, redact=lambda s: s.replace("s3cr3t-4711", "***")))
    # The recorder's output is artifact-shaped: it survives the JSON round trip unchanged.
    return Artifacts.model_validate_json(arts.model_dump_json())


def test_a_working_product_click_and_add_to_cart(recorded: Artifacts) -> None:
    click = _record(recorded, "shop", 1).effects
    assert click is not None and click.navigated and click.target_kind == "product-link"
    assert click.target_name == "Alpine Tent" and click.target_name_on_after is True
    add = _record(recorded, "shop", 2)
    assert add.effects is not None and add.effects.target_kind == "add-to-cart"
    assert (add.effects.cart_count_before, add.effects.cart_count_after) == (0, 1)
    assert add.effects.requests_started >= 1 and not add.effects.navigated
    assert add.expect is not None and add.expect.ok, add.expect


def test_a_card_opening_another_product_and_a_dead_button(recorded: Artifacts) -> None:
    click = _record(recorded, "shop", 4).effects
    assert click is not None and click.target_name == "Birch Stove"
    assert click.product_after == ["Cedar Lamp"] and click.target_name_on_after is False
    dead = _record(recorded, "shop", 5)
    fx = dead.effects
    assert fx is not None and fx.target_kind == "add-to-cart"
    assert not fx.navigated and not fx.soft_navigation and fx.dom_mutations == 0 and fx.requests_started == 0
    assert fx.cart_count_before == fx.cart_count_after == 0
    assert dead.expect is not None and not dead.expect.ok
    assert dead.expect.checks[0].actual == "+0"


def test_a_slow_add_to_cart_request_is_waited_for(recorded: Artifacts) -> None:
    slow = _record(recorded, "shop", 7)
    assert slow.effects is not None and (slow.effects.cart_count_before, slow.effects.cart_count_after) == (
        0,
        1,
    )
    assert slow.expect is not None and slow.expect.ok


def test_images_are_surveyed_with_status_dimensions_and_product(recorded: Artifacts) -> None:
    images = {i.src.rsplit("/", 1)[-1]: i for i in _record(recorded, "shop", 0).images}
    assert images["1.svg"].natural_width == 40 and images["1.svg"].product == "Alpine Tent"
    assert images["1.svg"].has_dimensions and not images["2.svg"].has_dimensions
    assert images["missing.svg"].status == 404 and images["missing.svg"].natural_width == 0
    assert images["missing.svg"].product == "Cedar Lamp"


def test_fills_read_back_and_a_value_landing_in_another_field(recorded: Artifacts) -> None:
    ok = _record(recorded, "form", 1).effects
    assert ok is not None and ok.field == "#ok" and ok.field_readback_ok is True
    assert not ok.other_fields_changed
    bad = _record(recorded, "form", 2).effects
    assert bad is not None and bad.field == "#last" and bad.field_readback_ok is False
    assert bad.value_landed_in == ["#first"]
    # the typed value itself is never stored
    assert "Rivera" not in recorded.model_dump_json()


def test_a_missing_selector_is_counted_for_the_config_diagnosis(recorded: Artifacts) -> None:
    failed = _record(recorded, "form", 3)
    assert failed.ok is False and failed.target_matches == 0 and failed.target_visible == 0


def test_errors_are_attributed_and_split_same_origin_from_third_party(recorded: Artifacts) -> None:
    load, click = _record(recorded, "errors", 0), _record(recorded, "errors", 1)
    kinds = {(e.kind, e.status) for e in load.errors}
    assert ("request", 500) in kinds and ("third_party", 404) in kinds
    assert any(e.kind == "console" and "recommendations unavailable" in e.message for e in load.errors)
    # the collector's redactor runs over everything the recorder stores
    assert "s3cr3t" not in recorded.model_dump_json() and any("session ***" in e.message for e in load.errors)
    assert not any(e.kind == "exception" for e in load.errors)
    exc = [e for e in click.errors if e.kind == "exception"]
    assert exc and "Cannot read properties of undefined" in exc[0].message
    assert (exc[0].page_url or "").endswith("/errors")
    fx = click.effects
    assert fx is not None and not fx.navigated and fx.dom_mutations == 0
