"""How many bytes of history does one run cost? Record 200 demo-like scorecards into SQLite.

    .venv/bin/python benchmarks/bench_history.py [--runs 200]

The scorecards mimic the flawed demo store: four checks, ~15 findings, per-page
load-time rows for three channels with five repeat-run samples per metric.
Prints the database size per run (after a checkpoint, so the WAL is folded in)
and the write/read times.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cx_auditor.history.store import HistoryStore  # noqa: E402
from cx_auditor.models import CheckResult, Finding, RunMeta, Scorecard, Severity, make_fingerprint  # noqa: E402

PATHS = (
    "/",
    "/category/tents",
    "/product/trail-tent-2p",
    "/product/summit-bag",
    "/cart",
    "/checkout/email",
    "/checkout/shipping",
    "/checkout/payment",
)
CHANNELS = ("desktop", "mobile", "tablet")


def _page_rows(rng: random.Random) -> list[dict]:
    rows = []
    for channel in CHANNELS:
        for step, path in enumerate(PATHS):
            metrics = {}
            for key, base in (
                ("lcp_ms", 1800),
                ("fcp_ms", 1100),
                ("ttfb_ms", 300),
                ("tbt_ms", 120),
                ("cls", 0.05),
            ):
                samples = [round(base * rng.uniform(0.8, 1.3), 3) for _ in range(5)]
                metrics[key] = {
                    "median": sorted(samples)[2],
                    "min": min(samples),
                    "max": max(samples),
                    "iqr": 1.0,
                    "n": 5,
                    "samples": samples,
                    "rating": "good",
                }
            rows.append(
                {
                    "channel": channel,
                    "journey": "purchase",
                    "step_index": step,
                    "path": path,
                    "url": f"http://127.0.0.1:8765{path}",
                    "runs": 5,
                    "metrics": metrics,
                    "score": round(rng.uniform(40, 95), 1),
                    "transfer_bytes": rng.randint(200_000, 900_000),
                }
            )
    return rows


def _findings(rng: random.Random) -> list[Finding]:
    out = []
    for i in range(15):
        check = ("load_time", "checkout_steps", "messaging_consistency", "support_reachability")[i % 4]
        channel = CHANNELS[i % 3]
        out.append(
            Finding(
                check=check,
                rule=f"rule-{i}",
                severity=Severity(("fail", "warn", "info")[i % 3]),
                message=f"A finding a person understands, number {i}, on {channel}: " + "x" * 80,
                channel=channel,
                url=f"http://127.0.0.1:8765{PATHS[i % len(PATHS)]}",
                evidence={"big": "y" * 2000},
                fingerprint=make_fingerprint(check, i, channel),
            )
        )
    return out


def demo_scorecard(i: int, rng: random.Random) -> Scorecard:
    findings = _findings(rng)
    results = [
        CheckResult(
            check="load_time",
            score=rng.uniform(40, 90),
            metrics={"pages": _page_rows(rng)},
            findings=[f for f in findings if f.check == "load_time"],
        ),
        CheckResult(
            check="checkout_steps",
            score=rng.uniform(40, 90),
            metrics={"channels": {c: {"steps": 7, "fields": 19, "clicks": 14} for c in CHANNELS}},
            findings=[f for f in findings if f.check == "checkout_steps"],
        ),
        CheckResult(
            check="messaging_consistency",
            score=rng.uniform(40, 90),
            metrics={"claims": 14},
            findings=[f for f in findings if f.check == "messaging_consistency"],
        ),
        CheckResult(
            check="support_reachability",
            score=rng.uniform(40, 90),
            metrics={"pages": 24},
            findings=[f for f in findings if f.check == "support_reachability"],
        ),
    ]
    meta = RunMeta(
        site="Northwind Outfitters",
        started_at="2026-01-01T00:00:00+00:00",
        git_branch="main",
        git_commit=f"{i:040x}",
    )
    return Scorecard(run_id=f"bench-{i:04d}", meta=meta, score=70.0, grade="C", results=results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    cards = [demo_scorecard(i, rng) for i in range(args.runs)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.db"
        store = HistoryStore.open(path)
        started = time.perf_counter()
        for card in cards:
            store.record(card)
        write_s = time.perf_counter() - started
        started = time.perf_counter()
        store.scorecard("latest")
        read_ms = (time.perf_counter() - started) * 1000
        store.close()
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = path.stat().st_size
    scorecard_json = len(cards[0].model_dump_json())
    print(f"runs recorded:          {args.runs}")
    print(f"database size:          {size / 1024:,.0f} KiB")
    print(
        f"bytes stored per run:   {size / args.runs:,.0f} B "
        f"(the scorecard.json is {scorecard_json:,} B; evidence and screenshots stay on disk)"
    )
    print(f"record time:            {write_s / args.runs * 1000:.1f} ms per run")
    print(f"rebuild latest run:     {read_ms:.1f} ms")


if __name__ == "__main__":
    main()
