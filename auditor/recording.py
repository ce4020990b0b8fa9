"""After judging: record a finished run in history, and gate on a baseline (``run --baseline REF``).

The pipeline calls these; the history CLI (``cli_history``) re-exports them. Kept out
of the CLI modules so the pipeline never imports one.
"""

from __future__ import annotations

import os
from pathlib import Path

from cx_auditor.history.compare import load_side
from cx_auditor.history.db import DEFAULT_HISTORY_PATH
from cx_auditor.history.regression import RegressionReport, regression_budgets, regressions
from cx_auditor.history.store import HistoryStore
from cx_auditor.models import Scorecard
from cx_auditor.textsafe import clean

__all__ = ["apply_baseline", "needs_store", "record_run"]


def needs_store(*refs: str) -> bool:
    """Does any of these compare sides name a recorded run (rather than a scorecard file)?"""
    return any(not Path(r).exists() and not r.endswith(".json") for r in refs)


def record_run(
    card: Scorecard, *, history: str | os.PathLike[str] = DEFAULT_HISTORY_PATH, report_path: str | None = None
) -> int:
    """Record a finished run; returns its history id."""
    card = card.model_validate(clean(card.model_dump(mode="json")))  # SQLite refuses lone surrogates
    with HistoryStore.open(history) as store:
        return store.record(card, report_path=report_path)


def apply_baseline(
    card: Scorecard,
    ref: str,
    *,
    history: str | os.PathLike[str] = DEFAULT_HISTORY_PATH,
    score_tolerance: float = 2.0,
) -> RegressionReport:
    """``run --baseline REF``: compare ``card`` with REF and add ``baseline.*`` entries to its gate.

    REF is any ``compare`` side (run id, latest, previous, branch:NAME, scorecard.json).
    Call it *before* recording ``card``, or ``latest`` would be the run itself.
    """
    store = HistoryStore.open(history, create=False) if needs_store(ref) else None
    try:
        base = load_side(ref, store, site=card.meta.site).scorecard
    finally:
        if store is not None:
            store.close()
    report = regressions(base, card, score_tolerance=score_tolerance)
    card.gate.budgets.extend(regression_budgets(report))
    card.gate.baseline = report.to_dict()
    card.gate.decide()
    return report
