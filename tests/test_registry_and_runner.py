"""Checks are found through entry points (built-in and third-party alike) and isolated by the runner."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from cx_auditor import registry
from cx_auditor.checks_api import Check, NotApplicable, log_normal_score
from cx_auditor.errors import PluginError
from cx_auditor.models import Artifacts, CheckResult, RunMeta, Severity, Status
from cx_auditor.runner import build_scorecard, grade_for, overall_score, run_check

BUILTINS = {"load_time", "checkout_steps", "messaging_consistency", "support_reachability", "journey_health"}


def empty_artifacts() -> Artifacts:
    return Artifacts(meta=RunMeta(site="t"))


def install_plugin(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    module_src: str,
    entry: str | None = None,
    dist: str = "cx_plugin_demo",
) -> None:
    """Install a real distribution (dist-info + module) on sys.path, as pip would."""
    site = tmp_path / f"site-{name}"
    site.mkdir()
    mod = f"{dist}_{name}"
    (site / f"{mod}.py").write_text(textwrap.dedent(module_src), encoding="utf-8")
    info = site / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        f"[cx_auditor.checks]\n{name} = {entry or mod + ':PluginCheck'}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    import importlib

    importlib.invalidate_caches()


PLUGIN_SRC = """
from cx_auditor.checks_api import Check, finding
from cx_auditor.models import CheckResult

class PluginCheck(Check):
    id = "page_count"
    title = "Page count"
    description = "Counts recorded page visits (a third-party example)."
    default_options = {"minimum": 1}

    def run(self, artifacts, options):
        n = len(artifacts.visits)
        findings = []
        if n < options["minimum"]:
            findings.append(finding(self.id, "too-few", "warn", f"only {n} pages"))
        return self.result(score=100 if not findings else 50, findings=findings, metrics={"pages": n})
"""


def test_builtins_register_through_the_entry_point_group() -> None:
    found = registry.discover()
    assert BUILTINS <= set(found)
    assert all(found[c].source == "builtin" for c in BUILTINS)
    assert list(found)[: len(BUILTINS)] == sorted(BUILTINS)  # built-ins first, stable order


def test_third_party_check_is_discovered_and_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, monkeypatch, "page_count", PLUGIN_SRC)
    found = registry.discover()
    assert "page_count" in found and found["page_count"].source == "cx_plugin_demo"
    sc = build_scorecard(
        empty_artifacts(), {"page_count": found["page_count"].check}, {"page_count": {"minimum": 3}}
    )
    r = sc.result("page_count")
    assert r is not None and r.score == 50 and r.status == Status.WARN and r.metrics == {"pages": 0}
    assert r.findings[0].check == "page_count" and r.findings[0].fingerprint


def test_autoload_can_be_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, monkeypatch, "page_count", PLUGIN_SRC)
    monkeypatch.setenv("CX_AUDIT_DISABLE_PLUGIN_AUTOLOAD", "1")
    found = registry.discover()
    assert "page_count" not in found and BUILTINS <= set(found)


def test_broken_plugin_fails_loudly_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, monkeypatch, "broken", "raise ImportError('boom')\n", dist="cx_broken")
    with pytest.raises(PluginError, match="'broken'.*boom"):
        registry.discover()


def test_plugin_that_is_not_a_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, monkeypatch, "notacheck", "class PluginCheck:\n    pass\n", dist="cx_bad")
    with pytest.raises(PluginError, match="not a check"):
        registry.discover()


def test_duplicate_id_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = PLUGIN_SRC.replace('id = "page_count"', 'id = "load_time"')
    install_plugin(tmp_path, monkeypatch, "load_time", src, dist="cx_dupe")
    with pytest.raises(PluginError, match="Two checks claim the id 'load_time'"):
        registry.discover()
    sys.modules.pop("cx_dupe_load_time", None)


class Boom(Check):
    id = "boom"
    title = "Boom"

    def run(self, artifacts: Artifacts, options: dict) -> CheckResult:  # type: ignore[type-arg]
        raise ZeroDivisionError("division by zero")


class Nothing(Check):
    id = "nothing"
    title = "Nothing"

    def run(self, artifacts: Artifacts, options: dict) -> CheckResult:  # type: ignore[type-arg]
        raise NotApplicable("no checkout journey")


class Loud(Check):
    id = "loud"
    title = "Loud"
    default_options = {"score": 150.0}

    def run(self, artifacts: Artifacts, options: dict) -> CheckResult:  # type: ignore[type-arg]
        return CheckResult(check="loud", score=options["score"])


def test_runner_isolates_errors_and_not_applicable() -> None:
    sc = build_scorecard(empty_artifacts(), {"boom": Boom(), "nothing": Nothing(), "loud": Loud()})
    boom, nothing, loud = sc.results
    assert boom.status == Status.ERROR and boom.score is None and "ZeroDivisionError" in (boom.error or "")
    assert nothing.status == Status.SKIPPED and nothing.score is None and "checkout" in (nothing.error or "")
    assert loud.score == 100.0  # clamped in one place
    assert sc.score == 100.0  # errored and skipped checks do not drag the overall score to zero
    assert sc.grade == "A"


def test_options_overlay_defaults() -> None:
    assert run_check(Loud(), empty_artifacts(), {"score": 42}).score == 42


def test_weighted_overall_and_grades() -> None:
    results = [
        CheckResult(check="a", score=100, weight=3),
        CheckResult(check="b", score=60, weight=1),
        CheckResult(check="c", score=None, status=Status.ERROR),
    ]
    assert overall_score(results) == 90.0
    assert [grade_for(s) for s in (95, 85, 75, 55, 10, None)] == ["A", "B", "C", "D", "F", None]


def test_log_normal_score_is_smooth_and_anchored() -> None:
    assert log_normal_score(1200, 1200, 2400) == pytest.approx(0.9)
    assert log_normal_score(2400, 1200, 2400) == pytest.approx(0.5)
    values = [log_normal_score(v, 1200, 2400) for v in range(100, 6000, 100)]
    assert all(a > b for a, b in zip(values, values[1:], strict=False))  # strictly decreasing, no steps
    assert Severity("fail") is Severity.FAIL


TYPED_PLUGIN_SRC = """
from pydantic import Field
from cx_auditor.checks_api import Check, CheckOptions
from cx_auditor.models import MetricValue, Thresholds

class PluginCheck(Check):
    id = "visit_budget"
    title = "Visit budget"
    description = "A typed third-party check."

    class Options(CheckOptions):
        good: int = Field(2, ge=0, description="Visits still rated good.")
        poor: int = Field(5, ge=0, description="Visits beyond which it is poor.")

    def run(self, artifacts, options):
        assert isinstance(options, self.Options)
        value = MetricValue(name="visits", unit="count", value=len(artifacts.visits),
                            thresholds=Thresholds(good=options.good, poor=options.poor))
        return self.result(score=100, findings=[], values=[value])
"""


def test_typed_third_party_check_gets_its_model_and_feeds_budgets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cx_auditor.budgets import Budgets, evaluate
    from cx_auditor.config import parse_config, validate_check_options
    from cx_auditor.errors import ConfigError
    from cx_auditor.models import Rating

    install_plugin(tmp_path, monkeypatch, "visit_budget", TYPED_PLUGIN_SRC, dist="cx_typed")
    check = registry.discover()["visit_budget"].check
    cfg = parse_config("site: {base_url: 'https://x.example'}\nchecks:\n  visit_budget: {god: 1}\n")
    with pytest.raises(ConfigError, match="did you mean 'good'"):
        validate_check_options(cfg, {"visit_budget": check})
    sc = build_scorecard(empty_artifacts(), {"visit_budget": check}, {"visit_budget": {"good": 0, "poor": 1}})
    (value,) = sc.result("visit_budget").values  # type: ignore[union-attr]
    assert value.rating == Rating.GOOD and value.value == 0
    gate = evaluate(sc, Budgets.model_validate({"metrics": [{"metric": "visit_budget.visits", "max": 0}]}))
    assert gate.passed and gate.budgets[0].actual == 0


def test_plugin_options_without_defaults_fail_at_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = TYPED_PLUGIN_SRC.replace("good: int = Field(2, ge=0,", "good: int = Field(ge=0,")
    install_plugin(tmp_path, monkeypatch, "visit_budget", src, dist="cx_nodefault")
    with pytest.raises(PluginError, match="'visit_budget'.*default"):
        registry.discover()
