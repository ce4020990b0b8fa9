"""`cx-audit import-codegen`: Playwright codegen scripts (sync and async) become journey steps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from cx_auditor import codegen
from cx_auditor.cli import app
from cx_auditor.config import parse_config
from cx_auditor.errors import UsageError
from typer.testing import CliRunner

HERE = Path(__file__).parent / "codegen"
SYNC = HERE / "checkout_sync.py"
ASYNC = HERE / "help_async.py"


def steps_of(path: Path) -> list[dict]:
    return codegen.import_codegen_file(path).journey["steps"]


def test_sync_script_becomes_the_checkout_journey() -> None:
    result = codegen.import_codegen_file(SYNC)
    steps = result.journey["steps"]
    assert result.journey["name"] == "checkout-sync"
    assert result.base_url == "http://127.0.0.1:8000"
    assert result.warnings == []
    assert steps[0] == {"goto": "/"}
    assert steps[1]["click"] == 'internal:testid=[data-testid="category-tile"s] >> nth=0'
    assert steps[3]["click"] == 'internal:role=button[name="Add to cart"i]'
    assert {"fill": {"selector": 'internal:label="Email address"i', "value": "shopper@example.com"}} == {
        "fill": steps[6]["fill"]
    }
    assert {"press": {"selector": 'internal:label="Full name"i', "key": "Tab"}} == {
        "press": steps[10]["press"]
    }
    select = next(s for s in steps if "select" in s)
    assert select["select"] == {"selector": 'internal:label="Country"i', "value": "US"}
    check = next(s for s in steps if "check" in s)
    assert check["check"] == "internal:label=/^Standard/"
    assert {"click": 'internal:role=button[name="Continue"s]', "label": "click Continue"} in steps
    assert {
        "fill": {"selector": 'internal:attr=[placeholder="MM/YY"i]', "value": "12/30"},
        "label": "fill MM/YY",
    } in steps
    assert {"expect_text": "Review your order"} in steps
    # the order click is guarded: it runs only with --allow-orders
    assert steps[-1]["click"] == 'internal:role=button[name="Place order"i]'
    assert steps[-1]["places_order"] is True
    assert sum("places_order" in s for s in steps) == 1
    # context.close() / browser.close() are not steps
    assert all(set(s) - {"label", "places_order", "secret"} for s in steps)


def test_async_script_with_chains_and_unsupported_calls() -> None:
    result = codegen.import_codegen_file(ASYNC)
    steps = result.journey["steps"]
    assert steps[0] == {"goto": "/"}
    assert steps[1]["click"] == 'internal:attr=[placeholder="Search tents, packs, jackets…"i]'
    assert steps[3]["press"]["key"] == "Enter"
    assert steps[4]["click"] == 'internal:role=navigation >> internal:role=link[name="Help"i]'
    assert {"wait_for": "internal:role=heading[level=1]"} in steps
    assert {
        "click": 'footer >> internal:text="Shipping & Returns"i',
        "label": "click Shipping & Returns",
    } in steps
    assert any(s.get("click") == 'internal:role=link[name="Contact"i] >> nth=0' for s in steps)
    # a recorded password never lands in the YAML
    secret = next(s for s in steps if s.get("secret"))
    assert secret["fill"]["value"] == "${SHOP_PASSWORD}"
    assert "hunter2" not in result.to_yaml()
    # what has no journey step is named with its line, not dropped silently
    joined = "\n".join(result.warnings)
    assert "line 20" in joined and "set_input_files" in joined
    assert "line 21" in joined and "go_back" in joined


@pytest.mark.parametrize("script", [SYNC, ASYNC], ids=["sync", "async"])
def test_output_is_a_valid_journey_for_audit_yaml(script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_PASSWORD", "from-the-environment")
    text = codegen.import_codegen_file(script).to_yaml()
    data = yaml.safe_load(text)
    cfg = parse_config(
        yaml.safe_dump({"site": {"base_url": "http://127.0.0.1:8000"}, "journeys": data["journeys"]}),
    )
    assert cfg.journeys[0].steps[0].goto == "/"
    assert len(cfg.journeys[0].steps) == len(data["journeys"][0]["steps"])


def test_selectors_match_what_playwright_builds() -> None:
    """Our selector text is byte-identical to the one Playwright's own locator methods build."""
    utils = pytest.importorskip("playwright._impl.isomorphic.locator_utils")
    cases = [
        (
            codegen.role_selector("button", name="Add to cart"),
            utils.get_by_role_selector("button", name="Add to cart"),
        ),
        (
            codegen.role_selector("button", name='Say "hi" \\ now', exact=True),
            utils.get_by_role_selector("button", name='Say "hi" \\ now', exact=True),
        ),
        (
            codegen.role_selector("checkbox", checked=True, level=2, include_hidden=False, pressed=False),
            utils.get_by_role_selector(
                "checkbox", checked=True, level=2, include_hidden=False, pressed=False
            ),
        ),
        (
            codegen.role_selector("link", name=re.compile("help", re.I)),
            utils.get_by_role_selector("link", name=re.compile("help", re.I)),
        ),
        (codegen.text_selector("text", "Thank you"), utils.get_by_text_selector("Thank you")),
        (
            codegen.text_selector("text", "Café “ok”", True),
            utils.get_by_text_selector("Café “ok”", exact=True),
        ),
        (codegen.text_selector("label", "Email"), utils.get_by_label_selector("Email")),
        (codegen.text_selector("placeholder", "MM/YY"), utils.get_by_placeholder_selector("MM/YY")),
        (codegen.text_selector("alt_text", "Logo", True), utils.get_by_alt_text_selector("Logo", exact=True)),
        (codegen.text_selector("title", "Close"), utils.get_by_title_selector("Close")),
        (codegen.test_id_selector("checkout"), utils.get_by_test_id_selector("data-testid", "checkout")),
        (codegen.test_id_selector("x", "data-qa"), utils.get_by_test_id_selector("data-qa", "x")),
    ]
    for ours, theirs in cases:
        assert ours == theirs


def test_custom_test_id_attribute_is_followed() -> None:
    source = (
        "from playwright.sync_api import sync_playwright\n"
        "def run(playwright):\n"
        "    playwright.selectors.set_test_id_attribute('data-qa')\n"
        "    page = playwright.chromium.launch().new_page()\n"
        "    page.goto('https://shop.example.com/cart')\n"
        "    page.get_by_test_id('pay').click()\n"
    )
    steps = codegen.import_codegen(source).journey["steps"]
    assert steps == [{"goto": "/cart"}, {"click": 'internal:testid=[data-qa="pay"s]', "label": "click pay"}]


def test_other_origins_stay_absolute() -> None:
    source = "page.goto('https://shop.example.com/')\npage.goto('https://pay.example.net/session?id=1')\n"
    assert codegen.import_codegen(source).journey["steps"] == [
        {"goto": "/"},
        {"goto": "https://pay.example.net/session?id=1"},
    ]


@pytest.mark.parametrize(
    ("source", "needle"),
    [("def run(:\n", "line 1: not a Python script"), ("print('hello')\n", "no page.goto()")],
)
def test_bad_scripts_are_usage_errors(source: str, needle: str) -> None:
    with pytest.raises(UsageError, match=re.escape(needle)):
        codegen.import_codegen(source)


def test_cli_prints_yaml_and_warnings(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["import-codegen", str(ASYNC), "--name", "help"])
    assert result.exit_code == 0, result.output
    assert "- name: help" in result.stdout
    assert "warning: line 21" in result.output
    out = tmp_path / "journey.yaml"
    result = runner.invoke(app, ["import-codegen", str(SYNC), "-o", str(out)])
    assert result.exit_code == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["journeys"][0]["name"] == "checkout-sync"
    missing = runner.invoke(app, ["import-codegen", str(tmp_path / "nope.py")])
    assert missing.exit_code == 2 and "no such file" in missing.output and "Traceback" not in missing.output


@pytest.mark.browser
def test_imported_journey_runs_on_the_demo_store(tmp_path: Path, browser_ok: None) -> None:
    """The imported selectors resolve in a real browser: the recorded checkout completes up to the order."""
    from cx_auditor.demo import DemoStore
    from cx_auditor.pipeline import AuditOptions, audit

    journey = codegen.import_codegen_file(SYNC).journey
    journey["checkout"] = True
    with DemoStore("clean") as store:
        cfg = parse_config(
            yaml.safe_dump(
                {
                    "site": {"base_url": store.url},
                    "channels": {"desktop": {"preset": "desktop"}},
                    "journeys": [journey],
                    "collect": {"screenshots": {"mode": "off"}, "probe_chat": False, "probe_links": False},
                }
            ),
            path=str(tmp_path / "audit.yaml"),
        )
        result = audit(cfg, AuditOptions(out=tmp_path / "out", formats=("json",), record_history=False))
    outcome = result.artifacts.journeys[0]
    failed = [s for s in outcome.steps if not s.ok]
    assert not failed, [(s.index, s.label, s.error) for s in failed]
    last = outcome.steps[-1]
    assert last.places_order and last.skipped  # the order is not placed without --allow-orders
    assert any(v.url.endswith("/checkout/review") for v in result.artifacts.visits)
