"""A page that never ends is stopped by its budget, and a page that never finishes is not "down".

Hostile local routes (127.0.0.1, stopped by the test): a 200 answer whose body streams
forever, a script that fills the JavaScript heap forever, and a 200 answer that sends
half a page and stalls. The browser process tree's peak RSS is sampled from ``/proc``
while the run goes on, and printed (``-s``) for the record.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cx_auditor.browser import find_browser
from cx_auditor.cli import app
from cx_auditor.collector import CollectOptions, Collector
from cx_auditor.config import parse_config
from typer.testing import CliRunner

from tests.faultsite import ENDLESS_DOM, FaultSite, endless_body

pytestmark = pytest.mark.browser


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree_rss(root: int) -> int:
    """RSS in bytes of every descendant of ``root`` (the browser and its helpers)."""
    tree, total, todo = _children(), 0, list(_children().get(root, []))
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


class PeakRss:
    """Samples the RSS of this process's descendants every 100 ms; ``peak`` in bytes."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, _tree_rss(os.getpid()))

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def site() -> Iterator[FaultSite]:
    with FaultSite() as s:
        s.route("/endless", endless_body)
        s.html_route("/endless-dom", ENDLESS_DOM)
        yield s


def _config(site: FaultSite, path: str, **collect: Any) -> str:
    doc = {
        "site": {"base_url": site.url},
        "channels": {"desktop": {"preset": "desktop"}},
        "collect": {"settle_ms": 50, "probe_chat": False, "probe_links": False, **collect},
        "journeys": [
            {"name": "endless", "steps": [{"goto": path}, {"wait_for": "#never-there", "timeout_ms": 25_000}]}
        ],
    }
    return yaml.safe_dump(doc, sort_keys=False)


@pytest.mark.parametrize(
    ("path", "reasons"),
    [
        # The streamed body trips whichever budget comes first: the parser is back-pressured,
        # so 16 MB of markup can build 256 MB of DOM before the 16th megabyte arrives.
        ("/endless", ("the page sent more than 16 MB", "the page grew past 256 MB of memory")),
        ("/endless-dom", ("the page grew past 256 MB of memory",)),
    ],
)
def test_an_endless_page_is_stopped_by_its_budget(
    site: FaultSite, tmp_path: Path, browser_ok: None, path: str, reasons: tuple[str, ...]
) -> None:
    cfg = parse_config(
        _config(site, path, page_budget_mb=16, timeout_ms=30_000), path=str(tmp_path / "a.yaml")
    )
    with PeakRss() as rss:
        art = Collector(cfg, find_browser(), CollectOptions(out=tmp_path / "out")).run()
    print(f"\n{path}: browser tree peak RSS {rss.peak / 1e6:.0f} MB")
    outcome = art.journeys[0]
    assert outcome.failed_step is not None, outcome.error
    assert any(reason in (outcome.error or "") for reason in reasons), outcome.error
    assert rss.peak < 1_500_000_000, f"browser tree peaked at {rss.peak / 1e6:.0f} MB"


def test_a_page_that_answers_but_never_finishes_is_not_called_unreachable(
    site: FaultSite, tmp_path: Path, browser_ok: None
) -> None:
    cfg = tmp_path / "audit.yaml"
    cfg.write_text(_config(site, "/hang", timeout_ms=1500))
    r = CliRunner().invoke(app, ["run", str(cfg), "--out", str(tmp_path / "out"), "--no-history"])
    assert "could be reached" not in r.output, r.output
    assert r.exit_code != 3, r.output
    run = (tmp_path / "out" / "artifacts" / "run.json").read_text()
    assert "did not finish loading within 1500 ms, although the server answered (HTTP 200)" in run
