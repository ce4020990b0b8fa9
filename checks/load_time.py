"""``load_time``: how fast each page of each channel loads and responds.

Every recorded page is judged on the Core Web Vitals (LCP, INP, CLS) and their
diagnostics (FCP, TTFB, TBT) against the published good / poor thresholds.
Repeat runs of the same page are folded into a median (the verdict) and a
spread (the evidence that the median is not a fluke). The score is smooth,
Lighthouse-style: each metric goes through a log-normal curve whose control
points are the thresholds, the metric scores are weighted, and pages are
averaged, so a page that gets a little faster always scores a little better.
See ``docs/checks/load_time.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cx_auditor.checks._stats import Spread, median, percentile, spread
from cx_auditor.checks_api import (
    Check,
    CheckOptions,
    NotApplicable,
    finding,
    log_normal_score,
    score_value,
    url_path,
)
from cx_auditor.models import (
    Artifacts,
    CheckResult,
    Column,
    Finding,
    MetricValue,
    PageVisit,
    Rating,
    Remeasure,
    RunMeta,
    Scope,
    Severity,
    TableDetail,
    Thresholds,
)
from pydantic import Field, NonNegativeFloat, field_validator

__all__ = [
    "CONFIRMABLE",
    "ConfirmTarget",
    "LoadTimeCheck",
    "LoadTimeOptions",
    "METRICS",
    "MetricSpec",
    "classify_failure",
    "machine_noise",
    "metric_value",
    "pages_to_confirm",
    "rate",
]

GOOD = Rating.GOOD.value
NEEDS_IMPROVEMENT = Rating.NEEDS_IMPROVEMENT.value
POOR = Rating.POOR.value
_RATING_ORDER = {GOOD: 0, NEEDS_IMPROVEMENT: 1, POOR: 2}


@dataclass(frozen=True)
class MetricSpec:
    """A metric we judge: its label, unit and default thresholds and weight."""

    key: str
    label: str
    unit: str  # "ms" or "" (unitless, CLS)
    good: float
    poor: float
    weight: float


#: Core Web Vitals thresholds (web.dev) and Lighthouse-like weights, in report order.
METRICS: dict[str, MetricSpec] = {
    m.key: m
    for m in (
        MetricSpec("lcp_ms", "LCP", "ms", 2500, 4000, 30),
        MetricSpec("cls", "CLS", "", 0.1, 0.25, 25),
        MetricSpec("inp_ms", "INP", "ms", 200, 500, 15),
        MetricSpec("tbt_ms", "TBT", "ms", 200, 600, 10),
        MetricSpec("fcp_ms", "FCP", "ms", 1800, 3000, 10),
        MetricSpec("ttfb_ms", "TTFB", "ms", 800, 1800, 10),
    )
}


def rate(value: float, good: float, poor: float) -> str:
    """Core Web Vitals rating: ``good`` up to and including ``good``, ``poor`` strictly above ``poor``."""
    return Thresholds(good=good, poor=poor).rate(value).value


def metric_value(visit: PageVisit, key: str) -> float | None:
    """The value of one metric on one visit; ``None`` when the browser did not report it.

    Interaction latency comes from two places: the page-wide worst interaction
    (``timings.inp_ms``) and the journey's own clicks and key presses
    (``interactions``). The worst of whatever was measured is the page's INP.
    """
    if key == "inp_ms":
        samples = [i.duration_ms for i in visit.interactions]
        if visit.timings.inp_ms is not None:
            samples.append(visit.timings.inp_ms)
        return max(samples) if samples else None
    value = getattr(visit.timings, key)
    return None if value is None else float(value)


def format_value(key: str, value: float) -> str:
    """A value as a person reads it: ``4.6 s``, ``320 ms``, ``0.31``."""
    if METRICS[key].unit != "ms":
        return f"{value:.3g}" if value < 1 else f"{value:.2f}"
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms"


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------


MetricKey = Literal["lcp_ms", "cls", "inp_ms", "tbt_ms", "fcp_ms", "ttfb_ms"]


class LoadTimeOptions(CheckOptions):
    """Options of ``load_time``; unset metrics keep the Core Web Vitals thresholds and weights."""

    thresholds: dict[MetricKey, tuple[float, float]] = Field(
        default_factory=dict,
        description="Per metric [good, poor] (or {good, poor}), e.g. lcp_ms: [2500, 4000]; 0 < good < poor.",
    )
    weights: dict[MetricKey, NonNegativeFloat] = Field(
        default_factory=dict, description="Per metric weight in the page score, e.g. cls: 0."
    )
    include_discovered: bool = Field(True, description="Judge pages reached by link discovery too.")
    page_weight_info: bool = Field(True, description="An info finding per channel naming the heaviest page.")
    max_culprits: int = Field(3, ge=0, le=50, description="Resources named as likely culprits per finding.")
    confirm_runs: int = Field(
        2,
        ge=0,
        le=10,
        description="Re-measure a page whose load time fails up to this many times (fresh context, same "
        "channel); a failure the re-measures do not reproduce is reported as flaky (a warning). 0 = off.",
    )
    min_benchmark_index: NonNegativeFloat = Field(
        20_000,
        description="Below this CPU benchmark index (measured at the start of the run) the machine is too "
        "loaded for timings to mean much; 0 = never.",
    )
    max_load_per_cpu: NonNegativeFloat = Field(
        3.0,
        description="Above this one-minute load average per CPU the machine is too loaded for timings to "
        "mean much; used only where the share other processes took is unknown (not Linux); 0 = never.",
    )
    max_other_cpu_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Above this share of all CPUs' time taken by other processes while the pages were "
        "timed, the machine is too loaded for timings to mean much; 0 = never.",
    )
    gate_when_noisy: bool = Field(
        False,
        description="On a machine too loaded for timings, still report poor load times as failures "
        "(by default they become warnings and cannot fail the gate).",
    )

    @field_validator("thresholds", mode="before")
    @classmethod
    def _pairs(cls, value: Any) -> Any:
        """Accept ``{good: .., poor: ..}`` as well as ``[good, poor]``."""
        if isinstance(value, Mapping):
            return {
                k: (v.get("good"), v.get("poor")) if isinstance(v, Mapping) else v for k, v in value.items()
            }
        return value

    @field_validator("thresholds")
    @classmethod
    def _ordered(cls, value: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for key, (good, poor) in value.items():
            if not 0 < good < poor:
                raise ValueError(
                    f"thresholds for {key} must satisfy 0 < good < poor (lower is better), "
                    f"got {good:g}, {poor:g}"
                )
        return value


def _thresholds(options: LoadTimeOptions) -> dict[str, tuple[float, float]]:
    """Defaults overlaid per metric by the configured thresholds."""
    merged = {k: (m.good, m.poor) for k, m in METRICS.items()}
    merged.update({k: (float(g), float(p)) for k, (g, p) in options.thresholds.items()})
    return merged


def _weights(options: LoadTimeOptions) -> dict[str, float]:
    merged = {k: m.weight for k, m in METRICS.items()}
    merged.update({k: float(w) for k, w in options.weights.items()})
    return merged


# ---------------------------------------------------------------------------
# Grouping repeat runs
# ---------------------------------------------------------------------------


@dataclass
class PageStats:
    """One page of one journey step on one channel, aggregated over repeat runs."""

    channel: str
    journey: str
    step_index: int
    path: str
    url: str
    visits: list[PageVisit]
    spreads: dict[str, Spread] = field(default_factory=dict)
    ratings: dict[str, str] = field(default_factory=dict)
    score: float | None = None

    def representative(self, key: str) -> PageVisit:
        """The run whose value is closest to the median: its evidence explains the verdict."""
        target = self.spreads[key].median
        measured = [v for v in self.visits if metric_value(v, key) is not None]
        return min(measured, key=lambda v: (abs(metric_value(v, key) - target), v.run_index))  # type: ignore[operator]

    @property
    def transfer_bytes(self) -> float | None:
        return median(v.transfer_bytes for v in self.visits)

    @property
    def requests(self) -> float | None:
        return median(v.request_count for v in self.visits)


def group_runs(visits: Iterable[PageVisit]) -> list[PageStats]:
    """Fold visits of the same (channel, journey, step, path) across ``run_index``."""
    groups: dict[tuple[str, str, int, str], list[PageVisit]] = defaultdict(list)
    for v in visits:
        path = url_path(v.final_url or v.url)
        groups[(v.channel, v.journey, v.step_index, path)].append(v)
    pages = []
    for (channel, journey, step, path), vs in groups.items():
        vs.sort(key=lambda v: v.run_index)
        pages.append(PageStats(channel, journey, step, path, vs[0].final_url or vs[0].url, vs))
    return pages


def _judge_page(
    page: PageStats, thresholds: Mapping[str, tuple[float, float]], weights: Mapping[str, float]
) -> None:
    """Fill in the page's medians, ratings and weighted log-normal score."""
    total_w = 0.0
    total = 0.0
    for key in METRICS:
        s = spread(metric_value(v, key) for v in page.visits)
        if s is None:
            continue
        good, poor = thresholds[key]
        page.spreads[key] = s
        page.ratings[key] = rate(s.median, good, poor)
        w = weights[key]
        # Lighthouse-style control points: the good threshold scores 0.9 (p10),
        # the poor threshold scores 0.5 (median).
        total += w * log_normal_score(s.median, good, poor)
        total_w += w
    page.score = total / total_w if total_w > 0 else None


# ---------------------------------------------------------------------------
# Noise: confirming failures, and machines too busy to time anything
# ---------------------------------------------------------------------------

#: metrics that are durations, which a starved CPU stretches (CLS is a fraction of the viewport)
TIMED = ("lcp_ms", "inp_ms", "tbt_ms", "fcp_ms", "ttfb_ms")
#: metrics a plain reload of the page measures again (INP comes from the journey's own input)
CONFIRMABLE = ("lcp_ms", "cls", "tbt_ms", "fcp_ms", "ttfb_ms")


@dataclass(frozen=True)
class ConfirmTarget:
    """A page whose load time failed: what the collector loads again, and which metrics failed."""

    channel: str
    journey: str
    step_index: int
    path: str
    url: str
    metrics: tuple[str, ...]


def _judged_pages(
    visits: Iterable[PageVisit], options: LoadTimeOptions, browser: set[str]
) -> list[PageStats]:
    thresholds = _thresholds(options)
    weights = _weights(options)
    pages = group_runs(
        v for v in visits if v.channel in browser and (options.include_discovered or not v.discovered)
    )
    for page in pages:
        _judge_page(page, thresholds, weights)
    return pages


def pages_to_confirm(
    visits: Iterable[PageVisit], options: LoadTimeOptions, browser_channels: Iterable[str]
) -> list[ConfirmTarget]:
    """The pages whose verdict would be a load-time ``fail`` on a metric a reload can measure.

    Pure: the collector calls it on what it recorded, re-measures these pages
    ``options.confirm_runs`` times and the check judges all samples together.
    """
    if options.confirm_runs <= 0:
        return []
    out = []
    for page in _judged_pages(visits, options, set(browser_channels)):
        failing = tuple(k for k in CONFIRMABLE if page.ratings.get(k) == POOR)
        if failing:
            out.append(
                ConfirmTarget(page.channel, page.journey, page.step_index, page.path, page.url, failing)
            )
    return sorted(out, key=lambda t: (t.channel, t.journey, t.step_index, t.path))


def classify_failure(confirmations: list[float], poor: float) -> str:
    """``confirmed`` when the re-measures reproduce the failure (their median is poor), else ``flaky``.

    With no re-measure at all (none asked for, or the page could not be loaded again) the
    original verdict stands: ``confirmed``.
    """
    if not confirmations:
        return "confirmed"
    return "confirmed" if (median(confirmations) or 0.0) > poor else "flaky"


def machine_noise(meta: RunMeta, options: LoadTimeOptions) -> str | None:
    """One line saying why the machine was too loaded for timings to mean much, or ``None``."""
    reasons = []
    index = meta.benchmark_index
    if options.min_benchmark_index > 0 and index is not None and index < options.min_benchmark_index:
        reasons.append(f"CPU benchmark index {index:,.0f} < {options.min_benchmark_index:,.0f}")
    share, load, cpus = meta.other_cpu_share, meta.load_average, meta.cpu_count or 1
    if share is not None:
        # Measured over the timed period and without the audit's own load: it replaces the load
        # average, which counts the audit's own browsers and the minute before the run.
        if options.max_other_cpu_share > 0 and share > options.max_other_cpu_share:
            reasons.append(f"other processes took {share:.0%} of the CPU time while the pages were timed")
    elif options.max_load_per_cpu > 0 and load is not None and load / cpus > options.max_load_per_cpu:
        reasons.append(f"load average {load:.2f} on {cpus} CPU(s)")
    if not reasons:
        return None
    return "The machine was too loaded for timings to mean much (" + "; ".join(reasons) + ")"


def _remeasured(remeasures: Iterable[Remeasure], page: PageStats, key: str) -> list[float]:
    out = []
    for r in remeasures:
        same = (r.channel, r.journey, r.step_index, r.path)
        if same == (page.channel, page.journey, page.step_index, page.path):
            value = getattr(r.timings, key, None)
            if value is not None:
                out.append(float(value))
    return out


# ---------------------------------------------------------------------------
# Culprits: what in the artifacts explains a slow metric
# ---------------------------------------------------------------------------


def _top_resources(visit: PageVisit, types: set[str] | None, limit: int, by: str) -> list[dict[str, Any]]:
    res = [r for r in visit.resources if types is None or r.type in types]
    if by == "bytes":
        res.sort(key=lambda r: r.transfer_bytes, reverse=True)
    else:
        res = [r for r in res if r.duration_ms is not None]
        res.sort(key=lambda r: r.duration_ms or 0.0, reverse=True)
    return [
        {
            "url": r.url,
            "type": r.type,
            "transfer_bytes": r.transfer_bytes,
            "duration_ms": r.duration_ms,
            "third_party": r.third_party,
        }
        for r in res[:limit]
    ]


def _shift_sources(visit: PageVisit, limit: int) -> list[dict[str, Any]]:
    by_source: dict[str, float] = defaultdict(float)
    for shift in visit.layout_shifts:
        for src in shift.sources or ["(unknown element)"]:
            by_source[src] += shift.value
    ranked = sorted(by_source.items(), key=lambda kv: kv[1], reverse=True)[:limit]
    return [{"selector": sel, "shift": round(val, 4)} for sel, val in ranked]


def culprit(key: str, visit: PageVisit, limit: int = 3) -> tuple[str, dict[str, Any]]:
    """A one-line likely cause and its evidence, from what the collector recorded."""
    t = visit.timings
    if key == "lcp_ms":
        evidence: dict[str, Any] = {"lcp_element": t.lcp_element, "lcp_url": t.lcp_url}
        lcp_res = next((r for r in visit.resources if t.lcp_url and r.url == t.lcp_url), None)
        if lcp_res is not None:
            evidence["lcp_resource"] = {
                "duration_ms": lcp_res.duration_ms,
                "transfer_bytes": lcp_res.transfer_bytes,
            }
        evidence["slowest_resources"] = _top_resources(visit, None, limit, "duration")
        what = t.lcp_element or "the largest element"
        text = f"LCP element {what}" + (f" ({t.lcp_url})" if t.lcp_url else "")
        if lcp_res is not None and lcp_res.duration_ms is not None:
            text += f", which took {format_value('lcp_ms', lcp_res.duration_ms)} to download"
        return text, evidence
    if key == "cls":
        sources = _shift_sources(visit, limit)
        text = "shifted elements: " + ", ".join(s["selector"] for s in sources) if sources else ""
        return text, {"shifted_elements": sources, "shift_count": len(visit.layout_shifts)}
    if key == "inp_ms":
        worst = max(visit.interactions, key=lambda i: i.duration_ms, default=None)
        if worst is None:
            return "", {}
        text = (
            f"{worst.kind} on {worst.target or 'an element'} took {format_value('inp_ms', worst.duration_ms)}"
        )
        return text, {"interaction": worst.model_dump()}
    if key == "tbt_ms":
        scripts = _top_resources(visit, {"script"}, limit, "bytes")
        text = f"{t.long_tasks} long task(s)" if t.long_tasks is not None else ""
        if scripts:
            text += ("; " if text else "") + "largest scripts: " + ", ".join(s["url"] for s in scripts)
        return text, {"long_tasks": t.long_tasks, "largest_scripts": scripts}
    if key == "fcp_ms":
        blocking = _top_resources(visit, {"script", "stylesheet", "font"}, limit, "duration")
        text = "slowest scripts/styles/fonts: " + ", ".join(r["url"] for r in blocking) if blocking else ""
        return text, {"slowest_render_resources": blocking}
    if key == "ttfb_ms":
        doc = next((r for r in visit.resources if r.type == "document"), None)
        text = "the server's response to the main document"
        if doc is not None and doc.duration_ms is not None:
            text = (
                f"the main document took {format_value('ttfb_ms', doc.duration_ms)} to arrive from the server"
            )
        return text, {"document": None if doc is None else {"url": doc.url, "duration_ms": doc.duration_ms}}
    return "", {}


# ---------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------


class LoadTimeCheck(Check):
    id = "load_time"
    title = "Load time and responsiveness"
    description = (
        "Core Web Vitals (LCP, INP, CLS) and diagnostics (FCP, TTFB, TBT) of every recorded page, "
        "per channel, judged on the median of repeat runs."
    )
    Options = LoadTimeOptions

    def run(self, artifacts: Artifacts, options: LoadTimeOptions) -> CheckResult:
        thresholds = _thresholds(options)
        weights = _weights(options)
        browser = set(artifacts.browser_channels())
        visits = [
            v
            for v in artifacts.visits
            if v.channel in browser and (options.include_discovered or not v.discovered)
        ]
        pages = group_runs(visits)
        for page in pages:
            _judge_page(page, thresholds, weights)
        measured = [p for p in pages if p.spreads]
        if not measured:
            raise NotApplicable("no page of the run has any load-time metric measured")

        findings = self._metric_findings(measured, thresholds, options.max_culprits)
        findings = [self._confirm(f, measured, artifacts.meta.remeasures) for f in findings]
        noise = machine_noise(artifacts.meta, options)
        if noise is not None:
            findings = [self._noisy(f, noise, options.gate_when_noisy) for f in findings]
            findings.append(self._noise_finding(artifacts.meta, noise, options.gate_when_noisy))
        if options.page_weight_info:
            findings.extend(_page_weight_findings(pages))
        score = blended_score([p.score for p in measured])
        return self.result(
            score=score,
            findings=findings,
            values=typed_values(pages, thresholds),
            details=[settings_table(thresholds, weights)],
        )

    def _metric_findings(
        self, pages: list[PageStats], thresholds: Mapping[str, tuple[float, float]], limit: int
    ) -> list[Finding]:
        """One finding per (channel, URL path, metric): the worst median among that page's steps."""
        worst: dict[tuple[str, str, str], PageStats] = {}
        for page in pages:
            for key, s in page.spreads.items():
                if page.ratings[key] == GOOD:
                    continue
                slot = (page.channel, page.path, key)
                if slot not in worst or s.median > worst[slot].spreads[key].median:
                    worst[slot] = page
        out = []
        for (_channel, _path, key), page in sorted(worst.items(), key=lambda kv: kv[0]):
            out.append(self._finding(page, key, thresholds[key], limit))
        return out

    def _confirm(self, f: Finding, pages: list[PageStats], remeasures: list[Remeasure]) -> Finding:
        """A failure the re-measures did not reproduce becomes a flaky warning, with all samples."""
        if f.severity != Severity.FAIL:
            return f
        key = f.evidence["metric"]
        slot = (f.channel, f.evidence["journey"], f.evidence["step_index"], f.url)
        page = next((p for p in pages if (p.channel, p.journey, p.step_index, p.url) == slot), None)
        if page is None:
            return f
        samples = _remeasured(remeasures, page, key)
        if not samples:
            return f
        verdict = classify_failure(samples, f.evidence["thresholds"]["poor"])
        evidence = {
            **f.evidence,
            "confirmation": {"verdict": verdict, "samples": [round(x, 4) for x in samples]},
        }
        shown = ", ".join(format_value(key, x) for x in samples)
        if verdict == "confirmed":
            message = f"{f.message} Confirmed by {len(samples)} re-measure(s): {shown}."
            return f.model_copy(update={"evidence": evidence, "message": message})
        message = (
            f"Flaky: {f.message} Not reproduced when the page was measured again ({shown}), "
            "so it is a warning, not a failure."
        )
        return f.model_copy(update={"evidence": evidence, "message": message, "severity": Severity.WARN})

    @staticmethod
    def _noisy(f: Finding, noise: str, gate: bool) -> Finding:
        """A poor *timing* on a starved machine is a warning; layout shifts do not depend on the CPU."""
        if f.severity != Severity.FAIL or f.evidence.get("metric") not in TIMED or gate:
            return f
        message = f"{f.message} (A warning, not a failure: {noise[0].lower()}{noise[1:]}.)"
        evidence = {**f.evidence, "noisy_machine": True}
        return f.model_copy(update={"severity": Severity.WARN, "message": message, "evidence": evidence})

    def _noise_finding(self, meta: RunMeta, noise: str, gate: bool) -> Finding:
        tail = (
            "poor load times still fail the gate (gate_when_noisy)."
            if gate
            else "poor load times are warnings, not failures (set load_time.gate_when_noisy to gate anyway)."
        )
        return finding(
            self.id,
            "machine-load",
            Severity.WARN,
            f"{noise}: {tail}",
            evidence={
                "benchmark_index": meta.benchmark_index,
                "load_average": meta.load_average,
                "cpu_count": meta.cpu_count,
            },
            identity=("machine_load",),
        )

    def _finding(self, page: PageStats, key: str, limits: tuple[float, float], limit: int) -> Finding:
        spec = METRICS[key]
        s = page.spreads[key]
        rating = page.ratings[key]
        good, poor = limits
        visit = page.representative(key)
        cause, cause_evidence = culprit(key, visit, limit)
        if s.n == 1:
            runs = "1 run"
        elif s.min == s.max:
            runs = f"in all {s.n} runs"
        else:
            runs = f"median of {s.n} runs, range {format_value(key, s.min)}–{format_value(key, s.max)}"
        bound = (
            f"above the poor threshold {format_value(key, poor)}"
            if rating == POOR
            else f"above the good threshold {format_value(key, good)}"
        )
        message = (
            f"{spec.label} on {page.path} ({page.channel}) is {format_value(key, s.median)} ({runs}): "
            f"{rating.replace('-', ' ')}, {bound}."
        )
        if cause:
            message += f" Likely culprit: {cause}."
        return finding(
            self.id,
            # the rule names the metric, not the rating: NI -> poor keeps the same fingerprint
            key.removesuffix("_ms"),
            Severity.FAIL if rating == POOR else Severity.WARN,
            message,
            channel=page.channel,
            url=page.url,
            evidence={
                "metric": key,
                "label": spec.label,
                "unit": spec.unit,
                "value": round(s.median, 4),
                "rating": rating,
                "threshold": poor if rating == POOR else good,
                "thresholds": {"good": good, "poor": poor},
                "runs": s.as_dict(),
                "journey": page.journey,
                "step_index": page.step_index,
                "step_label": visit.step_label,
                "culprit": cause_evidence,
            },
            identity=(key,),
            screenshot=visit.screenshot,
            details=_culprit_tables(cause_evidence),
        )


#: culprit lists and how to show them: evidence key -> (title, columns)
_RESOURCE_COLUMNS = [
    Column(key="url", label="Resource", kind="url"),
    Column(key="type", label="Type"),
    Column(key="duration_ms", label="Time", kind="ms"),
    Column(key="transfer_bytes", label="Size", kind="bytes"),
]
_CULPRIT_TABLES: dict[str, tuple[str, list[Column]]] = {
    "slowest_resources": ("Slowest resources", _RESOURCE_COLUMNS),
    "slowest_render_resources": ("Slowest scripts, styles and fonts", _RESOURCE_COLUMNS),
    "largest_scripts": ("Largest scripts", _RESOURCE_COLUMNS),
    "shifted_elements": (
        "Elements that shifted",
        [Column(key="selector", label="Element"), Column(key="shift", label="Shift", kind="number")],
    ),
}


def _culprit_tables(evidence: Mapping[str, Any]) -> list[Any]:
    """The culprit lists of a finding's evidence as typed tables."""
    out: list[Any] = []
    for key, (title, columns) in _CULPRIT_TABLES.items():
        rows = evidence.get(key)
        if isinstance(rows, list) and rows:
            out.append(
                TableDetail(
                    title=title, columns=columns, rows=[{c.key: r.get(c.key) for c in columns} for r in rows]
                )
            )
    return out


def _page_weight_findings(pages: list[PageStats]) -> list[Finding]:
    """Info: the heaviest page per channel, so the report can say where bytes go."""
    by_channel: dict[str, list[PageStats]] = defaultdict(list)
    for p in pages:
        if p.transfer_bytes is not None:
            by_channel[p.channel].append(p)
    out = []
    for channel, ps in sorted(by_channel.items()):
        heaviest = max(ps, key=lambda p: p.transfer_bytes or 0)
        kb = (heaviest.transfer_bytes or 0) / 1024
        visit = heaviest.visits[0]
        top_type = max(visit.bytes_by_type.items(), key=lambda kv: kv[1], default=None)
        msg = f"Heaviest page on {channel}: {heaviest.path}, {kb:,.0f} KB"
        if heaviest.requests is not None:
            msg += f" in {heaviest.requests:.0f} requests"
        if top_type:
            msg += f" (mostly {top_type[0]}: {top_type[1] / 1024:,.0f} KB)"
        out.append(
            finding(
                "load_time",
                "page-weight",
                Severity.INFO,
                msg + ".",
                channel=channel,
                url=heaviest.url,
                evidence={
                    "transfer_bytes": heaviest.transfer_bytes,
                    "requests": heaviest.requests,
                    "bytes_by_type": dict(visit.bytes_by_type),
                },
                identity=("page_weight",),
            )
        )
    return out


def blended_score(page_scores: list[float | None]) -> float | None:
    """Half the mean page score, half the worst page's, on 0..100.

    A fast site-wide average must not hide the one slow product page where people
    buy (see docs/checks/load_time.md). Used for the check and for each channel.
    """
    scored = [s for s in page_scores if s is not None]
    if not scored:
        return None
    return 100.0 * (sum(scored) / len(scored) + min(scored)) / 2


def settings_table(
    thresholds: Mapping[str, tuple[float, float]], weights: Mapping[str, float]
) -> TableDetail:
    """The thresholds and score weights this run applied, per metric (the report's settings note)."""
    return TableDetail(
        title="Thresholds and weights",
        columns=[
            Column(key="metric", label="Metric"),
            Column(key="good", label="Good up to", kind="number"),
            Column(key="poor", label="Poor above", kind="number"),
            Column(key="weight", label="Weight", kind="number"),
        ],
        rows=[
            {"metric": METRICS[k].label, "good": good, "poor": poor, "weight": weights.get(k)}
            for k, (good, poor) in thresholds.items()
            if k in METRICS
        ],
    )


def _metric(key: str, thresholds: Mapping[str, tuple[float, float]], **kw: Any) -> MetricValue:
    spec = METRICS[key]
    good, poor = thresholds[key]
    kw.setdefault("label", spec.label)
    return MetricValue(name=key, unit=spec.unit, thresholds=Thresholds(good=good, poor=poor), **kw)


def typed_values(pages: list[PageStats], thresholds: Mapping[str, tuple[float, float]]) -> list[MetricValue]:
    """The check's measurements as typed values: per page (repeat-run samples, rated on the
    median), per channel (the pages' medians, rated at the 75th percentile as CrUX does; the
    bytes and requests of its pages), the per-page and per-channel scores, and how many pages
    the run recorded and measured. Ratings are the check's own."""
    ordered = sorted(pages, key=lambda p: (p.channel, p.journey, p.step_index, p.path))
    out = [
        MetricValue(name="page_count", label="Pages", unit="count", value=len(pages)),
        MetricValue(
            name="measured_page_count",
            label="Pages measured",
            unit="count",
            value=sum(1 for p in pages if p.spreads),
        ),
    ]
    for p in ordered:
        scope = Scope(channel=p.channel, journey=p.journey, page=p.path, url=p.url, step_index=p.step_index)
        for key, s in p.spreads.items():
            out.append(
                _metric(key, thresholds, samples=list(s.samples), rating=Rating(p.ratings[key]), scope=scope)
            )
        if p.score is not None:
            out.append(score_value(100 * p.score, scope))
        if p.transfer_bytes is not None:
            out.append(
                MetricValue(
                    name="transfer_bytes", label="Bytes", unit="bytes", value=p.transfer_bytes, scope=scope
                )
            )
        if p.requests is not None:
            out.append(
                MetricValue(name="requests", label="Requests", unit="count", value=p.requests, scope=scope)
            )
    for channel in sorted({p.channel for p in pages}):
        ps = [p for p in ordered if p.channel == channel]
        scope = Scope(channel=channel)
        channel_score = blended_score([p.score for p in ps if p.spreads])
        if channel_score is not None:
            out.append(score_value(channel_score, scope))
        out += [
            MetricValue(name="page_count", label="Pages", unit="count", value=len(ps), scope=scope),
            MetricValue(
                name="transfer_bytes",
                label="Bytes",
                unit="bytes",
                value=int(sum(p.transfer_bytes or 0 for p in ps)),
                scope=scope,
            ),
            MetricValue(
                name="requests",
                label="Requests",
                unit="count",
                value=int(sum(p.requests or 0 for p in ps)),
                scope=scope,
            ),
        ]
        for key in METRICS:
            medians = [p.spreads[key].median for p in ps if key in p.spreads]
            if medians:
                p75 = percentile(medians, 75) or 0.0
                out.append(
                    _metric(
                        key,
                        thresholds,
                        label=f"{METRICS[key].label} p75",
                        samples=medians,
                        value=p75,
                        scope=scope,
                        samples_of="pages",
                    )
                )
    return out
