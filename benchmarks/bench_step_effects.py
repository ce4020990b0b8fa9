"""What the step-effects recorder costs: the demo journeys with and without it, and the check's time.

Runs the journey_health demo journeys (tests/test_check_journey_health_browser.py) on the
flawed demo store, alternating runs with the recorder attached and a bare interpreter
that performs the same steps, and reports the median wall time per step of each, the
artifact bytes the recorder adds, and the time the check takes on the recorded artifacts.

    .venv/bin/python benchmarks/bench_step_effects.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cx_auditor.browser import find_browser  # noqa: E402
from cx_auditor.checks.journey_health import JourneyHealthCheck  # noqa: E402
from cx_auditor.demo import SEEDED_DEFECTS, DemoStore  # noqa: E402

from tests.journey_harness import _perform, run_journeys  # noqa: E402
from tests.test_check_journey_health_browser import CHECKOUT, SHOP  # noqa: E402


async def bare(base: str) -> float:
    """The same steps with no recorder: the baseline."""
    from playwright.async_api import async_playwright

    choice = find_browser()
    started = time.perf_counter()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=choice.executable, args=choice.args)
        for journey in (SHOP, CHECKOUT):
            ctx = await browser.new_context()
            page = await ctx.new_page()
            for step in journey.steps:
                await _perform(page, base, step)
                if step.action == "click":
                    await page.wait_for_load_state("load")
            await ctx.close()
        await browser.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    steps = len(SHOP.steps) + len(CHECKOUT.steps)
    defects = [d.id for d in SEEDED_DEFECTS if d.check == "journey_health"]
    with_rec: list[float] = []
    without: list[float] = []
    check_ms: list[float] = []
    size = 0
    with DemoStore("flawed", defects=defects) as store:
        for _ in range(args.rounds):
            without.append(asyncio.run(bare(store.url)))
            t0 = time.perf_counter()
            arts = asyncio.run(run_journeys(store.url, [SHOP, CHECKOUT]))
            with_rec.append(time.perf_counter() - t0)
            t1 = time.perf_counter()
            JourneyHealthCheck().run(arts, dict(JourneyHealthCheck.default_options))
            check_ms.append((time.perf_counter() - t1) * 1000)
            size = len(arts.model_dump_json(exclude_defaults=True))
            bare_size = len(
                arts.model_copy(
                    update={
                        "journeys": [
                            j.model_copy(
                                update={
                                    "steps": [
                                        s.model_copy(
                                            update={
                                                "effects": None,
                                                "errors": [],
                                                "images": [],
                                                "expect": None,
                                            }
                                        )
                                        for s in j.steps
                                    ]
                                }
                            )
                            for j in arts.journeys
                        ]
                    }
                ).model_dump_json(exclude_defaults=True)
            )
    load = os.getloadavg()[0]
    bare_s, rec_s = statistics.median(without), statistics.median(with_rec)
    print(f"steps per round: {steps}; rounds: {args.rounds}; load average (1 min): {load:.2f}")
    print(f"bare interpreter   median {bare_s:6.2f} s  ({bare_s / steps * 1000:5.0f} ms/step)")
    print(f"with recorder      median {rec_s:6.2f} s  ({rec_s / steps * 1000:5.0f} ms/step)")
    overhead = (rec_s - bare_s) / steps * 1000
    print(f"recorder overhead  {overhead:5.0f} ms/step (includes the 250 ms settle after clicks)")
    print(f"artifact bytes     {size} with effects, {bare_size} without ({size - bare_size} added)")
    print(f"check run time     median {statistics.median(check_ms):.1f} ms")


if __name__ == "__main__":
    main()
