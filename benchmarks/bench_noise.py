"""Do load-time verdicts hold still on a loaded machine?

Audits the clean and the flawed demo store several times each (all channels, the
tool's defaults) and lists, per run, the ``fail`` findings, the CPU benchmark index, the share
of the CPUs other processes took while the pages were timed and the load average the run
recorded, and how many pages were re-measured to confirm a
failure. Target (issue 16): no ``fail`` at all on the clean store, the same set of
``fail`` findings in every run of the flawed one. Load the machine yourself while it
runs, e.g. ``for i in 1 2; do (timeout 600 sh -c 'while :; do :; done' &); done``.

    .venv/bin/python benchmarks/bench_noise.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_dir, config_from, demo_config_data, load_average, parse_channels, with_channels  # noqa: E402
from cx_auditor.demo import DemoStore, documents_dir  # noqa: E402
from cx_auditor.pipeline import AuditOptions, audit  # noqa: E402


def _fails(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(
        f"{f.check}:{f.rule}:{f.channel or '-'}:{f.url or ''}"
        for r in result.scorecard.results
        for f in r.findings
        if f.severity.value == "fail"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--variants", default="clean,flawed")
    ap.add_argument("--channels", default="all")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    scratch = bench_dir("noise")
    report: dict[str, list[dict[str, object]]] = {}
    try:
        for variant in args.variants.split(","):
            runs = report.setdefault(variant, [])
            with DemoStore(variant) as store:
                template = demo_config_data(store.url, variant, documents_dir(variant))
                data = with_channels(template, parse_channels(args.channels))
                cfg = config_from(data, scratch)
                for i in range(args.repeat):
                    out = scratch / f"{variant}-{i}"
                    t0 = time.perf_counter()
                    result = audit(cfg, AuditOptions(out=out, record_history=False))
                    meta = result.artifacts.meta
                    lt = result.scorecard.result("load_time")
                    runs.append(
                        {
                            "wall_s": round(time.perf_counter() - t0, 1),
                            "uptime_load": load_average(),
                            "benchmark_index": meta.benchmark_index,
                            "load_average": meta.load_average,
                            "other_cpu_share": meta.other_cpu_share,
                            "remeasures": len(meta.remeasures),
                            "flaky": sum(
                                1
                                for f in (lt.findings if lt else [])
                                if f.evidence.get("confirmation", {}).get("verdict") == "flaky"
                            ),
                            "noisy": any(f.rule == "machine-load" for f in (lt.findings if lt else [])),
                            "fails": _fails(result),
                        }
                    )
                    if not args.json:
                        r = runs[-1]
                        print(
                            f"{variant} run {i + 1}: {r['wall_s']} s, index {r['benchmark_index']}, "
                            f"load {r['load_average']}, others' CPU {r['other_cpu_share']}, "
                            f"re-measures {r['remeasures']}, flaky {r['flaky']}, "
                            f"noisy {r['noisy']}, {len(r['fails'])} fail(s)",
                            flush=True,
                        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for variant, runs in report.items():
        sets = {tuple(r["fails"]) for r in runs}  # type: ignore[arg-type]
        lt_fails = [[f for f in r["fails"] if str(f).startswith("load_time:")] for r in runs]  # type: ignore[union-attr]
        if not args.json:
            print(
                f"{variant}: {len(sets)} distinct fail set(s) over {len(runs)} runs; "
                f"load_time fails per run: {[len(x) for x in lt_fails]}"
            )
            for f in sorted(set().union(*[set(r["fails"]) for r in runs])):  # type: ignore[arg-type]
                print(f"   {sum(f in r['fails'] for r in runs)}/{len(runs)}  {f}")  # type: ignore[operator]
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
