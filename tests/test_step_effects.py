"""The pure parts of the step-effects recorder, and the ``expect:`` step option."""

from __future__ import annotations

import pytest
from cx_auditor.config import parse_config
from cx_auditor.errors import ConfigError
from cx_auditor.gather.step_effects import (
    PAGE_SCRIPT,
    Snapshot,
    classify_origin,
    diff_snapshots,
    judge_expect,
    looks_like_add_to_cart,
    names_match,
    normalise_name,
    origin_of,
)


def snap(**kw: object) -> Snapshot:
    base: dict[str, object] = {"doc": "d1", "mutations": 10, "url": "https://s.test/p/1", "cart": 0}
    return Snapshot(**{**base, **kw})  # type: ignore[arg-type]


def test_same_document_diff_counts_mutations_and_keeps_typed_values_out() -> None:
    before = snap(fields={"#first": "", "#last": ""})
    after = snap(mutations=10, fields={"#first": "Rivera", "#last": ""})
    fx = diff_snapshots(before, after, field_key="#last", typed="Rivera")
    assert not fx.navigated and not fx.soft_navigation and fx.dom_mutations == 0
    assert (
        fx.field_readback_ok is False
        and fx.value_landed_in == ["#first"]
        and fx.other_fields_changed == ["#first"]
    )
    assert "Rivera" not in fx.model_dump_json()


def test_new_document_is_a_navigation_and_mutations_are_not_compared() -> None:
    fx = diff_snapshots(
        snap(),
        snap(doc="d2", mutations=3, url="https://s.test/cart", cart=1, heading="Your cart"),
        requests_started=4,
        status_after=200,
        target_name="Add to cart",
    )
    assert fx.navigated and fx.dom_mutations is None and fx.status_after == 200 and fx.requests_started == 4
    assert (fx.cart_count_before, fx.cart_count_after) == (0, 1)


def test_url_change_in_the_same_document_is_a_soft_navigation() -> None:
    fx = diff_snapshots(
        snap(),
        snap(url="https://s.test/p/2", mutations=40, heading="Blue Mug", is_product_page=True),
        target_name="Blue Mug",
    )
    assert fx.soft_navigation and not fx.navigated and fx.dom_mutations == 30
    assert fx.product_after == ["Blue Mug"] and fx.target_name_on_after is True
    assert fx.status_after is None  # no document was fetched


def test_structured_data_names_the_product_first() -> None:
    page = snap(products=["Trail Tent 2P"], heading="Our best tent", is_product_page=True)
    assert page.product == "Trail Tent 2P"
    assert snap(heading="Camping", is_product_page=False).product is None


@pytest.mark.parametrize(
    ("clicked", "landed", "expected"),
    [
        ("Trail Tent 2P", ["Trail-Tent 2P™ | Northwind"], True),
        ("Crème Brûlée Torch", ["Creme brulee torch"], True),
        ("Lakeside Chair", ["Trailhead 28L Daypack", "Trailhead 28L Daypack · Shop"], False),
        ("Go", ["Go Pro Mount"], None),  # too short to tell
        ("Trail Tent", [], None),
    ],
)
def test_names_match(clicked: str, landed: list[str], expected: bool | None) -> None:
    assert names_match(clicked, landed) is expected


def test_normalise_name() -> None:
    assert normalise_name("  Trail–Tent 2P™ ") == "trail tent 2p"
    assert normalise_name(None) == ""


@pytest.mark.parametrize(
    ("resource", "page", "origins", "side"),
    [
        ("https://shop.test/api/x", "https://shop.test/cart", (), "same"),
        ("https://shop.test:443/api/x", "https://shop.test/cart", (), "same"),
        ("http://shop.test/api/x", "https://shop.test/cart", (), "third"),
        ("https://cdn.shop.test/x.js", "https://shop.test/", (), "third"),
        ("https://cdn.shop.test/x.js", "https://shop.test/", ("https://cdn.shop.test",), "same"),
        ("data:image/png;base64,AA", "https://shop.test/", (), "same"),
        ("https://fonts.example/f.woff2", None, (), "third"),
    ],
)
def test_classify_origin(resource: str, page: str | None, origins: tuple[str, ...], side: str) -> None:
    assert classify_origin(resource, page, origins) == side


def test_origin_of() -> None:
    assert origin_of("HTTPS://Shop.Test/a?b") == "https://shop.test:443"
    assert origin_of("mailto:x@y") == "" and origin_of(None) == ""


def test_judge_expect() -> None:
    out = judge_expect(
        {"text": "Added", "url": r"/cart\b", "cart_count_change": 1},
        url="https://s.test/cart?x=1",
        text_found=True,
        cart_before=0,
        cart_after=1,
    )
    assert out.ok and [c.kind for c in out.checks] == ["text", "url", "cart_count_change"]
    bad = judge_expect({"selector": ".toast", "cart_count_change": 1}, url="u", selector_visible=False)
    assert not bad.ok and bad.checks[1].actual == "no cart count found"


def test_add_to_cart_words() -> None:
    assert looks_like_add_to_cart("Add to Bag") and looks_like_add_to_cart(None, "button.add_to_cart")
    assert looks_like_add_to_cart("Buy now") and not looks_like_add_to_cart("Add to wishlist", "Cart (2)")


def test_page_script_is_loaded_from_the_package() -> None:
    assert "MutationObserver" in PAGE_SCRIPT and "__cxFx" in PAGE_SCRIPT


CONFIG = """
site: {{name: s, base_url: "https://s.test"}}
journeys:
  - name: buy
    steps:
      - click: "#add"
        expect: {expect}
"""


def test_expect_is_validated_with_the_config() -> None:
    cfg = parse_config(CONFIG.format(expect='{text: "Added", cart_count_change: 1, url: "/cart"}'))
    exp = cfg.journeys[0].steps[0].expect
    assert exp is not None and exp.cart_count_change == 1 and exp.text == "Added"
    for bad, words in (
        ("{}", "at least one"),
        ('{url: "("}', "regular expression"),
        ("{colour: red}", "colour"),
    ):
        with pytest.raises(ConfigError) as info:
            parse_config(CONFIG.format(expect=bad))
        assert words in str(info.value) and "expect" in str(info.value)
