"""One rounding rule for scores, shared by every output (terminal, HTML, Markdown, JUnit, gate).

Scores are shown to one decimal, half away from zero, and a whole number drops its ``.0``:
57.46 -> "57.5", 54.0 -> "54". Before this rule the terminal printed "54" beside a gate
message saying "actual 54.5", which read as a contradiction.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: what a missing score shows as, everywhere
NO_SCORE = "–"


def round_score(value: float) -> float:
    """``value`` rounded to one decimal, half away from zero (not banker's rounding)."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def fmt_score(value: Any) -> str:
    """A score as text by the one rule; ``–`` for a missing or non-finite score."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return NO_SCORE
    rounded = round_score(value)
    return f"{rounded:.0f}" if rounded.is_integer() else f"{rounded:.1f}"


def is_score_budget(budget_id: str) -> bool:
    """Budgets on a score (``overall``, ``check:<id>``) show their values by the score rule."""
    return budget_id == "overall" or budget_id.startswith("check:")


def fmt_budget_value(budget_id: str, value: Any) -> str:
    """A budget's actual or limit as text: scores by the score rule, other numbers as ``:g``."""
    if value is None:
        return NO_SCORE
    if isinstance(value, list):
        return " – ".join(fmt_budget_value(budget_id, x) for x in value)
    if is_score_budget(budget_id):
        return fmt_score(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
