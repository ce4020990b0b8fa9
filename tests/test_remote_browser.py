"""Auditing through a remote browser: a Playwright server and a Chromium DevTools endpoint.

Each test starts a real server on localhost, audits the demo store through it
with the CLI, and stops it. ``CX_AUDIT_BROWSER`` points at a file that does not
exist, so an audit that quietly launched a local browser instead would fail.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from cx_auditor.browser import CHROMIUM_ARGS, system_chromium
from cx_auditor.cli import app
from typer.testing import CliRunner

pytestmark = pytest.mark.browser

CONFIG = """\
site:
  base_url: {base_url}
channels:
  desktop: {{preset: desktop}}
journeys:
  - name: look-around
    steps:
      - goto: /
      - click: "[data-testid=category-tile] >> nth=0"
      - goto: /help
collect:
  settle_ms: 200
  discover: 3
  screenshots: {{mode: "off"}}
"""


def _chromium() -> str:
    path = system_chromium()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("CI must have a Chromium for the remote-browser tests")
        pytest.skip("no Chromium executable to serve remotely")
    return path


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop(proc: subprocess.Popen[str]) -> None:
    """Stop a server we started, and everything it started, by its own process group.

    ``python -m playwright run-server`` runs a Node.js child, which in turn
    launches the browser: all of them are in the group and all must be gone.
    """
    pgid = proc.pid  # start_new_session=True: the server leads its own group
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if _group_alive(pgid):
            os.killpg(pgid, sig)
        deadline = time.monotonic() + 10
        while _group_alive(pgid) and time.monotonic() < deadline:
            proc.poll()  # reap our direct child so it does not linger as a zombie
            time.sleep(0.1)
        if not _group_alive(pgid):
            break
    proc.wait(timeout=10)
    assert not _group_alive(pgid), "the server's processes survived SIGKILL"


def _read_line(proc: subprocess.Popen[str], pattern: str, timeout: float = 30) -> re.Match[str]:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        if m := re.search(pattern, line):
            return m
    raise AssertionError(f"server did not announce itself: {''.join(seen)[-2000:]}")


@pytest.fixture
def playwright_server() -> Iterator[str]:
    """``playwright run-server`` on a free localhost port; yields its ws:// URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", "0", "--unsafe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield _read_line(proc, r"(ws://127\.0\.0\.1:\d+/)").group(1)
    finally:
        _stop(proc)
    assert proc.poll() is not None


@pytest.fixture
def cdp_chromium(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A headless Chromium with its DevTools endpoint on a free port; yields (http URL, process)."""
    profile = tmp_path / "profile"
    args = [
        _chromium(),
        "--headless=new",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        "--no-sandbox",
        "--disable-gpu",
        *CHROMIUM_ARGS,
        "about:blank",
    ]
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, start_new_session=True
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()) and time.monotonic() < deadline:
            assert proc.poll() is None, "Chromium exited before opening its DevTools port"
            time.sleep(0.1)
        port = int(port_file.read_text().splitlines()[0])
        yield f"http://127.0.0.1:{port}", proc
    finally:
        _stop(proc)
    assert proc.poll() is not None


def _audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *endpoint_args: str) -> str:
    """Audit the demo store through the given endpoint; return the run's browser description."""
    from cx_auditor.artifacts import load_artifacts
    from cx_auditor.demo import DemoStore

    monkeypatch.setenv("CX_AUDIT_BROWSER", str(tmp_path / "no-such-browser"))  # no silent local launch
    out = tmp_path / "report"
    with DemoStore("clean", products=12) as store:
        cfg = tmp_path / "audit.yaml"
        cfg.write_text(CONFIG.format(base_url=store.url), encoding="utf-8")
        args = [
            "run",
            str(cfg),
            "--out",
            str(out),
            *endpoint_args,
            "--workers",
            "2",
            "--format",
            "json",
            "--no-history",
            "--quiet",
        ]
        result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output + repr(result.exception)
    artifacts = load_artifacts(out)
    journey = artifacts.journeys[0]
    assert journey.completed, journey.error
    scripted = [v for v in artifacts.visits if not v.discovered]
    assert [v.status for v in scripted] == [200, 200, 200]
    assert all(v.timings.load_ms is not None and v.links for v in scripted)
    assert len([v for v in artifacts.visits if v.discovered]) == 3
    assert (out / "scorecard.json").exists()
    return artifacts.meta.browser


def test_audit_through_a_playwright_server(
    playwright_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server launches the browser on its side. Which one, and with which flags, the client
    # says in the `launch-options` query parameter; a server started with --unsafe accepts
    # executablePath and args (without it, it uses its own Playwright-installed Chromium).
    launch = {"executablePath": _chromium(), "args": ["--no-sandbox", "--disable-gpu", *CHROMIUM_ARGS]}
    endpoint = f"{playwright_server}?launch-options={quote(json.dumps(launch))}"
    browser = _audit(tmp_path, monkeypatch, "--browser-endpoint", endpoint)
    assert browser.startswith("remote Playwright browser at ws://127.0.0.1:")


def test_audit_over_cdp(
    cdp_chromium: tuple[str, subprocess.Popen[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, proc = cdp_chromium
    browser = _audit(tmp_path, monkeypatch, "--cdp-endpoint", endpoint)
    assert browser == f"Chromium over CDP at {endpoint}"
    assert proc.poll() is None  # the audit used the running browser and left it running
