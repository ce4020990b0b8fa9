"""``trend``: scores and key metrics over recorded runs, as one self-contained HTML page.

Charts are plain inline SVG computed here (no JavaScript, no CDN), so the page
opens anywhere, including as a CI artifact. Each point links to its run's HTML
report when that file is still on disk, and carries a tooltip (SVG ``<title>``)
with the run id, date, commit and value. Per-channel values
(``channels.<name>.<metric>``) are drawn as one line per channel.
"""

from __future__ import annotations

import fnmatch
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cx_auditor.history.compare import _environment
from cx_auditor.history.metrics import result_numbers
from cx_auditor.history.store import HistoryStore, RunSummary
from cx_auditor.models import Scorecard

__all__ = ["DEFAULT_KEY_METRICS", "Chart", "build_charts", "render_trend_html"]

PALETTE = ("#2f5fd0", "#d9480f", "#2b8a3e", "#9c36b5", "#e67700", "#0b7285", "#c2255c", "#5c940d")
#: metrics charted by default, as ``check:key`` patterns (``*`` = any channel)
DEFAULT_KEY_METRICS = (
    # typed values (MetricValue.key); runs recorded before them were typed on load
    "load_time:channels.*.lcp_ms",
    "load_time:channels.*.cls",
    "load_time:channels.*.inp_ms",
    "load_time:channels.*.ttfb_ms",
    "checkout_steps:journeys.*.*.steps",
    "checkout_steps:journeys.*.*.fields",
    "messaging_consistency:conflicting_claims",
    "support_reachability:channels.*.reachable_share",
    # names of runs recorded before typed values
    "checkout_steps:channels.*.steps",
    "checkout_steps:channels.*.fields",
    "messaging_consistency:inconsistent",
    "support_reachability:pages_with_help",
)
MAX_METRIC_CHARTS = 10


@dataclass
class Point:
    x: float
    y: float
    value: float
    tooltip: str
    href: str | None


@dataclass
class Line:
    name: str
    color: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points))


@dataclass
class Chart:
    title: str
    width: int
    height: int
    lines: list[Line] = field(default_factory=list)
    yticks: list[tuple[float, str]] = field(default_factory=list)
    xticks: list[tuple[float, str]] = field(default_factory=list)
    bands: list[tuple[float, float, str, str]] = field(default_factory=list)  # y, height, label, colour
    left: int = 46
    right: int = 14
    top: int = 12
    bottom: int = 26

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom


@dataclass
class RunPoint:
    """What the charts need to know about one run."""

    run: RunSummary
    card: Scorecard
    href: str | None


def _nice_step(span: float, target: int = 4) -> float:
    raw = span / max(target, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _y_range(values: Sequence[float], fixed: tuple[float, float] | None) -> tuple[float, float, float]:
    if fixed:
        return fixed[0], fixed[1], 20.0
    lo, hi = min(values), max(values)
    lo = 0.0 if lo >= 0 else lo
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    step = _nice_step(hi - lo)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value:.3g}"


def _x_ticks(chart: Chart, runs: Sequence[RunPoint], xs: Sequence[float]) -> list[tuple[float, str]]:
    """Date labels that never collide: counted back from the newest run, which is always labelled."""
    if not runs:
        return []
    room = max(2, (chart.plot_right - chart.left) // 80)
    every = max(1, math.ceil(len(runs) / room))
    picks = sorted(range(len(runs) - 1, -1, -every))
    return [(xs[i], runs[i].run.started_at.strftime("%b %d")) for i in picks]


def _chart(
    title: str,
    runs: Sequence[RunPoint],
    series: dict[str, list[float | None]],
    *,
    width: int,
    height: int,
    fixed: tuple[float, float] | None = None,
    grade_bands: bool = False,
) -> Chart:
    chart = Chart(title, width, height, right=30 if grade_bands else 18)
    values = [v for vs in series.values() for v in vs if v is not None]
    lo, hi, step = _y_range(values or [0.0], fixed)
    inner_w = chart.plot_right - chart.left
    inner_h = chart.plot_bottom - chart.top
    n = len(runs)
    xs = [chart.left + (inner_w * (i / (n - 1)) if n > 1 else inner_w / 2) for i in range(n)]

    def y_of(v: float) -> float:
        return chart.plot_bottom - (v - lo) / (hi - lo) * inner_h

    ticks = []
    tick = lo
    while tick <= hi + step / 1000:
        ticks.append((y_of(tick), _fmt(tick)))
        tick += step
    chart.yticks = ticks
    chart.xticks = _x_ticks(chart, runs, xs)
    if grade_bands:
        for top, bottom, label, colour in (
            (100, 90, "A", "#e5f5ec"),
            (90, 80, "B", "#eef7e8"),
            (80, 70, "C", "#fff8e1"),
            (70, 50, "D", "#fff1e6"),
            (50, 0, "F", "#fdecea"),
        ):
            chart.bands.append((y_of(top), y_of(bottom) - y_of(top), label, colour))
    for idx, (name, vals) in enumerate(series.items()):
        points = []
        for i, (rp, v) in enumerate(zip(runs, vals, strict=True)):
            if v is None:
                continue
            when = rp.run.started_at.strftime("%Y-%m-%d %H:%M")
            commit = f" · {rp.run.git_commit[:8]}" if rp.run.git_commit else ""
            branch = f" · {rp.run.git_branch}" if rp.run.git_branch else ""
            tip = f"{name}: {_fmt(v)}\n{rp.run.run_id}\n{when} UTC{branch}{commit}"
            points.append(Point(xs[i], y_of(v), v, tip, rp.href))
        if points:
            chart.lines.append(Line(name, PALETTE[idx % len(PALETTE)], points))
    return chart


def _report_href(run: RunSummary, out_dir: Path | None) -> str | None:
    if not run.report_path or not Path(run.report_path).is_file():
        return None
    target = Path(run.report_path).resolve()
    if out_dir is None:
        return target.as_uri()
    return Path(os.path.relpath(target, out_dir.resolve())).as_posix()


def _metric_groups(
    runs: Sequence[RunPoint], patterns: Sequence[str]
) -> dict[str, dict[str, list[float | None]]]:
    """Chart title -> line name -> values per run, for metrics matching ``patterns``."""
    flat = [
        {f"{r.check}:{k}": v for r in rp.card.results for k, v in result_numbers(r, stats=True).items()}
        for rp in runs
    ]
    groups: dict[str, dict[str, list[float | None]]] = {}
    for pattern in patterns:
        keys = sorted({k for f in flat for k in f if fnmatch.fnmatchcase(k, pattern)})
        for key in keys:
            check, _, path = key.partition(":")
            parts = path.split(".")
            if parts[0] == "channels" and len(parts) > 2:
                title, line = f"{check} · {'.'.join(parts[2:])}", parts[1]
            elif parts[0] == "journeys" and len(parts) > 3:
                title, line = f"{check} · {parts[1]} {'.'.join(parts[3:])}", parts[2]
            else:
                title, line = f"{check} · {path}", path
            values = [f.get(key) for f in flat]
            if sum(v is not None for v in values) >= 1:
                groups.setdefault(title, {})[line] = values
    return dict(list(groups.items())[:MAX_METRIC_CHARTS])


def _fallback_patterns(runs: Sequence[RunPoint]) -> list[str]:
    """Top-level numeric metrics of each check, when none of the well-known ones exist."""
    keys = {
        f"{r.check}:{k}"
        for rp in runs
        for r in rp.card.results
        for k in result_numbers(r)
        if "." not in k and "[" not in k
    }
    return sorted(keys)


def build_charts(
    runs: Sequence[RunPoint], metric_patterns: Sequence[str] | None = None
) -> tuple[Chart, Chart, list[Chart]]:
    """The overall chart, the per-check chart and the key-metric charts."""
    overall = _chart(
        "Overall score",
        runs,
        {"overall": [rp.run.score for rp in runs]},
        width=1040,
        height=240,
        fixed=(0, 100),
        grade_bands=True,
    )
    checks = list(dict.fromkeys(r.check for rp in runs for r in rp.card.results))
    per_check = {c: [getattr(rp.card.result(c), "score", None) for rp in runs] for c in checks}
    per_check = {c: v for c, v in per_check.items() if any(x is not None for x in v)}
    by_check = _chart("Score by check", runs, per_check, width=1040, height=260, fixed=(0, 100))
    groups = _metric_groups(runs, metric_patterns or DEFAULT_KEY_METRICS)
    if not groups and not metric_patterns:
        groups = _metric_groups(runs, _fallback_patterns(runs))
    metric_charts = [_chart(title, runs, lines, width=510, height=200) for title, lines in groups.items()]
    return overall, by_check, metric_charts


def render_trend_html(
    store: HistoryStore,
    *,
    site: str | None = None,
    branch: str | None = None,
    limit: int = 60,
    out: str | os.PathLike[str] | None = None,
    metrics: Sequence[str] | None = None,
) -> str:
    """The trend page for the newest ``limit`` runs of ``site`` (default: the newest run's site)."""
    if site is None:
        newest = store.runs(branch=branch, limit=1)
        site = newest[0].site if newest else None
    summaries = list(reversed(store.runs(site=site, branch=branch, limit=limit)))
    out_dir = Path(out).resolve().parent if out is not None else None
    runs = [RunPoint(s, store.scorecard(s), _report_href(s, out_dir)) for s in summaries]
    overall, by_check, metric_charts = build_charts(runs, metrics)
    return (
        _environment()
        .get_template("trend.html.j2")
        .render(
            site=site,
            branch=branch,
            runs=list(reversed(runs)),
            count=len(runs),
            overall=overall,
            by_check=by_check,
            metric_charts=metric_charts,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )
