"""The pytest plugin, exercised by a small Playwright suite of its own against the demo store.

The inner suite is what a QA engineer writes: a sync Playwright ``page`` fixture
(the shape pytest-playwright provides) and tests that browse the store. It runs
in a subprocess through ``pytester``, with and without ``--cx-audit``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CONFTEST = r"""
import os

import pytest
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="session")
def base_url():
    return os.environ["DEMO_URL"]


@pytest.fixture(scope="session")
def browser():
    from cx_auditor.browser import find_browser

    choice = find_browser()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=choice.executable, args=choice.args)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    yield p
    context.close()
"""

SUITE = r"""
import pytest
from cx_auditor.pytest_plugin import CxAuditFailure


def test_browse_to_a_product(page, base_url, cx_audit):
    page.goto(base_url + "/")
    page.locator("[data-testid=category-tile]").first.click()
    page.locator("[data-testid=product-card]").first.click()
    page.wait_for_load_state("load")
    assert len(cx_audit.urls) == 3, cx_audit.urls
    assert "/product/" in cx_audit.urls[-1]
    result = cx_audit.check("load_time")
    assert result.status.value in ("pass", "warn", "fail") and result.score is not None
    visit = cx_audit.visits[-1]
    assert visit.timings.fcp_ms is not None and visit.links and visit.text
    cx_audit.assert_budgets({"checks": {"load_time": 1}})


def test_support_reachability_on_the_help_page(page, base_url, cx_audit):
    page.goto(base_url + "/help")
    result = cx_audit.check("support_reachability")
    assert result.status.value != "error", result.error


def test_an_impossible_budget_fails_with_the_numbers(page, base_url, cx_audit):
    page.goto(base_url + "/")
    # no page paints its largest element in under a millisecond
    with pytest.raises(CxAuditFailure, match=r"LCP.*: actual [0-9.]+, limit 0\.001"):
        cx_audit.assert_budgets({"metrics": [{"metric": "load_time.lcp_ms", "max": 0.001}]})


def test_without_the_fixture_is_recorded_only_with_the_option(page, base_url):
    page.goto(base_url + "/contact")


def test_not_using_page_at_all():
    assert True
"""


@pytest.fixture
def demo_url(browser_ok: None) -> Iterator[str]:
    from cx_auditor.demo import DemoStore

    with DemoStore("flawed") as store:
        yield store.url


@pytest.fixture
def suite(pytester: pytest.Pytester, demo_url: str, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("DEMO_URL", demo_url)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_shop=SUITE)
    return pytester


def test_cx_audit_fixture_and_report_option(suite: pytest.Pytester, tmp_path: Path) -> None:
    out = tmp_path / "cx-report"
    config = tmp_path / "audit.yaml"
    config.write_text(
        "site: {name: Demo via pytest, base_url: 'http://127.0.0.1:1'}\nbudgets:\n  findings: {fail: 0}\n",
        encoding="utf-8",
    )
    result = suite.runpytest_subprocess(
        "-p", "no:cacheprovider", "--cx-audit", str(out), "--cx-audit-config", str(config)
    )
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*cx-audit: * pages from 4 tests * report *report.html*"])
    card = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert card["meta"]["site"] == "Demo via pytest"
    journeys = {j["journey"] for j in card["journeys"]}
    assert any(j.endswith("test_without_the_fixture_is_recorded_only_with_the_option") for j in journeys)
    assert not any("test_not_using_page_at_all" in j for j in journeys)
    # the flawed store's seeded defects are found on the pages the tests happened to visit
    checks = {r["check"]: r for r in card["results"]}
    assert checks["support_reachability"]["findings"] or checks["messaging_consistency"]["findings"]
    assert any(b["id"] == "findings:fail" for b in card["gate"]["budgets"])
    for name in ("report.html", "junit.xml", "summary.md", "report.sarif"):
        assert (out / name).is_file(), name


def test_plugin_is_inert_without_the_option(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
    assert "cx-audit:" not in result.stdout.str()
    assert not any(Path(suite.path).glob("**/scorecard.json"))


def test_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    """`-p no:cx_audit` switches it off like any pytest plugin (no browser needed)."""
    pytester.makepyfile(test_x="def test_x(request):\n    assert 'cx_audit' not in request.fixturenames\n")
    result = pytester.runpytest_subprocess("-p", "no:cx_audit", "-p", "no:cacheprovider", "--fixtures")
    assert "cx_audit" not in result.stdout.str()
