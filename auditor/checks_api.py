"""What a check is, and the helpers every check shares.

A check is a small class with metadata and one pure method::

    class MyCheck(Check):
        id = "my_check"
        title = "My check"
        description = "One line a person understands."
        default_options = {"threshold": 3}

        def run(self, artifacts: Artifacts, options: dict[str, Any]) -> CheckResult:
            ...

It reads recorded :class:`~auditor.models.Artifacts` only and never imports
Playwright, so it is fast, deterministic and testable from small JSON
fixtures. Built-in checks and third-party ones are registered the same way:
through the ``cx_auditor.checks`` entry point group (see ``auditor.registry``).
The runner, not the check, turns exceptions into ``error`` results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from cx_auditor.models import (
    Artifacts,
    CheckResult,
    Finding,
    Severity,
    Status,
    make_fingerprint,
)
from cx_auditor.requirements import LinkProbe, PageScript, Requirements, SelectorText
from cx_auditor.urls import url_path

__all__ = [
    "Check",
    "LinkProbe",
    "NotApplicable",
    "PageScript",
    "Requirements",
    "SelectorText",
    "log_normal_score",
    "status_from",
    "url_path",
    "finding",
]


class NotApplicable(Exception):
    """Raised by a check when the run holds nothing for it to judge.

    The runner turns it into a ``skipped`` result with ``score = None``
    (Lighthouse's *not applicable*), never into a zero.
    """


class Check:
    """Base class for checks. Subclasses set the class attributes and ``run``."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    default_options: ClassVar[dict[str, Any]] = {}
    #: weight of this check in the overall score
    weight: ClassVar[float] = 1.0

    #: what this check needs gathered beyond the standard page record, whatever its options
    #: (Lighthouse's ``requiredArtifacts``); see :mod:`cx_auditor.requirements`
    requires: ClassVar[Requirements] = Requirements()

    def run(self, artifacts: Artifacts, options: dict[str, Any]) -> CheckResult:  # pragma: no cover
        raise NotImplementedError

    def requirements(self, options: Mapping[str, Any]) -> Requirements:
        """What to gather for this check with these (merged) options; override when options decide.

        Called once per run before the browser starts; the pipeline gathers the union
        over the enabled checks. The default is the class's static :attr:`requires`.
        """
        return self.requires

    # Convenience for subclasses --------------------------------------------------
    def result(
        self,
        *,
        score: float | None,
        findings: list[Finding],
        metrics: dict[str, Any] | None = None,
    ) -> CheckResult:
        for f in findings:
            f.check = f.check or self.id
        return CheckResult(
            check=self.id,
            title=self.title,
            description=self.description,
            score=None if score is None else round(max(0.0, min(100.0, score)), 1),
            status=status_from(findings, score),
            metrics=metrics or {},
            findings=findings,
            weight=self.weight,
        )


def status_from(findings: list[Finding], score: float | None) -> Status:
    """``fail`` if any finding fails, ``warn`` if any warns, else ``pass``."""
    severities = {f.severity for f in findings}
    if Severity.FAIL in severities:
        return Status.FAIL
    if Severity.WARN in severities:
        return Status.WARN
    return Status.PASS


def log_normal_score(value: float, p10: float, median: float) -> float:
    """Map a lower-is-better metric to 0..1 on a log-normal curve.

    The same smooth shape Lighthouse uses: ``median`` scores 0.5 and ``p10``
    scores 0.9; the curve is continuous, so a metric that improves always
    scores better (no steps at the thresholds).
    """
    if value <= 0:
        return 1.0
    if p10 <= 0 or median <= p10:
        raise ValueError("log_normal_score needs 0 < p10 < median")
    # complementary CDF of a log-normal with the given median, fitted so that
    # the p10 control point scores 0.9.
    xp10 = 0.9061938024368232  # erfc^-1(2 * 0.9) scaled: sqrt(2)*erfinv(0.8)
    sigma = (math.log(median) - math.log(p10)) / (xp10 * math.sqrt(2))
    z = (math.log(value) - math.log(median)) / (sigma * math.sqrt(2))
    return max(0.0, min(1.0, 0.5 * math.erfc(z)))


def finding(
    check: str,
    rule: str,
    severity: Severity | str,
    message: str,
    *,
    channel: str | None = None,
    url: str | None = None,
    evidence: dict[str, Any] | None = None,
    identity: tuple[object, ...] = (),
    screenshot: str | None = None,
) -> Finding:
    """Build a finding with a fingerprint from (check, rule, channel, path, *identity)."""
    return Finding(
        check=check,
        rule=rule,
        severity=Severity(severity),
        message=message,
        channel=channel,
        url=url,
        evidence=evidence or {},
        fingerprint=make_fingerprint(check, rule, channel, url_path(url), *identity),
        screenshot=screenshot,
    )
