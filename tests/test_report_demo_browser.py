"""The flawed demo's real HTML report in headless Chromium at 1280 and 390 px.

Its size budget (the issue's 15,000 px at 1280 with the default collapsed state), no sideways
scroll, no serious or critical axe violation, and journey screenshots embedded once each that
enlarge on click without any script.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_report_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_report(flawed_audit: Any) -> Path:
    return flawed_audit.paths["html"]


@pytest.fixture(scope="module")
def browser(demo_report: Path) -> Iterator[Any]:
    # the audit (its own event loop) must have run before the sync Playwright loop starts
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


#: the issue's budget for the flawed demo at 1280 px with the default collapsed state
MAX_HEIGHT_1280 = 15_000


@pytest.mark.parametrize("width", [1280, 390])
def test_flawed_demo_report_fits_the_screen_and_is_accessible(
    browser: Any, demo_report: Path, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    pg.goto(demo_report.as_uri())
    pg.wait_for_load_state("load")
    sizes = pg.evaluate(
        "() => ({h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth,"
        " cw: document.documentElement.clientWidth})"
    )
    assert sizes["w"] - sizes["cw"] <= 1, sizes  # no sideways scroll of the page itself
    if width == 1280:
        assert sizes["h"] <= MAX_HEIGHT_1280, sizes
    # the verdict and what to fix first are on the first screen
    assert pg.locator("#gate").bounding_box()["y"] < 900 or width < 500
    assert pg.get_by_role("heading", name="No gate set").is_visible()
    assert pg.locator("#top-h").is_visible()
    # check gauges stay legible on a phone
    for box in pg.eval_on_selector_all(".gauge-sm", "els => els.map(e => e.getBoundingClientRect().width)"):
        assert box >= 40
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_module.Axe().run(pg)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in serious]
    # opened up, it still does not scroll sideways
    pg.evaluate("() => document.querySelectorAll('details').forEach((d) => d.open = true)")
    wide = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 1
    assert requests == []
    context.close()


def test_flawed_demo_timelines_show_every_step_once_embedded_and_enlarge(
    browser: Any, demo_report: Path, flawed_audit: Any
) -> None:
    html = demo_report.read_text(encoding="utf-8")
    uris = re.findall(r"url\((data:image/[a-z]+;base64,[^)]+)\)", html)
    assert uris and len(uris) == len(set(uris))  # each image embedded once
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.goto(demo_report.as_uri())
    journeys = flawed_audit.scorecard.journeys
    shot_steps = sum(1 for j in journeys for s in j.steps if s.visit_id or s.screenshot)
    assert pg.locator(".timeline .shot-img").count() >= shot_steps > 0  # a screenshot per step
    thumb = pg.locator(".timeline .shot summary").first
    big = pg.locator(".timeline .shot .shot-big").first
    pg.locator(".timeline-box > summary").first.click()  # completed journeys start collapsed
    assert thumb.is_visible() and not big.is_visible()
    thumb.click()  # click to enlarge, no script needed
    assert big.is_visible()
    small = pg.locator(".timeline .shot .shot-img").first
    assert big.bounding_box()["width"] > 3 * small.bounding_box()["width"]
    painted = big.evaluate("e => getComputedStyle(e).backgroundImage")
    assert painted.startswith('url("data:image/')
    context.close()
