"""Small order statistics shared by the checks.

Repeat runs (``--runs N``) give a handful of samples per page; the verdict must
not swing on one noisy run, so checks judge the *median* and report the spread
next to it. CrUX and PageSpeed summarise field data at the 75th percentile, so
``percentile`` is here too. The standard library's ``statistics`` does the work.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from cx_auditor.models import Summary

__all__ = ["Spread", "median", "percentile", "spread"]


def _clean(values: Iterable[float | None]) -> list[float]:
    """Drop ``None`` (*not measured*) and NaN: neither is a zero."""
    return sorted(float(v) for v in values if v is not None and not math.isnan(float(v)))


def median(values: Iterable[float | None]) -> float | None:
    """Median of the measured values, ``None`` when nothing was measured."""
    data = _clean(values)
    return statistics.median(data) if data else None


def percentile(values: Iterable[float | None], pct: float) -> float | None:
    """The ``pct`` percentile (0..100) with linear interpolation between ranks.

    Linear interpolation (NumPy's default) keeps the value continuous as samples
    move, which a nearest-rank percentile does not.
    """
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be within 0..100, got {pct}")
    data = _clean(values)
    if not data:
        return None
    pos = (len(data) - 1) * pct / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


@dataclass(frozen=True)
class Spread:
    """Median plus the spread of the samples it was taken from."""

    median: float
    min: float
    max: float
    q1: float
    q3: float
    n: int
    samples: tuple[float, ...] = ()

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    def as_dict(self, digits: int = 3) -> dict[str, float | int | list[float]]:
        return {
            "median": round(self.median, digits),
            "min": round(self.min, digits),
            "max": round(self.max, digits),
            "iqr": round(self.iqr, digits),
            "n": self.n,
            # raw samples let a baseline comparison run a rank test (Mann-Whitney U) across runs
            "samples": [round(x, digits) for x in self.samples],
        }


def spread(values: Iterable[float | None]) -> Spread | None:
    """Summarise samples as median, min/max and quartiles; ``None`` if none measured.

    The statistics are :meth:`cx_auditor.models.Summary.of` (``statistics.median`` and
    ``statistics.quantiles``), the same numbers a check's typed ``MetricValue`` publishes.
    """
    data = _clean(values)
    summary = Summary.of(data)
    if summary is None:
        return None
    return Spread(
        median=summary.median,
        min=summary.min,
        max=summary.max,
        q1=summary.q1,
        q3=summary.q3,
        n=summary.n,
        samples=tuple(data),
    )
