"""Noise-aware load-time verdicts and the adaptive settle: the pure parts.

Which pages the collector re-measures, how the check folds the re-measures into a
confirmed or flaky verdict, what a machine too loaded to time anything does to the
gate, and when a page counts as quiet enough to leave.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks.load_time import (
    LoadTimeCheck,
    LoadTimeOptions,
    classify_failure,
    machine_noise,
    pages_to_confirm,
)
from cx_auditor.gather.quiet import POLL_MS, PageQuietState, settle_decision
from cx_auditor.models import Remeasure, RunMeta, Severity, Timings
from cx_auditor.runner import run_check

from tests.artifact_factory import artifacts, interaction, visit


def judge(arts, **options):
    return run_check(LoadTimeCheck(), arts, options)


def metric_findings(result, metric):
    return [f for f in result.findings if f.evidence.get("metric") == metric]


def remeasure(path, sample=1, channel="desktop", journey="browse", step_index=0, **timings):
    return Remeasure(
        channel=channel,
        journey=journey,
        step_index=step_index,
        path=path,
        url=f"https://shop.test{path}",
        sample=sample,
        timings=Timings(**timings),
    )


# -- which pages to confirm ------------------------------------------------------------


def test_only_pages_that_would_fail_on_a_reloadable_metric_are_confirmed():
    visits = [
        visit("/slow", lcp_ms=5200),  # poor: fail
        visit("/meh", lcp_ms=3000),  # needs improvement: a warning, nothing to confirm
        visit("/fast", lcp_ms=900),
        visit("/tap", inp_ms=900, interactions=[interaction(900)]),  # poor INP: a reload cannot re-measure it
        visit("/jumpy", channel="mobile", cls=0.4, ttfb_ms=2500),
    ]
    targets = pages_to_confirm(visits, LoadTimeOptions(), ["desktop", "mobile"])
    assert [(t.channel, t.path, t.metrics) for t in targets] == [
        ("desktop", "/slow", ("lcp_ms",)),
        ("mobile", "/jumpy", ("cls", "ttfb_ms")),
    ]
    assert targets[0].url == "https://shop.test/slow" and targets[0].journey == "browse"


def test_confirmation_follows_the_configured_thresholds_and_can_be_switched_off():
    visits = [visit("/p", lcp_ms=3000)]
    assert pages_to_confirm(visits, LoadTimeOptions(), ["desktop"]) == []
    strict = LoadTimeOptions(thresholds={"lcp_ms": (1000, 2000)})
    assert [t.path for t in pages_to_confirm(visits, strict, ["desktop"])] == ["/p"]
    off = LoadTimeOptions(thresholds={"lcp_ms": (1000, 2000)}, confirm_runs=0)
    assert pages_to_confirm(visits, off, ["desktop"]) == []


def test_confirmation_judges_the_median_of_repeat_runs_and_skips_other_channels():
    # two of three runs are fast: the page's median is good, nothing to confirm
    visits = [visit("/p", lcp_ms=v, run_index=i) for i, v in enumerate((900, 6000, 1000))]
    visits.append(visit("/doc", channel="documents", lcp_ms=9000))
    assert pages_to_confirm(visits, LoadTimeOptions(), ["desktop"]) == []


# -- confirmed or flaky ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("samples", "verdict"),
    [
        ([], "confirmed"),  # nothing re-measured: the verdict stands
        ([5000, 4500], "confirmed"),
        ([1200, 1300], "flaky"),
        ([1200, 9000, 5000], "confirmed"),  # median 5000 > 4000
        ([4000, 4000], "flaky"),  # exactly at the poor threshold is not poor
    ],
)
def test_classify_failure(samples, verdict):
    assert classify_failure(samples, 4000) == verdict


def test_an_unreproduced_failure_is_a_flaky_warning_with_its_samples():
    arts = artifacts([visit("/p", lcp_ms=6000)])
    arts.meta.remeasures = [remeasure("/p", 1, lcp_ms=1100), remeasure("/p", 2, lcp_ms=1300)]
    [f] = metric_findings(judge(arts), "lcp_ms")
    assert f.severity == Severity.WARN and f.message.startswith("Flaky:")
    assert f.evidence["confirmation"] == {"verdict": "flaky", "samples": [1100, 1300]}
    assert f.evidence["value"] == 6000  # the original measurement is still shown


def test_a_reproduced_failure_stays_a_failure_and_says_so():
    arts = artifacts([visit("/p", lcp_ms=6000)])
    arts.meta.remeasures = [remeasure("/p", 1, lcp_ms=5100), remeasure("/p", 2, lcp_ms=4800)]
    [f] = metric_findings(judge(arts), "lcp_ms")
    assert f.severity == Severity.FAIL and "Confirmed by 2 re-measure(s)" in f.message
    assert f.evidence["confirmation"]["verdict"] == "confirmed"


def test_remeasures_of_another_page_or_metric_do_not_count():
    arts = artifacts([visit("/p", lcp_ms=6000), visit("/q", lcp_ms=800)])
    arts.meta.remeasures = [
        remeasure("/q", lcp_ms=500),
        remeasure("/p", cls=0.0),
        remeasure("/p", channel="mobile"),
    ]
    [f] = metric_findings(judge(arts), "lcp_ms")
    assert f.severity == Severity.FAIL and "confirmation" not in f.evidence


# -- a machine too loaded to time anything ---------------------------------------------


def _meta(**kw):
    return RunMeta(site="s", **kw)


def test_machine_noise_names_each_reason():
    opts = LoadTimeOptions(min_benchmark_index=1000, max_load_per_cpu=2)
    assert machine_noise(_meta(benchmark_index=1500, load_average=1.0, cpu_count=2), opts) is None
    assert machine_noise(_meta(), opts) is None  # nothing measured: nothing to say
    line = machine_noise(_meta(benchmark_index=400, load_average=9.0, cpu_count=2), opts)
    assert line is not None and "benchmark index 400 < 1,000" in line and "load average 9.00 on 2" in line
    assert machine_noise(_meta(benchmark_index=400), LoadTimeOptions(min_benchmark_index=0)) is None


def test_the_share_other_processes_took_replaces_the_load_average_where_it_is_known():
    opts = LoadTimeOptions()
    # a busy audit on a quiet box: load 8 on 2 CPUs is the audit's own, others took 3 %
    assert machine_noise(_meta(load_average=8.0, cpu_count=2, other_cpu_share=0.03), opts) is None
    line = machine_noise(_meta(load_average=0.5, cpu_count=2, other_cpu_share=0.48), opts)
    assert line is not None and "other processes took 48% of the CPU time" in line
    assert machine_noise(_meta(other_cpu_share=0.48), LoadTimeOptions(max_other_cpu_share=0)) is None
    # not measured (not Linux): the load average rule stands
    assert "load average 8.00" in (machine_noise(_meta(load_average=8.0, cpu_count=2), opts) or "")


def test_on_a_loaded_machine_poor_load_times_warn_unless_the_config_gates_on_them():
    arts = artifacts([visit("/p", lcp_ms=6000)], benchmark_index=100.0, load_average=8.0, cpu_count=2)
    result = judge(arts)
    [f] = metric_findings(result, "lcp_ms")
    assert f.severity == Severity.WARN and f.evidence["noisy_machine"] is True
    [note] = [f for f in result.findings if f.rule == "machine-load"]
    assert note.severity == Severity.WARN and "too loaded" in note.message
    assert not any(f.severity == Severity.FAIL for f in result.findings)

    gated = judge(arts, gate_when_noisy=True)
    [f] = metric_findings(gated, "lcp_ms")
    assert f.severity == Severity.FAIL
    assert any(f.rule == "machine-load" for f in gated.findings)


def test_a_quiet_machine_changes_nothing():
    arts = artifacts([visit("/p", lcp_ms=6000)], benchmark_index=50_000.0, load_average=0.5, cpu_count=2)
    result = judge(arts)
    assert [f.severity for f in metric_findings(result, "lcp_ms")] == [Severity.FAIL]
    assert not any(f.rule == "machine-load" for f in result.findings)


# -- the quiet window ------------------------------------------------------------------


def state(since_load=0.0, since_activity=0.0, next_timer=None, inflight=0):
    return PageQuietState(since_load, since_activity, next_timer, inflight)


def test_a_quiet_page_is_left_at_once_and_an_unloaded_one_too():
    assert settle_decision(state(300, 260), cap_ms=1000) == 0
    assert settle_decision(None, cap_ms=1000) == 0


def test_recent_activity_waits_out_the_rest_of_the_quiet_window():
    assert settle_decision(state(100, 100), cap_ms=1000, quiet_ms=250) == pytest.approx(150)


def test_requests_in_flight_and_pending_timers_keep_the_page_busy():
    assert settle_decision(state(600, 600, inflight=1), cap_ms=1000) == POLL_MS
    # a banner scheduled 900 ms after load, polled 50 ms after load: wait for it
    assert settle_decision(state(50, 50, next_timer=850), cap_ms=1000) == POLL_MS
    # ... but a timer due after the cap cannot matter
    assert settle_decision(state(50, 300, next_timer=5000), cap_ms=1000) == 0


def test_the_cap_always_wins():
    assert settle_decision(state(1000, 0, next_timer=10, inflight=3), cap_ms=1000) == 0
    assert settle_decision(state(980, 0, inflight=3), cap_ms=1000) == pytest.approx(20)
    assert settle_decision(state(0, 0, inflight=3), cap_ms=0) == 0


def test_past_the_cap_only_a_starved_page_s_overdue_timer_is_waited_for_at_most_as_long_again():
    def late(since_load: float) -> PageQuietState:
        return PageQuietState(since_load, 0.0, 0.0, 0, late_timer=True)

    assert settle_decision(late(1000), cap_ms=1000) > 0  # due before the cap, not run yet
    assert settle_decision(late(1999), cap_ms=1000) > 0
    assert settle_decision(late(2000), cap_ms=1000) == 0  # the hard limit
    assert settle_decision(late(0), cap_ms=0) == 0


def test_layout_shifts_are_not_excused_by_a_loaded_machine():
    arts = artifacts([visit("/p", cls=0.4, ttfb_ms=2500)], load_average=9.0, cpu_count=2)
    result = judge(arts)
    assert metric_findings(result, "cls")[0].severity == Severity.FAIL
    assert metric_findings(result, "ttfb_ms")[0].severity == Severity.WARN
