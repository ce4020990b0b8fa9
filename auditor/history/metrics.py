"""What history keeps of a result and how it reads it back for ``compare`` and ``trend``.

* :func:`result_numbers` -- a result's typed values as numbers under stable keys
  (:meth:`MetricValue.key`: channel, journey, step and URL *path*, never a host or
  port), for metric deltas in ``compare`` and lines in ``trend``;
* :class:`Series` -- repeat-run measurements, for the noise-aware regression rule;
* :func:`summarise_metrics` -- a bounded copy of free-form data (the legacy
  ``metrics`` of untyped checks, the baseline verdict) fit for storing with every run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cx_auditor.models import SUMMARY_STATS, CheckResult

__all__ = ["Series", "result_numbers", "summarise_metrics"]

_MAX_STR = 240
_MAX_SAMPLES = 1000
_MAX_ROWS = 500
_MAX_DEPTH = 6
_DROP = object()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _numeric_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_number(v) for v in value)


def summarise_metrics(value: Any, depth: int = 0) -> Any:
    """A bounded copy of ``value`` fit for storing with every run.

    Keeps numbers, booleans, short strings, numeric sample lists and small
    nested structures; drops NaN/inf, long texts and anything too deep. What
    is dropped is what history never compares.
    """
    out = _summarise(value, depth)
    return {} if out is _DROP else out


def _summarise(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value if math.isfinite(value) else _DROP
    if isinstance(value, str):
        return value if len(value) <= _MAX_STR else value[: _MAX_STR - 1] + "…"
    if depth >= _MAX_DEPTH:
        return _DROP
    if isinstance(value, Mapping):
        items = ((str(k), _summarise(v, depth + 1)) for k, v in value.items())
        return {k: v for k, v in items if v is not _DROP}
    if isinstance(value, list | tuple):
        if _numeric_list(list(value)):
            return list(value)[:_MAX_SAMPLES]
        items = (_summarise(v, depth + 1) for v in list(value)[:_MAX_ROWS])
        return [v for v in items if v is not _DROP]
    return _DROP


def result_numbers(result: CheckResult, *, stats: bool = False) -> dict[str, float]:
    """A result's numbers by stable key, for ``compare`` and ``trend``.

    Typed values are the contract: each under :meth:`MetricValue.key`, as the
    median of its samples when it has some, else its value. Results of untyped
    checks and rows recorded before typed values had their ``metrics`` typed
    when they were loaded (:mod:`cx_auditor.legacy_metrics`), under the same keys.
    With ``stats``, each statistic a value has is added under ``<key>.<stat>``
    (``channels.mobile.lcp_ms.p75``), for chart patterns that ask for one.
    """
    out: dict[str, float] = {}
    for v in result.values:
        key = v.key()
        number = v.stat("median")
        if number is not None and _is_number(number):
            out[key] = float(number)
        if not stats:
            continue
        for name in SUMMARY_STATS:
            reported = v.summary.stat(name) if v.summary is not None else v.stats.get(name)
            if reported is not None and _is_number(reported):
                out[f"{key}.{name}"] = float(reported)
    return out


@dataclass(frozen=True)
class Series:
    """Repeat-run measurements of one metric: raw samples, or only their median."""

    samples: tuple[float, ...]
    median: float
    n: int
    summary_only: bool = False
