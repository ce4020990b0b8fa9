"""Budgets and the CI gate: each budget kind at its edges, levels, scopes and tolerance."""

from __future__ import annotations

from typing import Any

import pytest
from cx_auditor.budgets import Budgets, MetricBudget, evaluate, lookup_metric, page_matches
from cx_auditor.models import CheckResult, Finding, RunMeta, Scorecard, Severity, Status
from pydantic import ValidationError

from tests.scorecard_factory import DEMO_BUDGETS, make_scorecard


def card(*results: CheckResult, score: float | None = 75.0) -> Scorecard:
    return Scorecard(run_id="r", meta=RunMeta(site="s"), score=score, results=list(results))


def result(
    check: str = "load_time",
    score: float | None = 70.0,
    metrics: dict[str, Any] | None = None,
    status: Status = Status.PASS,
    findings: list[Finding] | None = None,
) -> CheckResult:
    return CheckResult(
        check=check, score=score, status=status, metrics=metrics or {}, findings=findings or []
    )


def gate(scorecard: Scorecard, budgets: dict[str, Any], **kwargs: Any):  # type: ignore[no-untyped-def]
    return evaluate(scorecard, Budgets.model_validate(budgets), **kwargs)


# -- parsing -------------------------------------------------------------------


def test_shorthands_expand_to_full_budgets() -> None:
    b = Budgets.model_validate({"overall": 80, "checks": {"load_time": 60}, "findings": {"fail": 0}})
    assert b.overall is not None and b.overall.min == 80 and b.overall.level == "error"
    assert b.checks["load_time"].min == 60
    assert b.findings is not None and b.findings.fail is not None and b.findings.fail.max == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"overal": 80},  # typo in a section name
        {"overall": {"min": 80, "lvl": "warn"}},
        {"overall": 120},
        {"metrics": [{"metric": "load_time.lcp_ms"}]},  # no limit
        {"metrics": [{"metric": "lcp_ms", "max": 1}]},  # no check prefix
        {"metrics": [{"metric": "load_time.lcp_ms", "max": 1, "stat": "p42"}]},
        {"metrics": [{"metric": "load_time.lcp_ms", "max": 1, "pages": "re:(unclosed"}]},
        {"checks": {"load_time": {"min": 50, "level": "fatal"}}},
    ],
)
def test_invalid_budgets_are_rejected_by_pydantic(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Budgets.model_validate(bad)


# -- overall and fail_under ----------------------------------------------------------


@pytest.mark.parametrize(("score", "passed"), [(80.0, True), (79.9, False), (None, False)])
def test_overall_floor_edges(score: float | None, passed: bool) -> None:
    g = gate(card(score=score), {"overall": 80})
    assert g.passed is passed
    assert g.budgets[0].actual == score and g.budgets[0].limit == 80


def test_fail_under_replaces_configured_overall() -> None:
    g = gate(card(score=75.0), {"overall": 90}, fail_under=70)
    assert [b.id for b in g.budgets] == ["overall"]
    assert g.passed and g.budgets[0].limit == 70
    assert not evaluate(card(score=75.0), None, fail_under=75.1).passed


def test_no_budgets_pass_and_gate_is_stored_on_scorecard() -> None:
    sc = card()
    g = evaluate(sc, None)
    assert g.passed and g.budgets == [] and sc.gate is g


# -- check budgets -----------------------------------------------------------------


def test_check_floor_edges_and_warn_level() -> None:
    sc = card(result("a", 60.0), result("b", 59.9))
    g = gate(sc, {"checks": {"a": 60, "b": {"min": 60, "level": "warn"}}})
    a, b = g.budgets
    assert a.passed and not b.passed and b.level == "warn"
    assert g.passed  # a warn-level failure only reports
    assert g.warnings == [b] and g.failed == []


def test_errored_check_fails_its_budget_skipped_is_not_measured() -> None:
    sc = card(result("a", None, status=Status.ERROR), result("b", None, status=Status.SKIPPED))
    g = gate(sc, {"checks": {"a": 10, "b": 10, "c": 10}})
    a, b, c = g.budgets
    assert not a.passed and a.level == "error" and "errored" in a.description
    assert b.passed and b.level == "warn" and "skipped" in b.description
    assert c.passed and "not run" in c.description
    assert not g.passed


# -- findings budgets ---------------------------------------------------------------


def _findings(n: int, severity: str) -> list[Finding]:
    return [Finding(severity=Severity(severity), message=str(i)) for i in range(n)]


def test_findings_budget_counts_per_severity() -> None:
    sc = card(result(findings=_findings(2, "warn") + _findings(1, "fail")))
    g = gate(sc, {"findings": {"fail": 1, "warn": 1}})
    fail, warn = g.budgets
    assert fail.passed and fail.actual == 1
    assert not warn.passed and warn.actual == 2 and warn.limit == 1
    assert not g.passed


# -- metric budgets: lookup shapes -----------------------------------------------------------

PAGES = [
    {
        "channel": "mobile",
        "url": "https://s/product/a",
        "path": "/product/a",
        "metrics": {"lcp_ms": {"median": 3000, "max": 3600}},
    },
    {"channel": "mobile", "url": "https://s/product/b", "path": "/product/b", "lcp_ms": {"median": 2000}},
    {
        "channel": "desktop",
        "url": "https://s/product/a",
        "path": "/product/a",
        "metrics": {"lcp_ms": {"median": 1500}},
    },
    {"channel": "mobile", "url": "https://s/", "path": "/", "metrics": {"lcp_ms": {"median": 1200}}},
]


def lt(**metrics: Any) -> CheckResult:
    return result("load_time", 60.0, metrics=metrics)


def metric(**kwargs: Any) -> MetricBudget:
    return MetricBudget(metric=kwargs.pop("metric", "load_time.lcp_ms"), **kwargs)


def test_page_rows_worst_page_wins_and_url_is_reported() -> None:
    value, url = lookup_metric(lt(pages=PAGES), metric(max=2500)) or (None, None)
    assert value == 3000 and url == "https://s/product/a"


def test_page_group_glob_and_regex() -> None:
    r = lt(pages=PAGES)
    assert lookup_metric(r, metric(max=1, pages="/product/*", channel="desktop")) == (
        1500,
        "https://s/product/a",
    )
    assert lookup_metric(r, metric(max=1, pages="re:/product/b$")) == (2000, "https://s/product/b")
    assert lookup_metric(r, metric(max=1, pages="/checkout/*")) is None  # no rows: not measured
    assert page_matches("^/$", "https://s/") and not page_matches("/product/*", "https://s/")


def test_channel_filter_and_stat_selection() -> None:
    r = lt(pages=PAGES)
    assert lookup_metric(r, metric(max=1, channel="desktop"))[0] == 1500  # type: ignore[index]
    assert lookup_metric(r, metric(max=1, channel="mobile", stat="max"))[0] == 3600  # type: ignore[index]
    # a min budget takes the best-case side: the smallest value is the one at risk
    assert lookup_metric(r, metric(min=1, channel="mobile"))[0] == 1200  # type: ignore[index]


def test_channel_summaries_top_level_and_samples() -> None:
    channels = {"mobile": {"lcp_ms": {"median": 2100, "p75": 2700}}, "desktop": {"lcp_ms": {"median": 900}}}
    r = lt(channels=channels)
    assert lookup_metric(r, metric(max=1, channel="mobile", stat="p75")) == (2700, None)
    assert lookup_metric(r, metric(max=1)) == (2100, None)  # worst channel
    assert lookup_metric(r, metric(max=1, stat="p90", channel="desktop")) is None  # stat not published
    assert lookup_metric(lt(lcp_ms=[1000, 2000, 3000, 4000]), metric(max=1, stat="p75")) == (3250, None)
    assert lookup_metric(lt(lcp_ms=1800), metric(max=1)) == (1800, None)


def test_journey_metrics_like_checkout_steps() -> None:
    r = result(
        "checkout_steps",
        metrics={
            "journeys": {
                "purchase": {"desktop": {"steps": 6}, "mobile": {"steps": 7}},
                "returns": {"mobile": {"steps": 3}},
            }
        },
    )
    steps = MetricBudget(metric="checkout_steps.steps", max=6, channel="mobile")
    assert lookup_metric(r, steps) == (7, None)
    assert lookup_metric(r, steps.model_copy(update={"journey": "returns"})) == (3, None)
    g = evaluate(
        card(r),
        Budgets(metrics=[steps, MetricBudget(metric="checkout_steps.steps", max=6, channel="desktop")]),
    )
    assert [b.passed for b in g.budgets] == [False, True]
    assert g.budgets[0].actual == 7 and g.budgets[0].limit == 6


@pytest.mark.parametrize(("actual", "passed"), [(2500, True), (2500.5, False)])
def test_metric_max_edge(actual: float, passed: bool) -> None:
    g = gate(card(lt(lcp_ms=actual)), {"metrics": [{"metric": "load_time.lcp_ms", "max": 2500}]})
    assert g.budgets[0].passed is passed and g.passed is passed


@pytest.mark.parametrize(("actual", "passed"), [(3, True), (2.99, False)])
def test_metric_min_edge(actual: float, passed: bool) -> None:
    g = gate(card(lt(help_pages=actual)), {"metrics": [{"metric": "load_time.help_pages", "min": 3}]})
    assert g.budgets[0].passed is passed


def test_missing_metric_is_not_measured_warn_not_a_crash() -> None:
    sc = card(lt(pages=PAGES), result("broken", None, status=Status.ERROR))
    g = gate(
        sc,
        {
            "metrics": [
                {"metric": "load_time.speed_index_ms", "max": 1},
                {"metric": "nope.lcp_ms", "max": 1},
                {"metric": "broken.x", "max": 1},
                {"metric": "load_time.lcp_ms", "max": 1, "pages": "/nothing/*"},
            ]
        },
    )
    assert g.passed
    assert all(b.passed and b.level == "warn" and "not measured" in b.description for b in g.budgets)


def test_description_reads_like_a_sentence() -> None:
    g = gate(
        _real_run(),
        {
            "metrics": [
                {"metric": "load_time.lcp_ms", "max": 2500, "channel": "mobile", "pages": "/product/*"}
            ]
        },
    )
    assert g.budgets[0].description == "load_time LCP (median, mobile, /product/*) <= 2500 ms"
    assert g.budgets[0].id == "metric:load_time.lcp_ms[mobile,/product/*,median]"


def test_demo_scorecard_gate_names_each_failed_budget() -> None:
    sc = make_scorecard(budgets=DEMO_BUDGETS)
    failed = {b.id for b in sc.gate.failed}
    assert not sc.gate.passed
    assert {"overall", "check:checkout_steps", "check:plugin_example", "findings:fail"} <= failed
    assert "metric:load_time.lcp_ms[mobile,/product/*,median]" in failed
    assert "metric:checkout_steps.steps[mobile,median]" in failed
    assert "check:load_time" not in failed  # warn level


# -- the contract with the real built-in checks ----------------------------------------------


def _real_run() -> Scorecard:
    pytest.importorskip("cx_auditor.checks.load_time")
    pytest.importorskip("cx_auditor.checks.checkout_steps")
    from cx_auditor.checks.checkout_steps import CheckoutStepsCheck
    from cx_auditor.checks.load_time import LoadTimeCheck
    from cx_auditor.runner import build_scorecard

    from tests.artifact_factory import JourneyBuilder, artifacts

    journeys = []
    for channel, extra in (("desktop", False), ("mobile", True)):
        j = JourneyBuilder("purchase", channel)
        j.page("/", label="Home", lcp_ms=1200, cls=0.01, ttfb_ms=100, fcp_ms=800)
        j.page(
            "/product/boots",
            label="Product",
            action="click",
            lcp_ms=3900 if extra else 2100,
            cls=0.0,
            ttfb_ms=300,
            fcp_ms=900,
        )
        j.page("/cart", label="Cart", action="click", lcp_ms=900, ttfb_ms=90, fcp_ms=600)
        for path in (
            ["/checkout/email"] + (["/checkout/confirm-address"] if extra else []) + ["/checkout/review"]
        ):
            j.page(path, label=path, action="click", lcp_ms=800, ttfb_ms=80, fcp_ms=500)
        j.place_order()
        journeys.append(j.build())
    arts = artifacts([v for vs, _ in journeys for v in vs], [o for _, o in journeys])
    return build_scorecard(arts, {"load_time": LoadTimeCheck(), "checkout_steps": CheckoutStepsCheck()})


def test_budgets_read_what_the_builtin_checks_publish() -> None:
    sc = _real_run()
    assert all(r.status != Status.ERROR for r in sc.results), [r.error for r in sc.results]
    g = gate(
        sc,
        {
            "metrics": [
                {"metric": "load_time.lcp_ms", "max": 2500, "channel": "mobile", "pages": "/product/*"},
                {"metric": "load_time.lcp_ms", "max": 2500, "channel": "desktop", "pages": "/product/*"},
                {"metric": "load_time.lcp_ms", "max": 5000, "channel": "mobile", "stat": "p75"},
                {"metric": "checkout_steps.steps", "max": 3, "channel": "mobile"},
            ]
        },
    )
    mobile_lcp, desktop_lcp, p75, steps = g.budgets
    assert (mobile_lcp.passed, mobile_lcp.actual) == (False, 3900)
    assert mobile_lcp.url is not None and mobile_lcp.url.endswith("/product/boots")
    assert (desktop_lcp.passed, desktop_lcp.actual) == (True, 2100)
    assert p75.passed and p75.level == "error" and p75.actual is not None  # per-channel summary
    desktop_steps = lookup_metric(
        sc.result("checkout_steps"), MetricBudget(metric="checkout_steps.steps", max=1, channel="desktop")
    )
    assert desktop_steps is not None and steps.actual == desktop_steps[0] + 1  # the extra mobile step
    assert not any("not measured" in b.description for b in g.budgets)
