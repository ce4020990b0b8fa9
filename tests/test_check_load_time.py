"""The load_time check, judged as a pure function on small artifact fixtures."""

from __future__ import annotations

import pytest
from cx_auditor.checks import _stats
from cx_auditor.checks.load_time import METRICS, LoadTimeCheck, rate
from cx_auditor.checks_api import log_normal_score
from cx_auditor.models import Severity, Status
from cx_auditor.runner import run_check

from tests.artifact_factory import artifacts, interaction, layout_shift, resource, visit


def judge(arts, **options):
    return run_check(LoadTimeCheck(), arts, options)


def value(result, name, level, channel=None, path=None):
    """The one typed value of ``name`` at a scope level (``run``, ``channel``, ``page``)."""
    [found] = [
        v
        for v in result.values
        if v.name == name
        and v.scope.level == level
        and (channel is None or v.scope.channel == channel)
        and (path is None or v.scope.page == path)
    ]
    return found


def metric_findings(result, metric=None):
    found = [f for f in result.findings if f.rule != "page-weight"]
    return [f for f in found if metric is None or f.evidence["metric"] == metric]


# -- ratings at the threshold edges --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2500, "good"), (2501, "needs-improvement"), (4000, "needs-improvement"), (4001, "poor")],
)
def test_lcp_rating_edges(value, expected):
    assert rate(value, 2500, 4000) == expected


@pytest.mark.parametrize(("value", "severity"), [(2500, None), (2501, Severity.WARN), (4001, Severity.FAIL)])
def test_lcp_finding_severity_at_edges(value, severity):
    result = judge(artifacts([visit("/", lcp_ms=value)]))
    found = metric_findings(result, "lcp_ms")
    if severity is None:
        assert found == [] and result.status == Status.PASS
    else:
        assert [f.severity for f in found] == [severity]


def test_cls_edges_use_unitless_thresholds():
    assert metric_findings(judge(artifacts([visit("/", cls=0.1)]))) == []
    [f] = metric_findings(judge(artifacts([visit("/", cls=0.26)])))
    assert f.severity == Severity.FAIL and f.evidence["threshold"] == 0.25


# -- not measured is not zero --------------------------------------------------------


def test_missing_metrics_are_excluded_not_zero():
    result = judge(artifacts([visit("/", lcp_ms=3000)]))
    timed = {v.name for v in result.values if v.scope.level == "page" and v.name in METRICS}
    assert timed == {"lcp_ms"}
    assert [f.evidence["metric"] for f in metric_findings(result)] == ["lcp_ms"]
    # weights re-normalised over the one measured metric: the score is LCP's alone
    assert result.score == pytest.approx(100 * log_normal_score(3000, 2500, 4000), abs=0.1)


def test_nothing_measured_is_skipped():
    arts = artifacts([visit("/"), visit("/cart", run_index=1)])
    result = judge(arts)
    assert result.status == Status.SKIPPED and result.score is None


def test_no_visits_is_skipped():
    assert judge(artifacts([])).status == Status.SKIPPED


def test_documents_channel_is_not_judged():
    arts = artifacts([visit("/", channel="documents", lcp_ms=9000), visit("/", lcp_ms=1000)])
    result = judge(arts)
    assert metric_findings(result) == []
    assert {v.scope.channel for v in result.values if v.scope.level == "channel"} == {"desktop"}


# -- repeat runs -------------------------------------------------------------------


def test_verdict_uses_median_of_runs_not_outlier():
    runs = [visit("/p", lcp_ms=v, run_index=i) for i, v in enumerate([2000, 2100, 9000])]
    result = judge(artifacts(runs))
    assert metric_findings(result) == []
    lcp = value(result, "lcp_ms", "page").summary
    assert (lcp.median, lcp.min, lcp.max, lcp.n) == (2100, 2000, 9000, 3)
    assert len(value(result, "lcp_ms", "page").samples) == 3


def test_slow_median_fails_despite_one_fast_run():
    runs = [
        visit("/p", lcp_ms=v, run_index=i, screenshot=f"s{i}.jpg") for i, v in enumerate([5000, 1000, 5200])
    ]
    [f] = metric_findings(judge(artifacts(runs)))
    assert f.severity == Severity.FAIL
    assert f.evidence["value"] == 5000
    assert f.evidence["runs"]["min"] == 1000 and f.evidence["runs"]["max"] == 5200
    assert f.screenshot == "s0.jpg"  # the run closest to the median explains it
    assert "median of 3 runs" in f.message


# -- channels and pages ------------------------------------------------------------


def test_multi_channel_findings_name_the_channel():
    arts = artifacts(
        [
            visit("/", channel="desktop", lcp_ms=1200, transfer_bytes=1000, request_count=3),
            visit("/", channel="mobile", lcp_ms=4800, transfer_bytes=3000, request_count=5),
        ]
    )
    result = judge(arts)
    [f] = metric_findings(result)
    assert f.channel == "mobile" and "(mobile)" in f.message and f.url.endswith("/")

    def ch(channel, name):
        return value(result, name, "channel", channel)

    assert ch("desktop", "lcp_ms").summary.median == 1200 and ch("mobile", "lcp_ms").summary.median == 4800
    assert ch("mobile", "transfer_bytes").value == 3000 and ch("mobile", "requests").value == 5
    assert value(result, "page_count", "run").value == 2


def test_channel_p75_across_pages():
    values = [1000, 2000, 3000, 4000]
    arts = artifacts([visit(f"/p{i}", step_index=i, lcp_ms=v) for i, v in enumerate(values)])
    summary = value(judge(arts), "lcp_ms", "channel", "desktop")
    assert summary.value == pytest.approx(_stats.percentile(values, 75))  # rated at the p75
    assert summary.summary.median == 2500 and summary.summary.n == 4


def test_one_finding_per_channel_path_metric_with_worst_median():
    arts = artifacts(
        [
            visit("/cart", journey="browse", lcp_ms=3000),
            visit("/cart", journey="checkout", step_index=3, lcp_ms=4500),
        ]
    )
    [f] = metric_findings(judge(arts))
    assert f.evidence["value"] == 4500 and f.evidence["journey"] == "checkout"


# -- culprits ----------------------------------------------------------------------


def test_lcp_finding_names_element_and_resource():
    v = visit(
        "/product/1",
        lcp_ms=4600,
        lcp_element="img.hero",
        lcp_url="https://shop.test/img/hero.jpg",
        resources=[
            resource("/img/hero.jpg", "image", duration_ms=2300, transfer_bytes=400_000),
            resource("/app.js", "script", duration_ms=100),
        ],
    )
    [f] = metric_findings(judge(artifacts([v])))
    assert "img.hero" in f.message and "hero.jpg" in f.message
    assert f.evidence["culprit"]["lcp_resource"]["duration_ms"] == 2300
    assert f.evidence["culprit"]["slowest_resources"][0]["url"].endswith("/img/hero.jpg")


def test_cls_finding_names_shifted_elements():
    v = visit("/", cls=0.32, layout_shifts=[layout_shift(0.3, "main > .grid"), layout_shift(0.02, "footer")])
    [f] = metric_findings(judge(artifacts([v])))
    assert f.evidence["culprit"]["shifted_elements"][0] == {"selector": "main > .grid", "shift": 0.3}
    assert "main > .grid" in f.message


def test_inp_comes_from_journey_interactions_and_names_target():
    v = visit("/product/1", interactions=[interaction(80, "a.nav"), interaction(450, "button#add-to-cart")])
    [f] = metric_findings(judge(artifacts([v])))
    assert f.evidence["metric"] == "inp_ms" and f.evidence["value"] == 450
    assert f.severity == Severity.WARN and "button#add-to-cart" in f.message


def test_tbt_finding_lists_long_tasks_and_scripts():
    v = visit(
        "/",
        tbt_ms=700,
        long_tasks=4,
        resources=[
            resource("/small.js", "script", transfer_bytes=10),
            resource("/big.js", "script", transfer_bytes=9000),
        ],
    )
    [f] = metric_findings(judge(artifacts([v])))
    assert f.evidence["culprit"]["long_tasks"] == 4
    assert f.evidence["culprit"]["largest_scripts"][0]["url"].endswith("/big.js")


# -- fingerprints ------------------------------------------------------------------


def _fingerprint(path, lcp, run_index=0, metric="lcp_ms"):
    result = judge(artifacts([visit(path, run_index=run_index, **{metric: lcp})]))
    [f] = metric_findings(result)
    return f.fingerprint


def test_fingerprint_stable_across_runs_and_ratings():
    first = _fingerprint("/product/1", 3100)
    assert first == _fingerprint("/product/1", 5200, run_index=2)  # worse, other run: same problem
    assert first != _fingerprint("/product/2", 3100)
    assert first != _fingerprint("/product/1", 3100, metric="fcp_ms")


def test_fingerprint_ignores_host_and_port():
    a = judge(artifacts([visit("http://localhost:8001/p", lcp_ms=5000)]))
    b = judge(artifacts([visit("http://127.0.0.1:9999/p", lcp_ms=5000)]))
    assert metric_findings(a)[0].fingerprint == metric_findings(b)[0].fingerprint


# -- score -------------------------------------------------------------------------


def test_score_is_smooth_and_monotonic():
    scores = [judge(artifacts([visit("/", lcp_ms=v)])).score for v in (1000, 2499, 2501, 3500, 6000)]
    assert scores == sorted(scores, reverse=True)
    assert abs(scores[1] - scores[2]) < 1.0  # no cliff at the threshold


def test_score_blends_mean_and_worst_page():
    fast = visit("/a", lcp_ms=1000, cls=0.0)
    slow = visit("/b", step_index=1, lcp_ms=8000, cls=0.5)
    fine = visit("/c", step_index=2, lcp_ms=1200, cls=0.0)
    result = judge(artifacts([fast, slow, fine]))
    page_scores = [v.value for v in result.values if v.name == "score" and v.scope.level == "page"]
    mean = sum(page_scores) / len(page_scores)
    assert result.score == pytest.approx((mean + min(page_scores)) / 2, abs=0.1)
    assert result.score < mean  # one slow page is not averaged away
    # weights (LCP 30, CLS 25) re-normalised over the two measured metrics
    expected = (30 * log_normal_score(8000, 2500, 4000) + 25 * log_normal_score(0.5, 0.1, 0.25)) / 55
    assert judge(artifacts([slow])).score == pytest.approx(100 * expected, abs=0.1)


# -- options -----------------------------------------------------------------------


def test_threshold_override_list_and_dict():
    arts = artifacts([visit("/", lcp_ms=2800, ttfb_ms=1000)])
    result = judge(arts, thresholds={"lcp_ms": [3000, 5000], "ttfb_ms": {"good": 900, "poor": 950}})
    [f] = metric_findings(result)
    assert f.evidence["metric"] == "ttfb_ms" and f.severity == Severity.FAIL
    lcp = value(result, "lcp_ms", "page").thresholds
    assert (lcp.good, lcp.poor) == (3000, 5000)
    [table] = result.details  # the report's settings table says the same
    limits = {r["metric"]: (r["good"], r["poor"]) for r in table.rows}
    assert limits["LCP"] == (3000, 5000)
    assert limits["CLS"] == (0.1, 0.25)  # untouched metrics keep defaults


def test_invalid_thresholds_become_an_error_result():
    result = judge(artifacts([visit("/", lcp_ms=2800)]), thresholds={"lcp_ms": [5000, 3000]})
    assert result.status == Status.ERROR and "good < poor" in result.error


def test_page_weight_info_finding():
    heavy = visit(
        "/big", transfer_bytes=2_000_000, request_count=40, bytes_by_type={"image": 1_500_000}, lcp_ms=900
    )
    light = visit("/small", step_index=1, transfer_bytes=50_000, request_count=5, lcp_ms=900)
    result = judge(artifacts([heavy, light]))
    [info] = [f for f in result.findings if f.rule == "page-weight"]
    assert info.severity == Severity.INFO and "/big" in info.message and "image" in info.message
    assert result.status == Status.PASS
    assert not [
        f for f in judge(artifacts([heavy]), page_weight_info=False).findings if f.rule == "page-weight"
    ]


def test_stats_helpers():
    s = _stats.spread([3.0, None, 1.0, 2.0, 100.0])
    assert (s.median, s.min, s.max, s.n) == (2.5, 1.0, 100.0, 4)
    assert _stats.median([None, None]) is None
    assert _stats.percentile([1, 2, 3, 4, 5], 75) == 4


def test_ttfb_culprit_is_the_document_response():
    v = visit("/product/1", ttfb_ms=2250, resources=[resource("/product/1", "document", duration_ms=2260)])
    [f] = metric_findings(judge(artifacts([v])))
    assert f.severity == Severity.FAIL and "main document took 2.3 s" in f.message
    assert f.evidence["culprit"]["document"]["duration_ms"] == 2260


def test_channel_scores_use_the_same_blend_as_the_check():
    """The report's channels x checks matrix shows these; a slow page must pull its channel down."""
    fast = visit("/a", lcp_ms=1000, cls=0.0)
    slow = visit("/b", step_index=1, lcp_ms=8000, cls=0.5)
    other = visit("/a", channel="mobile", lcp_ms=1000, cls=0.0)
    result = judge(artifacts([fast, slow, other]))
    scores = [
        v.value
        for v in result.values
        if v.name == "score" and v.scope.level == "page" and v.scope.channel == "desktop"
    ]
    expected = (sum(scores) / len(scores) + min(scores)) / 2
    desktop, mobile = (value(result, "score", "channel", ch).value for ch in ("desktop", "mobile"))
    assert desktop == pytest.approx(expected, abs=0.2)
    assert mobile > desktop
