"""The baseline gate: only what got worse fails, and metric noise does not."""

from __future__ import annotations

import random
import statistics
from pathlib import Path

import pytest
from cx_auditor.history.metrics import Series
from cx_auditor.history.regression import MetricRule, compare_series, regression_budgets, regressions
from cx_auditor.legacy_metrics import values_from_metrics
from cx_auditor.models import CheckResult, Finding, RunMeta, Scorecard, Severity, Status, make_fingerprint
from hypothesis import given, settings
from hypothesis import strategies as st


def fnd(rule: str, severity: str = "fail", channel: str = "mobile", check: str = "support") -> Finding:
    return Finding(
        check=check,
        rule=rule,
        severity=Severity(severity),
        message=f"{rule} on {channel}",
        channel=channel,
        fingerprint=make_fingerprint(check, rule, channel),
    )


def scorecard(
    run_id: str = "run",
    *,
    score: float = 80.0,
    check_scores: dict[str, float] | None = None,
    findings: list[Finding] | None = None,
    lcp: list[float] | None = None,
    lcp_summary: dict[str, float] | None = None,
    port: int = 9999,
    thresholds: dict[str, list[float]] | None = None,
) -> Scorecard:
    scores = check_scores or {"speed": 70.0, "support": 90.0}
    speed_metrics: dict = {"pages": []}
    if lcp is not None:
        speed_metrics["pages"].append({"channel": "mobile", "path": "/product/1", "lcp_ms": {"samples": lcp}})
    if lcp_summary is not None:
        speed_metrics["pages"].append(
            {"channel": "desktop", "url": f"http://127.0.0.1:{port}/", "lcp_ms": lcp_summary}
        )
    if thresholds is not None:
        speed_metrics["thresholds"] = thresholds
    results = [
        CheckResult(check="speed", title="Speed", score=scores.get("speed"), metrics=speed_metrics),
        CheckResult(
            check="support",
            title="Support",
            score=scores.get("support"),
            findings=findings or [],
            status=Status.FAIL if findings else Status.PASS,
        ),
    ]
    return Scorecard(run_id=run_id, meta=RunMeta(site="s"), score=score, results=results)


def jitter(values: list[float], pct: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [round(v * (1 + rng.uniform(-pct, pct)), 1) for v in values]


BASE_LCP = [2000.0, 2100.0, 1950.0, 2050.0, 2020.0, 1980.0, 2080.0, 2010.0]


# -- identical and noisy runs -------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    score=st.floats(0, 100),
    lcp=st.lists(st.floats(1, 10_000), min_size=1, max_size=12),
    rules=st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True),
    severity=st.sampled_from(["fail", "warn"]),
)
def test_identical_scorecards_never_regress(
    score: float, lcp: list[float], rules: list[str], severity: str
) -> None:
    card = scorecard(score=score, findings=[fnd(r, severity) for r in rules], lcp=lcp)
    report = regressions(card, card.model_copy(deep=True))
    assert not report.regressed and report.items == []
    assert all(b.passed for b in regression_budgets(report))


@pytest.mark.parametrize("seed", range(5))
def test_noise_within_tolerance_does_not_regress(seed: int) -> None:
    base = scorecard("b", score=80.0, lcp=BASE_LCP)
    head = scorecard(
        "h", score=79.0, check_scores={"speed": 68.5, "support": 90.0}, lcp=jitter(BASE_LCP, 0.06, seed)
    )
    report = regressions(base, head)
    assert not report.regressed, report.items
    assert [m.method for m in report.metrics] == ["mann-whitney"]


def test_few_samples_within_tolerance_do_not_regress() -> None:
    base = scorecard("b", lcp=[2000.0, 2100.0, 1900.0])
    head = scorecard(
        "h", lcp=[2250.0, 2300.0, 2200.0]
    )  # +12.5 % median: inside the 20 % small-sample tolerance
    report = regressions(base, head)
    assert not report.regressed
    assert report.metrics[0].method == "median"


# -- what does regress ----------------------------------------------------------


def test_a_new_fail_finding_regresses_but_fixed_or_warn_ones_do_not() -> None:
    base = scorecard("b", findings=[fnd("broken-link"), fnd("old-warning", "warn")])
    assert not regressions(base, scorecard("h", findings=[])).regressed  # everything fixed
    assert not regressions(
        base, scorecard("h", findings=[fnd("broken-link"), fnd("new-warn", "warn")])
    ).regressed
    report = regressions(base, scorecard("h", findings=[fnd("broken-link"), fnd("no-chat")]))
    assert report.regressed
    assert [i.kind for i in report.items] == ["new-fail-finding"]
    assert report.items[0].fingerprint == make_fingerprint("support", "no-chat", "mobile")


def test_a_warning_that_escalates_to_fail_regresses() -> None:
    base = scorecard("b", findings=[fnd("slow", "warn")])
    report = regressions(base, scorecard("h", findings=[fnd("slow", "fail")]))
    assert [i.kind for i in report.items] == ["new-fail-finding"]


def test_score_drops_beyond_the_tolerance_regress() -> None:
    base = scorecard("b", score=80.0, check_scores={"speed": 70.0, "support": 90.0})
    within = scorecard("h", score=78.5, check_scores={"speed": 68.1, "support": 90.0})
    assert not regressions(base, within).regressed
    overall = regressions(base, scorecard("h", score=77.0, check_scores={"speed": 70.0, "support": 90.0}))
    assert [i.kind for i in overall.items] == ["score-drop"]
    per_check = regressions(base, scorecard("h", score=79.0, check_scores={"speed": 60.0, "support": 99.0}))
    assert [(i.kind, i.check) for i in per_check.items] == [("check-score-drop", "speed")]
    strict = regressions(base, within, score_tolerance=0.5, check_score_tolerance=5)
    assert [i.kind for i in strict.items] == ["score-drop"]


def test_a_big_metric_shift_regresses_with_many_samples() -> None:
    base = scorecard("b", lcp=BASE_LCP)
    head = scorecard("h", lcp=[v * 1.3 for v in jitter(BASE_LCP, 0.05, 1)])
    report = regressions(base, head)
    assert report.regressed
    (m,) = report.metrics
    assert m.method == "mann-whitney" and m.p_value is not None and m.p_value < 0.05
    assert m.key == "pages[mobile /product/1].lcp_ms"
    assert [i.kind for i in report.items] == ["metric"]


def test_a_significant_but_tiny_shift_is_not_a_regression() -> None:
    base = [100.0, 101.0, 102.0, 103.0, 104.0, 105.0]
    head = [v + 80 for v in base]  # clearly significant, +78 %, but under the 100 ms floor
    assert not regressions(scorecard("b", lcp=base), scorecard("h", lcp=head)).regressed
    big = [v + 130 for v in base]
    assert regressions(scorecard("b", lcp=base), scorecard("h", lcp=big)).regressed


def test_few_samples_use_the_median_rule_and_warn_without_failing() -> None:
    """Two samples cannot tell a shift from lab noise: the shift is reported, the gate holds."""
    report = regressions(scorecard("b", lcp=[2000.0, 2100.0]), scorecard("h", lcp=[2600.0, 2700.0]))
    [m] = report.metrics
    assert m.method == "median" and m.regressed
    assert [i.level for i in report.of_kind("metric")] == ["warn"]
    assert not report.regressed
    rows = {b.id: b for b in regression_budgets(report)}
    assert rows["baseline.metrics"].level == "warn" and not rows["baseline.metrics"].passed


def test_median_only_spreads_are_compared_and_keyed_by_path_not_port() -> None:
    base = scorecard("b", lcp_summary={"median": 1500.0, "n": 3, "min": 1400.0, "max": 1600.0})
    head = scorecard("h", lcp_summary={"median": 2400.0, "n": 3, "min": 2300.0, "max": 2500.0}, port=1234)
    report = regressions(base, head)
    assert [m.key for m in report.metrics] == ["pages[desktop /].lcp_ms"]
    assert report.metrics[0].regressed and report.of_kind("metric")


def test_improvements_never_fail() -> None:
    base = scorecard("b", score=60, lcp=BASE_LCP, findings=[fnd("x")])
    head = scorecard(
        "h", score=90, check_scores={"speed": 95.0, "support": 95.0}, lcp=[v * 0.5 for v in BASE_LCP]
    )
    report = regressions(base, head)
    assert not report.items and report.metrics[0].improved


def sample_series(metrics: dict) -> dict[str, Series]:
    """Repeat-run series of a legacy ``metrics`` dict, as the baseline gate reads them once typed."""
    values, _ = values_from_metrics(metrics)
    return {
        v.key(): Series(tuple(v.samples), statistics.median(v.samples), len(v.samples))
        for v in values
        if v.samples and v.samples_of == "runs"
    }


def test_higher_is_better_metrics_regress_when_they_fall() -> None:
    rule = MetricRule()
    base = sample_series({"samples": {"conversion_score": [80.0, 81.0, 82.0, 80.0, 81.0]}})
    head = sample_series({"samples": {"conversion_score": [60.0, 61.0, 62.0, 60.0, 61.0]}})
    (key,) = base
    assert compare_series("c", key, base[key], head[key], rule).regressed
    assert not compare_series("c", key, head[key], base[key], rule).regressed
    # the typed value carries the direction the gate used to guess from the name
    [typed], _ = values_from_metrics({"samples": {"conversion_score": [80.0, 81.0]}})
    assert typed.direction.value == "higher"


def test_thresholds_lists_are_not_mistaken_for_samples() -> None:
    assert sample_series({"thresholds": {"lcp_ms": [2500, 4000]}}) == {}
    assert set(sample_series({"samples": {"lcp_ms": [1, 2]}, "x": {"samples": [3.0]}})) == {
        "samples.lcp_ms",
        "x",
    }


def test_a_check_that_starts_erroring_is_a_warning_not_a_failure() -> None:
    base = scorecard("b")
    head = scorecard("h")
    head.results[0] = CheckResult(check="speed", status=Status.ERROR, error="boom")
    report = regressions(base, head)
    assert [(i.kind, i.level) for i in report.items] == [("check-error", "warn")]
    assert not report.regressed


# -- gate entries -----------------------------------------------------------------


def test_regression_budgets_name_every_reason() -> None:
    base = scorecard("base-run", score=80.0, lcp=BASE_LCP)
    head = scorecard(
        "head-run",
        score=70.0,
        check_scores={"speed": 50.0, "support": 90.0},
        findings=[fnd("new")],
        lcp=[v * 1.5 for v in BASE_LCP],
    )
    outcomes = {b.id: b for b in regression_budgets(regressions(base, head))}
    assert (
        not outcomes["baseline.new-fail-findings"].passed
        and outcomes["baseline.new-fail-findings"].actual == 1
    )
    assert not outcomes["baseline.score"].passed and outcomes["baseline.score"].actual == -10.0
    assert not outcomes["baseline.check-score.speed"].passed
    assert outcomes["baseline.check-score.support"].passed
    assert not outcomes["baseline.metrics"].passed
    assert not outcomes["baseline.metric.speed.pages[mobile /product/1].lcp_ms"].passed
    assert all(b.level == "error" for b in outcomes.values())
    assert "base-run" in outcomes["baseline.score"].description


def test_apply_baseline_adds_gate_entries_from_a_scorecard_file(tmp_path: Path) -> None:
    from cx_auditor.cli_history import apply_baseline

    base_file = tmp_path / "scorecard.json"
    base_file.write_text(scorecard("base-run", findings=[]).model_dump_json())
    ok = scorecard("head-ok")
    apply_baseline(ok, str(base_file))
    assert ok.gate.passed and ok.gate.baseline and ok.gate.baseline["regressed"] is False
    bad = scorecard("head-bad", findings=[fnd("new")])
    report = apply_baseline(bad, str(base_file))
    assert report.regressed and not bad.gate.passed
    assert [b.id for b in bad.gate.failed] == ["baseline.new-fail-findings"]


def test_a_metric_still_within_its_good_threshold_is_reported_but_not_gated() -> None:
    """Lab noise: TBT 1 ms -> 71 ms on a busy runner is +7000 % but still "good" (< 200 ms)."""
    limits = {"lcp_ms": [2500.0, 4000.0]}
    base = scorecard("b", lcp=[1000.0, 1010.0], thresholds=limits)
    head = scorecard("h", lcp=[2300.0, 2400.0], thresholds=limits)
    report = regressions(base, head)
    assert not report.regressed
    [m] = report.metrics
    assert "still within the good threshold 2500" in m.reason
    worse = scorecard("h2", lcp=[2900.0, 3000.0], thresholds=limits)
    assert regressions(base, worse).metrics[0].regressed  # crossing out of "good" is reported


def test_timing_noise_escalation_warns_but_new_problems_fail() -> None:
    """A load-time finding that flips warn -> fail on an unchanged site is noise unless the metric
    rule confirms a shift; a fingerprint never seen before is a new problem and fails."""
    few = [2400.0, 2500.0]
    base = scorecard("b", lcp=few, findings=[fnd("slow", Severity.WARN, check="speed")])
    head = scorecard("h", lcp=few, findings=[fnd("slow", Severity.FAIL, check="speed")])
    report = regressions(base, head)
    assert [i.level for i in report.of_kind("new-fail-finding")] == ["warn"] and not report.regressed
    brand_new = scorecard("h2", lcp=few, findings=[fnd("other", Severity.FAIL, check="speed")])
    assert regressions(base, brand_new).regressed
