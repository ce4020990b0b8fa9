"""Nothing lost: a run stopped midway keeps the earlier reports and history and reports what it had.

``cx-audit run`` is started as a real process against a slow local site, then
stopped midway: Ctrl-C (SIGINT to the process, and to its whole process group
as a terminal does), SIGTERM, or its Chromium killed. Each time the previous
reports are replaced only by whole new ones marked incomplete, the history
keeps exactly its earlier runs, and the exit code says what happened.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from cx_auditor.history.store import HistoryStore

from tests.faultsite import FaultSite, wait_until

ROOT = Path(__file__).resolve().parents[1]
OLD_REPORT = "<!doctype html><title>previous report</title><p>the earlier, complete run</p></html>"


def _config(site: FaultSite, folder: Path) -> Path:
    slow = [{"goto": "/delay?ms=1500"} for _ in range(8)]
    doc = {
        "site": {"base_url": site.url},
        "channels": {"desktop": {"preset": "desktop"}},
        "collect": {"settle_ms": 50, "probe_chat": False, "probe_links": False, "workers": 3},
        "journeys": [
            {"name": "quick", "steps": [{"goto": "/ok"}]},
            {"name": "slow-a", "steps": slow},
            {"name": "slow-b", "steps": slow},
        ],
    }
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _previous_run(out: Path, history: Path) -> None:
    """What an earlier, whole run left: reports in OUT and one run in the history."""
    from tests.scorecard_factory import make_scorecard

    out.mkdir(parents=True)
    (out / "report.html").write_text(OLD_REPORT)
    (out / "scorecard.json").write_text(json.dumps({"previous": True}))
    with HistoryStore.open(str(history)) as store:
        store.record(make_scorecard())
    assert _history_count(history) == 1


def _history_count(history: Path) -> int:
    store = HistoryStore.open(str(history), create=False)
    try:
        return store.count()
    finally:
        store.close()


def _start(cfg: Path, out: Path, history: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cx_auditor.cli",
            "run",
            str(cfg),
            "--out",
            str(out),
            "--history",
            str(history),
            "--json",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every descendant of ``pid``, from /proc."""
    parents: dict[int, int] = {}
    cmdlines: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        cmdlines[int(entry.name)] = cmd
    found, frontier = [], {pid}
    while frontier:
        nxt = {child for child, parent in parents.items() if parent in frontier}
        found.extend((c, cmdlines[c]) for c in nxt)
        frontier = nxt
    return found


def _browser_pid(pid: int) -> int | None:
    for child, cmd in _children(pid):
        if "chrom" in cmd and "--type=" not in cmd:
            return child
    return None


def _stop(proc: subprocess.Popen[str], how: str) -> None:
    if how == "sigint":
        proc.send_signal(signal.SIGINT)
    elif how == "sigint-group":
        os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the driver and Chromium too
    elif how == "sigterm":
        proc.send_signal(signal.SIGTERM)
    elif how == "browser-crash":
        browser = _browser_pid(proc.pid)
        assert browser is not None, _children(proc.pid)
        os.kill(browser, signal.SIGKILL)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("how", "code"), [("sigint", 130), ("sigint-group", 130), ("sigterm", 130), ("browser-crash", 3)]
)
def test_interrupted_run_reports_what_it_gathered(
    tmp_path: Path, browser_ok: None, how: str, code: int
) -> None:
    out, history = tmp_path / "out", tmp_path / "history.db"
    _previous_run(out, history)
    with FaultSite() as site:
        proc = _start(_config(site, tmp_path), out, history)
        try:
            # Midway: the quick journey is on disk (in the run's staging folder, swapped in at
            # the end) and the slow ones are still going.
            def midway() -> bool:
                live = list(out.glob(".cx-audit-staging-*/artifacts/visits.jsonl"))
                return bool(live) and live[0].stat().st_size > 0 and site.hits["/delay"] >= 2

            if not wait_until(midway, timeout=90):
                pytest.fail(proc.stderr.read() if proc.poll() is not None else "the run made no progress")
            assert proc.poll() is None, "the run ended before it could be interrupted"
            # The earlier reports are untouched while the run is going.
            assert (out / "report.html").read_text() == OLD_REPORT
            t0 = time.monotonic()
            _stop(proc, how)
            stdout, stderr = proc.communicate(timeout=90)
            stopped_in = time.monotonic() - t0
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    assert proc.returncode == code, (stdout, stderr)
    assert "Traceback" not in stderr, stderr
    assert "marked incomplete" in stderr and "not recorded in history" in stderr
    assert stopped_in < 45, "an interrupted run stops promptly"
    # New reports replaced the old ones whole, and say they are incomplete.
    card = json.loads((out / "scorecard.json").read_text())
    assert card["meta"]["complete"] is False
    html = (out / "report.html").read_text()
    assert html != OLD_REPORT and html.rstrip().endswith("</html>")
    assert not list(out.rglob(".*.tmp")), "no temporary files left behind"
    summary = json.loads(stdout)
    assert summary["complete"] is False and summary["exit_code"] == code and summary["incomplete_reason"]
    # What was gathered is there: the quick journey's page, and a record of the cut-short ones.
    run = json.loads((out / "artifacts" / "run.json").read_text())
    assert run["meta"]["complete"] is False
    outcomes = {j["journey"]: j for j in run["journeys"]}
    assert outcomes["quick"]["completed"] is True
    assert not outcomes["slow-a"]["completed"] and outcomes["slow-a"]["error"]
    assert any("/ok" in line for line in (out / "artifacts" / "visits.jsonl").read_text().splitlines())
    # The history is intact: the earlier run, and no half run.
    assert _history_count(history) == 1


@pytest.mark.parametrize("complete", [True, False])
def test_only_complete_runs_enter_history(tmp_path: Path, complete: bool) -> None:
    """Re-judging an interrupted run's artifacts (`check --from`) reports them but records nothing."""
    from cx_auditor.artifacts import save_artifacts
    from cx_auditor.cli import app
    from typer.testing import CliRunner

    from tests.artifact_factory import artifacts, visit

    save_artifacts(artifacts([visit("/")], complete=complete), tmp_path / "artifacts")
    history = tmp_path / "history.db"
    r = CliRunner().invoke(
        app,
        [
            "check",
            "--from",
            str(tmp_path / "artifacts"),
            "--out",
            str(tmp_path / "o"),
            "--record-history",
            "--history",
            str(history),
            "--json",
        ],
    )
    # Incomplete artifacts are reported but never pass a gate: exit 130, like the run that wrote them.
    assert r.exit_code in ((0, 1) if complete else (130,)), r.output
    assert json.loads(r.output.split("\nerror:")[0])["complete"] is complete
    assert (_history_count(history) if history.exists() else 0) == (1 if complete else 0)


def _idle_collector(tmp_path: Path) -> Any:
    """A collector that never starts a browser: its stop bookkeeping is driven by hand."""
    from cx_auditor.browser import BrowserChoice
    from cx_auditor.demo_config import demo_config
    from cx_auditor.gather import CollectOptions, Collector

    return Collector(
        demo_config("http://127.0.0.1:9", "clean", work_dir=tmp_path),
        BrowserChoice(kind="launch"),
        CollectOptions(out=tmp_path),
    )


@pytest.mark.parametrize("browser_died_first", [True, False])
def test_a_signal_decides_the_exit_even_when_chromium_died_of_it_first(
    tmp_path: Path, browser_died_first: bool
) -> None:
    """A terminal's Ctrl-C reaches Chromium too. When Chromium quits before the run has closed it,
    the run was still interrupted by the user (exit 130), not by a browser crash (exit 3)."""
    from cx_auditor.gather import BROWSER_LOST
    from cx_auditor.gather.collector import INTERRUPTED_BY_SIGNAL

    col = _idle_collector(tmp_path)
    if browser_died_first:
        col.session.lost = True
        col._browser_lost()
        assert col.interrupted == BROWSER_LOST and col.browser_lost
    col._stop_gathering(INTERRUPTED_BY_SIGNAL)
    col.session.lost = True  # Chromium went down with the same Ctrl-C
    col._browser_lost()
    assert col.interrupted == INTERRUPTED_BY_SIGNAL
    assert not col.browser_lost


def test_a_browser_lost_without_a_signal_is_a_crash(tmp_path: Path) -> None:
    from cx_auditor.gather import BROWSER_LOST

    col = _idle_collector(tmp_path)
    col.session.lost = True
    col._browser_lost()
    assert col.interrupted == BROWSER_LOST
    assert col.browser_lost
