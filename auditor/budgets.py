"""Budgets: the CI gate as data, verified in one place.

The ``budgets:`` section of ``audit.yaml`` is parsed into :class:`Budgets` and
:func:`evaluate` turns it into a :class:`~auditor.models.Gate` with one
:class:`~auditor.models.BudgetOutcome` per budget, so every report can say
*exactly* which limit failed, by how much (as sitespeed.io's budget plugin does)::

    budgets:
      overall: {min: 80}                  # or just `overall: 80`
      checks: {load_time: {min: 70, level: warn}, checkout_steps: 60}
      metrics:
        - {metric: load_time.lcp_ms, max: 2500, channel: mobile, stat: median}
        - {metric: load_time.cls, max: 0.1, pages: "/product/*"}
        - {metric: checkout_steps.steps, max: 6}
      findings: {fail: 0, warn: 10}

Levels: ``error`` (the default) fails the gate, ``warn`` is only reported.

Metric lookup contract (what checks publish in ``CheckResult.values``)
----------------------------------------------------------------------
``metric`` is ``<check id>.<name>``: the ``name`` of the check's typed values
(:class:`~auditor.models.MetricValue`; a dotted name such as
``claims_per_kind.price`` is one name). Values of that name are read by their
:class:`~auditor.models.Scope`, in this order:

1. **Pages** -- page-scoped values, filtered by the budget's ``channel``,
   ``journey`` and ``pages`` pattern; the *worst* page is the actual (largest
   for ``max`` budgets, smallest for ``min`` budgets), so one slow page cannot
   hide in an average, and its URL is reported. A page value answers
   ``median``, ``min`` and ``max`` of its repeat runs (and any statistic it
   reported). A budget with ``pages`` only ever uses page values.
2. **Channels** -- channel-scoped values (``p75`` and the other statistics
   describe the channel's pages, as CrUX does); without a ``channel`` in the
   budget, a run-wide value first, else the worst channel.
3. **Journeys** -- journey-scoped values (``checkout_steps`` publishes one per
   journey and channel), filtered by ``journey`` and ``channel``; the worst is
   the actual.

Checks written before typed values (a ``metrics`` dict) keep working: their
``pages`` rows, ``channels.<channel>.<name>`` and
``journeys.<journey>.<channel>.<name>`` entries and other dotted paths are
typed when the result is built (:mod:`cx_auditor.legacy_metrics`), so the same
budget finds them at the same places. A path written against that old nested
dict (``load_time.channels.mobile.lcp_ms.p75``) still resolves: it names a
value's stable key (:meth:`~auditor.models.MetricValue.key`), optionally
followed by a statistic. A legacy mapping of statistics
(``{"median": 1800, "p75": 2100}``) answers only the statistics it lists (else
its ``"value"``); a list of samples answers any statistic.

A metric that cannot be found (check missing, skipped or in error, or no value
of that name and scope) is reported as *not measured*: ``passed=True,
level="warn"``. The gate never crashes on a check that publishes a different shape.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from typing import Any, Literal

from cx_auditor.models import (
    SUMMARY_STATS,
    BudgetOutcome,
    CheckResult,
    Gate,
    MetricValue,
    Scorecard,
    Severity,
    Status,
)
from cx_auditor.urls import path_of
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Budgets",
    "CheckBudget",
    "FindingsBudget",
    "Level",
    "MetricBudget",
    "OverallBudget",
    "Stat",
    "evaluate",
    "lookup_metric",
]

Level = Literal["error", "warn"]
Stat = Literal["median", "mean", "p75", "p90", "p95", "min", "max"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _number_shorthand(value: Any) -> Any:
    """Accept ``overall: 80`` as ``overall: {min: 80}`` (a bare number is a floor score)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"min": value}
    return value


class OverallBudget(_Strict):
    """A floor for the weighted overall score (0-100)."""

    min: float = Field(ge=0, le=100)
    level: Level = "error"


class CheckBudget(_Strict):
    """A floor for one check's score (0-100). A check in error fails it."""

    min: float = Field(ge=0, le=100)
    level: Level = "error"


class MetricBudget(_Strict):
    """A limit on a metric a check publishes (see the module docstring for the lookup)."""

    metric: str = Field(pattern=r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)+$")
    max: float | None = None
    min: float | None = None
    channel: str | None = None
    #: only for checks that publish journey-scoped values (``checkout_steps``)
    journey: str | None = None
    #: URL glob (``/product/*``) matched against the page path and the full URL;
    #: a value starting with ``re:`` or ``^`` is a regular expression (``re.search``).
    pages: str | None = None
    stat: Stat = "median"
    level: Level = "error"
    #: optional stable id and label (defaults are derived from the fields)
    id: str | None = None
    label: str | None = None

    @model_validator(mode="after")
    def _needs_a_limit(self) -> MetricBudget:
        if self.max is None and self.min is None:
            raise ValueError("a metric budget needs `max` or `min`")
        return self

    @field_validator("pages")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None and _is_regex(value):
            try:
                re.compile(_regex_body(value))
            except re.error as exc:
                raise ValueError(f"invalid regular expression {value!r}: {exc}") from exc
        return value

    @property
    def check(self) -> str:
        return self.metric.split(".", 1)[0]

    @property
    def path(self) -> str:
        return self.metric.split(".", 1)[1]


class SeverityLimit(_Strict):
    max: int = Field(ge=0)
    level: Level = "error"


class FindingsBudget(_Strict):
    """Maximum number of findings per severity over the whole run."""

    fail: SeverityLimit | None = None
    warn: SeverityLimit | None = None
    info: SeverityLimit | None = None

    @field_validator("fail", "warn", "info", mode="before")
    @classmethod
    def _count_shorthand(cls, value: Any) -> Any:
        """Accept ``fail: 0`` as ``fail: {max: 0}``."""
        if isinstance(value, int) and not isinstance(value, bool):
            return {"max": value}
        return value


class Budgets(_Strict):
    """The ``budgets:`` section of ``audit.yaml``."""

    overall: OverallBudget | None = None
    checks: dict[str, CheckBudget] = Field(default_factory=dict)
    metrics: list[MetricBudget] = Field(default_factory=list)
    findings: FindingsBudget | None = None

    @field_validator("overall", mode="before")
    @classmethod
    def _overall_shorthand(cls, value: Any) -> Any:
        return _number_shorthand(value)

    @field_validator("checks", mode="before")
    @classmethod
    def _checks_shorthand(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: _number_shorthand(v) for k, v in value.items()}
        return value

    def is_empty(self) -> bool:
        return not (self.overall or self.checks or self.metrics or self.findings)


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


def evaluate(scorecard: Scorecard, budgets: Budgets | None, *, fail_under: float | None = None) -> Gate:
    """Apply ``budgets`` to ``scorecard``, store the verdict in ``scorecard.gate`` and return it.

    ``fail_under`` (the ``--fail-under`` flag) replaces the configured overall floor:
    a command-line flag is the more specific wish.
    """
    budgets = budgets or Budgets()
    overall = budgets.overall
    if fail_under is not None:
        overall = OverallBudget(min=fail_under)
    outcomes: list[BudgetOutcome] = []
    if overall is not None:
        outcomes.append(_evaluate_overall(scorecard, overall))
    outcomes.extend(_evaluate_check(scorecard, cid, b) for cid, b in budgets.checks.items())
    outcomes.extend(_evaluate_metric(scorecard, b) for b in budgets.metrics)
    if budgets.findings is not None:
        outcomes.extend(_evaluate_findings(scorecard, budgets.findings))
    gate = Gate(budgets=outcomes, baseline=scorecard.gate.baseline)
    gate.decide()
    scorecard.gate = gate
    return gate


def _evaluate_overall(scorecard: Scorecard, budget: OverallBudget) -> BudgetOutcome:
    score = scorecard.score
    return BudgetOutcome(
        id="overall",
        description=f"overall score >= {_fmt(budget.min)}",
        level=budget.level,
        # nothing was scored at all: a gate must not pass a run that judged nothing
        passed=score is not None and score >= budget.min,
        actual=score,
        limit=budget.min,
    )


def _evaluate_check(scorecard: Scorecard, check_id: str, budget: CheckBudget) -> BudgetOutcome:
    result = scorecard.result(check_id)
    base: dict[str, Any] = {"id": f"check:{check_id}", "check": check_id, "limit": budget.min}
    description = f"{check_id} score >= {_fmt(budget.min)}"
    if result is None or result.status == Status.SKIPPED:
        why = "not run" if result is None else "skipped"
        return BudgetOutcome(
            **base, description=f"{description} (not measured: {why})", level="warn", passed=True
        )
    if result.status == Status.ERROR or result.score is None:
        return BudgetOutcome(
            **base,
            description=f"{description} (check errored)",
            level=budget.level,
            passed=False,
            actual=None,
        )
    return BudgetOutcome(
        **base,
        description=description,
        level=budget.level,
        passed=result.score >= budget.min,
        actual=result.score,
    )


def _evaluate_findings(scorecard: Scorecard, budget: FindingsBudget) -> list[BudgetOutcome]:
    counts = {s: 0 for s in Severity}
    for f in scorecard.findings():
        counts[f.severity] += 1
    out = []
    for severity in Severity:
        limit: SeverityLimit | None = getattr(budget, severity.value)
        if limit is None:
            continue
        actual = counts[severity]
        out.append(
            BudgetOutcome(
                id=f"findings:{severity.value}",
                description=f"{severity.value} findings <= {limit.max}",
                level=limit.level,
                passed=actual <= limit.max,
                actual=actual,
                limit=limit.max,
            )
        )
    return out


def _evaluate_metric(scorecard: Scorecard, budget: MetricBudget) -> BudgetOutcome:
    result = scorecard.result(budget.check)
    typed = result.values_named(budget.path) if result is not None else []
    description = budget.label or _describe(budget, typed[0] if typed else None)
    limit = budget.max if budget.max is not None else budget.min
    base: dict[str, Any] = {
        "id": budget.id or _metric_id(budget),
        "check": budget.check,
        "channel": budget.channel,
        "limit": limit,
    }
    found = lookup_metric(result, budget) if result is not None else None
    if found is None:
        return BudgetOutcome(**base, description=f"{description} (not measured)", level="warn", passed=True)
    actual, url = found
    passed = True
    if budget.max is not None and actual > budget.max:
        passed = False
    if budget.min is not None and actual < budget.min:
        passed = False
    if budget.max is not None and budget.min is not None:
        base["limit"] = [budget.min, budget.max]
    return BudgetOutcome(
        **base, description=description, level=budget.level, passed=passed, actual=_round(actual), url=url
    )


def lookup_metric(result: CheckResult | None, budget: MetricBudget) -> tuple[float, str | None] | None:
    """The actual value (and the page it came from) for ``budget``, or ``None`` if not measured."""
    if result is None or result.status in (Status.ERROR, Status.SKIPPED):
        return None
    worst = max if budget.max is not None else min
    typed = result.values_named(budget.path)
    if typed:
        return _typed_lookup(typed, budget, worst)
    return _keyed_lookup(result.values, budget, worst)


def _keyed_lookup(
    values: list[MetricValue], budget: MetricBudget, worst: Any
) -> tuple[float, str | None] | None:
    """A path written against the old nested dict (``channels.mobile.lcp_ms.p75``): the value
    whose stable key (:meth:`MetricValue.key`) it names, and the statistic after the key."""
    found: list[tuple[float, str | None]] = []
    for v in values:
        key = v.key()
        if budget.path == key:
            got = v.stat(budget.stat)
        elif budget.path.startswith(key + ".") and budget.path[len(key) + 1 :] in (*SUMMARY_STATS, "value"):
            got = v.stat(budget.path[len(key) + 1 :])
        else:
            continue
        if got is not None:
            found.append((got, v.scope.url or v.scope.page))
    return worst(found, key=lambda r: r[0]) if found else None  # type: ignore[no-any-return]


#: statistics a page value answers from its repeat runs; the rest describe a channel's pages
_PAGE_STATS = ("median", "min", "max")


def _typed_lookup(
    values: list[MetricValue], budget: MetricBudget, worst: Any
) -> tuple[float, str | None] | None:
    def wanted(v: MetricValue) -> bool:
        s = v.scope
        return (budget.channel is None or s.channel == budget.channel) and (
            budget.journey is None or s.journey == budget.journey
        )

    by_level: dict[str, list[MetricValue]] = {"run": [], "channel": [], "journey": [], "page": []}
    for v in values:
        by_level[v.scope.level].append(v)
    rows = [
        (got, v.scope.url or v.scope.page)
        for v in by_level["page"]
        if (budget.stat in _PAGE_STATS or budget.stat in v.stats)
        and wanted(v)
        and (budget.pages is None or any(page_matches(budget.pages, u) for u in (v.scope.url, v.scope.page)))
        and (got := v.stat(budget.stat)) is not None
    ]
    if rows:
        return worst(rows, key=lambda r: r[0])  # type: ignore[no-any-return]
    if budget.pages is not None:
        return None
    if budget.journey is None:
        scoped = [v for v in by_level["channel"] if wanted(v)]
        if budget.channel is None:
            scoped = by_level["run"] or scoped
        found = [got for v in scoped if (got := v.stat(budget.stat)) is not None]
        if found:
            return worst(found), None
    found = [got for v in by_level["journey"] if wanted(v) and (got := v.stat(budget.stat)) is not None]
    return (worst(found), None) if found else None


def page_matches(pattern: str, url: str | None) -> bool:
    """Does ``url`` belong to the page group ``pattern`` (glob on path or URL, or ``re:``/``^`` regex)?"""
    if not url:
        return False
    path = path_of(url) if "://" in url else url
    if _is_regex(pattern):
        rx = re.compile(_regex_body(pattern))
        return bool(rx.search(path) or rx.search(url))
    return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(url, pattern)


def _is_regex(pattern: str) -> bool:
    return pattern.startswith(("re:", "^"))


def _regex_body(pattern: str) -> str:
    return pattern[3:] if pattern.startswith("re:") else pattern


def _describe(budget: MetricBudget, value: MetricValue | None = None) -> str:
    """``load_time LCP (median, mobile) <= 2500 ms``: label and unit come from the check's value."""
    name = budget.path.rsplit(".", 1)[-1]
    label = value.label if value is not None else budget.path.replace("_", " ")
    scope = [budget.stat] + [s for s in (budget.journey, budget.channel, budget.pages) if s]
    unit = f" {value.unit}" if value is not None and value.unit in ("ms", "s", "bytes") else _unit(name)
    parts = []
    if budget.min is not None:
        parts.append(f">= {_fmt(budget.min)}{unit}")
    if budget.max is not None:
        parts.append(f"<= {_fmt(budget.max)}{unit}")
    return f"{budget.check} {label} ({', '.join(scope)}) {' and '.join(parts)}"


def _metric_id(budget: MetricBudget) -> str:
    scope = ",".join(s for s in (budget.journey, budget.channel, budget.pages, budget.stat) if s)
    return f"metric:{budget.metric}[{scope}]"


def _unit(name: str) -> str:
    if name.endswith("_ms"):
        return " ms"
    if name.endswith("_bytes") or name == "bytes":
        return " bytes"
    if name.endswith("_s"):
        return " s"
    return ""


def _fmt(value: float) -> str:
    return f"{value:g}"


def _round(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)
