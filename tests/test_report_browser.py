"""The HTML scorecard in a real headless Chromium: visible, filterable, inert, accessible."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cx_auditor.reports import write_html
from cx_auditor.rounding import fmt_score

from tests.scorecard_factory import DEMO_BUDGETS, make_scorecard, write_screenshots

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CX_AUDIT_BROWSER", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A hostile, realistic report: payloads planted in every site-provided field."""
    artifacts = tmp_path / "artifacts"
    shots = write_screenshots(artifacts)
    card = make_scorecard(screenshots=shots, budgets=DEMO_BUDGETS, hostile=True)
    return write_html(card, tmp_path / "report.html", artifacts_dir=artifacts)


@pytest.fixture
def page(browser: Any, report: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on(
        "request",
        lambda r: errors.append(f"request: {r.url}") if not r.url.startswith(("file:", "data:")) else None,
    )
    pg.goto(report.as_uri())
    pg.wait_for_load_state("load")
    pg.dialogs, pg.errors = dialogs, errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def test_key_parts_are_visible(page: Any, tmp_path: Path) -> None:
    card = make_scorecard(budgets=DEMO_BUDGETS, hostile=True)  # the scorecard the report was written from
    assert page.get_by_role(
        "img", name=f"Overall score {fmt_score(card.score)} out of 100, grade {card.grade}"
    ).is_visible()
    assert page.get_by_role("heading", name="Gate failed").is_visible()
    for title in [r.title for r in card.results]:
        assert page.locator("article.check h3", has_text=title).first.is_visible(), title
    variants = page.locator(".variants").first
    assert not variants.is_visible()  # findings start collapsed under their rule
    page.locator("details.rule-group", has=variants).locator("summary").first.click()
    variants.scroll_into_view_if_needed()
    assert variants.locator(".variant").count() == 2
    boxes = [variants.locator(".variant").nth(i).bounding_box() for i in range(2)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[1]["x"] > boxes[0]["x"]  # side by side
    assert page.locator(".variant mark", has_text="$75").first.is_visible()
    # screenshots decoded (data URIs allowed by the CSP): each thumbnail paints its image
    backgrounds = page.eval_on_selector_all(
        ".shot-img", "els => els.map(e => getComputedStyle(e).backgroundImage)"
    )
    assert backgrounds and all(b.startswith('url("data:image/') for b in backgrounds)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_filter_by_severity_hides_other_findings(page: Any) -> None:
    form = page.locator("#filters")
    assert form.is_visible()  # revealed by the script
    warn = page.locator('.finding[data-severity="warn"]').first
    assert warn.count() == 1 and not warn.is_visible()  # collapsed under its rule by default
    page.get_by_label("Severity", exact=True).select_option("fail")
    assert not warn.is_visible()
    assert page.locator('.finding[data-severity="fail"]').first.is_visible()
    shown = page.locator(".finding:visible").count()
    assert shown == page.locator('.finding[data-severity="fail"]').count()
    assert page.locator("#f-count").inner_text().startswith(f"Showing {shown} of")
    page.get_by_label("Check", exact=True).select_option("checkout_steps")
    assert not page.locator("#check-load-time").is_visible()
    page.get_by_label("Check", exact=True).select_option("")
    page.get_by_label("Severity", exact=True).select_option("warn")
    assert warn.is_visible()  # the filter opens the groups holding what it found
    page.get_by_label("Severity", exact=True).select_option("")
    assert warn.is_visible()


def test_site_content_never_executes(page: Any) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]
    # the payload is shown as text, not turned into elements
    assert page.locator("text=<script>window.__pwned=1;alert(1)</script>").first.count() == 1
    assert page.locator("a[href^='javascript']").count() == 0
    # opening everything a reader might open runs nothing either
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => d.open = true)")
    page.locator(".finding a").first.hover()  # hovering/clicking links runs nothing either
    assert page.evaluate("window.__pwned") is None


def test_no_serious_accessibility_violations(page: Any) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_module.Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in serious]


def test_readable_on_a_phone(browser: Any, report: Path) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2
    )
    pg = context.new_page()
    pg.goto(report.as_uri())
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1  # no sideways scrolling of the page itself (wide tables scroll in their box)
    assert pg.get_by_role("heading", name="Gate failed").is_visible()
    context.close()
