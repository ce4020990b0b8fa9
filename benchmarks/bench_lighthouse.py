"""Do cx-audit's page timings agree with Lighthouse's on the same pages, under the same conditions?

    .venv/bin/python benchmarks/bench_lighthouse.py [--variant clean|flawed] [--runs N]
                                                    [--conditions desktop,mobile-slow4g,mobile] [--json]

Serves the demo store, audits three of its pages (home, the first category, the first product) with
cx-audit and runs Lighthouse (npm ``lighthouse``, see benchmarks/README.md) on the same URLs, each
tool ``--runs`` times, and prints the medians of TTFB, FCP, LCP and CLS side by side with the
difference in percent, plus both tools' wall time.

Like with like: every condition pairs one cx-audit channel with the Lighthouse settings that load
the page the same way (same viewport and device scale factor, same user agent, same *applied*
throttling or none). Lighthouse's default, *simulated* throttling is never used: it reports a
modelled load, not the one that happened, so it cannot be compared with a measurement.

=============  ===========================================  ================================================
condition      cx-audit channel                             Lighthouse flags
=============  ===========================================  ================================================
desktop        preset desktop (1350x940 @1x), unthrottled   --preset=desktop --throttling-method=provided
mobile         preset mobile (412x823 @1.75), unthrottled   (mobile form factor) --throttling-method=provided
mobile-slow4g  preset mobile, ``throttling: slow-4g``       (mobile form factor) --throttling-method=devtools
               (562.5 ms RTT, 1474.56/675 Kbps, CPU x4)     (its defaults: 150 ms x3.75, 1638.4 Kbps x0.9, x4)
=============  ===========================================  ================================================

The tools alternate run by run (one cx-audit run of every page and condition, then Lighthouse on
each), so drift in machine load hits both alike. Each page is its own cx-audit journey (one
``goto``), so like Lighthouse every measurement starts from a fresh browser context with a cold
cache. The audit runs with one worker by default: pages load one at a time, as in Lighthouse.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    bench_dir,
    config_from,
    diff_pct,
    fmt,
    lighthouse_bin,
    load_average,
    median,
    run_lighthouse,
    table,
)
from cx_auditor.artifacts import load_artifacts  # noqa: E402
from cx_auditor.config import DEVICE_PRESETS  # noqa: E402
from cx_auditor.demo import DemoStore  # noqa: E402
from cx_auditor.pipeline import AuditOptions, audit  # noqa: E402

METRICS = (
    ("ttfb_ms", "TTFB", " ms", 0),
    ("fcp_ms", "FCP", " ms", 0),
    ("lcp_ms", "LCP", " ms", 0),
    ("cls", "CLS", "", 3),
)

#: condition -> (cx-audit channel definition, Lighthouse flags)
CONDITIONS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "desktop": (
        {"preset": "desktop", "throttling": "none"},
        [
            "--preset=desktop",
            "--throttling-method=provided",
            f"--emulatedUserAgent={DEVICE_PRESETS['desktop']['user_agent']}",
        ],
    ),
    "mobile": (
        {"preset": "mobile", "throttling": "none"},
        [
            "--form-factor=mobile",
            "--throttling-method=provided",
            f"--emulatedUserAgent={DEVICE_PRESETS['mobile']['user_agent']}",
        ],
    ),
    "mobile-slow4g": (
        {"preset": "mobile", "throttling": "slow-4g"},
        [
            "--form-factor=mobile",
            "--throttling-method=devtools",
            f"--emulatedUserAgent={DEVICE_PRESETS['mobile']['user_agent']}",
        ],
    ),
}


def find_pages(base_url: str) -> dict[str, str]:
    """Home, the first category tile and the first product card of that category: paths on the store."""
    home = _get(base_url + "/")
    category = _first_href(home, "category-tile")
    product = _first_href(_get(base_url + category), "product-card")
    return {"home": "/", "category": category, "product": product}


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 - our own localhost store
        return resp.read().decode("utf-8", "replace")


def _first_href(html: str, testid: str) -> str:
    from bs4 import BeautifulSoup

    node = BeautifulSoup(html, "html.parser").select_one(f'a[data-testid="{testid}"]')
    if node is None or not node.get("href"):
        raise SystemExit(f"the demo page has no a[data-testid={testid}] link")
    return str(node["href"])


Samples = dict[tuple[str, str], list[dict[str, Any]]]


def audit_pages(
    base_url: str, pages: dict[str, str], conditions: list[str], workers: int, out: Path
) -> tuple[float, Samples]:
    """One cx-audit run: every page a one-step journey, every condition a channel."""
    data = {
        "site": {"name": "demo (bench_lighthouse)", "base_url": base_url},
        "channels": {c: CONDITIONS[c][0] for c in conditions},
        "journeys": [
            {"name": name, "steps": [{"goto": path, "label": name}]} for name, path in pages.items()
        ],
        "collect": {"runs": 1, "workers": workers},
    }
    cfg = config_from(data, out)
    t0 = time.perf_counter()
    audit(cfg, AuditOptions(out=out, record_history=False))
    wall = time.perf_counter() - t0
    samples: Samples = defaultdict(list)
    for visit in load_artifacts(out / "artifacts").visits:
        if visit.step_index == 0 and visit.journey in pages:
            samples[(visit.channel, visit.journey)].append(visit.timings.model_dump())
    return wall, samples


def lighthouse_pages(
    base_url: str, pages: dict[str, str], conditions: list[str], run: int, log: Any
) -> tuple[float, Samples, list[str]]:
    """One Lighthouse CLI run per page and condition."""
    samples: Samples = defaultdict(list)
    errors: list[str] = []
    wall = 0.0
    for cond in conditions:
        for name, path in pages.items():
            result = run_lighthouse(base_url + path, CONDITIONS[cond][1])
            wall += result.wall_s
            if result.ok:
                samples[(cond, name)].append(result.metrics)
            if result.error:
                errors.append(f"{cond}/{name} run {run + 1}: {result.error}")
            log(
                f"  lighthouse {cond} {name} run {run + 1}: {result.wall_s:.1f} s"
                + ("" if result.ok else f" FAILED {result.error}")
            )
    return wall, samples, errors


def interleaved(
    base_url: str,
    pages: dict[str, str],
    conditions: list[str],
    args: argparse.Namespace,
    scratch: Path,
    log: Any,
) -> tuple[float, Samples, float, Samples, list[str]]:
    """Alternate the tools run by run, so a change in machine load hits both alike."""
    ours: Samples = defaultdict(list)
    theirs: Samples = defaultdict(list)
    ours_wall = lh_wall = 0.0
    errors: list[str] = []
    for run in range(args.runs):
        wall, got = audit_pages(base_url, pages, conditions, args.workers, scratch / f"audit-{run}")
        ours_wall += wall
        for key, rows in got.items():
            ours[key].extend(rows)
        log(f"  cx-audit run {run + 1}/{args.runs}: {wall:.1f} s")
        wall, got, errs = lighthouse_pages(base_url, pages, conditions, run, log)
        lh_wall += wall
        errors.extend(errs)
        for key, rows in got.items():
            theirs[key].extend(rows)
    return ours_wall, ours, lh_wall, theirs, errors


def compare(
    pages: dict[str, str], conditions: list[str], ours: Samples, theirs: Samples
) -> list[dict[str, Any]]:
    rows = []
    for cond in conditions:
        for name in pages:
            for key, label, _unit, _digits in METRICS:
                a = median(s.get(key) for s in ours.get((cond, name), []))
                b = median(s.get(key) for s in theirs.get((cond, name), []))
                rows.append(
                    {
                        "condition": cond,
                        "page": name,
                        "path": pages[name],
                        "metric": label,
                        "key": key,
                        "cx_audit": a,
                        "lighthouse": b,
                        "diff_pct": diff_pct(a, b),
                        "n_cx": len(ours.get((cond, name), [])),
                        "n_lh": len(theirs.get((cond, name), [])),
                    }
                )
    return rows


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()]
    unknown = [c for c in conditions if c not in CONDITIONS]
    if unknown:
        raise SystemExit(f"--conditions: unknown {unknown}; choose from {', '.join(CONDITIONS)}")
    lh = lighthouse_bin()
    if lh is None:
        print(
            "Lighthouse is not installed: `cd benchmarks && npm ci` (see benchmarks/README.md). Skipping.",
            file=sys.stderr,
        )
        return 0
    log = (lambda _t: None) if args.json else (lambda t: print(t, file=sys.stderr, flush=True))
    scratch = bench_dir("lighthouse")
    start_load = load_average()
    try:
        with DemoStore(args.variant) as store:
            pages = find_pages(store.url)
            log(f"Demo store ({args.variant}) at {store.url}; pages {pages}; load average {start_load}")
            ours_wall, ours, lh_wall, theirs, errors = interleaved(
                store.url, pages, conditions, args, scratch, log
            )
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    rows = compare(pages, conditions, ours, theirs)
    summary = {
        "variant": args.variant,
        "runs": args.runs,
        "workers": args.workers,
        "conditions": conditions,
        "pages": pages,
        "lighthouse": lh,
        "load_average_start": start_load,
        "load_average_end": load_average(),
        "wall_s": {
            "cx_audit": ours_wall,
            "lighthouse": lh_wall,
            "page_loads": args.runs * len(pages) * len(conditions),
        },
        "rows": rows,
        "lighthouse_warnings": errors,
        "lighthouse_flags": {c: CONDITIONS[c][1] for c in conditions},
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print(summary)
    return 0


def _print(s: dict[str, Any]) -> None:
    units = {label: (unit, digits) for _k, label, unit, digits in METRICS}
    body = []
    for r in s["rows"]:
        unit, digits = units[r["metric"]]
        body.append(
            [
                r["condition"],
                f"{r['page']} ({r['path']})",
                r["metric"],
                fmt(r["cx_audit"], unit, digits),
                fmt(r["lighthouse"], unit, digits),
                _pct(r),
            ]
        )
    print()
    print(
        f"cx-audit vs Lighthouse on the demo store ({s['variant']}): medians of {s['runs']} run(s) "
        f"per tool; cx-audit workers {s['workers']}"
    )
    print(f"load average: {s['load_average_start']} at start, {s['load_average_end']} at end")
    print(table(["condition", "page", "metric", "cx-audit", "lighthouse", "diff"], body, right=[3, 4, 5]))
    w = s["wall_s"]
    print()
    print(
        table(
            ["tool", "wall time", "page loads", "per page load"],
            [
                [
                    "cx-audit (one audit: collect + checks + reports)",
                    fmt(w["cx_audit"], " s", 1),
                    str(w["page_loads"]),
                    fmt(w["cx_audit"] / w["page_loads"], " s", 2),
                ],
                [
                    "Lighthouse (one CLI run per page load)",
                    fmt(w["lighthouse"], " s", 1),
                    str(w["page_loads"]),
                    fmt(w["lighthouse"] / w["page_loads"], " s", 2),
                ],
            ],
            right=[1, 2, 3],
        )
    )
    for cond, flags in s["lighthouse_flags"].items():
        print(f"  {cond}: lighthouse {' '.join(_quoted(f) for f in flags)}")
    if s["lighthouse_warnings"]:
        print("Lighthouse warnings:")
        for line in sorted(set(s["lighthouse_warnings"]))[:10]:
            print(f"  - {line}")


def _quoted(flag: str) -> str:
    """``--a=b c`` -> ``--a="b c"`` so the printed flags can be pasted into a shell."""
    return re.sub(r"=(.* .*)$", r'="\1"', flag)


def _pct(row: dict[str, Any]) -> str:
    if row["key"] == "cls":  # a percentage of ~0 means nothing: show the absolute difference
        if row["cx_audit"] is None or row["lighthouse"] is None:
            return "—"
        return f"{row['cx_audit'] - row['lighthouse']:+.3f}"
    return "—" if row["diff_pct"] is None else f"{row['diff_pct']:+.0f} %"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--variant",
        choices=("clean", "flawed"),
        default="clean",
        help="flawed shows the slow product page and the home layout shift",
    )
    p.add_argument("--runs", type=int, default=3, help="runs per tool; medians are compared (default 3)")
    p.add_argument(
        "--conditions",
        default="desktop,mobile-slow4g",
        help=f"comma list of {', '.join(CONDITIONS)} (default desktop,mobile-slow4g)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="cx-audit concurrency (default 1: measure like Lighthouse, one page at a time)",
    )
    p.add_argument(
        "--keep", action="store_true", help="keep the scratch folder (cx-audit report and artifacts)"
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


if __name__ == "__main__":
    raise SystemExit(main())
