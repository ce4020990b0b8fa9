"""The share of the CPUs other processes took while the pages were timed (``/proc``)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cx_auditor.gather.contention import CpuShareMeter, machine_busy_ticks, tree_processes, tree_ticks


def _fake_proc(root: Path, busy: int, procs: dict[int, tuple[int, int]]) -> None:
    """A /proc with a cpu line and ``pid -> (ppid, ticks)`` processes (utime only)."""
    root.mkdir(exist_ok=True)
    # user nice system idle iowait irq softirq steal guest guest_nice
    (root / "stat").write_text(f"cpu  {busy} 0 0 999999 5 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n")
    for pid, (ppid, ticks) in procs.items():
        d = root / str(pid)
        d.mkdir(exist_ok=True)
        # comm with a space and a parenthesis, as Chromium's "(Chrome_ChildIOT)" names can be
        fields = ["S", str(ppid)] + ["0"] * 9 + [str(ticks), "0", "3", "0"] + ["0"] * 30
        (d / "stat").write_text(f"{pid} (odd (name) x) " + " ".join(fields) + "\n")
    (root / "self").mkdir(exist_ok=True)  # not a pid: skipped


def test_the_tree_sums_our_descendants_and_their_reaped_children_only(tmp_path: Path) -> None:
    _fake_proc(tmp_path, 1000, {1: (0, 500), 10: (1, 40), 11: (10, 25), 12: (11, 5), 20: (1, 300)})
    # 10 is us; 11 and 12 our browser and its renderer (each with 3 ticks of reaped children); 20 is not ours
    assert tree_ticks(10, tmp_path) == 40 + (25 + 3) + (5 + 3) + 3
    assert tree_ticks(99, tmp_path) is None
    assert machine_busy_ticks(tmp_path) == 1000
    (tmp_path / "stat").write_text("intr 1 2 3\n")
    assert machine_busy_ticks(tmp_path) is None


def test_the_share_is_what_the_machine_spent_minus_what_we_spent(tmp_path: Path) -> None:
    _fake_proc(tmp_path, 1000, {10: (1, 100)})
    meter = CpuShareMeter(proc=tmp_path, pid=10)
    meter.cpus = 2
    meter.start()
    assert meter._start is not None
    meter._start.wall -= 1.0  # one second on two CPUs: 2 x CLK_TCK ticks available
    hz = os.sysconf("SC_CLK_TCK")
    _fake_proc(tmp_path, 1000 + hz * 2 // 2 + 10, {10: (1, 110)})  # we took 10 ticks, others one CPU
    share = meter.stop()
    assert share is not None and share == pytest.approx(0.5, abs=0.02)
    assert CpuShareMeter(proc=tmp_path / "missing", pid=10).stop() is None


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="needs Linux /proc")
def test_a_process_we_started_is_ours_and_a_detached_one_is_not() -> None:
    """On the real /proc; no share is asserted (the suite's other worker loads the machine)."""
    before = tree_ticks(os.getpid())
    spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass"
    subprocess.run([sys.executable, "-c", spin], check=True)  # half a CPU-second, then reaped
    after = tree_ticks(os.getpid())
    assert before is not None and after is not None
    assert after - before >= 0.45 * os.sysconf("SC_CLK_TCK")  # the reaped child's time is ours
    # double fork: the spinning process is re-parented away from us, as another job's would be
    sleeper = "import time\ntime.sleep(5)"
    out = subprocess.run(
        ["sh", "-c", f"{sys.executable} -c '{sleeper}' >/dev/null 2>&1 & echo $!"],
        check=True,
        capture_output=True,
        text=True,
    )
    detached = int(out.stdout.split()[-1])
    try:
        tree = tree_processes(os.getpid())
        assert tree is not None and os.getpid() in tree and detached not in tree
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(detached, signal.SIGTERM)
