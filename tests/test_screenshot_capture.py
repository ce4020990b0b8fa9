"""Screenshots: the direct DevTools capture (no secret, no password field) and when it steps aside.

The direct capture replaces Playwright's screenshot pipeline only where nothing needs painting
over; it must give the same picture: the viewport the shopper sees (scrolled), at CSS scale.
"""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

import pytest
from cx_auditor.artifacts import ArtifactWriter
from cx_auditor.config import Collect
from cx_auditor.gather.guards import OriginGuard
from cx_auditor.gather.reader import _CAPTURE_SESSIONS, PageReader
from cx_auditor.gather.redaction import Redactor
from cx_auditor.gather.state import RunState

#: four bands, each one viewport tall: where the page is scrolled to decides the picture's colour
BANDS = """<!doctype html><style>body{margin:0} div{height:400px}</style>
<div style="background:#ff0000"></div><div style="background:#00ff00"></div>
<div style="background:#0000ff"></div><div style="background:#ffff00"></div>"""

PIXELS_JS = """async (src) => {
  const img = new Image(); img.src = src; await img.decode();
  const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const at = (x, y) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
  return {width: img.naturalWidth, height: img.naturalHeight,
          top: at(10, 10), bottom: at(10, img.naturalHeight - 10)};
}"""


def _state(tmp_path: Path, secrets: list[str] | None = None, fmt: str = "png") -> RunState:
    redact = Redactor(secrets or [])
    settings = Collect.model_validate({"screenshots": {"format": fmt}})
    return RunState(
        writer=ArtifactWriter(tmp_path / "artifacts", redact=redact),
        redact=redact,
        guard=OriginGuard([]),
        settings=settings,
    )


async def _shoot(
    html: str, tmp_path: Path, *, scale: float, scroll: int, **state_kw: Any
) -> tuple[Any, dict]:
    """Screenshot ``html`` scrolled to ``scroll`` at device scale ``scale``; the reader and the pixels."""
    from cx_auditor.browser import find_browser
    from playwright.async_api import async_playwright

    choice = find_browser()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=choice.executable, args=choice.args)
        try:
            ctx = await browser.new_context(viewport={"width": 300, "height": 400}, device_scale_factor=scale)
            page = await ctx.new_page()
            await page.set_content(html)
            await page.evaluate("(y) => window.scrollTo(0, y)", scroll)
            reader = PageReader(page, _state(tmp_path, **state_kw), shot_prefix="t")
            calls: list[str] = []
            original = page.screenshot

            async def spy(**kw: Any) -> Any:
                calls.append("playwright")
                return await original(**kw)

            page.screenshot = spy  # type: ignore[method-assign]
            rel = await reader.screenshot("page")
            assert rel is not None
            data = (tmp_path / "artifacts" / rel).read_bytes()
            kind = "png" if data[:4] == b"\x89PNG" else "jpeg"
            src = f"data:image/{kind};base64," + base64.b64encode(data).decode()
            pixels = await (await ctx.new_page()).evaluate(PIXELS_JS, src)
            return reader, {"pixels": pixels, "playwright_calls": calls}
        finally:
            await browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("scale", [1, 2])
def test_direct_capture_is_the_scrolled_viewport_at_css_scale(
    tmp_path: Path, browser_ok: None, scale: int
) -> None:
    reader, seen = asyncio.run(_shoot(BANDS, tmp_path, scale=scale, scroll=800))
    assert seen["playwright_calls"] == []  # nothing to mask: one DevTools capture
    assert reader.page in _CAPTURE_SESSIONS  # the page's DevTools session was used
    px = seen["pixels"]
    assert (px["width"], px["height"]) == (300, 400)  # CSS pixels, whatever the device scale
    assert px["top"] == [0, 0, 255] and px["bottom"] == [0, 0, 255]  # the third band: scrolled to


@pytest.mark.browser
def test_a_password_field_sends_the_screenshot_through_playwrights_masks(
    tmp_path: Path, browser_ok: None
) -> None:
    html = BANDS.replace("<div style", "<input type=password value=hunter2><div style", 1)
    _reader, seen = asyncio.run(_shoot(html, tmp_path, scale=1, scroll=0))
    assert seen["playwright_calls"] == ["playwright"]
    assert seen["pixels"]["width"] == 300


@pytest.mark.browser
def test_a_run_with_secrets_captures_directly_a_page_that_shows_none(
    tmp_path: Path, browser_ok: None
) -> None:
    _reader, seen = asyncio.run(
        _shoot(BANDS, tmp_path, scale=1, scroll=0, secrets=["s3cr3t-value"], fmt="jpeg")
    )
    assert seen["playwright_calls"] == []
    assert seen["pixels"]["top"][0] > 200  # the first band, red (JPEG: near, not exact)


@pytest.mark.browser
@pytest.mark.parametrize(
    "shows",
    [
        "<p>Welcome back, S3CR3T-VALUE</p>",  # echoed as text (any case, as get_by_text matches)
        "<input value='s3cr3t-value'>",  # held in a field's value, which text locators do not see
    ],
)
def test_a_page_showing_a_secret_gets_the_masked_screenshot(
    tmp_path: Path, browser_ok: None, shows: str
) -> None:
    html = BANDS.replace("<div style", shows + "<div style", 1)
    _reader, seen = asyncio.run(
        _shoot(html, tmp_path, scale=1, scroll=0, secrets=["s3cr3t-value"], fmt="jpeg")
    )
    assert seen["playwright_calls"] == ["playwright"]
