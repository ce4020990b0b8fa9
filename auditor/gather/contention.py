"""How much of the machine's CPU *other* processes took while the audit ran.

The load average cannot tell a busy machine from a busy audit: four browser units on two
cores put the load at 3-5 on their own, and the one-minute average still carries the last
minute's work (the previous audit of a CI job, say). Timings suffer from the *others*, so
that is what is measured here, over the very period the pages were timed: the CPU time the
whole machine spent (``/proc/stat``) minus the CPU time of this process and every process
it started (browser, renderers, driver; ``/proc/<pid>/stat``, reaped children included), as
a share of the CPU time there was (wall time x CPUs).

Linux only; elsewhere (or in a container that hides ``/proc``) it is ``None`` and the load
average rule stands alone.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CpuShareMeter", "machine_busy_ticks", "tree_processes", "tree_ticks"]


def machine_busy_ticks(proc: Path = Path("/proc")) -> int | None:
    """Clock ticks all CPUs spent on anything but idle and I/O wait since boot."""
    try:
        first = (proc / "stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    if not first or first[0] != "cpu":
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
    values = [int(v) for v in first[1:9]]
    if len(values) < 8:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = values
    return user + nice + system + irq + softirq + steal


def _stat_fields(text: str) -> list[str]:
    # "pid (comm) state ppid ..." - comm may hold spaces and parentheses: split after the last ")".
    return text[text.rindex(")") + 2 :].split()


def tree_processes(root_pid: int, proc: Path = Path("/proc")) -> dict[int, tuple[int, int]] | None:
    """``pid -> (own ticks, reaped children's ticks)`` for ``root_pid`` and all its descendants."""
    parents: dict[int, int] = {}
    ticks: dict[int, tuple[int, int]] = {}
    try:
        entries = list(proc.iterdir())
    except OSError:
        return None
    for entry in entries:
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = _stat_fields((entry / "stat").read_text())
            pid = int(entry.name)
            parents[pid] = int(fields[1])
            # utime stime cutime cstime: fields 14-17 of the full line, 11-14 after "comm) "
            utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
            ticks[pid] = (utime + stime, cutime + cstime)
    if root_pid not in ticks:
        return None
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = {}, [root_pid]
    while todo:
        pid = todo.pop()
        if pid in ticks:
            tree[pid] = ticks[pid]
        todo.extend(children.get(pid, ()))
    return tree


def tree_ticks(root_pid: int, proc: Path = Path("/proc")) -> int | None:
    """Clock ticks used by ``root_pid`` and all its descendants, reaped children included.

    A process that exits unreaped (re-parented to init, as a browser's helpers can be when the
    browser is gone) takes its ticks with it: take the mark while the browser still runs.
    """
    tree = tree_processes(root_pid, proc)
    return None if tree is None else sum(own + reaped for own, reaped in tree.values())


@dataclass
class _Mark:
    wall: float
    machine: int
    ours: int


class CpuShareMeter:
    """Start before the pages are timed, :meth:`stop` after: the share other processes took."""

    def __init__(self, proc: Path = Path("/proc"), pid: int | None = None) -> None:
        self.proc = proc
        self.pid = os.getpid() if pid is None else pid
        self.cpus = os.cpu_count() or 1
        self._start: _Mark | None = None

    def _mark(self) -> _Mark | None:
        machine = machine_busy_ticks(self.proc)
        ours = tree_ticks(self.pid, self.proc)
        if machine is None or ours is None:
            return None
        return _Mark(time.monotonic(), machine, ours)

    def start(self) -> None:
        self._start = self._mark()

    def stop(self) -> float | None:
        """Share of all CPUs' time others used since :meth:`start`, 0..1; ``None`` if unknown."""
        start, end = self._start, self._mark()
        if start is None or end is None:
            return None
        hz = _clock_ticks()
        available = (end.wall - start.wall) * self.cpus * hz
        if available <= 0 or hz <= 0:
            return None
        others = (end.machine - start.machine) - (end.ours - start.ours)
        return round(min(1.0, max(0.0, others / available)), 3)


def _clock_ticks() -> int:
    try:
        return int(os.sysconf("SC_CLK_TCK"))
    except (ValueError, OSError, AttributeError):
        return 100
