"""The baseline gate: fail a run only on what got *worse* than a baseline run.

Three things count as a regression (see ``docs/history.md``):

1. **New failing findings** — a ``fail`` finding whose fingerprint was not a
   ``fail`` in the baseline (new problems, and old warnings that escalated).
2. **Score drops** — the overall score, or a check's score, fell by more than
   ``score_tolerance`` points.
3. **Metric shifts** beyond noise — repeat-run measurements (``samples``) of the
   same metric, compared with a rule that knows how noisy a handful of page
   loads is:

   * with ``min_samples`` (5) or more samples on each side: a one-sided
     Mann-Whitney U test (head worse than base, ``alpha`` 0.05) *and* a change
     of the medians above ``min_effect`` (10 %) *and* above the metric's
     absolute floor (e.g. 50 ms), so a significant but tiny shift never fails;
   * with fewer samples (or only medians recorded): the medians must differ by
     more than ``max(small_sample_tolerance × base median, absolute floor)``, and
     such a shift is reported as a *warning*: two page loads cannot tell a real
     shift from lab noise, and the gate must never flake on an unchanged site.

Timing-based checks (those publishing samples) with no confirmed metric
regression are treated as noise: their score drops, and their findings that
escalated warn -> fail under the same fingerprint, warn instead of failing.

A metric whose head median is still within its check's *good* threshold
(e.g. TBT 70 ms against a good limit of 200 ms: the thresholds of the check's
typed value) is reported but never fails the gate: lab noise on a
busy CI runner moves small numbers by large percentages, and a page that is
still "good" has not regressed in a way a customer notices.

Everything that improved or stayed within tolerance passes; identical
scorecards never regress.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from cx_auditor.history.metrics import Series
from cx_auditor.models import BudgetOutcome, CheckResult, Direction, MetricValue, Scorecard, Severity, Status

__all__ = [
    "DEFAULT_ABS_FLOORS",
    "MetricComparison",
    "MetricRule",
    "Regression",
    "RegressionReport",
    "compare_series",
    "regression_budgets",
    "regressions",
]

#: absolute change a metric must exceed to count, by the metric name's ending
DEFAULT_ABS_FLOORS: dict[str, float] = {
    "_ms": 100.0,
    "cls": 0.02,
    "bytes": 10_240.0,
    "requests": 1.0,
    "count": 1.0,
    "tasks": 1.0,
    "score": 2.0,
}


@dataclass(frozen=True)
class MetricRule:
    """How repeat-run metrics are judged; the defaults are documented in docs/history.md."""

    min_samples: int = 5
    alpha: float = 0.05
    min_effect: float = 0.10
    small_sample_tolerance: float = 0.20
    abs_floors: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ABS_FLOORS))
    default_floor: float = 0.0
    #: substrings of a metric key that mean *higher is better*
    higher_is_better: Collection[str] = ("score",)

    def floor_for(self, key: str) -> float:
        name = _metric_name(key)
        matches = [(len(suffix), v) for suffix, v in self.abs_floors.items() if name.endswith(suffix)]
        return max(matches)[1] if matches else self.default_floor

    def lower_is_better(self, key: str) -> bool:
        name = _metric_name(key)
        return not any(token in name for token in self.higher_is_better)


def _metric_name(key: str) -> str:
    """The metric's own name: the last dotted segment outside any ``[row label]``."""
    outside = key.rsplit("]", 1)[-1]
    return outside.rsplit(".", 1)[-1].lower() if outside else key.lower()


@dataclass
class MetricComparison:
    check: str
    key: str
    method: Literal["mann-whitney", "median"]
    base_n: int
    head_n: int
    base_median: float
    head_median: float
    change: float  # head - base, in the metric's unit
    relative: float | None  # change / base median; None when the base is 0
    floor: float
    p_value: float | None
    regressed: bool
    improved: bool
    reason: str


@dataclass
class Regression:
    kind: Literal["new-fail-finding", "score-drop", "check-score-drop", "metric", "check-error"]
    message: str
    level: Literal["error", "warn"] = "error"
    check: str | None = None
    channel: str | None = None
    url: str | None = None
    base: Any = None
    head: Any = None
    fingerprint: str | None = None


@dataclass
class RegressionReport:
    base_run_id: str
    head_run_id: str
    score_tolerance: float
    base_score: float | None
    head_score: float | None
    check_scores: dict[str, tuple[float, float]] = field(default_factory=dict)
    items: list[Regression] = field(default_factory=list)
    metrics: list[MetricComparison] = field(default_factory=list)

    @property
    def regressed(self) -> bool:
        """True when anything error-level got worse (warn-level items never fail the gate)."""
        return any(i.level == "error" for i in self.items)

    def of_kind(self, kind: str) -> list[Regression]:
        return [i for i in self.items if i.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for ``Gate.baseline`` and ``--json`` output."""
        return {
            "base_run_id": self.base_run_id,
            "head_run_id": self.head_run_id,
            "regressed": self.regressed,
            "score_tolerance": self.score_tolerance,
            "base_score": self.base_score,
            "head_score": self.head_score,
            "items": [asdict(i) for i in self.items],
            "metrics_compared": len(self.metrics),
            "metrics_regressed": [asdict(m) for m in self.metrics if m.regressed],
        }


def _as_scorecard(card: Scorecard | Mapping[str, Any]) -> Scorecard:
    return card if isinstance(card, Scorecard) else Scorecard.model_validate(card)


def compare_series(
    check: str,
    key: str,
    base: Series,
    head: Series,
    rule: MetricRule,
    *,
    lower_is_better: bool | None = None,
    name: str | None = None,
) -> MetricComparison:
    """Judge one metric's head samples against its base samples (see the module docstring).

    Typed values pass their own ``lower_is_better`` (the check's direction) and
    ``name``; untyped metrics fall back to guessing both from the key.
    """
    lower = rule.lower_is_better(key) if lower_is_better is None else lower_is_better
    sign = 1.0 if lower else -1.0
    change = head.median - base.median
    worse = sign * change  # > 0 means worse
    relative = change / abs(base.median) if base.median else None
    floor = rule.floor_for(name or key)
    enough = (
        not base.summary_only
        and not head.summary_only
        and min(len(base.samples), len(head.samples)) >= rule.min_samples
    )
    if enough:
        # Imported here: scipy.stats takes ~0.7 s to import, which every command paid at
        # start-up (``--help`` included) although only a comparison with samples needs it.
        from scipy.stats import mannwhitneyu

        alternative = "greater" if sign > 0 else "less"
        p = float(mannwhitneyu(head.samples, base.samples, alternative=alternative).pvalue)
        p = 1.0 if math.isnan(p) else p
        big = worse > floor and (relative is None or abs(relative) > rule.min_effect)
        regressed = p < rule.alpha and big
        reason = f"Mann-Whitney p={p:.3g} (alpha {rule.alpha}), change {_pct(relative)}, floor {floor:g}"
        improved_p = float(
            mannwhitneyu(head.samples, base.samples, alternative="less" if sign > 0 else "greater").pvalue
        )
        improved = (
            improved_p < rule.alpha
            and -worse > floor
            and (relative is None or abs(relative) > rule.min_effect)
        )
        method: Literal["mann-whitney", "median"] = "mann-whitney"
    else:
        p = None
        threshold = max(rule.small_sample_tolerance * abs(base.median), floor)
        regressed = worse > threshold
        improved = -worse > threshold
        reason = (
            f"median change {change:+.4g} vs allowed {threshold:.4g} (fewer than {rule.min_samples} samples)"
        )
        method = "median"
    return MetricComparison(
        check,
        key,
        method,
        base.n,
        head.n,
        base.median,
        head.median,
        change,
        relative,
        floor,
        p,
        regressed,
        improved,
        reason,
    )


def _pct(relative: float | None) -> str:
    return "n/a" if relative is None else f"{relative:+.1%}"


def _finding_regressions(base: Scorecard, head: Scorecard) -> list[Regression]:
    failing_before = {f.fingerprint for f in base.findings() if f.severity == Severity.FAIL}
    out: list[Regression] = []
    seen: set[str] = set()
    for f in head.findings():
        if f.severity != Severity.FAIL or f.fingerprint in failing_before or f.fingerprint in seen:
            continue
        seen.add(f.fingerprint)
        out.append(
            Regression(
                "new-fail-finding",
                f.message,
                check=f.check,
                channel=f.channel,
                url=f.url,
                fingerprint=f.fingerprint,
            )
        )
    return out


def _score_regressions(
    base: Scorecard, head: Scorecard, tolerance: float, check_tolerance: float
) -> tuple[list[Regression], dict[str, tuple[float, float]]]:
    out: list[Regression] = []
    if base.score is not None and head.score is not None and base.score - head.score > tolerance:
        out.append(
            Regression(
                "score-drop",
                f"Overall score fell from {base.score:g} to {head.score:g} (more than {tolerance:g} points)",
                base=base.score,
                head=head.score,
            )
        )
    pairs: dict[str, tuple[float, float]] = {}
    for hr in head.results:
        br = base.result(hr.check)
        if br is None or br.score is None:
            continue
        if hr.score is None:
            if hr.status == Status.ERROR:
                out.append(
                    Regression(
                        "check-error",
                        f"{hr.check} errored (was {br.score:g}): {hr.error}",
                        level="warn",
                        check=hr.check,
                        base=br.score,
                    )
                )
            continue
        pairs[hr.check] = (br.score, hr.score)
        if br.score - hr.score > check_tolerance:
            out.append(
                Regression(
                    "check-score-drop",
                    f"{hr.title or hr.check} score fell from {br.score:g} to {hr.score:g}",
                    check=hr.check,
                    base=br.score,
                    head=hr.score,
                )
            )
    return out, pairs


def _metric_comparisons(base: Scorecard, head: Scorecard, rule: MetricRule) -> list[MetricComparison]:
    out = []
    for hr in head.results:
        br = base.result(hr.check)
        if br is None:
            continue
        out.extend(_typed_comparisons(hr, br, rule))
    return out


def _series(value: MetricValue) -> Series | None:
    if value.samples:
        floats = tuple(float(x) for x in value.samples)
        return Series(floats, float(statistics.median(floats)), len(floats))
    if value.summary is not None:
        return Series((), value.summary.median, value.summary.n, summary_only=True)
    median, n = value.stats.get("median"), value.stats.get("n")
    if median is not None and n is not None:  # a spread reported without its samples
        return Series((), median, int(n), summary_only=True)
    return None


def _typed_comparisons(head: CheckResult, base: CheckResult, rule: MetricRule) -> list[MetricComparison]:
    """Repeat-run values with the same name and scope, judged with the check's own direction.

    A head value still rated *good* by the check's thresholds is reported but not gated.
    """
    base_by_key = {v.key(): v for v in base.values if v.samples_of == "runs"}
    out = []
    for hv in head.values:
        bv = base_by_key.get(hv.key()) if hv.samples_of == "runs" else None
        hs, bs = _series(hv), None if bv is None else _series(bv)
        if hs is None or bs is None:
            continue
        lower = hv.direction is Direction.LOWER
        m = compare_series(head.check, hv.key(), bs, hs, rule, lower_is_better=lower, name=hv.name)
        good = hv.thresholds.good if hv.thresholds is not None else None
        within = good is not None and (m.head_median <= good if lower else m.head_median >= good)
        if m.regressed and within:
            m.regressed = False
            m.reason += f"; still within the good threshold {good:g}, not gated"
        out.append(m)
    return out


def regressions(
    base: Scorecard | Mapping[str, Any],
    head: Scorecard | Mapping[str, Any],
    *,
    score_tolerance: float = 2.0,
    check_score_tolerance: float | None = None,
    rule: MetricRule | None = None,
) -> RegressionReport:
    """What got worse from ``base`` to ``head``; ``report.regressed`` is the gate's verdict."""
    b, h = _as_scorecard(base), _as_scorecard(head)
    rule = rule or MetricRule()
    items = _finding_regressions(b, h)
    score_items, pairs = _score_regressions(
        b, h, score_tolerance, score_tolerance if check_score_tolerance is None else check_score_tolerance
    )
    items.extend(score_items)
    metrics = _metric_comparisons(b, h, rule)
    for m in metrics:
        if m.regressed:
            items.append(
                Regression(
                    "metric",
                    f"{m.check} {m.key}: median {m.base_median:.4g} -> {m.head_median:.4g} "
                    f"({_pct(m.relative)}); {m.reason}",
                    # Only a rank test over enough samples can tell a shift from lab noise;
                    # with fewer samples the shift is reported, not gated.
                    level="error" if m.method == "mann-whitney" else "warn",
                    check=m.check,
                    base=m.base_median,
                    head=m.head_median,
                )
            )
    _downgrade_timing_noise(b, h, items, metrics, score_tolerance)
    return RegressionReport(b.run_id, h.run_id, score_tolerance, b.score, h.score, pairs, items, metrics)


def _downgrade_timing_noise(
    base: Scorecard,
    head: Scorecard,
    items: list[Regression],
    metrics: list[MetricComparison],
    tolerance: float,
) -> None:
    """Timing-based checks move with machine load; let their metric rule speak for them.

    A check that publishes repeat-run samples (``load_time``) and has no statistically
    confirmed metric regression is *noisy*: its score drop, and a finding of its that
    escalated from warn to fail under the same fingerprint, are reported as warnings.
    A new fingerprint still fails the gate, and so does an overall score drop that the
    noisy checks do not explain.
    """
    measured = {m.check for m in metrics}
    confirmed = {i.check for i in items if i.kind == "metric" and i.level == "error"}
    noisy = measured - confirmed
    if not noisy:
        return
    seen_before = {f.fingerprint for f in base.findings()}
    for item in items:
        if item.check not in noisy:
            continue
        if item.kind == "check-score-drop" or (
            item.kind == "new-fail-finding" and item.fingerprint in seen_before
        ):
            item.level = "warn"
    overall = next((i for i in items if i.kind == "score-drop"), None)
    if overall is not None and base.score is not None:
        from cx_auditor.runner import overall_score

        steadied = [(base.result(r.check) or r) if r.check in noisy else r for r in head.results]
        adjusted = overall_score(steadied)
        if adjusted is not None and base.score - adjusted <= tolerance:
            overall.level = "warn"


def _level(items: list[Regression]) -> Literal["error", "warn"]:
    """A gate entry fails the build when any of its items is error-level; else it only warns."""
    return "error" if not items or any(i.level == "error" for i in items) else "warn"


def regression_budgets(report: RegressionReport) -> list[BudgetOutcome]:
    """The baseline verdict as gate entries (``baseline.*``), so every report shows why."""
    vs = f"vs baseline {report.base_run_id}"
    new_fail = report.of_kind("new-fail-finding")
    out = [
        BudgetOutcome(
            id="baseline.new-fail-findings",
            description=f"No new failing findings {vs}",
            level=_level(new_fail),
            passed=not new_fail,
            actual=len(new_fail),
            limit=0,
        )
    ]
    if report.base_score is not None and report.head_score is not None:
        delta = round(report.head_score - report.base_score, 1)
        out.append(
            BudgetOutcome(
                id="baseline.score",
                description=f"Overall score drop at most {report.score_tolerance:g} points {vs}",
                level=_level(report.of_kind("score-drop")),
                passed=not report.of_kind("score-drop"),
                actual=delta,
                limit=-report.score_tolerance,
            )
        )
    dropped = {i.check: i for i in report.of_kind("check-score-drop")}
    for check, (b, h) in sorted(report.check_scores.items()):
        out.append(
            BudgetOutcome(
                id=f"baseline.check-score.{check}",
                description=f"{check} score drop at most {report.score_tolerance:g} points {vs}",
                level=dropped[check].level if check in dropped else "error",
                passed=check not in dropped,
                actual=round(h - b, 1),
                limit=-report.score_tolerance,
                check=check,
            )
        )
    regressed_metrics = [m for m in report.metrics if m.regressed]
    out.append(
        BudgetOutcome(
            id="baseline.metrics",
            description=f"No metric slower beyond noise {vs} ({len(report.metrics)} compared)",
            level=_level(report.of_kind("metric")),
            passed=not regressed_metrics,
            actual=len(regressed_metrics),
            limit=0,
        )
    )
    for m in regressed_metrics:
        out.append(
            BudgetOutcome(
                id=f"baseline.metric.{m.check}.{m.key}",
                description=m.reason,
                level="error" if m.method == "mann-whitney" else "warn",
                passed=False,
                actual=round(m.head_median, 4),
                limit=round(m.base_median, 4),
                check=m.check,
            )
        )
    for item in report.of_kind("check-error"):
        out.append(
            BudgetOutcome(
                id=f"baseline.check-error.{item.check}",
                description=item.message,
                level="warn",
                passed=False,
                check=item.check,
            )
        )
    return out
