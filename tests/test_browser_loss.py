"""With ``--trace on``, killing the browser at any moment always ends the run: exit 3, marked incomplete.

``cx-audit run --trace on`` runs as a real process against a slow local site
(127.0.0.1, stopped by the test); its Chromium is killed (SIGKILL) at several
moments of the run: during the first pages, mid-run, and while traces are being
written. Each time the run must end within a bound, exit 3, and leave reports
marked incomplete.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.faultsite import FaultSite, wait_until
from tests.test_interrupt import ROOT, _browser_pid

pytestmark = pytest.mark.browser


def _config(site: FaultSite, folder: Path) -> Path:
    doc = {
        "site": {"base_url": site.url},
        "channels": {"desktop": {"preset": "desktop"}},
        "collect": {"settle_ms": 50, "probe_chat": False, "probe_links": False, "workers": 3, "trace": "on"},
        "journeys": [
            {"name": f"j{i}", "steps": [{"goto": f"/delay?ms={200 + 150 * i}&k={k}"} for k in range(6)]}
            for i in range(3)
        ],
    }
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.mark.parametrize("after_pages", [1, 3, 6, 9])
def test_killing_the_browser_with_traces_on_always_ends_the_run(
    tmp_path: Path, browser_ok: None, after_pages: int
) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    with FaultSite() as site:
        cmd = [sys.executable, "-m", "cx_auditor.cli", "run", str(_config(site, tmp_path)), "--out", str(out)]
        cmd += ["--no-history", "--trace", "on", "--json"]
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            if not wait_until(lambda: site.hits["/delay"] >= after_pages, timeout=90):
                pytest.fail("the run made no progress")
            browser = _browser_pid(proc.pid)
            if browser is None or proc.poll() is not None:
                pytest.skip("the run finished before the browser could be killed")
            os.kill(browser, signal.SIGKILL)
            try:
                stdout, stderr = proc.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                pytest.fail("the run hung after its browser was killed")
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    assert proc.returncode == 3, (stdout, stderr)
    assert "Traceback" not in stderr, stderr
    summary = json.loads(stdout)
    assert summary["complete"] is False and summary["incomplete_reason"]
    assert json.loads((out / "scorecard.json").read_text())["meta"]["complete"] is False
