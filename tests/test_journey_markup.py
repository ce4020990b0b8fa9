"""Journeys on markup we did not write: hidden duplicates, per-channel steps, setup journeys,
and the order-placing step inspected without a click (issue 13, items 5 and 8).

A tiny local site reproduces what real storefronts do (a collapsed menu repeating a
link before the visible one, a desktop-only mini-basket, a login cookie) and the full
pipeline runs against it in a real browser.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cx_auditor.config import parse_config
from cx_auditor.errors import ConfigError
from cx_auditor.pipeline import AuditOptions, audit

PAGES = {
    "/": """<h1>Home</h1>
<nav style="display:none"><a class="go" href="/hidden-target">Shop</a></nav>
<div class="mini-basket" style="display:none">
<button class="checkout" onclick="location='/wrong'">Checkout</button></div>
<main><a class="go" href="/next">Shop</a>
<button class="checkout" onclick="location='/review-ok'">Checkout</button>
<div id="banner-hidden" style="display:none"><button id="dismiss">Dismiss</button></div></main>""",
    "/next": "<h1>Next</h1><p>Arrived</p>",
    "/login": """<h1>Sign in</h1><button id="signin" onclick="document.cookie='session=ok; path=/';
location='/account'">Sign in</button>""",
    "/account": """<h1>Account</h1><p id="who"></p><script>document.getElementById('who').textContent =
document.cookie.includes('session=ok') ? 'Signed in as Alex' : 'Signed out';</script>""",
    "/review-ok": '<h1>Review</h1><button id="place">Place order</button>',
    "/review-disabled": '<h1>Review</h1><button id="place" disabled>Place order</button>',
    "/review-hidden": '<h1>Review</h1><button id="place" style="display:none">Place order</button>',
    "/review-missing": "<h1>Review</h1><p>Something went wrong.</p>",
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = PAGES.get(self.path.split("?")[0])
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = f"<!doctype html><html><head><title>T</title></head><body>{body}</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


HEAD = """
site: {{name: markup, base_url: "{url}"}}
channels:
  desktop: {{preset: desktop}}
  mobile: {{preset: mobile}}
collect: {{settle_ms: 100, probe_chat: false, probe_links: false, timeout_ms: 4000, runs: {runs}}}
"""


def _run(site: str, journeys: str, out: Path, runs: int = 1):  # type: ignore[no-untyped-def]
    cfg = parse_config(HEAD.format(url=site, runs=runs) + journeys, path=str(out / "audit.yaml"))
    return audit(cfg, AuditOptions(out=out, record_history=False))  # type: ignore[call-arg]


def _outcome(result, journey: str, channel: str):  # type: ignore[no-untyped-def]
    return next(o for o in result.artifacts.journeys if o.journey == journey and o.channel == channel)


@pytest.mark.browser
def test_steps_act_on_the_first_visible_match_and_honour_channels_and_visibility(
    site: str, tmp_path: Path, browser_ok: None
) -> None:
    result = _run(
        site,
        """
journeys:
  - name: shop
    steps:
      - goto: /
      - click: "#dismiss"
        if_visible: "#banner-hidden"
      - click: "#only-on-mobile"
        channels: [mobile]
        optional: true
      - click: a.go
        label: Shop link (a hidden duplicate comes first)
  - name: basket
    steps:
      - goto: /
      - click: button.checkout
""",
        tmp_path,
    )
    for channel in ("desktop", "mobile"):
        shop = _outcome(result, "shop", channel)
        assert shop.completed, shop.error
        assert shop.steps[-1].url.endswith("/next")
        # if_visible: the element exists but is hidden, so the step was skipped, not run
        assert shop.steps[1].skipped and "nothing visible" in (shop.steps[1].error or "")
        basket = _outcome(result, "basket", channel)
        assert basket.completed, basket.error
        assert basket.steps[-1].url.endswith("/review-ok")
    desktop_only = _outcome(result, "shop", "desktop").steps[2]
    assert desktop_only.skipped and "only on mobile" in (desktop_only.error or "")
    mobile_step = _outcome(result, "shop", "mobile").steps[2]
    assert not mobile_step.skipped and not mobile_step.ok  # ran on mobile (and, optional, failed)


@pytest.mark.browser
def test_setup_journey_runs_once_per_channel_and_its_session_is_reused(
    site: str, tmp_path: Path, browser_ok: None
) -> None:
    result = _run(
        site,
        """
journeys:
  - name: login
    setup: true
    steps:
      - goto: /login
      - click: "#signin"
  - name: account
    steps:
      - goto: /account
      - expect_text: Signed in as Alex
""",
        tmp_path,
        runs=2,
    )
    logins = [o for o in result.artifacts.journeys if o.journey == "login"]
    assert sorted(o.channel for o in logins) == ["desktop", "mobile"]  # once per channel, not per run
    accounts = [o for o in result.artifacts.journeys if o.journey == "account"]
    assert len(accounts) == 4 and all(o.completed for o in accounts), [o.error for o in accounts]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("page", "ready", "why"),
    [
        ("/review-ok", True, None),
        ("/review-disabled", False, "disabled"),
        ("/review-hidden", False, "not visible"),
        ("/review-missing", False, "missing"),
    ],
)
def test_the_order_step_is_inspected_not_clicked(
    site: str, tmp_path: Path, browser_ok: None, page: str, ready: bool, why: str | None
) -> None:
    result = _run(
        site,
        f"""
journeys:
  - name: buy
    checkout: true
    channels: [desktop]
    steps:
      - goto: {page}
      - click: "#place"
        label: Place order
        places_order: true
        timeout_ms: 1500
""",
        tmp_path,
    )
    outcome = _outcome(result, "buy", "desktop")
    step = outcome.steps[-1]
    assert step.skipped and step.places_order and step.order_target_ready is ready
    assert outcome.completed
    found = [
        f
        for r in result.scorecard.results
        if r.check == "checkout_steps"
        for f in r.findings
        if f.rule == "order-button-unusable"
    ]
    if ready:
        assert not found
        assert step.target_enabled is True
    else:
        assert len(found) == 1 and why in found[0].message
        assert found[0].severity.value == "fail"


@pytest.mark.parametrize(
    ("journeys", "needle"),
    [
        (
            "journeys: [{name: a, steps: [{goto: /, channels: [tablet]}]}]",
            "step 1 names channel 'tablet'",
        ),
        (
            "journeys: [{name: a, channels: [desktop], steps: [{goto: /, channels: [mobile]}]}]",
            "only runs on desktop",
        ),
        (
            "journeys: [{name: a, setup: true, steps: [{goto: /}]},"
            " {name: b, setup: true, steps: [{goto: /}]}]",
            "both `setup` journeys",
        ),
        (
            "journeys: [{name: a, setup: true, checkout: true, steps: [{goto: /}]}]",
            "both `setup` and `checkout`",
        ),
    ],
)
def test_bad_channel_and_setup_settings_are_clear_errors(journeys: str, needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(HEAD.format(url="http://127.0.0.1:9", runs=1) + journeys, path="audit.yaml")
    assert needle in str(err.value)


def test_step_channels_and_if_visible_are_in_the_schema() -> None:
    from cx_auditor.config_schema import config_json_schema

    schema = config_json_schema(checks={})
    assert {"if_visible", "channels"} <= set(schema["$defs"]["Step"]["properties"])
    assert "setup" in schema["$defs"]["Journey"]["properties"]
