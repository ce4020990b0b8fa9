"""SARIF 2.1.0 (``report.sarif``), for code-scanning views and SARIF viewers.

One run per scorecard. Each distinct (check, rule) pair that produced a finding
becomes a ``reportingDescriptor`` whose id is ``check/rule``; its help text is
the check's title and description and a pointer to the check's documentation.
Each finding is a ``result``:

* ``level`` maps our severities (fail -> error, warn -> warning, info -> note);
* the page URL is the ``artifactLocation.uri`` (the run's base URL when a
  finding names no page), so viewers group results by page;
* ``partialFingerprints["cxFingerprint/v1"]`` is our own fingerprint, stable
  across runs because it never contains timings, ports or dates: code-scanning
  services use it to track one problem over time instead of opening a new alert
  per run;
* channel, check, severity and evidence go to ``properties``.

Failed budgets are results of the rule ``budgets/<id>`` (the gate's reasons),
and a check that errored is a ``toolExecutionNotification`` rather than a
result, because it says nothing about the site. JSON escaping is all the
sanitising untrusted page text needs here; viewers render ``message.text`` as
plain text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cx_auditor.models import BudgetOutcome, CheckResult, Finding, Scorecard, Severity, Status
from cx_auditor.reports._atomic import write_atomic

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: key under ``partialFingerprints``; bump the suffix if the fingerprint recipe ever changes
FINGERPRINT_KEY = "cxFingerprint/v1"
DOCS_PATH = "docs/checks/{check}.md"

_LEVELS = {Severity.FAIL: "error", Severity.WARN: "warning", Severity.INFO: "note"}


def _as_scorecard(scorecard: Scorecard | dict[str, Any]) -> Scorecard:
    return scorecard if isinstance(scorecard, Scorecard) else Scorecard.model_validate(scorecard)


def rule_id(finding: Finding) -> str:
    """``check/rule``; a finding without a rule is reported under its check alone."""
    check = finding.check or "cx"
    return f"{check}/{finding.rule}" if finding.rule else check


def _rule_descriptor(rid: str, finding: Finding, result: CheckResult | None) -> dict[str, Any]:
    check = finding.check or "cx"
    title = (result.title if result else "") or check
    description = (result.description if result else "") or title
    rule_name = finding.rule or check
    docs = DOCS_PATH.format(check=check)
    help_text = (
        f"{title}: {description} Rule `{rule_name}` of the `{check}` check. "
        f"See {docs} in the cx-auditor repository for what is measured and how to fix it."
    )
    return {
        "id": rid,
        "name": "".join(part.capitalize() for part in rule_name.replace("-", "_").split("_") if part),
        "shortDescription": {"text": f"{title}: {rule_name}"},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVELS[finding.severity]},
        "properties": {"check": check, "tags": ["cx-audit", check]},
    }


def _location(url: str | None, fallback: str) -> list[dict[str, Any]]:
    uri = url or fallback
    if not uri:
        return []
    return [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]


def _finding_result(finding: Finding, rid: str, index: int, fallback_uri: str) -> dict[str, Any]:
    properties: dict[str, Any] = {"check": finding.check, "severity": finding.severity.value}
    if finding.channel:
        properties["channel"] = finding.channel
    if finding.evidence:
        # round-trip through JSON so any value the model allowed becomes plain JSON
        properties["evidence"] = json.loads(json.dumps(finding.evidence, default=str))
    if finding.screenshot:
        properties["screenshot"] = finding.screenshot
    result: dict[str, Any] = {
        "ruleId": rid,
        "ruleIndex": index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message or rid},
        "locations": _location(finding.url, fallback_uri),
        "properties": properties,
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    return result


def _budget_rule(b: BudgetOutcome) -> dict[str, Any]:
    text = f"Budget {b.id}: {b.description}. Set in the `budgets:` section of audit.yaml."
    return {
        "id": f"budgets/{b.id}",
        "name": "Budget",
        "shortDescription": {"text": f"budget {b.id}"},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": "error" if b.level == "error" else "warning"},
        "properties": {"check": "budgets", "tags": ["cx-audit", "budget"]},
    }


def _budget_result(b: BudgetOutcome, index: int, fallback_uri: str) -> dict[str, Any]:
    properties: dict[str, Any] = {"actual": b.actual, "limit": b.limit}
    if b.check:
        properties["check"] = b.check
    if b.channel:
        properties["channel"] = b.channel
    return {
        "ruleId": f"budgets/{b.id}",
        "ruleIndex": index,
        "level": "error" if b.level == "error" else "warning",
        # measured values go in the text, never in the fingerprint
        "message": {"text": f"Budget exceeded: {b.description} (actual {b.actual}, limit {b.limit})"},
        "locations": _location(b.url, fallback_uri),
        "partialFingerprints": {FINGERPRINT_KEY: f"budget:{b.id}"},
        "properties": json.loads(json.dumps(properties, default=str)),
    }


def _category(site: str) -> str:
    """The site as one path segment of ``automationDetails.id`` (``/`` separates category and run)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", site).strip("-") or "site"


def build_sarif(scorecard: Scorecard | dict[str, Any]) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    card = _as_scorecard(scorecard)
    fallback_uri = card.meta.base_url or ""
    by_check = {r.check: r for r in card.results}
    rules: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for finding in card.findings():
        rid = rule_id(finding)
        if rid not in index_of:
            index_of[rid] = len(rules)
            rules.append(_rule_descriptor(rid, finding, by_check.get(finding.check)))
        results.append(_finding_result(finding, rid, index_of[rid], fallback_uri))
    for b in card.gate.budgets:
        if b.passed:
            continue
        rid = f"budgets/{b.id}"
        if rid not in index_of:
            index_of[rid] = len(rules)
            rules.append(_budget_rule(b))
        results.append(_budget_result(b, index_of[rid], fallback_uri))

    notifications = [
        {
            "level": "error",
            "message": {"text": f"check {r.check} errored: {r.error or 'unknown error'}"},
            "descriptor": {"id": r.check},
        }
        for r in card.results
        if r.status == Status.ERROR
    ]
    invocation: dict[str, Any] = {"executionSuccessful": bool(card.meta.complete) and not notifications}
    if card.meta.started_at:
        invocation["startTimeUtc"] = card.meta.started_at
    if card.meta.finished_at:
        invocation["endTimeUtc"] = card.meta.finished_at
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    if not card.meta.complete:
        invocation["exitCodeDescription"] = card.meta.incomplete_reason or "incomplete run"

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "cx-audit",
                "fullName": "cx-auditor omnichannel customer-experience auditor",
                "version": card.meta.tool_version or "0",
                "rules": rules,
            }
        },
        # category/run: code scanning keeps one alert stream per category
        "automationDetails": {"id": f"cx-audit/{_category(card.meta.site)}/{card.run_id}"},
        "invocations": [invocation],
        "results": results,
        "properties": {
            "site": card.meta.site,
            "score": card.score,
            "grade": card.grade,
            "gatePassed": card.gate.passed,
            "channels": [c.name for c in card.meta.channels],
        },
    }
    if card.meta.git_commit:
        # the audited repository's URI is not known to the audit (SARIF's
        # versionControlProvenance requires one), so the commit is a property
        run["properties"]["gitCommit"] = card.meta.git_commit
        run["properties"]["gitBranch"] = card.meta.git_branch
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(scorecard: Scorecard | dict[str, Any]) -> str:
    """The SARIF log as text (UTF-8 JSON, stable key order)."""
    return json.dumps(build_sarif(scorecard), indent=2, ensure_ascii=False) + "\n"


def write_sarif(scorecard: Scorecard | dict[str, Any], path: Path) -> Path:
    """Write ``report.sarif`` atomically."""
    return write_atomic(Path(path), render_sarif(scorecard))
