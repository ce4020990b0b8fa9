"""SARIF 2.1.0: valid against the official schema, stable identities, safe text."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from cx_auditor.models import Scorecard, Severity
from cx_auditor.reports import FILENAMES, build_sarif, render_sarif, write_reports
from cx_auditor.reports.sarif import FINGERPRINT_KEY

from tests.scorecard_factory import DEMO_BUDGETS, XSS, make_scorecard

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def _validate(log: dict) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def card() -> Scorecard:
    return make_scorecard(budgets=DEMO_BUDGETS)


def test_schema_file_is_the_official_2_1_0() -> None:
    assert SCHEMA["$id"].endswith("sarif-schema-2.1.0.json")
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


@pytest.mark.parametrize("hostile", [False, True])
def test_sarif_validates_against_the_2_1_0_schema(hostile: bool) -> None:
    log = build_sarif(make_scorecard(budgets=DEMO_BUDGETS, hostile=hostile))
    _validate(log)
    assert log["version"] == "2.1.0"


def test_schema_catches_a_broken_log(card: Scorecard) -> None:
    """The validation above can fail: a wrong level is rejected by the schema."""
    log = build_sarif(card)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        _validate(log)


def test_every_finding_is_a_result_with_our_fingerprint_and_page(card: Scorecard) -> None:
    run = build_sarif(card)["runs"][0]
    results = [r for r in run["results"] if not r["ruleId"].startswith("budgets/")]
    findings = card.findings()
    assert len(results) == len(findings)
    levels = {Severity.FAIL: "error", Severity.WARN: "warning", Severity.INFO: "note"}
    for result, finding in zip(results, findings, strict=True):
        assert result["partialFingerprints"] == {FINGERPRINT_KEY: finding.fingerprint}
        assert result["level"] == levels[finding.severity]
        assert result["message"]["text"] == finding.message
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == (finding.url or card.meta.base_url)
        assert result["properties"].get("channel") == finding.channel
        rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"] == f"{finding.check}/{finding.rule}"


def test_rules_are_unique_and_carry_help(card: Scorecard) -> None:
    rules = build_sarif(card)["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["help"]["text"].strip()
        if not rule["id"].startswith("budgets/"):
            check = rule["id"].split("/")[0]
            assert f"docs/checks/{check}.md" in rule["help"]["text"]


def test_failed_budgets_are_results_and_errored_checks_are_notifications(card: Scorecard) -> None:
    run = build_sarif(card)["runs"][0]
    failed = [b for b in card.gate.budgets if not b.passed]
    assert failed, "the demo budgets should fail on the flawed scorecard"
    budget_results = [r for r in run["results"] if r["ruleId"].startswith("budgets/")]
    assert {r["ruleId"] for r in budget_results} == {f"budgets/{b.id}" for b in failed}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["plugin_example"]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_hostile_text_stays_inert_json() -> None:
    text = render_sarif(make_scorecard(hostile=True))
    log = json.loads(text)
    messages = " ".join(r["message"]["text"] for r in log["runs"][0]["results"])
    assert XSS in messages  # carried as data, escaped by JSON, never interpreted by us


def test_sarif_is_a_default_format(tmp_path: Path, card: Scorecard) -> None:
    written = write_reports(card, tmp_path)
    assert written["sarif"] == tmp_path / FILENAMES["sarif"] == tmp_path / "report.sarif"
    _validate(json.loads(written["sarif"].read_text(encoding="utf-8")))


def test_fingerprints_do_not_change_when_measurements_do(card: Scorecard) -> None:
    """Same problem, different measured values: the same partialFingerprints (alerts are tracked)."""
    again = card.model_copy(deep=True)
    for finding in again.findings():
        finding.message += " (412 ms)"
        finding.evidence = {**finding.evidence, "value": 412}
    first = [r["partialFingerprints"] for r in build_sarif(card)["runs"][0]["results"]]
    second = [r["partialFingerprints"] for r in build_sarif(again)["runs"][0]["results"]]
    assert first == second


def test_automation_id_is_category_slash_run(card: Scorecard) -> None:
    card = card.model_copy(update={"meta": card.meta.model_copy(update={"site": "Shop / EU (staging)"})})
    auto = build_sarif(card)["runs"][0]["automationDetails"]["id"]
    assert auto == f"cx-audit/Shop-EU-staging/{card.run_id}"


@pytest.mark.browser
def test_a_real_audits_sarif_validates(flawed_audit) -> None:  # type: ignore[no-untyped-def]
    """The flawed demo store's own report.sarif (a default format) is valid and carries every finding."""
    log = json.loads(flawed_audit.paths["sarif"].read_text(encoding="utf-8"))
    _validate(log)
    results = log["runs"][0]["results"]
    findings = flawed_audit.scorecard.findings()
    assert len([r for r in results if not r["ruleId"].startswith("budgets/")]) == len(findings) > 5
    assert {r["partialFingerprints"][FINGERPRINT_KEY] for r in results if "/" in r["ruleId"]} >= {
        f.fingerprint for f in findings
    }
