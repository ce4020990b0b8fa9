"""What journey-health recording costs a whole audit: `cx-audit demo` with and without the recorder.

Runs the shipped demo audit (desktop + mobile + email, both journeys) on the flawed
demo store, alternating a run with the step-effects recorder wired in (as shipped)
and a run where :class:`~cx_auditor.gather.journey_effects.JourneyEffects` does
nothing, and reports the median wall time of each, per executed step, and the
load average, since the machine is shared.

    .venv/bin/python benchmarks/bench_journey_effects_audit.py [--rounds 2] [--spa]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def _audit(spa: bool, recorder: bool) -> tuple[float, int]:
    from cx_auditor.demo import DemoStore
    from cx_auditor.demo_config import demo_config
    from cx_auditor.gather import journey_effects
    from cx_auditor.pipeline import AuditOptions, audit

    saved: dict[str, Any] = {}
    if not recorder:
        for name in ("attach", "before", "after", "failed"):
            saved[name] = getattr(journey_effects.JourneyEffects, name)

            async def _nothing(self: Any, *a: Any, **k: Any) -> None:
                return None

            setattr(journey_effects.JourneyEffects, name, _nothing)
    try:
        with tempfile.TemporaryDirectory() as tmp, DemoStore("flawed", spa=spa) as store:
            cfg = demo_config(store.url, "flawed", work_dir=Path(tmp), spa=spa)
            t0 = time.perf_counter()
            result = audit(cfg, AuditOptions(out=Path(tmp) / "out", record_history=False))
            elapsed = time.perf_counter() - t0
    finally:
        for name, fn in saved.items():
            setattr(journey_effects.JourneyEffects, name, fn)
    steps = sum(1 for j in result.artifacts.journeys for s in j.steps if not s.skipped)
    return elapsed, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--spa", action="store_true", help="audit the SPA mode of the demo store")
    args = parser.parse_args()
    with_rec: list[float] = []
    without: list[float] = []
    steps = 0
    loads = []
    for _ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        t, _ = _audit(args.spa, recorder=False)
        without.append(t)
        t, steps = _audit(args.spa, recorder=True)
        with_rec.append(t)
    bare, rec = statistics.median(without), statistics.median(with_rec)
    print(
        f"demo audit ({'SPA' if args.spa else 'server-rendered'}, flawed); rounds: {args.rounds}; "
        f"executed steps: {steps}; load average (1 min) at start of rounds: {loads}"
    )
    print(f"without recorder  median {bare:6.1f} s   runs {[round(x, 1) for x in without]}")
    print(f"with recorder     median {rec:6.1f} s   runs {[round(x, 1) for x in with_rec]}")
    print(
        f"difference        {rec - bare:+6.1f} s  ({(rec - bare) / bare * 100:+.0f} %, "
        f"{(rec - bare) / max(steps, 1) * 1000:+.0f} ms per executed step, summed over parallel units)"
    )


if __name__ == "__main__":
    main()
