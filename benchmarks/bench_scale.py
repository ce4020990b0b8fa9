"""Does link discovery scale? Wall time and memory for 10, 100 and 1000 discovered pages.

    .venv/bin/python benchmarks/bench_scale.py                 # 10, 100, 1000 pages
    .venv/bin/python benchmarks/bench_scale.py --sizes 10 50   # quicker

The demo store (``products=2000``, clean variant) is served from this process;
each size is crawled in a *fresh* subprocess through the collector's own page
recorder, so each measurement starts from the same empty interpreter. Reported
per size: wall time of the crawl, peak RSS of the crawling Python process
(``ru_maxrss``; the browser is a separate process and not counted), its growth
over the RSS before the crawl, and the peak of Python allocations during the
crawl (``tracemalloc``). Visits stream to ``visits.jsonl``, so memory should
stay flat while time grows linearly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def crawl_once(base_url: str, pages: int, workers: int, out: Path) -> dict[str, Any]:
    """Crawl ``pages`` pages of the store at ``base_url``; measure this process."""
    from cx_auditor.artifacts import ArtifactWriter
    from cx_auditor.browser import find_browser
    from cx_auditor.demo_config import demo_config
    from cx_auditor.gather import CollectOptions, Collector, read_discovered
    from cx_auditor.gather.discovery import crawl_config
    from playwright.async_api import async_playwright

    cfg = demo_config(base_url, "clean", work_dir=out)
    col = Collector(cfg, find_browser(), CollectOptions(out=out))
    writer = ArtifactWriter(out / "artifacts")
    state = col.new_state(writer)
    channel = cfg.browser_channels()[0]

    async def go() -> Any:
        async with async_playwright() as pw:
            await col.session.start(pw)
            try:
                tracemalloc.start()
                t0 = time.perf_counter()
                result = await crawl_config(
                    cfg,
                    lambda: col.session.new_context(channel),
                    lambda page, url: read_discovered(page, url, channel=channel.name, index=0, state=state),
                    writer=writer,
                    limit=pages,
                    channel=channel.name,
                    workers=workers,
                )
                wall = time.perf_counter() - t0
                _, py_peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                return result, wall, py_peak
            finally:
                await col.session.close()

    rss_before = _rss_mb()
    result, wall, py_peak = asyncio.run(go())
    writer.close()
    visits = out / "artifacts" / "visits.jsonl"
    return {
        "pages": result.pages,
        "rendered": result.rendered,
        "failed": len(result.failed),
        "wall_s": round(wall, 2),
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_mb": round(_rss_mb(), 1),
        "py_peak_mb": round(py_peak / 2**20, 2),
        "visits_mb": round(visits.stat().st_size / 2**20, 2),
    }


def _child(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="cx-bench-") as tmp:
        print(json.dumps(crawl_once(args.url, args.one, args.workers, Path(tmp))))


def _table(rows: list[dict[str, Any]]) -> str:
    cols = [
        ("pages", "pages"),
        ("wall_s", "wall s"),
        ("ms/page", "ms/page"),
        ("rss_before_mb", "RSS before MB"),
        ("rss_peak_mb", "peak RSS MB"),
        ("rss_growth_mb", "RSS growth MB"),
        ("py_peak_mb", "py alloc peak MB"),
        ("visits_mb", "visits.jsonl MB"),
    ]
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---:|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(str(r[k]) for k, _ in cols) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _child(args)
        return
    from cx_auditor.demo import DemoStore

    rows = []
    with DemoStore("clean", products=args.products) as store:
        for n in args.sizes:
            cmd = [
                sys.executable,
                __file__,
                "--one",
                str(n),
                "--url",
                store.url,
                "--workers",
                str(args.workers),
            ]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row["ms/page"] = round(row["wall_s"] * 1000 / max(1, row["rendered"]))
            row["rss_growth_mb"] = round(row["rss_peak_mb"] - row["rss_before_mb"], 1)
            rows.append(row)
            print(f"{n:>5} pages: {row}", file=sys.stderr, flush=True)
    print(f"Discovery on the demo store (products={args.products}, workers={args.workers}):\n")
    print(_table(rows))


if __name__ == "__main__":
    main()
