"""Run history: store runs, compare two of them, chart trends, gate on regressions.

Public surface (internals live in the submodules)::

    HistoryStore.open(url_or_path) -> HistoryStore   # SQLite path or postgresql:// URL
    store.record(scorecard, report_path=...) -> int
    compare_scorecards(base, head) -> Comparison     # deltas, new/fixed/open findings
    regressions(base, head) -> RegressionReport      # what got worse, noise-aware
    regression_budgets(report) -> list[BudgetOutcome]
    render_trend_html(store, site=...) -> str
"""

from __future__ import annotations

from cx_auditor.history.compare import Comparison, compare_scorecards, load_side, render_compare_html
from cx_auditor.history.db import DEFAULT_HISTORY_PATH, database_url
from cx_auditor.history.gitinfo import GitInfo, detect_git
from cx_auditor.history.regression import (
    MetricRule,
    RegressionReport,
    regression_budgets,
    regressions,
)
from cx_auditor.history.store import DuplicateRunError, HistoryStore, RunSummary
from cx_auditor.history.trend import render_trend_html

__all__ = [
    "DEFAULT_HISTORY_PATH",
    "Comparison",
    "DuplicateRunError",
    "GitInfo",
    "HistoryStore",
    "MetricRule",
    "RegressionReport",
    "RunSummary",
    "compare_scorecards",
    "database_url",
    "detect_git",
    "load_side",
    "regression_budgets",
    "regressions",
    "render_compare_html",
    "render_trend_html",
]
