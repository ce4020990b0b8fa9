"""Hostile pages cannot hurt the user: a site full of injection payloads, audited end to end.

Every place the audited site controls (title, text, link texts and hrefs,
attributes, form labels and names, a chat launcher's selector, console errors,
exceptions, dialog messages, step errors, URLs) carries a payload. The full
pipeline writes the reports; the HTML report is then opened in a real headless
Chromium, and no payload may run: no dialog, ``window.__pwned`` never set, in
any frame.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cx_auditor.cli import app
from typer.testing import CliRunner

from tests.faultsite import FaultSite

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=2">',
    "'><svg onload=window.__pwned=3>",
    "</textarea><script>window.__pwned=4</script>",
    "</title><script>window.__pwned=5</script>",
    '<iframe srcdoc="<script>parent.__pwned=6</script>"></iframe>',
    "</script><script>window.__pwned=7</script>",
    "{{constructor.constructor('window.__pwned=8')()}}",
    '<a href="javascript:window.__pwned=9">click</a>',
    "--><script>window.__pwned=10</script><!--",
    "</style><script>window.__pwned=11</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>",
]
ALL = " ".join(PAYLOADS)


def _hostile_page() -> str:
    """Each payload as text the browser shows literally, plus payloads in attributes and script."""
    text = "".join(f"<p>{html.escape(p)}</p>" for p in PAYLOADS)
    links = "".join(
        f'<a href="/help?q={html.escape(p, quote=True)}">{html.escape(p)} Help</a>' for p in PAYLOADS[:4]
    )
    js_payloads = json.dumps(PAYLOADS).replace("</", "<\\/")
    return f"""<!doctype html><html><head><meta charset=utf-8><title>x</title></head><body>
<header><nav><a href="javascript:window.__pwned=13">{html.escape(PAYLOADS[1])} Contact</a>{links}
</nav></header>
<main>{text}
<form><label for=f1>{html.escape(PAYLOADS[0])}</label>
<input id=f1 name="{html.escape(PAYLOADS[1], quote=True)}" required>
<label>{html.escape(PAYLOADS[3])}<textarea name=t>{html.escape(PAYLOADS[3])}</textarea></label></form>
<button data-testid="chat'&quot;launcher{html.escape(PAYLOADS[2], quote=True)}"
  aria-label="Chat with us {html.escape(PAYLOADS[0], quote=True)}">Chat</button>
<img alt="{html.escape(PAYLOADS[1], quote=True)}" src="/nothing.png?{html.escape(PAYLOADS[5], quote=True)}">
</main>
<footer><a href="tel:{html.escape(PAYLOADS[1], quote=True)}">Call</a>
<a href="mailto:x@example.com?subject={html.escape(PAYLOADS[0], quote=True)}">Mail</a></footer>
<script>
  const P = {js_payloads};
  document.title = P[4] + " " + P[0];
  console.error(P.join(" "));
  setTimeout(() => {{ throw new Error(P[6]); }}, 0);
  alert(P[1]);
</script></body></html>"""


def _config(site: FaultSite, folder: Path) -> Path:
    doc: dict[str, Any] = {
        "site": {"name": PAYLOADS[0], "base_url": site.url},
        "channels": {"desktop": {"preset": "desktop"}},
        "collect": {"settle_ms": 50},
        "journeys": [
            {
                "name": "shop",
                "checkout": True,
                "steps": [
                    {"goto": "/", "label": PAYLOADS[1]},
                    {"goto": f"/help?q={PAYLOADS[2]}"},
                    {"fill": {"selector": "#f1", "value": PAYLOADS[3]}},
                    {"wait_for": f"text={PAYLOADS[0]}", "timeout_ms": 400},
                ],
            }
        ],
    }
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.fixture(scope="module")
def hostile_audit(tmp_path_factory: pytest.TempPathFactory, browser_ok: None) -> Path:
    """The hostile site audited through `cx-audit run`; returns the output folder."""
    folder = tmp_path_factory.mktemp("hostile")
    with FaultSite() as site:
        site.html_route("/", _hostile_page())
        site.html_route("/help", _hostile_page())
        r = CliRunner().invoke(
            app, ["run", str(_config(site, folder)), "--out", str(folder / "out"), "--no-history"]
        )
    assert r.exit_code in (0, 1) and isinstance(r.exception, SystemExit | None), r.output
    return folder / "out"


def test_report_of_a_hostile_site_runs_no_payload(hostile_audit: Path, chromium: Any) -> None:
    out = hostile_audit
    visits = [json.loads(line) for line in (out / "artifacts" / "visits.jsonl").read_text().splitlines()]
    # The payloads really reached the artifacts (else this test proves nothing).
    gathered = json.dumps(visits) + (out / "artifacts" / "run.json").read_text()
    for needle in (PAYLOADS[0], "javascript:window.__pwned=13", "chat_launcher", PAYLOADS[4]):
        assert needle in gathered or json.dumps(needle)[1:-1] in gathered, needle
    report = (out / "report.html").read_text()
    assert "Content-Security-Policy" in report
    assert "<script>window.__pwned" not in report, "payloads must be escaped in the HTML"

    dialogs, pwned = _payloads_that_ran(chromium, out / "report.html")
    assert dialogs == [], dialogs
    assert all(p is None for p in pwned), pwned


def test_the_detector_sees_a_payload_that_runs(chromium: Any, tmp_path: Path) -> None:
    """Negative control: an unescaped payload in a page without CSP is caught by the same check."""
    bad = tmp_path / "bad.html"
    bad.write_text(f"<!doctype html><p>{PAYLOADS[0]}</p><img src=x onerror=\"alert('12')\">")
    dialogs, pwned = _payloads_that_ran(chromium, bad)
    assert dialogs == ["12"] and pwned == [1]


@pytest.fixture(scope="module")
def chromium(browser_ok: None) -> Iterator[Any]:
    from cx_auditor.browser import find_browser
    from playwright.sync_api import sync_playwright

    choice = find_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=choice.executable, args=choice.args)
        yield browser
        browser.close()


def _payloads_that_ran(browser: Any, report: Path) -> tuple[list[str], list[Any]]:
    """Open the report like a reader would and collect dialogs and ``window.__pwned`` of every frame."""
    dialogs: list[str] = []
    pg = browser.new_page()
    try:
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(report.as_uri())
        pg.wait_for_load_state("load")
        # Open everything a reader might open: details, tabs, filters.
        pg.evaluate("() => document.querySelectorAll('details').forEach((d) => d.open = true)")
        for button in pg.locator("button").all()[:40]:
            try:
                button.click(timeout=500)
            except Exception:  # noqa: BLE001 - hidden or detached controls are fine to skip
                pass
        pg.wait_for_timeout(300)
        pwned = [f.evaluate("() => window.__pwned === undefined ? null : window.__pwned") for f in pg.frames]
    finally:
        pg.close()
    return dialogs, pwned
