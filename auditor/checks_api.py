"""What a check is, and the helpers every check shares.

A check is a small class with metadata, a typed options model and one pure method::

    class MyCheck(Check):
        id = "my_check"
        title = "My check"
        description = "One line a person understands."

        class Options(CheckOptions):
            threshold: int = Field(3, gt=0, description="Why 3 is the default.")

        def run(self, artifacts: Artifacts, options: Options) -> CheckResult:
            ...

The ``Options`` model (pydantic, unknown keys forbidden) is validated when the
config is loaded, so a bad option is a config error naming the file, line and
field, and ``run`` receives the validated model. A check written before typed
options may still set a plain ``default_options`` dict instead: it receives the
defaults overlaid by the config as a dict. ``Options`` is preferred.

What a check measured goes into ``CheckResult.values`` as typed
:class:`~auditor.models.MetricValue` s (label, unit, thresholds and rating set by
the check), which is all budgets, history and reports read.

It reads recorded :class:`~auditor.models.Artifacts` only and never imports
Playwright, so it is fast, deterministic and testable from small JSON
fixtures. Built-in checks and third-party ones are registered the same way:
through the ``cx_auditor.checks`` entry point group (see ``auditor.registry``).
The runner, not the check, turns exceptions into ``error`` results.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from cx_auditor.models import (
    Artifacts,
    CheckResult,
    Detail,
    Direction,
    Finding,
    MetricValue,
    Scope,
    Severity,
    Status,
    make_fingerprint,
)
from cx_auditor.requirements import LinkProbe, PageScript, Requirements, SelectorText
from cx_auditor.urls import url_path
from pydantic import AfterValidator, BaseModel, ConfigDict

__all__ = [
    "Check",
    "CheckOptions",
    "LinkProbe",
    "NotApplicable",
    "PageScript",
    "RegexPattern",
    "Requirements",
    "SelectorText",
    "option_fields",
    "resolve_options",
    "log_normal_score",
    "status_from",
    "url_path",
    "finding",
    "score_value",
]


class NotApplicable(Exception):
    """Raised by a check when the run holds nothing for it to judge.

    The runner turns it into a ``skipped`` result with ``score = None``
    (Lighthouse's *not applicable*), never into a zero.
    """


class CheckOptions(BaseModel):
    """Base of a check's typed options: unknown keys are errors, the validated model is frozen.

    Give every field a default and a ``description`` (``Field(..., description=...)``):
    ``cx-audit checks --options`` lists them, and the config loader names the
    field, file and line when a value does not validate.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
    return pattern


#: an option holding a regular expression: a config error when it does not compile
RegexPattern = Annotated[str, AfterValidator(_compiles)]


class Check:
    """Base class for checks. Subclasses set the class attributes and ``run``."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: the typed options model (preferred); ``None`` = untyped ``default_options``
    Options: ClassVar[type[CheckOptions] | None] = None
    #: untyped defaults, for checks written before ``Options`` (back-compat only)
    default_options: ClassVar[dict[str, Any]] = {}
    #: weight of this check in the overall score
    weight: ClassVar[float] = 1.0

    #: what this check needs gathered beyond the standard page record, whatever its options
    #: (Lighthouse's ``requiredArtifacts``); see :mod:`cx_auditor.requirements`
    requires: ClassVar[Requirements] = Requirements()

    def run(self, artifacts: Artifacts, options: Any) -> CheckResult:  # pragma: no cover
        raise NotImplementedError

    def requirements(self, options: Any) -> Requirements:
        """What to gather for this check with these options; override when options decide.

        ``options`` is what :meth:`run` receives (the validated ``Options`` model, or the
        merged dict for an untyped check).

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
        values: list[MetricValue] | None = None,
        details: list[Detail] | None = None,
    ) -> CheckResult:
        """The result of this check: ``values`` and ``details`` are the contract.

        ``metrics`` is the legacy free-form dict of checks written before typed values;
        it is typed on load (:mod:`cx_auditor.legacy_metrics`). New checks leave it out.
        """
        for f in findings:
            f.check = f.check or self.id
        return CheckResult(
            check=self.id,
            title=self.title,
            description=self.description,
            score=None if score is None else round(max(0.0, min(100.0, score)), 1),
            status=status_from(findings, score),
            values=values or [],
            details=details or [],
            metrics=metrics or {},
            findings=findings,
            weight=self.weight,
        )


def resolve_options(check: Any, options: Mapping[str, Any] | BaseModel | None = None) -> Any:
    """What ``check.run`` receives: its validated ``Options`` model, or (untyped checks) a dict.

    Raises :class:`pydantic.ValidationError` for options a typed check rejects;
    the config loader calls this first, so in a real run that never reaches a check.
    """
    model = getattr(check, "Options", None)
    if isinstance(model, type) and issubclass(model, BaseModel):
        if isinstance(options, model):
            return options
        raw = options.model_dump() if isinstance(options, BaseModel) else dict(options or {})
        return model.model_validate(raw)
    raw = options.model_dump() if isinstance(options, BaseModel) else dict(options or {})
    return {**dict(getattr(check, "default_options", {}) or {}), **raw}


def option_fields(check: Any) -> list[dict[str, str]]:
    """Each option of ``check``: name, type, default and description (for ``checks --options``)."""
    model = getattr(check, "Options", None)
    if isinstance(model, type) and issubclass(model, BaseModel):
        out = []
        for name, info in model.model_fields.items():
            default = info.get_default(call_default_factory=True)
            if isinstance(default, BaseModel):
                default = default.model_dump()
            out.append(
                {
                    "name": name,
                    "type": _type_name(info.annotation),
                    "default": default,
                    "description": info.description or "",
                }
            )
        return out
    return [
        {"name": k, "type": type(v).__name__, "default": v, "description": ""}
        for k, v in dict(getattr(check, "default_options", {}) or {}).items()
    ]


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    return text or str(annotation).replace("typing.", "")


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
    details: list[Detail] | None = None,
) -> Finding:
    """Build a finding with a fingerprint from (check, rule, channel, path, *identity).

    ``details`` are typed evidence (tables, quotes, variants side by side) that every
    renderer draws generically; ``evidence`` stays the free-form record.
    """
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
        details=details or [],
    )


def score_value(score: float, scope: Scope | None = None) -> MetricValue:
    """A 0-100 ``score`` value (higher is better) for a channel, journey or page."""
    return MetricValue(
        name="score",
        label="Score",
        unit="score",
        value=round(score, 1),
        direction=Direction.HIGHER,
        scope=scope or Scope(),
    )
