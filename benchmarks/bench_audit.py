"""Is a full cx-audit of the demo store faster than simply walking its journeys?

    .venv/bin/python benchmarks/bench_audit.py [--variant clean|flawed] [--channels all|desktop,mobile]
                                   [--repeat N] [--workers N] [--ablate] [--no-lighthouse] [--json]

In one run, against one demo store, it times:

* the full audit (``auditor.pipeline.audit``: collect on every channel, checks, all four reports);
* a *bare walk*: the same journey steps from the same config on the same browser channels with plain
  Playwright - no instrumentation, no screenshots, no settle wait, no probes, one context at a time;
* the check-and-report phase alone (``judge`` over the recorded artifacts), and loading them;
* Lighthouse (npm ``lighthouse``) on the demo home page, when it is installed.

Targets (issues "Checks part 1" and "Speed and scale"): audit / bare walk <= 1.0 thanks to concurrency;
checks + reports < 0.5 s; the whole audit faster than one Lighthouse page run. Each figure is the
median of ``--repeat`` runs; the audit and the walk alternate their order between repeats so drift in
machine load does not favour one. ``--ablate`` re-runs the audit with one cost switched off at a time
(settle wait, screenshots, chat probe, link probes) to show where its time goes; ``--profile`` runs
one more audit with timers wrapped around the collector's phases (unit-seconds per phase).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    BROWSER_CHANNELS,
    bench_dir,
    config_from,
    demo_config_data,
    diff_pct,
    fmt,
    lighthouse_bin,
    load_average,
    median,
    parse_channels,
    run_lighthouse,
    table,
    with_channels,
)
from cx_auditor.artifacts import load_artifacts  # noqa: E402
from cx_auditor.browser import find_browser  # noqa: E402
from cx_auditor.config import AuditConfig, Journey, Step  # noqa: E402
from cx_auditor.demo import DemoStore, documents_dir  # noqa: E402
from cx_auditor.gather.contention import tree_processes  # noqa: E402
from cx_auditor.gather.session import context_options  # noqa: E402
from cx_auditor.models import Artifacts  # noqa: E402
from cx_auditor.pipeline import AuditOptions, audit, judge  # noqa: E402

#: One cost of the audit switched off at a time (config overrides), for ``--ablate``.
ABLATIONS: dict[str, dict[str, Any]] = {
    "no settle wait": {"settle_ms": 0},
    "no screenshots": {"screenshots": {"mode": "off"}},
    "no chat probe": {"probe_chat": False},
    "no link probes": {"probe_links": False},
    "all four off": {
        "settle_ms": 0,
        "screenshots": {"mode": "off"},
        "probe_chat": False,
        "probe_links": False,
    },
}


#: Collector phases timed by ``--profile`` (class name -> async methods). Private names: a benchmark
#: may look inside; if one is renamed the phase is simply left out.
PHASES: dict[str, tuple[str, ...]] = {
    "session:BrowserSession": ("new_context",),
    "probes:UnitChatProbes": ("_drain", "finish"),
    "probes:LinkProber": ("finish",),
    "steps:JourneyRunner": ("_goto", "_landed", "_read_metrics", "_mark_filled"),
    "reader:PageReader": ("screenshot", "gather_requested", "settle"),
}


@dataclass
class Repeat:
    """The figures of one repeat."""

    audit_s: float
    walk_s: float
    load_s: float
    judge_s: float
    lighthouse_s: float | None = None
    walk_failures: list[str] = field(default_factory=list)
    #: CPU seconds of this process and every process it started (browser, renderers, driver,
    #: the demo store's thread) during the audit and during the walk; None off Linux
    audit_cpu_s: float | None = None
    walk_cpu_s: float | None = None


# ------------------------------------------------------------------ bare walk
def bare_walk(cfg: AuditConfig, executable: str | None, args: list[str]) -> tuple[float, list[str]]:
    """Walk every journey on every browser channel with plain Playwright, one context at a time.

    Same steps, same device profiles and throttling as the audit; nothing measured or saved.
    Returns the wall time (browser launch included, as in the audit) and any failed steps.
    """
    from playwright.sync_api import sync_playwright

    failures: list[str] = []
    t0 = time.perf_counter()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=args)
        try:
            for journey in cfg.journeys:
                for channel in cfg.browser_channels():
                    if journey.channels and channel.name not in journey.channels:
                        continue
                    error = _walk_one(browser, cfg, channel.resolved(), journey)
                    if error:
                        failures.append(f"{channel.name}/{journey.name}: {error}")
        finally:
            browser.close()
    return time.perf_counter() - t0, failures


def _walk_one(browser: Any, cfg: AuditConfig, prof: dict[str, Any], journey: Journey) -> str | None:
    ctx = browser.new_context(**context_options(prof))
    ctx.set_default_timeout(cfg.collect.timeout_ms)
    ctx.set_default_navigation_timeout(cfg.collect.timeout_ms)
    try:
        page = ctx.new_page()
        _throttle(ctx, page, prof["throttling"])
        steps = list(journey.steps)
        if not steps or steps[0].goto is None:
            steps.insert(0, Step(goto=journey.start))
        for index, step in enumerate(steps):
            if step.places_order:
                break  # the audit stops here too (orders are not allowed)
            if step.if_present and page.locator(step.if_present).count() == 0:
                continue
            try:
                _walk_step(page, cfg, step)
            except Exception as exc:  # noqa: BLE001 - report, as the audit would
                if step.optional:
                    continue
                return f"step {index + 1} ({step.describe()}): {str(exc).splitlines()[0][:160]}"
        return None
    finally:
        ctx.close()


def _throttle(ctx: Any, page: Any, thr: Any) -> None:
    """The same DevTools throttling the collector applies, so a throttled channel costs both the same."""
    if thr.is_noop():
        return
    cdp = ctx.new_cdp_session(page)
    for method, params in thr.cdp_commands():
        cdp.send(method, params)


def _walk_step(page: Any, cfg: AuditConfig, step: Step) -> None:
    """One step the way a hand-written Playwright script does it: act, then wait for ``load``."""
    from playwright.sync_api import expect

    timeout = step.timeout_ms or cfg.collect.timeout_ms
    action = step.action
    if action == "goto":
        page.goto(cfg.absolute_url(step.target), wait_until="load", timeout=timeout)
        return
    if action == "expect_text":
        expect(page.locator("body")).to_contain_text(step.target, timeout=timeout)
        return
    if action == "snapshot":
        return
    loc = page.locator(step.target).first
    if action == "click":
        loc.click(timeout=timeout)
        page.wait_for_load_state("load", timeout=timeout)  # returns at once when nothing navigated
    elif action == "fill":
        loc.fill(step.value or "", timeout=timeout)
    elif action == "select":
        loc.select_option(step.value, timeout=timeout)
    elif action == "check":
        loc.check(timeout=timeout)
    elif action == "press":
        loc.press(step.value or "Enter", timeout=timeout)
        page.wait_for_load_state("load", timeout=timeout)
    elif action == "wait_for":
        loc.wait_for(state="visible", timeout=timeout)


# ---------------------------------------------------------------------- audit
def timed_audit(cfg: AuditConfig, out: Path, workers: int | None) -> tuple[float, Artifacts]:
    opts = AuditOptions(out=out, workers=workers, record_history=False)
    t0 = time.perf_counter()
    result = audit(cfg, opts)
    return time.perf_counter() - t0, result.artifacts


def timed_judge(artifacts_dir: Path, cfg: AuditConfig, out: Path) -> tuple[float, float]:
    """Load the recorded artifacts, then run checks + all reports over them; the two times apart."""
    t0 = time.perf_counter()
    artifacts = load_artifacts(artifacts_dir)
    t1 = time.perf_counter()
    judge(artifacts, cfg, AuditOptions(out=out, record_history=False), artifacts_dir=artifacts_dir)
    return t1 - t0, time.perf_counter() - t1


def step_profile(artifacts: Artifacts) -> dict[str, Any]:
    """Where the collector's time went, from what it recorded (per action and per unit)."""
    by_action: dict[str, list[float]] = defaultdict(list)
    units = []
    for outcome in artifacts.journeys:
        units.append((f"{outcome.channel}/{outcome.journey}", outcome.elapsed_ms or 0.0, outcome.completed))
        for rec in outcome.steps:
            if rec.elapsed_ms is not None and not rec.skipped:
                by_action[rec.action].append(rec.elapsed_ms)
    return {
        "units": units,
        "unit_sum_ms": sum(u[1] for u in units),
        "by_action": {
            a: {"n": len(v), "sum_ms": sum(v), "mean_ms": sum(v) / len(v)} for a, v in by_action.items()
        },
    }


@contextlib.contextmanager
def phase_timers() -> Iterator[dict[str, list[float]]]:
    """Wrap the collector's phases with timers for one audit; yields name -> durations (s)."""
    import importlib

    spent: dict[str, list[float]] = defaultdict(list)
    originals: list[tuple[type, str, Any]] = []

    def wrap(cls: type, name: str) -> None:
        orig = cls.__dict__.get(name)
        if orig is None:
            return
        originals.append((cls, name, orig))

        key = f"{cls.__name__}.{name}"

        async def timed(self: Any, *a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return await orig(self, *a, **k)
            finally:
                spent[key].append(time.perf_counter() - t0)

        setattr(cls, name, timed)

    for where, names in PHASES.items():
        module, cls_name = where.split(":")
        cls = getattr(importlib.import_module(f"cx_auditor.gather.{module}"), cls_name, None)
        for name in names if cls is not None else ():
            wrap(cls, name)
    try:
        yield spent
    finally:
        for cls, name, orig in originals:
            setattr(cls, name, orig)


def phase_table(spent: dict[str, list[float]], wall: float) -> list[dict[str, Any]]:
    """Unit-seconds per phase (the phases do not nest: screenshots and requested data are read on leaving)."""
    total = {k: sum(v) for k, v in spent.items()}
    labels = {
        "JourneyRunner._goto": "goto: navigation until load",
        "JourneyRunner._landed": "read page content (text, links, fields)",
        "PageReader.screenshot": "screenshots",
        "PageReader.gather_requested": "what checks asked for (selector texts, page scripts)",
        "PageReader.settle": "settle wait (adaptive, at most collect.settle_ms after load)",
        "JourneyRunner._read_metrics": "read performance metrics",
        "JourneyRunner._mark_filled": "mark filled fields",
        "BrowserSession.new_context": "new context + init script + throttling",
        "UnitChatProbes._drain": "chat probes beside the journey (background, not on the unit's path)",
        "UnitChatProbes.finish": "chat probes left for the unit's end (per unit)",
        "LinkProber.finish": "help-link status probes (once)",
    }
    rows = [
        {"phase": labels.get(k, k), "calls": len(spent[k]), "seconds": v, "share_of_wall": v / wall}
        for k, v in total.items()
    ]
    return sorted(rows, key=lambda r: -r["seconds"])


# ----------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    channels = parse_channels(args.channels)
    choice = find_browser()
    lh = None if args.no_lighthouse else lighthouse_bin()
    scratch = bench_dir("audit")
    repeats: list[Repeat] = []
    ablations: dict[str, list[float]] = defaultdict(list)
    profile: dict[str, Any] = {}
    phases: list[dict[str, Any]] = []
    try:
        with DemoStore(args.variant, products=args.products) as store:
            template = demo_config_data(store.url, args.variant, documents_dir(args.variant))
            data = with_channels(template, channels)
            cfg = config_from(data, scratch)
            _say(
                args,
                f"Demo store ({args.variant}) at {store.url}; channels: {', '.join(cfg.channels)}; "
                f"browser: {choice.describe()}; load average: {load_average()}",
            )
            for i in range(args.repeat):
                rep = _one_repeat(i, cfg, scratch, choice, args, lh, store.url)
                repeats.append(rep)
                if i == 0:
                    profile = step_profile(load_artifacts(scratch / "audit-0" / "artifacts"))
                _say(
                    args,
                    f"  repeat {i + 1}/{args.repeat}: audit {rep.audit_s:.2f} s, "
                    f"bare walk {rep.walk_s:.2f} s, judge {rep.judge_s:.3f} s"
                    + (f", lighthouse {rep.lighthouse_s:.1f} s" if rep.lighthouse_s else ""),
                )
            if args.ablate:
                for i in range(args.repeat):
                    for k, (name, overrides) in enumerate(ABLATIONS.items()):
                        abl = json.loads(json.dumps(data))
                        abl.setdefault("collect", {}).update(overrides)
                        abl_out = scratch / f"ablate-{i}-{k}"
                        wall, _ = timed_audit(config_from(abl, scratch), abl_out, args.workers)
                        ablations[name].append(wall)
                        _say(args, f"  ablation {name!r} ({i + 1}/{args.repeat}): {wall:.2f} s")
            if args.profile:
                with phase_timers() as spent:
                    wall, _ = timed_audit(cfg, scratch / "profile", args.workers)
                phases = phase_table(spent, wall)
                _say(args, f"  profiled audit: {wall:.2f} s")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    summary = _summary(args, cfg, repeats, ablations, profile, lh)
    summary["phases"] = phases
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print(summary)
    return 0


def _one_repeat(
    i: int, cfg: AuditConfig, scratch: Path, choice: Any, args: argparse.Namespace, lh: str | None, url: str
) -> Repeat:
    out = scratch / f"audit-{i}"

    cpu: dict[str, float | None] = {}

    def run_audit() -> float:
        with CpuSampler() as sampler:
            wall, _ = timed_audit(cfg, out, args.workers)
        cpu["audit"] = sampler.seconds
        return wall

    def run_walk() -> tuple[float, list[str]]:
        with CpuSampler() as sampler:
            result = bare_walk(cfg, choice.executable, list(choice.args))
        cpu["walk"] = sampler.seconds
        return result

    if i % 2 == 0:
        audit_s = run_audit()
        walk_s, failures = run_walk()
    else:
        walk_s, failures = run_walk()
        audit_s = run_audit()
    load_s, judge_s = timed_judge(out / "artifacts", cfg, scratch / f"judge-{i}")
    lh_s = None
    if lh:
        run = run_lighthouse(url + "/")
        lh_s = run.wall_s if run.ok else None
        if not run.ok:
            _say(args, f"  lighthouse failed: {run.error}")
    return Repeat(audit_s, walk_s, load_s, judge_s, lh_s, failures, cpu.get("audit"), cpu.get("walk"))


class CpuSampler:
    """CPU seconds of this process and every process it starts, while a run goes on (``/proc``).

    Polled every 50 ms, each process's own CPU time kept at its last reading: the browser's
    helpers end with it, some unreaped, and a single reading at the end would miss them.
    """

    def __init__(self) -> None:
        self.seen: dict[int, int] = {}
        self.base: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _read(self) -> dict[int, int] | None:
        tree = tree_processes(os.getpid())
        return None if tree is None else {pid: own for pid, (own, _) in tree.items()}

    def _poll(self) -> None:
        while not self._stop.wait(0.05):
            for pid, own in (self._read() or {}).items():
                self.seen[pid] = max(own, self.seen.get(pid, 0))

    def __enter__(self) -> CpuSampler:
        self.base = self._read() or {}
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        for pid, own in (self._read() or {}).items():
            self.seen[pid] = max(own, self.seen.get(pid, 0))

    @property
    def seconds(self) -> float | None:
        if not self.seen:
            return None
        spent = sum(own - self.base.get(pid, 0) for pid, own in self.seen.items())
        return round(spent / os.sysconf("SC_CLK_TCK"), 2)


def _summary(
    args: argparse.Namespace,
    cfg: AuditConfig,
    repeats: list[Repeat],
    ablations: dict[str, list[float]],
    profile: dict[str, Any],
    lh: str | None,
) -> dict[str, Any]:
    audit_s = median(r.audit_s for r in repeats)
    walk_s = median(r.walk_s for r in repeats)
    lh_s = median(r.lighthouse_s for r in repeats)
    return {
        "variant": args.variant,
        "channels": list(cfg.channels),
        "browser_channels": [c.name for c in cfg.browser_channels()],
        "units": len(cfg.journeys) * len(cfg.browser_channels()),
        "workers": args.workers,
        "repeat": args.repeat,
        "load_average": load_average(),
        "median": {
            "audit_s": audit_s,
            "bare_walk_s": walk_s,
            "ratio": None if not audit_s or not walk_s else audit_s / walk_s,
            "load_artifacts_s": median(r.load_s for r in repeats),
            "judge_s": median(r.judge_s for r in repeats),
            "lighthouse_s": lh_s,
            "audit_vs_lighthouse": None if not audit_s or not lh_s else audit_s / lh_s,
            "audit_cpu_s": median(r.audit_cpu_s for r in repeats),
            "walk_cpu_s": median(r.walk_cpu_s for r in repeats),
        },
        "lighthouse": lh or "not installed",
        "repeats": [asdict(r) for r in repeats],
        "ablations": {
            name: {"median_s": median(v), "saves_s": None if audit_s is None else audit_s - (median(v) or 0)}
            for name, v in ablations.items()
        },
        "profile": profile,
        "walk_failures": sorted({f for r in repeats for f in r.walk_failures}),
    }


def _print(s: dict[str, Any]) -> None:
    m = s["median"]
    rows = [
        ["full audit (collect + checks + 4 reports)", fmt(m["audit_s"], " s", 2), "—"],
        ["bare Playwright walk (sequential)", fmt(m["bare_walk_s"], " s", 2), "—"],
        ["ratio audit / bare walk", fmt(m["ratio"], "", 2), "<= 1.00 " + _verdict(m["ratio"], 1.0)],
        ["CPU time of the audit (all its processes)", fmt(m["audit_cpu_s"], " s", 1), "—"],
        ["CPU time of the bare walk", fmt(m["walk_cpu_s"], " s", 1), "—"],
        ["load artifacts", fmt(m["load_artifacts_s"], " s", 3), "—"],
        [
            "checks + all reports (judge)",
            fmt(m["judge_s"], " s", 3),
            "< 0.500 s " + _verdict(m["judge_s"], 0.5),
        ],
        [
            "Lighthouse, one page (home)",
            fmt(m["lighthouse_s"], " s", 2) if m["lighthouse_s"] else "skipped",
            "—",
        ],
        [
            "ratio audit / Lighthouse",
            fmt(m["audit_vs_lighthouse"], "", 2),
            ("< 1.00 " + _verdict(m["audit_vs_lighthouse"], 1.0, strict=True))
            if m["audit_vs_lighthouse"]
            else "—",
        ],
    ]
    print()
    print(
        f"cx-audit benchmark: demo store ({s['variant']}), channels {', '.join(s['channels'])}, "
        f"{s['units']} browser units, workers {s['workers'] or 'default'}, median of {s['repeat']}"
    )
    print(f"load average: {s['load_average']}; lighthouse: {s['lighthouse']}")
    print(table(["what", "median", "target"], rows, right=[1]))
    if s["walk_failures"]:
        print("\nbare walk failures (its time is then not comparable):")
        for f in s["walk_failures"]:
            print(f"  - {f}")
    _print_profile(s)


def _print_profile(s: dict[str, Any]) -> None:
    prof = s["profile"]
    if prof:
        print(
            f"\nWhere the collector's time went (first repeat; sum over units "
            f"{prof['unit_sum_ms'] / 1000:.2f} s vs audit wall {fmt(s['median']['audit_s'], ' s', 2)}):"
        )
        rows = [
            [a, str(v["n"]), fmt(v["sum_ms"], " ms"), fmt(v["mean_ms"], " ms")]
            for a, v in sorted(prof["by_action"].items(), key=lambda kv: -kv[1]["sum_ms"])
        ]
        print(table(["step action", "steps", "total", "mean"], rows, right=[1, 2, 3]))
    if s.get("phases"):
        print(
            "\nProfiled audit: time per collector phase, summed over units running concurrently "
            "(unit-seconds; share of that audit's wall time):"
        )
        rows = [
            [r["phase"], str(r["calls"]), fmt(r["seconds"], " s", 2), fmt(r["share_of_wall"] * 100, " %", 0)]
            for r in s["phases"]
        ]
        print(table(["phase", "calls", "unit-seconds", "of wall"], rows, right=[1, 2, 3]))
    if s["ablations"]:
        print("\nAblation: the audit with one cost switched off (median wall, and what it saves):")
        rows = [
            [
                name,
                fmt(v["median_s"], " s", 2),
                fmt(v["saves_s"], " s", 2),
                fmt(diff_pct(v["median_s"], s["median"]["audit_s"]), " %", 0),
            ]
            for name, v in sorted(s["ablations"].items(), key=lambda kv: -(kv[1]["saves_s"] or 0))
        ]
        print(table(["switched off", "audit wall", "saves", "change"], rows, right=[1, 2, 3]))


def _verdict(value: float | None, limit: float, *, strict: bool = False) -> str:
    if value is None:
        return ""
    ok = value < limit if strict else value <= limit
    return "(met)" if ok else "(MISSED)"


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.json:
        print(text, file=sys.stderr, flush=True)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    p.add_argument("--variant", choices=("clean", "flawed"), default="clean")
    p.add_argument(
        "--channels", default="all", help=f"all (= {', '.join(BROWSER_CHANNELS)}, email) or a comma list"
    )
    p.add_argument("--repeat", type=int, default=3, help="repeats; medians are reported (default 3)")
    p.add_argument("--workers", type=int, default=None, help="collector concurrency (default: the tool's)")
    p.add_argument("--products", type=int, default=12, help="demo catalogue size (default 12)")
    p.add_argument(
        "--ablate", action="store_true", help="also time the audit with one cost switched off at a time"
    )
    p.add_argument(
        "--profile", action="store_true", help="also run one audit with timers around the collector's phases"
    )
    p.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse even when installed")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder with reports and artifacts")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


if __name__ == "__main__":
    raise SystemExit(main())
