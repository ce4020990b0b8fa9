"""`cx-audit init --from-url` and `cx-audit run URL` (issue 13, item 9).

The pure parts (test data, merging channels, rendering YAML) are tested as functions;
the end-to-end tests explore both demo store modes in a real browser and audit them
with the journeys found, with no hand-written selector.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cx_auditor.config import parse_config
from cx_auditor.gather.storefront import Exploration, Found, field_value, merge_channels
from cx_auditor.init_from_url import render_config, validate_url


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ({"type": "email", "name": "login"}, "shopper@example.com"),
        ({"type": "text", "autocomplete": "postal-code", "name": "zip"}, "97201"),
        ({"type": "text", "autocomplete": "address-level2", "name": "town_x"}, "Portland"),
        ({"type": "text", "name": "billing_address_1", "label": "Street address"}, "12 Harbour Street"),
        ({"type": "text", "name": "billing_first_name"}, "Alex"),
        ({"type": "tel", "name": "x"}, "5035550100"),
        ({"type": "text", "autocomplete": "cc-number", "name": "n"}, "4242 4242 4242 4242"),
        ({"type": "text", "name": "company"}, None),
        ({"type": "text", "name": "line2", "label": "Second line of address"}, None),
        ({"type": "text", "name": "gift_note"}, None),
        ({"type": "text", "name": "gift_note", "required": True}, "test"),
    ],
)
def test_test_data_follows_name_autocomplete_and_label(field: dict[str, object], value: str | None) -> None:
    assert field_value(field) == value


def test_passwords_are_an_overridable_secret_placeholder() -> None:
    value = field_value({"type": "password", "name": "pw"})
    assert value is not None and value.startswith("${CX_AUDIT_PASSWORD:-")


def test_merge_keeps_shared_steps_once_and_marks_channel_only_steps() -> None:
    a = [
        {"goto": "/"},
        {"click": "#add"},
        {"click": "#continue"},
        {"fill": {"selector": "#card", "value": "1"}},
    ]
    b = [
        {"goto": "/"},
        {"click": "#add"},
        {"click": "#continue"},
        {"click": "#confirm"},
        {"fill": {"selector": "#card", "value": "1"}},
    ]
    merged = merge_channels({"desktop": a, "mobile": b})
    assert [s.get("click") or s.get("goto") or s["fill"]["selector"] for s in merged] == [
        "/",
        "#add",
        "#continue",
        "#confirm",
        "#card",
    ]
    assert [s.get("channels") for s in merged] == [None, None, None, ["mobile"], None]
    only_desktop = merge_channels({"desktop": [{"goto": "/"}, {"click": "#mini"}], "mobile": [{"goto": "/"}]})
    assert only_desktop[1]["channels"] == ["desktop"]


def _exploration() -> Exploration:
    found = Exploration(base_url="http://127.0.0.1:9", platform="WooCommerce", reached="review")
    found.reached_by_channel = {"desktop": "review", "mobile": "cart"}
    found.steps = [
        {"goto": "/", "label": "Home"},
        {
            "click": '[data-testid="card"]',
            "label": "Open a product",
            "_note": "UNSURE product: 'Tent\nsite: evil'",
        },
        {
            "fill": {"selector": 'input[name="pw"]', "value": "${CX_AUDIT_PASSWORD:-x}"},
            "if_visible": 'input[name="pw"]',
        },
        {"click": 'role=button[name="${HOME}"]', "channels": ["mobile"]},
        {"click": "#place", "label": "Place order", "places_order": True},
    ]
    found.pages = {
        "contact": Found(
            "contact", "a", "Contact us", "http://127.0.0.1:9/pages/contact?x=1", ["path /contact"], 5
        )
    }
    return found


def test_rendered_config_is_valid_commented_and_cannot_be_hijacked_by_page_text() -> None:
    text = render_config(_exploration())
    cfg = parse_config(text, path="audit.yaml")
    purchase = next(j for j in cfg.journeys if j.name == "purchase")
    assert purchase.checkout
    assert [s.action for s in purchase.steps] == ["goto", "click", "fill", "click", "click"]
    assert purchase.steps[2].if_visible == 'input[name="pw"]'
    assert purchase.steps[3].channels == ["mobile"]
    assert purchase.steps[3].target == 'role=button[name="$ {HOME}"]'  # page text is never interpolated
    assert purchase.steps[-1].places_order
    help_journey = next(j for j in cfg.journeys if j.name == "help-and-contact")
    assert [s.target for s in help_journey.steps] == ["/", "/pages/contact?x=1"]
    assert "# UNSURE product: 'Tent site: evil'" in text  # newline in page text stays inside the comment
    assert "desktop: review, mobile: cart" in text and "WooCommerce" in text


@pytest.mark.parametrize("bad", ["shop.example.com", "ftp://x", "http://"])
def test_a_bad_url_is_refused_in_words(bad: str) -> None:
    with pytest.raises(ValueError, match="http"):
        validate_url(bad)


def test_init_from_url_on_an_unreachable_store_exits_3_without_a_traceback(
    tmp_path: Path, browser_ok: None
) -> None:
    from cx_auditor.cli import app
    from typer.testing import CliRunner

    from tests.faultsite import free_port

    result = CliRunner().invoke(
        app, ["init", str(tmp_path / "a.yaml"), "--from-url", f"http://127.0.0.1:{free_port()}"]
    )
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and not (tmp_path / "a.yaml").exists()


@pytest.mark.browser
@pytest.mark.parametrize("spa", [False, True], ids=["server-rendered", "spa"])
def test_run_url_reaches_the_review_step_on_desktop_and_mobile(
    tmp_path: Path, browser_ok: None, spa: bool
) -> None:
    from cx_auditor.cli import app
    from cx_auditor.demo import DemoStore
    from typer.testing import CliRunner

    with DemoStore("clean", spa=spa) as store:
        out = tmp_path / "rep"
        result = CliRunner().invoke(app, ["run", store.url, "--out", str(out), "--no-history", "--quiet"])
    assert result.exit_code in (0, 1), result.output
    card = json.loads((out / "scorecard.json").read_text())
    purchase = {j["channel"]: j for j in card["journeys"] if j["journey"] == "purchase"}
    assert set(purchase) == {"desktop", "mobile"}
    for channel, outcome in purchase.items():
        assert outcome["completed"], (channel, outcome.get("error"))
        order = [s for s in outcome["steps"] if s.get("places_order")]
        # the review step was reached: its order button was found there, usable, and not pressed
        assert order and order[0]["order_target_ready"] is True and order[0]["skipped"], channel
    kept = (out / "audit.from-url.yaml").read_text()
    assert "data-testid" in kept or "role=" in kept  # selectors the explorer chose, kept for review
    if not spa:
        helps = next(
            j for j in card["journeys"] if j["journey"] == "help-and-contact" and j["channel"] == "desktop"
        )
        assert helps["completed"] and len(helps["steps"]) >= 3
