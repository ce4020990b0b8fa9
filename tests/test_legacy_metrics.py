"""Untyped ``metrics`` (schema-1/2 scorecards, old history rows, older plugins) typed in one place.

Every consumer reads only ``values``/``details``; these tests pin that what older
versions and untyped third-party checks wrote is still read, at the same places.
"""

from __future__ import annotations

from typing import Any

from cx_auditor.budgets import Budgets, MetricBudget, evaluate, lookup_metric
from cx_auditor.history.compare import compare_scorecards
from cx_auditor.history.metrics import result_numbers
from cx_auditor.legacy_metrics import LEGACY_DETAIL_TITLE, values_from_metrics
from cx_auditor.models import SCORECARD_SCHEMA_VERSION, CheckResult, MetricValue, RawDetail, Scope, Scorecard
from cx_auditor.reports import render_html

#: what ``load_time`` wrote in a version-1 scorecard (trimmed): page rows with spreads and
#: the check's own ratings, channel summaries, the thresholds it applied
V1_LOAD_TIME: dict[str, Any] = {
    "page_count": 2,
    "channels": {
        "mobile": {
            "score": 41.0,
            "transfer_bytes": 900_000,
            "lcp_ms": {"median": 3900.0, "p75": 4950.0, "rating_p75": "poor", "pages": 2},
        }
    },
    "pages": [
        {
            "channel": "mobile",
            "journey": "purchase",
            "step_index": 2,
            "url": "http://127.0.0.1:8123/product/boots?ref=home",
            "path": "/product/boots",
            "runs": 3,
            "metrics": {
                "lcp_ms": {
                    "median": 5300.0,
                    "min": 5100.0,
                    "max": 5600.0,
                    "n": 3,
                    "samples": [5100.0, 5300.0, 5600.0],
                    "rating": "poor",
                }
            },
            "score": 30.0,
        },
        {
            "channel": "mobile",
            "journey": "purchase",
            "step_index": 0,
            "url": "http://127.0.0.1:8123/",
            "path": "/",
            "metrics": {"lcp_ms": {"median": 2500.0, "n": 1, "rating": "good"}},
        },
    ],
    "thresholds": {"lcp_ms": [2500, 4000]},
    "weights": {"lcp_ms": 30},
    "note": "kept for people",
}


def v1_scorecard() -> dict[str, Any]:
    result = {
        "check": "load_time",
        "title": "Load time",
        "score": 50.0,
        "status": "fail",
        "metrics": V1_LOAD_TIME,
    }
    return {"schema_version": 1, "run_id": "old", "meta": {"site": "S"}, "score": 50.0, "results": [result]}


def test_a_version_1_scorecard_loads_with_typed_values_at_the_old_places() -> None:
    card = Scorecard.model_validate(v1_scorecard())
    assert card.schema_version == SCORECARD_SCHEMA_VERSION
    r = card.result("load_time")
    assert r is not None
    by_key = {v.key(): v for v in r.values}
    page = by_key["pages[mobile purchase 2 /product/boots].lcp_ms"]
    assert page.samples == [5100.0, 5300.0, 5600.0] and page.summary is not None and page.summary.n == 3
    assert page.rating is not None and page.rating.value == "poor"  # the check's own rating, kept
    assert page.thresholds is not None and (page.thresholds.good, page.thresholds.poor) == (2500, 4000)
    assert page.scope.url == "http://127.0.0.1:8123/product/boots?ref=home"
    channel = by_key["channels.mobile.lcp_ms"]
    assert channel.samples == [] and channel.stats == {"median": 3900.0, "p75": 4950.0}
    assert channel.stat("p75") == 4950.0 and channel.stat("p90") is None  # not reported: not measured
    assert by_key["channels.mobile.score"].direction.value == "higher"
    assert by_key["page_count"].value == 2 and by_key["weights.lcp_ms"].value == 30
    # what is not a number is kept as a raw detail, not dropped
    [raw] = [d for d in r.details if isinstance(d, RawDetail)]
    assert raw.title == LEGACY_DETAIL_TITLE and raw.data["note"] == "kept for people"
    assert "channels" not in raw.data and "pages" not in raw.data  # all numbers: all typed
    assert page.unit == "ms" and by_key["channels.mobile.transfer_bytes"].unit == "bytes"


def test_loading_twice_adds_nothing_and_typed_values_win_over_their_untyped_copy() -> None:
    card = Scorecard.model_validate(v1_scorecard())
    again = Scorecard.model_validate_json(card.model_dump_json())
    assert again.results[0].values == card.results[0].values
    assert again.results[0].details == card.results[0].details
    own = MetricValue(name="lcp_ms", value=1.0, scope=Scope(channel="mobile"))
    mixed = CheckResult(check="x", values=[own], metrics={"lcp_ms": 9000, "cls": 0.2})
    assert [(v.name, v.value) for v in mixed.values] == [("lcp_ms", 1.0), ("cls", 0.2)]


def test_budgets_read_old_scorecards_and_untyped_plugins_through_the_typed_lookup() -> None:
    card = Scorecard.model_validate(v1_scorecard())
    r = card.result("load_time")
    worst = lookup_metric(r, MetricBudget(metric="load_time.lcp_ms", max=4000))
    assert worst == (5300.0, "http://127.0.0.1:8123/product/boots?ref=home")
    assert lookup_metric(r, MetricBudget(metric="load_time.lcp_ms", max=1, stat="p75", channel="mobile")) == (
        4950.0,
        None,
    )
    # a path written into the old nested dict still finds its value, statistic included
    nested = MetricBudget(metric="load_time.channels.mobile.lcp_ms.p75", max=1)
    assert lookup_metric(r, nested) == (4950.0, None)
    assert lookup_metric(r, nested.model_copy(update={"metric": "load_time.channels.mobile.score"})) == (
        41.0,
        None,
    )
    gate = evaluate(
        card, Budgets(metrics=[MetricBudget(metric="load_time.lcp_ms", max=4000, pages="/product/*")])
    )
    assert not gate.passed and gate.budgets[0].actual == 5300


def test_an_old_history_row_compares_with_a_typed_run_on_the_same_keys() -> None:
    old = Scorecard.model_validate(v1_scorecard())
    scope = Scope(channel="mobile", journey="purchase", step_index=2, page="/product/boots")
    new_result = CheckResult(
        check="load_time",
        score=70.0,
        values=[MetricValue(name="lcp_ms", samples=[3000.0, 3100.0], scope=scope)],
    )
    new = Scorecard(run_id="new", meta=old.meta, score=70.0, results=[new_result])
    key = "pages[mobile purchase 2 /product/boots].lcp_ms"
    assert key in result_numbers(old.results[0]) and key in result_numbers(new_result)
    deltas = {m.key: m for m in compare_scorecards(old, new).metrics}
    assert deltas[key].base == 5300.0 and deltas[key].head == 3050.0


def test_the_report_of_a_version_1_file_shows_its_values_and_its_raw_rest() -> None:
    html = render_html(v1_scorecard())
    assert "/product/boots" in html and "5.30 s" in html  # the page table, from typed values
    assert 'class="num rate-poor"' in html  # coloured by the check's own rating
    assert f"{LEGACY_DETAIL_TITLE} (raw)" in html and "kept for people" in html


def test_lists_are_samples_only_under_samples_and_settings_are_not_measurements() -> None:
    values, rest = values_from_metrics(
        {"samples": {"lcp_ms": [1.0, 2.0]}, "sizes": [3.0, 4.0], "thresholds": {"lcp_ms": [2500, 4000]}}
    )
    kinds = {v.key(): v.samples_of for v in values}
    assert kinds == {"samples.lcp_ms": "runs", "sizes": "pages"}
    assert rest == {"thresholds": {"lcp_ms": [2500, 4000]}}


def test_built_in_results_write_no_metrics_key_and_plugin_results_keep_theirs() -> None:
    assert "metrics" not in CheckResult(check="x", values=[MetricValue(name="n", value=1)]).model_dump()
    plugin = CheckResult(check="p", metrics={"pages": 3})
    assert plugin.model_dump(mode="json")["metrics"] == {"pages": 3}
    assert [(v.name, v.value) for v in plugin.values] == [("pages", 3.0)]
