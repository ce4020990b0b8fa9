"""Soft navigations recorded by the real collector on small single-page sites we did not model on the demo.

A hash router and a History API router, each with a slow view and a late layout
shift, plus URL changes that are *not* navigations (a ``replaceState`` on load with
no input, a click that rewrites the URL but changes nothing on screen).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from cx_auditor.browser import find_browser
from cx_auditor.config import parse_config
from cx_auditor.gather.collector import CollectOptions, Collector
from cx_auditor.models import Artifacts

from tests.faultsite import FaultSite, page

#: A hash router: the "slow" view renders after 900 ms; its banner image arrives
#: 700 ms later with no reserved space and pushes the text down.
HASH_APP = page(
    "One title for all",
    """
<nav><a id="to-slow" href="#/slow">Slow view</a> <a id="to-quick" href="#/quick">Quick view</a>
<button id="noop" type="button">Rewrite URL only</button></nav>
<main id="view"><h1>Start</h1><p>Welcome to the start view, with enough words to paint.</p></main>
<script>
  history.replaceState({}, "", location.pathname + "?utm=load");  // no input: not a navigation
  const view = document.getElementById("view");
  document.getElementById("noop").addEventListener("click", () => {
    history.replaceState({}, "", location.pathname + location.search + "&tab=2" + location.hash);
  });
  function render() {
    const route = location.hash.slice(1);
    if (route === "/slow") {
      view.replaceChildren();
      setTimeout(() => {
        const h = document.createElement("h1"); h.textContent = "The slow view";
        const img = document.createElement("img");
        const p = document.createElement("p");
        p.textContent = "Text that the late banner will push down the page. ".repeat(8);
        view.replaceChildren(h, img, p);
        setTimeout(() => {
          img.src = "data:image/svg+xml," + encodeURIComponent(
            '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="500"></svg>');
          img.style.display = "block"; img.style.width = "100%";
        }, 700);
      }, 900);
    } else if (route === "/quick") {
      const h = document.createElement("h1"); h.textContent = "The quick view";
      const p = document.createElement("p"); p.textContent = "Rendered at once.";
      view.replaceChildren(h, p);
    }
  }
  window.addEventListener("hashchange", render);
</script>
""",
)


@pytest.fixture(scope="module")
def soft_run(tmp_path_factory: pytest.TempPathFactory, browser_ok: None) -> Iterator[Artifacts]:
    with FaultSite() as site:
        site.html_route("/app", HASH_APP)
        doc = {
            "site": {"base_url": site.url},
            "channels": {"desktop": {"preset": "desktop"}},
            "collect": {"settle_ms": 1000, "probe_chat": False, "probe_links": False, "timeout_ms": 10_000},
            "journeys": [
                {
                    "name": "hash",
                    "steps": [
                        {"goto": "/app"},
                        {"click": "#noop", "label": "Rewrite the URL only"},
                        {"click": "#to-slow", "label": "Slow view"},
                        {"wait_for": "text=The slow view"},
                        {"click": "#to-quick", "label": "Quick view"},
                        {"wait_for": "text=The quick view"},
                    ],
                }
            ],
        }
        out = tmp_path_factory.mktemp("softnav")
        cfg = parse_config(yaml.safe_dump(doc, sort_keys=False), path=str(out / "audit.yaml"))
        yield Collector(cfg, find_browser(), CollectOptions(out=out, workers=1)).run()


def _by_fragment(art: Artifacts) -> dict[str, Any]:
    return {v.url.split("#", 1)[1] if "#" in v.url else "": v for v in art.visits}


@pytest.mark.browser
def test_hash_route_changes_after_a_click_are_soft_visits_url_rewrites_are_not(soft_run: Artifacts) -> None:
    journey = soft_run.journeys[0]
    assert journey.completed, journey.error
    kinds = [(v.navigation, v.url.rsplit("/", 1)[-1]) for v in soft_run.visits]
    # The load, then one visit per route change; neither the replaceState on load nor the
    # click that only rewrote the URL made a visit.
    assert [k for k, _ in kinds] == ["hard", "soft", "soft"], kinds
    visits = _by_fragment(soft_run)
    assert set(visits) == {"", "/slow", "/quick"}


@pytest.mark.browser
def test_each_soft_visit_measures_its_own_lcp_and_cls_and_no_ttfb_or_fcp(soft_run: Artifacts) -> None:
    visits = _by_fragment(soft_run)
    load, slow, quick = visits[""], visits["/slow"], visits["/quick"]
    assert load.timings.ttfb_ms is not None and load.timings.fcp_ms is not None and load.status == 200
    for v in (slow, quick):
        assert v.timings.ttfb_ms is None and v.timings.fcp_ms is None and v.status is None
    # The slow view paints 900 ms after the click and its banner 700 ms later: its own LCP.
    assert slow.timings.lcp_ms is not None and slow.timings.lcp_ms >= 1500
    # The quick view renders in the click's own task: an LCP of its own, not the slow one's.
    assert quick.timings.lcp_ms is not None and quick.timings.lcp_ms < 500
    # The banner shifted the slow view's text more than 500 ms after the click; nothing shifted later.
    assert slow.timings.cls is not None and slow.timings.cls > 0.01
    assert slow.layout_shifts and all(s.time_ms >= 0 for s in slow.layout_shifts)
    assert (quick.timings.cls or 0) == 0 and (load.timings.cls or 0) == 0
    # Each click's latency belongs to the page it was made on, once.
    assert not any(i.start_ms and i.start_ms < 0 for i in quick.interactions)
