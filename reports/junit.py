"""JUnit XML, so any CI shows the audit in its native test view.

One ``<testsuite>`` per check and one for the budgets gate. Each finding is a
testcase: ``fail`` findings are ``<failure>``, ``warn`` findings pass with the
warning in ``<system-out>`` and a ``severity`` property (CI tools treat any
failure as red, and a warning must not turn a build red by itself), ``info``
findings pass. Test case names are built from what identifies the problem,
never from what was measured: ``rule [channel] /page/path`` (the URL path without
scheme, host or port, so a demo store on another port keeps its names). A CI
system's test history therefore sees the same test fail or pass run after run;
the measured values and the message live in the failure text. Two findings with
the same rule, channel and page (e.g. two messaging claims) are told apart by a
short piece of their fingerprint, which is just as stable. A check without
findings gets one passing testcase per channel so the suite is never empty; an
errored check is an ``<error>``, a skipped one ``<skipped>``. Failed error-level
budgets are failing testcases of ``budgets``.
``xml.etree`` does the escaping; control characters the XML spec forbids are
stripped first, because page text can contain them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from cx_auditor.checks_api import url_path
from cx_auditor.models import BudgetOutcome, CheckResult, Finding, Scorecard, Severity, Status
from cx_auditor.reports._atomic import write_atomic
from cx_auditor.rounding import fmt_budget_value, fmt_score

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BUDGET_STATE = re.compile(r" \((?:not measured[^)]*|check errored)\)$")


def _clean(text: Any) -> str:
    return _XML_INVALID.sub("", "" if text is None else str(text))


def _as_scorecard(scorecard: Scorecard | dict[str, Any]) -> Scorecard:
    return scorecard if isinstance(scorecard, Scorecard) else Scorecard.model_validate(scorecard)


def render_junit(scorecard: Scorecard | dict[str, Any]) -> str:
    """The JUnit XML document as text."""
    card = _as_scorecard(scorecard)
    root = ET.Element("testsuites", name=_clean(f"cx-audit {card.meta.site}"))
    channels = [c.name for c in card.meta.channels] or ["all"]
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in card.results:
        _add_counts(totals, _check_suite(root, result, channels, card))
    if card.gate.budgets:
        _add_counts(totals, _budget_suite(root, card.gate.budgets))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(scorecard: Scorecard | dict[str, Any], path: Path) -> Path:
    """Write the JUnit XML file atomically."""
    return write_atomic(Path(path), render_junit(scorecard))


def _add_counts(totals: dict[str, int], suite: ET.Element) -> None:
    for key in totals:
        totals[key] += int(suite.get(key, "0"))


def _suite(root: ET.Element, name: str, **attrs: str) -> ET.Element:
    suite = ET.SubElement(root, "testsuite", name=_clean(name))
    for key, value in attrs.items():
        suite.set(key, _clean(value))
    return suite


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=_clean(classname), name=_clean(name), time="0")


def _check_suite(root: ET.Element, result: CheckResult, channels: list[str], card: Scorecard) -> ET.Element:
    suite = _suite(root, result.check, time=f"{(result.duration_ms or 0) / 1000:.3f}")
    props = ET.SubElement(suite, "properties")
    for key, value in (
        ("title", result.title),
        ("score", fmt_score(result.score) if result.score is not None else None),
        ("status", result.status.value),
        ("run_id", card.run_id),
    ):
        ET.SubElement(props, "property", name=key, value=_clean("" if value is None else value))
    classname = f"cx.{result.check}"
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if result.status == Status.ERROR:
        case = _case(suite, classname, f"{result.check} ran")
        ET.SubElement(case, "error", message=_clean(result.error or "check errored"), type="CheckError")
        counts["tests"], counts["errors"] = 1, 1
    elif result.status == Status.SKIPPED:
        case = _case(suite, classname, f"{result.check} ran")
        ET.SubElement(case, "skipped", message=_clean(result.error or "not applicable"))
        counts["tests"], counts["skipped"] = 1, 1
    elif not result.findings:
        for channel in channels:
            _case(suite, classname, f"{result.check} [{channel}]")
            counts["tests"] += 1
    names = [finding_case_name(f) for f in result.findings]
    for finding, name in zip(result.findings, names, strict=True):
        if names.count(name) > 1 and finding.fingerprint:
            name = f"{name} #{finding.fingerprint[:8]}"
        _finding_case(suite, classname, finding, name)
        counts["tests"] += 1
        counts["failures"] += finding.severity == Severity.FAIL
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def finding_case_name(f: Finding) -> str:
    """``rule [channel] /path``: stable across runs (no measured values, no host or port)."""
    parts = [f.rule or f.check or "finding"]
    if f.channel:
        parts.append(f"[{f.channel}]")
    if f.url:
        parts.append(url_path(f.url) if "://" in f.url else f.url)
    return " ".join(parts)


def _finding_case(suite: ET.Element, classname: str, f: Finding, name: str) -> None:
    case = _case(suite, classname, name)
    props = ET.SubElement(case, "properties")
    for key, value in (
        ("severity", f.severity.value),
        ("fingerprint", f.fingerprint),
        ("channel", f.channel),
        ("url", f.url),
    ):
        if value:
            ET.SubElement(props, "property", name=key, value=_clean(value))
    detail = "\n".join(
        p
        for p in (
            f.message,
            f"channel: {f.channel}" if f.channel else "",
            f"url: {f.url}" if f.url else "",
            f"evidence: {json.dumps(f.evidence, ensure_ascii=False, default=str)}" if f.evidence else "",
        )
        if p
    )
    if f.severity == Severity.FAIL:
        failure = ET.SubElement(case, "failure", message=_clean(f.message), type=_clean(f.rule or "finding"))
        failure.text = _clean(detail)
    elif f.severity == Severity.WARN:
        ET.SubElement(case, "system-out").text = _clean("WARNING: " + detail)


def _budget_suite(root: ET.Element, budgets: list[BudgetOutcome]) -> ET.Element:
    suite = _suite(root, "budgets")
    failures = 0
    for b in budgets:
        # the budget's state ("not measured", "check errored") is text, not part of the name
        case = _case(suite, "cx.budgets", _BUDGET_STATE.sub("", b.description))
        text = f"actual {fmt_budget_value(b.id, b.actual)}, limit {fmt_budget_value(b.id, b.limit)}" + (
            f", worst page {b.url}" if b.url else ""
        )
        if not b.passed and b.level == "error":
            ET.SubElement(case, "failure", message=_clean(f"{b.description}: {text}"), type="BudgetExceeded")
            failures += 1
        elif not b.passed:
            ET.SubElement(case, "system-out").text = _clean(f"WARNING (level warn): {b.description}: {text}")
        elif b.actual is None:
            ET.SubElement(case, "system-out").text = _clean(f"{b.description}: not measured")
    suite.set("tests", str(len(budgets)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite
