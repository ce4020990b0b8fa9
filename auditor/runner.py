"""Run checks over recorded artifacts and fold the results into a scorecard.

The runner owns failure handling (as Lighthouse's runner does): a check that
raises becomes an ``error`` result with the message, :class:`NotApplicable`
becomes ``skipped``, and the run goes on. Scores are validated and clamped
here, in one place, and the overall score is the weighted mean of the checks
that produced a score.
"""

from __future__ import annotations

import time
import traceback
import uuid
from collections.abc import Mapping
from typing import Any

from cx_auditor.checks_api import Check, NotApplicable, resolve_options
from cx_auditor.models import Artifacts, CheckResult, Scorecard, Status


def grade_for(score: float | None) -> str | None:
    """Letter grade for an overall score (A >= 90, B >= 80, C >= 70, D >= 50, else F)."""
    if score is None:
        return None
    for cut, letter in ((90, "A"), (80, "B"), (70, "C"), (50, "D")):
        if score >= cut:
            return letter
    return "F"


def run_check(check: Check, artifacts: Artifacts, options: Mapping[str, Any] | Any = None) -> CheckResult:
    """Run one check with its validated options (see ``resolve_options``); never raises."""
    started = time.perf_counter()
    try:
        result = check.run(artifacts, resolve_options(check, options))
        if not isinstance(result, CheckResult):
            raise TypeError(f"run() returned {type(result).__name__}, not CheckResult")
        if result.score is not None:
            if result.score != result.score:  # NaN
                raise ValueError("score is NaN")
            result.score = round(max(0.0, min(100.0, float(result.score))), 1)
        result.check = check.id
        result.title = result.title or check.title
        result.description = result.description or check.description
        for f in result.findings:
            f.check = f.check or check.id
    except NotApplicable as exc:
        result = CheckResult(
            check=check.id,
            title=check.title,
            description=check.description,
            score=None,
            status=Status.SKIPPED,
            error=str(exc) or "not applicable to this run",
        )
    except Exception as exc:  # noqa: BLE001 - isolate the check, keep the run going
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" ({tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno})" if tb else ""
        result = CheckResult(
            check=check.id,
            title=check.title,
            description=check.description,
            score=None,
            status=Status.ERROR,
            error=f"{type(exc).__name__}: {exc}{where}",
        )
    result.weight = float(getattr(check, "weight", 1.0) or 1.0)
    result.duration_ms = round((time.perf_counter() - started) * 1000, 2)
    return result


def overall_score(results: list[CheckResult]) -> float | None:
    scored = [r for r in results if r.score is not None and r.weight > 0]
    if not scored:
        return None
    total = sum(r.weight for r in scored)
    return round(sum((r.score or 0.0) * r.weight for r in scored) / total, 1)


def build_scorecard(
    artifacts: Artifacts,
    checks: Mapping[str, Check],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    weights: Mapping[str, float] | None = None,
    run_id: str | None = None,
) -> Scorecard:
    """Judge ``artifacts`` with ``checks`` (id -> check) and return the scorecard (no gate yet)."""
    options = options or {}
    results = []
    for check_id, check in checks.items():
        r = run_check(check, artifacts, options.get(check_id))
        if weights and check_id in weights:
            r.weight = float(weights[check_id])
        results.append(r)
    score = overall_score(results)
    return Scorecard(
        run_id=run_id or _run_id(artifacts),
        meta=artifacts.meta,
        score=score,
        grade=grade_for(score),
        results=results,
        journeys=artifacts.journeys,
    )


def _run_id(artifacts: Artifacts) -> str:
    stamp = (artifacts.meta.started_at or "").replace(":", "").replace("-", "")[:15]
    return f"{stamp or 'run'}-{uuid.uuid4().hex[:6]}"
