"""How much CPU the browser got at the start of a run: a benchmark index, as Lighthouse keeps one.

Timings measured on a starved machine say more about the machine than about the site.
Lighthouse runs a fixed, allocation-heavy JavaScript loop before each audit and reports how
many rounds it completed (``benchmarkIndex``) so that results can be read against it. We do the
same in the run's own browser (a blank page, no network), and record it in the run's meta
together with the system load average; ``load_time`` reads it to tell a slow site from a busy
machine. The loop is our own; only the idea is Lighthouse's.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

__all__ = ["BENCHMARK_JS", "measure_benchmark_index", "system_load"]

#: Rounds of a small string/array workout completed in ``ms`` milliseconds, scaled per second.
#: A round allocates and discards, so it also feels memory-bandwidth and GC pressure.
BENCHMARK_JS = """(ms) => {
  const start = performance.now(); let rounds = 0;
  while (performance.now() - start < ms) {
    let s = ""; const a = [];
    for (let i = 0; i < 1000; i++) { s += "a"; a.push(i * 2); }
    if (s.length + a.length < 0) return -1;
    rounds++;
  }
  return rounds * 1000 / (performance.now() - start);
}"""


async def measure_benchmark_index(browser: Any, *, duration_ms: int = 300) -> float | None:
    """The benchmark index of ``browser`` right now (rounds per second); ``None`` if it cannot run.

    Two short bursts, the better one kept: the first also pays for the JIT warming up.
    """
    ctx = None
    try:
        ctx = await browser.new_context()
        page = await ctx.new_page()
        best = 0.0
        for _ in range(2):
            value = await page.evaluate(BENCHMARK_JS, duration_ms // 2)
            best = max(best, float(value))
        return round(best, 1) if best > 0 else None
    except Exception:  # noqa: BLE001 - a remote browser that refuses: no index, never a failed run
        return None
    finally:
        if ctx is not None:
            with contextlib.suppress(Exception):
                await ctx.close()


def system_load() -> tuple[float | None, int]:
    """The one-minute load average (``None`` where the OS has none) and the CPU count."""
    cpus = os.cpu_count() or 1
    try:
        return round(os.getloadavg()[0], 2), cpus
    except (OSError, AttributeError):
        return None, cpus
