"""The one rounding rule for scores, and the pure broken-journey helper the outputs share."""

from __future__ import annotations

import math

import pytest
from cx_auditor.models import JourneyOutcome, StepRecord
from cx_auditor.reports._view import broken_journeys
from cx_auditor.rounding import fmt_score, round_score


@pytest.mark.parametrize(
    ("value", "text"),
    [(54.5, "54.5"), (54.0, "54"), (57.46, "57.5"), (0.05, "0.1"), (2.25, "2.3"), (100, "100"), (0, "0")],
)
def test_scores_round_half_up_to_one_decimal(value: float, text: str) -> None:
    assert fmt_score(value) == text


@pytest.mark.parametrize("value", [None, True, "54", math.nan, math.inf])
def test_missing_or_odd_scores_show_a_dash(value: object) -> None:
    assert fmt_score(value) == "–"


def test_round_score_is_not_bankers_rounding() -> None:
    assert round_score(0.25) == 0.3 and round_score(0.35) == 0.4


def _journey(**kw: object) -> dict:
    return JourneyOutcome(channel="desktop", journey="purchase", **kw).model_dump(mode="json")


def test_a_journey_stopped_by_a_failed_step_names_that_step() -> None:
    steps = [
        StepRecord(index=0, action="goto", label="Open home"),
        StepRecord(index=1, action="click", label="Add to cart", ok=False, error="no element matches #buy"),
        StepRecord(index=2, action="click", label="Checkout", skipped=True),
    ]
    broken = broken_journeys([_journey(completed=False, failed_step=1, steps=steps, error="step 2 failed")])
    assert broken == [
        {
            "journey": "purchase",
            "channel": "desktop",
            "run_index": 0,
            "step_number": 2,
            "step_label": "Add to cart",
            "reason": "no element matches #buy",
            "cause": "unknown",  # no recorded target facts: journey_health cannot tell site from config
        }
    ]


def test_completed_journeys_are_not_broken_and_odd_input_is_ignored() -> None:
    ok = _journey(completed=True, steps=[StepRecord(index=0, action="goto", label="Open")])
    assert broken_journeys([ok, "junk", {"completed": "yes"}, None]) == []


def test_a_journey_that_failed_before_any_step_uses_its_own_error() -> None:
    broken = broken_journeys(
        [_journey(completed=False, failed_step=0, error="could not open a browser context")]
    )
    assert broken[0]["step_number"] == 1 and broken[0]["step_label"] == ""
    assert broken[0]["reason"] == "could not open a browser context"


def test_a_failed_step_without_failed_step_index_is_found_from_the_steps() -> None:
    steps = [StepRecord(index=0, action="goto", label="Open"), StepRecord(index=1, action="fill", ok=False)]
    broken = broken_journeys([_journey(completed=False, steps=steps)])
    assert broken[0]["step_number"] == 2 and broken[0]["step_label"] == "fill"
    assert broken[0]["reason"] == "the step failed without an error message"
